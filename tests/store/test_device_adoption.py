"""A sample without a device identity, then the same measurement with one: the second is the
first row (given its device), never a second row. Since issue 16 the store skips looking for
such rows when the journal has none; this pins that a row written earlier in the same
import, or stored before it, is still found."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from speciosa.journal.device import HRV, DeviceSample, make_sample
from speciosa.store.database import open_database
from speciosa.store.device_store import DeviceStore
from speciosa.store.journal_store import owner_id
from speciosa.store.tables import DeviceSampleRow

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
START = NOW - timedelta(days=1)
WATCH = "Apple/Watch6,2/Watch6,2"


def _hrv(device: str | None, minutes: int = 0) -> DeviceSample:
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


def test_remembered_rows_adopt_as_the_database_would(tmp_path: Path) -> None:
    """On a new journal the store remembers the device-less rows it wrote instead of looking
    them up; on random imports (the same measurements with and without devices, in random
    batches, with a clear in between) it adds and adopts exactly what the look-ups did."""
    for seed in range(40):
        rng = random.Random(seed)
        # Few measurements, so that one is often written without a device, then with one,
        # then with another device.
        batches = [
            [
                _hrv(rng.choice([None, WATCH, OTHER]), rng.randrange(3))
                for _ in range(rng.randrange(1, 4))
            ]
            for _ in range(8)
        ]
        clear_after = rng.randrange(len(batches) + 1)
        assert _import(
            tmp_path / f"m{seed}.sqlite", batches, clear_after, look_up=False
        ) == _import(tmp_path / f"l{seed}.sqlite", batches, clear_after, look_up=True)


OTHER = "Apple/Watch7,1/Watch7,1"


def _import(
    path: Path, batches: list[list[DeviceSample]], clear_after: int, *, look_up: bool
) -> tuple[list[int], list[tuple[int, str | None]]]:
    database = open_database(f"sqlite:///{path}")
    try:
        with database.transaction() as session:
            store = DeviceStore(session, owner_id(session, now=NOW))
            if look_up:  # as if the journal had held device-less rows: always ask the database
                store._deviceless = "stored"
            added = []
            for index, batch in enumerate(batches):
                if index == clear_after:
                    store.clear()
                added.append(sum(store.add(batch).values()))
            query = select(DeviceSampleRow.dedup_key, DeviceSampleRow.device)
            rows = sorted((key, device) for key, device in session.execute(query).all())
        return added, rows
    finally:
        database.close()
