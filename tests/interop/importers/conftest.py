"""A real SQLite journal and a helper that runs one import per transaction, as the CLI does."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from speciosa.interop.importers import import_file
from speciosa.interop.native_json import ImportSummary
from speciosa.journal.models import Product, StoredEntry
from speciosa.store.database import Database, open_database
from speciosa.store.journal_store import JournalStore, owner_id

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "importers"
SAMPLES = Path(__file__).resolve().parents[3].parent / "shared" / "samples"
NOW = datetime(2026, 4, 1, 12, 0, tzinfo=UTC)
ZONE = "Europe/London"

Importer = Callable[..., ImportSummary]


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(f"sqlite:///{tmp_path / 'journal.sqlite'}")
    yield database
    database.close()


def store_of(session: Any) -> JournalStore:
    return JournalStore(session, owner_id(session, now=NOW))


@pytest.fixture
def run_import(db: Database) -> Importer:
    """Import a file in its own transaction (rolled back if it raises)."""

    def run(path: Path, **options: Any) -> ImportSummary:
        options.setdefault("now", NOW)
        options.setdefault("zone", ZONE)
        with db.transaction() as session:
            return import_file(store_of(session), path, **options)

    return run


@pytest.fixture
def stored(db: Database) -> Callable[[], list[StoredEntry]]:
    def read() -> list[StoredEntry]:
        with db.transaction() as session:
            return store_of(session).entries()

    return read


@pytest.fixture
def products(db: Database) -> Callable[[], list[Product]]:
    def read() -> list[Product]:
        with db.transaction() as session:
            return store_of(session).products()

    return read


def fixture(name: str) -> Path:
    return FIXTURES / name
