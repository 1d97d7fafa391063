"""What every fault test checks ("every failure one line"): the exit code, exactly one line
on stderr, no traceback, none of the person's health data, and the journal unchanged
(``PRAGMA integrity_check`` ok and the same JSON export before and after)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import Cli, CliResult

# What the person logged: no error message, log line or traceback may repeat it.
SECRET_NOTE = "cried in the car after the pharmacy"
DOSE = "3.37g"
HEALTH_DATA = (SECRET_NOTE, "3.37")


def fill(cli: Cli, db: Path | None = None) -> None:
    """A journal with a note and an amount that must never appear in an error."""
    assert cli("log", "pain", "7", "--note", SECRET_NOTE, db=db).exit_code == 0
    assert cli("log", "dose", DOSE, db=db).exit_code == 0


def integrity(path: Path) -> str:
    with closing(sqlite3.connect(path)) as connection:
        return str(connection.execute("PRAGMA integrity_check").fetchone()[0])


@dataclass(frozen=True)
class Snapshot:
    export: str
    integrity: str


def snapshot(cli: Cli, db: Path) -> Snapshot:
    exported = cli("export", db=db)
    assert exported.exit_code == 0, exported.stderr
    return Snapshot(exported.stdout, integrity(db))


def assert_one_line(
    result: CliResult, *, exit_code: int, says: str, secrets: tuple[str, ...] = HEALTH_DATA
) -> str:
    """The command failed with ``exit_code`` and exactly one line on stderr saying ``says``."""
    lines = result.stderr.strip().splitlines()
    assert result.exit_code == exit_code, result.stderr
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: "), lines
    assert says in lines[0], lines[0]
    shown = result.stdout + result.stderr
    assert "Traceback" not in shown
    assert "sqlalchemy" not in shown.lower()
    for secret in secrets:
        assert secret not in shown
    return lines[0]
