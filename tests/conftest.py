"""Shared fixtures: real SQLite files, a real PostgreSQL server, and the real CLI."""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import close_all_sessions
from typer.testing import CliRunner

from speciosa.cli.app import app
from speciosa.store.database import Database, open_database

POSTGRES_ENV = "SPECIOSA_TEST_POSTGRES_URL"


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test may touch the person's real journal or inherit a database URL."""
    monkeypatch.delenv("SPECIOSA_DATABASE_URL", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'journal.sqlite'}"


def _postgres_admin_url() -> str:
    url = os.environ.get(POSTGRES_ENV)
    if not url and os.environ.get("SPECIOSA_REQUIRE_POSTGRES"):
        pytest.fail(
            f"{POSTGRES_ENV} is not set but SPECIOSA_REQUIRE_POSTGRES is: CI must test PostgreSQL"
        )
    if not url:
        pytest.skip(
            f"PostgreSQL tests need {POSTGRES_ENV} (set by .ci/run); no server configured here"
        )
    return url


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    admin = make_url(_postgres_admin_url()).set(drivername="postgresql+psycopg")
    name = f"speciosa_t_{uuid.uuid4().hex[:12]}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> str:
    """Run a storage test on SQLite and on PostgreSQL."""
    fixture = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    return str(request.getfixturevalue(fixture))


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    db = open_database(database_url)
    yield db
    close_all_sessions()  # sessions a test opened itself give their connections back first
    db.close()


@pytest.fixture
def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


Cli = Callable[..., CliResult]


@pytest.fixture
def cli_db(tmp_path: Path) -> Path:
    return tmp_path / "cli.sqlite"


@pytest.fixture
def cli(cli_db: Path) -> Cli:
    """Run ``speciosa --db <tmp file> ARGS`` in-process, as a person would."""
    runner = CliRunner()

    def run(*args: str, db: Path | str | None = None, input: str | None = None) -> CliResult:
        result = runner.invoke(app, ["--db", str(db or cli_db), *args], input=input)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return CliResult(result.exit_code, result.stdout, result.stderr)

    return run


def row_counts(path: Path) -> dict[str, int]:
    """Rows per table, read with the sqlite3 module (not through Speciosa)."""
    with closing(sqlite3.connect(path)) as connection:
        tables = [
            r[0]
            for r in connection.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {t: connection.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
