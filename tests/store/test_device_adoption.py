"""A sample without a device identity, then the same measurement with one: the second is the
first row (given its device), never a second row. Since issue 16 the store skips looking for
such rows when the journal has none; this pins that a row written earlier in the same
import, or stored before it, is still found."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from speciosa.journal.device import HRV, make_sample
from speciosa.store.database import open_database
from speciosa.store.device_store import DeviceStore
from speciosa.store.journal_store import owner_id
from speciosa.store.tables import DeviceSampleRow

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
START = NOW - timedelta(days=1)
WATCH = "Apple/Watch6,2/Watch6,2"


def _hrv(device: str | None, minutes: int = 0):  # type: ignore[no-untyped-def]
    start = START + timedelta(minutes=minutes)
    return make_sample("Watch", HRV, start, start, value=40.0, unit="ms", device=device)


def test_same_import_adopts_its_own_deviceless_row(sqlite_url: str) -> None:
    database = open_database(sqlite_url)
    try:
        with database.transaction() as session:
            store = DeviceStore(session, owner_id(session, now=NOW))
            assert sum(store.add([_hrv(None)]).values()) == 1
            # the same measurement, now with its device: adopted, not added
            assert sum(store.add([_hrv(WATCH)]).values()) == 0
            rows = session.execute(select(DeviceSampleRow.device)).scalars().all()
        assert rows == [WATCH]
    finally:
        database.close()


def test_a_stored_deviceless_row_is_adopted_by_a_later_import(sqlite_url: str) -> None:
    database = open_database(sqlite_url)
    try:
        with database.transaction() as session:
            DeviceStore(session, owner_id(session, now=NOW)).add([_hrv(None)])
        with database.transaction() as session:  # a new import: a new store
            store = DeviceStore(session, owner_id(session, now=NOW))
            added = store.add([_hrv(WATCH), _hrv(WATCH, minutes=5)])
            rows = session.execute(select(DeviceSampleRow.device)).scalars().all()
        assert sum(added.values()) == 1  # only the second measurement is new
        assert rows == [WATCH, WATCH]
    finally:
        database.close()


def test_a_journal_with_devices_only_adds_new_measurements(sqlite_url: str) -> None:
    database = open_database(sqlite_url)
    try:
        with database.transaction() as session:
            store = DeviceStore(session, owner_id(session, now=NOW))
            assert sum(store.add([_hrv(WATCH)]).values()) == 1
            assert sum(store.add([_hrv(WATCH), _hrv(WATCH, minutes=5)]).values()) == 1
            count = len(session.execute(select(DeviceSampleRow.id)).all())
        assert count == 2
    finally:
        database.close()
