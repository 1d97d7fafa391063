"""The README's tour cannot drift: every command it shows exists, with every option it uses.

Like datasette's ``test_docs.py``: the tour is read from README.md itself, and each line is
checked against the real ``--help`` of the command it names.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from speciosa.cli.app import app

README = Path(__file__).resolve().parents[2] / "README.md"
OPTION = re.compile(r"(?<![\w-])(--[a-z][a-z0-9-]*)")


def tour_lines() -> list[str]:
    """The ``speciosa ...`` lines of the README's shell blocks, comments removed."""
    lines: list[str] = []
    in_shell = False
    for raw in README.read_text(encoding="utf-8").splitlines():
        if raw.startswith("```"):
            in_shell = raw.strip() in ("```sh", "```shell", "```bash")
            continue
        if in_shell and raw.startswith("speciosa "):
            lines.extend(part.strip() for part in raw.split("#")[0].split("&&"))
    return [line for line in lines if line.startswith("speciosa ")]


def command_path(words: list[str]) -> list[str]:
    """The sub-command names at the start of ``words`` (after global options)."""
    group = get_command(app)
    path: list[str] = []
    rest = words[1:]
    while rest and rest[0] == "--db":
        rest = rest[2:]
    while rest and hasattr(group, "commands") and rest[0] in group.commands:  # type: ignore[attr-defined]
        path.append(rest[0])
        group = group.commands[rest[0]]  # type: ignore[attr-defined]
        rest = rest[1:]
    return path


def test_the_tour_is_long_enough_to_mean_something() -> None:
    assert len(tour_lines()) >= 30


@pytest.mark.parametrize("line", tour_lines())
def test_every_command_and_option_in_the_tour_exists(line: str) -> None:
    words = shlex.split(line)
    path = command_path(words)
    assert path, f"no such command in: {line}"
    result = CliRunner().invoke(app, [*path, "--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    root_help = CliRunner().invoke(app, ["--help"], terminal_width=200).output
    for option in OPTION.findall(line):
        assert option in result.output or option in root_help, f"{option} missing for {path}"
