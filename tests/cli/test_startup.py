"""Start-up: what ``speciosa`` imports before it knows which command runs, and for ``log``.

Checked in a fresh interpreter (``sys.modules`` after the fact), never by a timer; the
timings are in ``bench/startup_bench.py`` and ``bench/RESULTS.md``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.core import TyperCommand
from typer.main import get_command

from speciosa.cli.app import app
from speciosa.cli.commands import COMMANDS, LazyCommands, LazyGroup, target

# Never needed to start: the database, the analyses, the report, the web server.
HEAVY = (
    "sqlalchemy",
    "numpy",
    "pandas",
    "scipy",
    "statsmodels",
    "matplotlib",
    "reportlab",
    "fastapi",
    "uvicorn",
)
# Not run by ``log``: the safety engine and everything numeric or web.
NOT_FOR_LOG = ("numpy", "pandas", "scipy", "statsmodels", "matplotlib", "reportlab", "fastapi")
# ``--version`` and ``--help`` need none of these either: models, rich, YAML, migrations,
# and no command's module.
NOT_FOR_HELP = (
    *HEAVY,
    "pydantic",
    "rich",
    "yaml",
    "alembic",
    "speciosa.app.unit",
    "speciosa.journal.models",
    "speciosa.knowledge.loader",
    "speciosa.safety",
    "speciosa.plans",
    *(f"speciosa.cli.{row[0].split(':')[0]}" for row in COMMANDS.values()),
)


def loaded_after(code: str, watched: tuple[str, ...]) -> tuple[list[str], str]:
    """Run ``code`` in a fresh interpreter; the watched modules it imported, and its output."""
    probe = (
        "import json, sys\n"
        f"{code}\n"
        f"watched = {list(watched)!r}\n"
        "print(json.dumps(sorted(m for m in watched if m in sys.modules)), file=sys.stderr)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "SPECIOSA_DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=False
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stderr.strip().splitlines()[-1]), result.stdout


def run_main(*argv: str) -> str:
    """Code that runs ``speciosa ARGV`` through the console entry point and carries on."""
    return (
        f"sys.argv = ['speciosa', *{list(argv)!r}]\n"
        "from speciosa.cli.app import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exit:\n"
        "    assert not exit.code, exit.code\n"
    )


def test_importing_the_cli_imports_no_database_analysis_or_web_library() -> None:
    found, _ = loaded_after("import speciosa.cli.app", HEAVY)
    assert found == []


@pytest.mark.parametrize("argv", [["--version"], ["--help"]])
def test_version_and_help_import_no_command(argv: list[str]) -> None:
    found, output = loaded_after(run_main(*argv), NOT_FOR_HELP)
    assert found == []
    assert "speciosa" in output


def test_log_pain_imports_nothing_it_does_not_run(tmp_path: Path) -> None:
    db = tmp_path / "journal.sqlite"
    found, output = loaded_after(run_main("--db", str(db), "log", "pain", "4"), NOT_FOR_LOG)
    assert found == []
    assert output.startswith("Logged pain #1: 4/10")


# --------------------------------------------------------------------------- the lazy group


def test_every_command_row_names_a_command_and_lists_its_own_help() -> None:
    group = get_command(app)
    assert isinstance(group, LazyGroup)
    for name, (where, summary) in COMMANDS.items():
        assert isinstance(target(name), typer.Typer) or callable(target(name)), where
        built = group.commands[name]
        # The line ``speciosa --help`` shows without building the command is the line the
        # built command would show: change the docstring, change the row in cli/commands.py.
        assert built.get_short_help_str(10_000) == TyperCommand(
            name=name, help=summary
        ).get_short_help_str(10_000), f"COMMANDS[{name!r}] is stale"


def test_help_reads_the_same_lazy_or_built() -> None:
    def help_text(*path: str, build: bool) -> str:
        group = get_command(app)
        context = group.make_context("speciosa", [], resilient_parsing=True)
        for name in path:
            assert isinstance(group, LazyGroup)
            group = group.commands[name]
            context = group.make_context(name, [], parent=context, resilient_parsing=True)
        assert isinstance(group, LazyGroup)
        if build:
            for name in group.list_commands(context):
                assert group.commands[name] is not None  # built now
        return str(group.get_help(context))

    for path in ((), ("log",), ("plan",), ("product",)):
        lazy = help_text(*path, build=False)
        assert lazy == help_text(*path, build=True)
    assert "questionnaire" in help_text(build=False)


def test_commands_are_built_only_when_looked_up() -> None:
    group = get_command(app)
    assert isinstance(group, LazyGroup)
    assert isinstance(group.commands, LazyCommands)
    assert "log" in group.commands
    assert "no-such-command" not in group.commands
    assert list(group.commands) == list(COMMANDS)
    assert group.commands.preview("log").name == "log"  # the stand-in: nothing imported
    log = group.commands["log"]
    assert isinstance(log, LazyGroup)
    assert isinstance(log.commands, LazyCommands)
    assert list(log.commands)[:3] == ["dose", "pain", "fatigue"]
    assert "side-effect" in log.commands


def test_the_light_list_of_entry_kinds_is_the_models_list() -> None:
    from speciosa.journal.catalogues import ENTRY_KINDS
    from speciosa.journal.models import KINDS

    assert ENTRY_KINDS == KINDS


def test_zone_names_are_checked_without_reading_every_zone_file() -> None:
    # journal.clock accepts a name the tzdata package lists without walking the system's
    # zoneinfo directories; that is exact only if every such name is an available zone.
    import zoneinfo

    from speciosa.journal import clock

    assert clock._packaged_zone_names() <= zoneinfo.available_timezones() | {"UTC"}
