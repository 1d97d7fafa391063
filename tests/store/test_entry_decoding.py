"""Reading entries the fast way (issue 16) gives exactly what validating every field gave.

``JournalStore.entries`` reads plain rows, validates each entry's payload as before, and builds
the :class:`StoredEntry` envelope without validating it again; SQLite instants are read with
``fromisoformat``. The expected values here are built the slow way: the ORM row, then
``StoredEntry(...)`` with full validation, as the store did before.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect

from speciosa.gc_pause import collector_paused
from speciosa.journal.models import Pain, StoredEntry, entry_from_dict
from speciosa.store.database import Database
from speciosa.store.journal_store import JournalStore, owner_id
from speciosa.store.tables import EntryRow, ProductRow, UTCDateTime
from tests.factories import RED, ZONE, every_kind


def _validated(session, row: EntryRow) -> StoredEntry:  # type: ignore[no-untyped-def]
    """The entry as the store built it before: every field validated."""
    fields = {**row.data, "kind": row.kind, "at": row.at, "zone": row.zone, "note": row.note}
    if row.kind == "dose":
        fields["grams"] = row.grams
        fields["product"] = (
            None if row.product_id is None else session.get(ProductRow, row.product_id).name
        )
    return StoredEntry(
        id=row.id,
        uid=row.uid,
        source=row.source,
        source_key=row.source_key,
        created_at=row.created_at,
        updated_at=row.updated_at,
        entry=entry_from_dict(fields),
        deleted_at=row.deleted_at,
    )


def test_entries_read_back_as_if_validated(database: Database, now: datetime) -> None:
    with database.transaction() as session:
        store = JournalStore(session, owner_id(session, now=now))
        store.add_product(RED, now=now)
        for n, entry in enumerate(every_kind(now)):
            store.add_entry(entry, now=now, source="test", source_key=f"key {n}")
        gone = store.add_entry(Pain(at=now, zone=ZONE, score=2), now=now)
        store.delete_entry(gone.id, now=now)
    with database.transaction() as session:
        store = JournalStore(session, owner_id(session, now=now))
        read = store.entries(include_deleted=True)
        rows = session.scalars(select(EntryRow).order_by(EntryRow.at, EntryRow.id)).all()
        expected = [_validated(session, row) for row in rows]
        one = store.entry(gone.id)  # the ORM-row path (edit, delete, undo) decodes alike
    assert len(read) == len(every_kind(now)) + 1  # every kind, the deleted pain included
    assert read == expected
    assert [s.model_dump() for s in read] == [s.model_dump() for s in expected]
    assert [hash(s) for s in read] == [hash(s) for s in expected]
    assert [s.model_fields_set for s in read] == [s.model_fields_set for s in expected]
    assert [repr(s) for s in read] == [repr(s) for s in expected]
    assert one == next(s for s in expected if s.id == gone.id)
    assert all(s.created_at.tzinfo is UTC for s in read)
    with pytest.raises(ValidationError):  # still frozen
        read[0].uid = "changed"


def test_a_bad_stored_payload_is_still_refused(sqlite_url: str, now: datetime) -> None:
    """The payload is validated on the way out as before: a row a bug or a hand edit broke
    raises rather than coming back as an entry no one checked."""
    from speciosa.store.database import open_database

    database = open_database(sqlite_url)
    try:
        with database.transaction() as session:
            store = JournalStore(session, owner_id(session, now=now))
            stored = store.add_entry(Pain(at=now, zone=ZONE, score=2), now=now)
            session.get(EntryRow, stored.id).data = {"score": 11}  # out of 0-10
        with database.transaction() as session, pytest.raises(ValidationError):
            JournalStore(session, owner_id(session, now=now)).entries()
    finally:
        database.close()


def _processor(dialect: Dialect) -> Callable[[Any], Any] | None:
    """The column's result processor as SQLAlchemy sets it up for ``dialect``."""
    return UTCDateTime().dialect_impl(dialect).result_processor(dialect, None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # what SQLAlchemy writes for SQLite
        ("2026-03-01 07:30:00.000000", datetime(2026, 3, 1, 7, 30, tzinfo=UTC)),
        ("2026-03-01 07:30:00.250000", datetime(2026, 3, 1, 7, 30, 0, 250000, tzinfo=UTC)),
        # without microseconds (as a hand-made row might be): the same instant
        ("2026-03-01 07:30:00", datetime(2026, 3, 1, 7, 30, tzinfo=UTC)),
        (None, None),
    ],
)
def test_sqlite_instants_read_as_aware_utc(text: str | None, expected: datetime | None) -> None:
    read = _processor(sqlite.dialect())
    assert read is not None
    value = read(text)
    assert value == expected
    assert value is None or value.tzinfo is UTC


def test_odd_sqlite_text_takes_sqlalchemys_path() -> None:
    """Text fromisoformat refuses with the offset appended (here it already has one) is read
    by SQLAlchemy's own SQLite parser, as every instant was before."""
    read = _processor(sqlite.dialect())
    assert read is not None
    assert read("2026-03-01 07:30:00.000000+00:00") == datetime(2026, 3, 1, 7, 30, tzinfo=UTC)


def test_other_backends_keep_the_general_path() -> None:
    # PostgreSQL's driver returns datetimes; no text parsing is added there.
    read = _processor(postgresql.dialect())
    assert read is not None
    naive = datetime(2026, 3, 1, 7, 30)
    assert read(naive) == naive.replace(tzinfo=UTC)


def test_collector_pause_restores_what_it_found() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():  # nested: the inner one leaves it to the outer
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("boom")
    assert gc.isenabled()  # turned back on after a failure too
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # a process that keeps it off is left so
    finally:
        gc.enable()


def test_fresh_rows_within_the_transaction_are_read(sqlite_url: str, now: datetime) -> None:
    """Rows are read through the connection: an ORM change made earlier in the same unit of
    work (an edit's new score) must already be visible."""
    from speciosa.store.database import open_database

    database = open_database(sqlite_url)
    try:
        with database.transaction() as session:
            store = JournalStore(session, owner_id(session, now=now))
            stored = store.add_entry(Pain(at=now - timedelta(hours=1), zone=ZONE, score=2), now=now)
            row = session.get(EntryRow, stored.id)
            row.data = {"score": 7, "sites": [], "interference": None}  # pending, not flushed
            assert [s.entry.score for s in store.entries()] == [7]  # type: ignore[attr-defined]
    finally:
        database.close()
