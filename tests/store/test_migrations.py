"""Alembic migrations from empty to head and back down, on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import create_engine

from speciosa.store.database import (
    SCHEMA_HEAD,
    alembic_config,
    current_revision,
    downgrade,
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
