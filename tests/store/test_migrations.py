"""Alembic migrations from empty to head and back down, on SQLite and PostgreSQL."""

from __future__ import annotations

import subprocess
import sys

from sqlalchemy import Engine, create_engine, inspect, text

from speciosa.store.database import (
    SCHEMA_HEAD,
    alembic_config,
    create_at_head,
    current_revision,
    downgrade,
    open_database,
    resolve_url,
    table_names,
    upgrade,
)
from speciosa.store.tables import Base

# Every table the models declare; the migrations must create exactly these.
JOURNAL_TABLES = set(Base.metadata.tables)


def test_upgrade_to_head_and_down_to_empty(database_url: str) -> None:
    engine = create_engine(resolve_url(database_url))
    try:
        upgrade(engine)
        assert table_names(engine) == JOURNAL_TABLES | {"alembic_version"}
        assert {"owners", "profiles", "products", "batches", "entries"} <= JOURNAL_TABLES
        downgrade(engine, "base")
        assert table_names(engine) & JOURNAL_TABLES == set()
        upgrade(engine)  # and up again
        assert table_names(engine) >= JOURNAL_TABLES
    finally:
        engine.dispose()


def test_models_match_migrations(database_url: str) -> None:
    """Autogenerate finds nothing to do: no model change ships without a migration."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    engine = create_engine(resolve_url(database_url))
    try:
        upgrade(engine)
        with engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        assert diff == []
    finally:
        engine.dispose()


def test_pinned_head_is_alembics_head(database_url: str) -> None:
    from alembic.script import ScriptDirectory

    engine = create_engine(resolve_url(database_url))
    try:
        assert ScriptDirectory.from_config(alembic_config(engine)).get_current_head() == SCHEMA_HEAD
        assert current_revision(engine) is None
        upgrade(engine)
        assert current_revision(engine) == SCHEMA_HEAD
    finally:
        engine.dispose()


def test_a_new_database_made_at_head_is_what_the_migrations_build(database_url: str) -> None:
    """``create_at_head`` (an empty database, in one step) and the eleven migrations give the
    same tables, columns, defaults, keys, indexes and constraints, and the same stamp."""
    engine = create_engine(resolve_url(database_url))
    try:
        upgrade(engine)
        migrated = _schema(engine)
        Base.metadata.drop_all(engine)
        with engine.begin() as connection:
            connection.execute(text("DROP TABLE alembic_version"))
        assert table_names(engine) == set()
        create_at_head(engine)
        assert current_revision(engine) == SCHEMA_HEAD
        assert _schema(engine) == migrated
        assert len(migrated) == len(JOURNAL_TABLES) + 1  # every table was compared
    finally:
        engine.dispose()


def test_opening_an_empty_database_does_not_load_alembic(database_url: str) -> None:
    """An empty database is made at head in one step, without Alembic (a subprocess, so
    that no other test has imported it); a journal at an older revision is migrated."""
    opened = subprocess.run(
        [sys.executable, "-c", OPEN_AND_LIST_MODULES, database_url],
        capture_output=True,
        text=True,
        check=True,
    )
    assert opened.stdout.split() == [SCHEMA_HEAD, "False"]
    engine = create_engine(resolve_url(database_url))
    try:
        downgrade(engine, "0010")
        assert current_revision(engine) == "0010"
    finally:
        engine.dispose()
    db = open_database(database_url)  # an older journal: the migrations bring it up
    try:
        assert current_revision(db.engine) == SCHEMA_HEAD
    finally:
        db.close()


OPEN_AND_LIST_MODULES = """
import sys
from speciosa.store.database import current_revision, open_database
db = open_database(sys.argv[1])
print(current_revision(db.engine), "alembic" in sys.modules)
"""


def _schema(engine: Engine) -> dict[str, dict[str, object]]:
    """Everything the database says about each table, in a form two databases can compare."""
    inspector = inspect(engine)
    schema: dict[str, dict[str, object]] = {}
    for table in sorted(inspector.get_table_names()):
        schema[table] = {
            "columns": {
                column["name"]: (
                    repr(column["type"]),
                    column["nullable"],
                    _normalised(column.get("default")),
                )
                for column in inspector.get_columns(table)
            },
            "primary key": inspector.get_pk_constraint(table)["constrained_columns"],
            "foreign keys": sorted(
                (
                    tuple(key["constrained_columns"]),
                    key["referred_table"],
                    tuple(key["referred_columns"]),
                    tuple(sorted((key.get("options") or {}).items())),
                )
                for key in inspector.get_foreign_keys(table)
            ),
            "indexes": sorted(
                (index["name"], tuple(index["column_names"]), bool(index["unique"]))
                for index in inspector.get_indexes(table)
            ),
            "unique": sorted(
                (tuple(unique["column_names"]))
                for unique in inspector.get_unique_constraints(table)
            ),
            "checks": sorted(
                _normalised(check["sqltext"]) or ""
                for check in inspector.get_check_constraints(table)
            ),
        }
    return schema


def _normalised(sql: object) -> str | None:
    return None if sql is None else " ".join(str(sql).replace('"', "").split()).lower()
