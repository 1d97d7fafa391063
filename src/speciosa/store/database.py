"""Opening the journal database: where it lives, how it is tuned, and its migrations.

SQLite by default (a file in the person's data directory, WAL, foreign keys on);
PostgreSQL when given a ``postgresql://`` URL. The schema is brought to the newest
Alembic revision every time a database is opened, inside one transaction; an empty database
gets the newest schema in one step instead (the same tables, checked by a test).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from importlib.resources import files
from pathlib import Path
from typing import Any

from platformdirs import user_data_dir
from sqlalchemy import (
    Column,
    Connection,
    Engine,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    create_engine,
    event,
    insert,
    inspect,
    text,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError, ProgrammingError
from sqlalchemy.orm import Session, sessionmaker

from speciosa.errors import DatabaseUnavailable, InvalidInput, NewerJournal
from speciosa.store.faults import fault_of, translated

ENV_URL = "SPECIOSA_DATABASE_URL"
# How long a command waits for another program that is writing to the same SQLite file
# before it says the journal is busy (seconds; the environment can shorten it).
ENV_BUSY_TIMEOUT = "SPECIOSA_BUSY_TIMEOUT"
DEFAULT_BUSY_TIMEOUT = 30.0

# The newest migration. Checked against Alembic's scripts by a test; knowing it here lets
# every command skip loading Alembic (a third of start-up time) when nothing is due.
SCHEMA_HEAD = "0011"


def default_path() -> Path:
    """The person's own journal file, in the platform's user data directory."""
    return Path(user_data_dir("speciosa", appauthor=False)) / "journal.sqlite"


def resolve_url(url_or_path: str | None) -> str:
    """A SQLAlchemy URL from ``--db``, the environment, or the default file."""
    chosen = url_or_path or os.environ.get(ENV_URL) or str(default_path())
    if "://" not in chosen:
        path = Path(chosen).expanduser()
        return f"sqlite:///{path}"
    try:
        url = make_url(chosen)
    except ArgumentError as exc:
        raise InvalidInput(
            "db", chosen, "must be a file path or a sqlite:// or postgresql:// URL"
        ) from exc
    if url.get_backend_name() not in {"sqlite", "postgresql"}:
        raise InvalidInput("db", chosen, "only SQLite files and PostgreSQL URLs are supported")
    if url.get_backend_name() == "postgresql" and url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    return url.render_as_string(hide_password=False)


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_path(url: str) -> Path | None:
    database = make_url(url).database
    return Path(database) if is_sqlite(url) and database not in (None, "", ":memory:") else None


def busy_timeout(seconds: float | None = None) -> float:
    """``seconds``, else $SPECIOSA_BUSY_TIMEOUT, else 30 s."""
    if seconds is not None:
        return seconds
    raw = os.environ.get(ENV_BUSY_TIMEOUT, "").strip()
    if not raw:
        return DEFAULT_BUSY_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 86_400:
        raise InvalidInput(ENV_BUSY_TIMEOUT, raw, "must be a number of seconds from 0 to 86400")
    return value


def describe(url: str) -> str:
    """The database as a message names it: the file's path, or the URL without password."""
    path = sqlite_path(url)
    return repr(str(path)) if path is not None else _safe(url)


@dataclass
class Database:
    url: str
    engine: Engine
    sessions: sessionmaker[Session]

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: everything in it is committed together or not at all.

        A busy journal, a full disk or a damaged file raises its Fault (``store.faults``)
        after the rollback, whether the body or the commit met it; any other database
        error on a journal that a newer Speciosa has since migrated raises NewerJournal.
        """
        with self._faults(), self.sessions.begin() as session:
            yield session

    @contextmanager
    def statements(self) -> Iterator[Connection]:
        """Statements that each commit on their own (no BEGIN and COMMIT round trips): for
        the short check every signed-in request makes. Faults as in :meth:`transaction`."""
        with self._faults(), self._autocommit.connect() as connection:
            yield connection

    @contextmanager
    def _faults(self) -> Iterator[None]:
        """The driver's errors as Speciosa's faults, or NewerJournal (see ``transaction``)."""
        try:
            with translated(journal=self.described):
                yield
        except DBAPIError as exc:
            revision = newer_revision(self.engine)
            if revision is not None:
                raise NewerJournal(revision) from exc
            raise

    @cached_property
    def _autocommit(self) -> Engine:
        # The same pool; each connection is set to autocommit while checked out.
        return self.engine.execution_options(isolation_level="AUTOCOMMIT")

    @cached_property
    def described(self) -> str:
        """:func:`describe` of this database, worked out once (every transaction names it)."""
        return describe(self.url)

    def close(self) -> None:
        self.engine.dispose()


def open_database(
    url_or_path: str | None = None, *, migrate: bool = True, timeout: float | None = None
) -> Database:
    """Open (creating and migrating if needed) the journal at ``url_or_path``.

    ``timeout``: seconds to wait for another writer (default :func:`busy_timeout`). A
    journal from a newer Speciosa raises NewerJournal and is left as it is.
    """
    url = resolve_url(url_or_path)
    wait = busy_timeout(timeout)
    path = sqlite_path(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = _engine(url, wait)
    try:
        with translated(journal=describe(url)):
            try:
                with engine.connect() as connection:
                    connection.exec_driver_sql("SELECT 1")
            except OperationalError as exc:
                if fault_of(exc) is not None:
                    raise
                raise DatabaseUnavailable(f"db: cannot open {_safe(url)}: {exc.orig}") from exc
            if migrate:
                _bring_to_head(engine)
    except BaseException:
        engine.dispose()
        raise
    return Database(url, engine, sessionmaker(engine, expire_on_commit=False))


def _bring_to_head(engine: Engine) -> None:
    revision = current_revision(engine)
    if revision == SCHEMA_HEAD:
        return
    if revision is None and not table_names(engine):
        create_at_head(engine)
        return
    if revision is not None and revision not in known_revisions(engine):
        raise NewerJournal(revision)
    upgrade(engine)


def create_at_head(engine: Engine) -> None:
    """Give an empty database the newest schema and stamp it with the newest revision, in one
    transaction: what running every migration from the first would build (migrations change
    only rows a new database does not have), without loading Alembic or replaying eleven
    migrations (~0.15 s of a first import, issue 16)."""
    from speciosa.store.tables import Base

    with engine.begin() as connection:
        Base.metadata.create_all(connection, checkfirst=False)
        _ALEMBIC_VERSION.create(connection)
        connection.execute(insert(_ALEMBIC_VERSION).values(version_num=SCHEMA_HEAD))


# Alembic's own version table, as Alembic creates it (``create_at_head`` stamps it).
_ALEMBIC_VERSION = Table(
    "alembic_version",
    MetaData(),
    Column("version_num", String(32), nullable=False),
    PrimaryKeyConstraint("version_num", name="alembic_version_pkc"),
)


def _engine(url: str, timeout: float = DEFAULT_BUSY_TIMEOUT) -> Engine:
    # hide_parameters: an error's text never carries the values of a statement (health data).
    if is_sqlite(url):
        # Last in, first out: the connection that just wrote is the one the next request
        # reads on, and SQLite empties a connection's page cache when another connection
        # has changed the file since its last transaction (Today right after a log).
        engine = create_engine(
            url, connect_args={"timeout": timeout}, hide_parameters=True, pool_use_lifo=True
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # Ten kept connections (SQLAlchemy keeps 5), so that a busy web worker reuses them
    # instead of opening and closing one per request; at most 20 a process, so that a few
    # workers stay within PostgreSQL's default of 100 connections.
    return create_engine(
        url, pool_pre_ping=True, hide_parameters=True, pool_size=10, max_overflow=10
    )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _safe(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def current_revision(engine: Engine) -> str | None:
    """The schema revision stored in the database, or None for a new database."""
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except (OperationalError, ProgrammingError) as exc:
        if fault_of(exc) is not None:  # busy or damaged is not "no schema yet"
            raise
        return None


def newer_revision(engine: Engine) -> str | None:
    """The journal's revision when this version of Speciosa does not know it, else None."""
    try:
        revision = current_revision(engine)
    except DBAPIError:
        return None
    if revision is None or revision == SCHEMA_HEAD or revision in known_revisions(engine):
        return None
    return revision


def known_revisions(engine: Engine) -> set[str]:
    """Every schema revision this version of Speciosa has a migration for."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config(engine))
    return {revision.revision for revision in script.walk_revisions()}


def alembic_config(engine: Engine) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(files("speciosa.store") / "migrations"))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str = "base") -> None:
    from alembic import command

    command.downgrade(alembic_config(engine), revision)


def table_names(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())
