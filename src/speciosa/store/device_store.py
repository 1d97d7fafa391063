"""Reading and writing one person's device samples (the only SQL for wearable data).

Inserts are idempotent: ``INSERT ... ON CONFLICT (owner_id, dedup_key) DO NOTHING`` on SQLite
and PostgreSQL alike, many rows per statement, returning only the rows that were new. The store
never commits: the caller's transaction decides (one per import, so a failed import leaves
nothing behind).

Rows stored before migration 0005 have no ``device`` and were rekeyed without one; a sample
that has a device identity and whose device-less key (``legacy_key``) is such a row is that
row: it is not added again, the row gets the device and the full key. A re-import also fills
in the vendor's ``night`` on rows stored without it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from datetime import datetime
from typing import Any, Literal, cast

from sqlalchemy import Table, bindparam, delete, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from speciosa.journal.device import (
    DETAIL_MAX,
    DEVICE_MAX,
    MINUTES,
    SLEEP_IN_BED,
    SLEEP_LATENCY,
    SLEEP_STATE_KINDS,
    SOURCE_MAX,
    DeviceSample,
)
from speciosa.store.tables import DeviceSampleRow

TABLE = cast(Table, DeviceSampleRow.__table__)
# Rows per statement: 13 parameters each stays far below SQLite's and PostgreSQL's limits.
ROWS_PER_STATEMENT = 500
NIGHT_TOTAL_KINDS = (*SLEEP_STATE_KINDS, SLEEP_LATENCY)


class DeviceStore:
    """One person's device samples inside one transaction."""

    def __init__(self, session: Session, owner: int) -> None:
        self.session = session
        self.owner = owner
        dialect = session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = insert(TABLE).on_conflict_do_nothing(index_elements=["owner_id", "dedup_key"])
        self._insert = statement.returning(TABLE.c.dedup_key)
        # The device-less rows there are to adopt from: None until looked; "stored" when the
        # journal held such rows before this transaction (looked up in the database); else
        # the keys of those this store has written itself, checked in memory. The look-ups
        # were a tenth of an import's database time on a new journal (issue 16).
        self._deviceless: Literal["stored"] | set[int] | None = None

    def add(self, samples: Sequence[DeviceSample]) -> Counter[str]:
        """Store the samples not stored yet; the kinds of those added, counted."""
        added: Counter[str] = Counter()
        keyed = [(sample.dedup_key(), sample) for sample in samples]  # one hash per sample
        rows = self._rows(keyed)
        adopted = self._adopt_legacy(rows, keyed)
        pending = [row for key, row in rows.items() if key not in adopted]
        inserted: set[int] = set()
        if pending:
            # One cached statement, executed for many rows: SQLAlchemy's "insertmanyvalues"
            # sends them as multi-row INSERTs and collects what RETURNING gives back.
            inserted = set(self.session.execute(self._insert, pending).scalars())
            added.update(rows[key]["kind"] for key in inserted)
            self._note_deviceless(rows, inserted)
        self._fill_nights(
            [row for key, row in rows.items() if key not in inserted and row["night"] is not None]
        )
        return added

    def new_keys(self, samples: Sequence[DeviceSample]) -> dict[int, DeviceSample]:
        """The samples (by dedup key) that ``add`` would store, without storing them."""
        fresh = {sample.dedup_key(): sample for sample in samples}
        for key in self._stored_keys(list(fresh)):
            fresh.pop(key, None)
        legacy = {
            old: key for key, sample in fresh.items() if (old := sample.legacy_key()) is not None
        }
        for old in self._stored_keys(list(legacy), without_device=True):
            fresh.pop(legacy[old], None)
        return fresh

    def night_records(
        self, sources: Collection[str], *, since: datetime, until: datetime
    ) -> list[DeviceSample]:
        """Stored in-bed intervals and stage totals of these sources starting in
        [since, until): what an import compares its nights with."""
        query = (
            select(DeviceSampleRow)
            .where(
                DeviceSampleRow.owner_id == self.owner,
                DeviceSampleRow.kind.in_(NIGHT_TOTAL_KINDS),
                DeviceSampleRow.source.in_([source[:SOURCE_MAX] for source in sources]),
                DeviceSampleRow.start_at >= since,
                DeviceSampleRow.start_at < until,
                or_(DeviceSampleRow.kind == SLEEP_IN_BED, DeviceSampleRow.unit == MINUTES),
            )
            .order_by(DeviceSampleRow.start_at, DeviceSampleRow.id)
        )
        return [_sample(row) for row in self.session.scalars(query)]

    def _stored_keys(self, keys: list[int], *, without_device: bool = False) -> set[int]:
        found: set[int] = set()
        for first in range(0, len(keys), ROWS_PER_STATEMENT):
            query = select(DeviceSampleRow.dedup_key).where(
                DeviceSampleRow.owner_id == self.owner,
                DeviceSampleRow.dedup_key.in_(keys[first : first + ROWS_PER_STATEMENT]),
            )
            if without_device:
                query = query.where(DeviceSampleRow.device.is_(None))
            found.update(self.session.scalars(query))
        return found

    def _adopt_legacy(
        self, rows: dict[int, dict[str, Any]], keyed: Iterable[tuple[int, DeviceSample]]
    ) -> set[int]:
        """Keys of the samples that are rows stored before 0005 (found by their device-less
        key); those rows get the device, the full key and the night. Nothing is inserted for
        them."""
        deviceless = self._deviceless_rows()
        if not deviceless:
            return set()
        legacy = {old: key for key, sample in keyed if (old := sample.legacy_key()) is not None}
        if not legacy:
            return set()
        if deviceless == "stored":
            old_keys = self._stored_keys(list(legacy), without_device=True)
        else:
            old_keys = deviceless.intersection(legacy)
        if not old_keys:
            return set()
        taken = self._stored_keys([legacy[old] for old in old_keys])
        changes = [
            {
                "old_key": old,
                "new_key": legacy[old],
                "device": rows[legacy[old]]["device"],
                "new_night": rows[legacy[old]]["night"],
            }
            for old in old_keys
            if legacy[old] not in taken
        ]
        if changes:
            statement = (
                update(TABLE)
                .where(
                    TABLE.c.owner_id == self.owner,
                    TABLE.c.dedup_key == bindparam("old_key"),
                    TABLE.c.device.is_(None),
                )
                .values(
                    dedup_key=bindparam("new_key"),
                    device=bindparam("device"),
                    night=func.coalesce(TABLE.c.night, bindparam("new_night")),
                )
            )
            self.session.execute(statement, changes)
            if deviceless != "stored":  # those rows have a device now
                deviceless.difference_update(change["old_key"] for change in changes)
        return {legacy[old] for old in old_keys}

    def _deviceless_rows(self) -> Literal["stored"] | set[int]:
        if self._deviceless is None:
            query = select(TABLE.c.id).where(
                TABLE.c.owner_id == self.owner, TABLE.c.device.is_(None)
            )
            held = self.session.execute(query.limit(1)).first() is not None
            self._deviceless = "stored" if held else set()
        return self._deviceless

    def _note_deviceless(self, rows: dict[int, dict[str, Any]], inserted: set[int]) -> None:
        """Remember the device-less rows just written (a later sample may adopt them)."""
        written = self._deviceless_rows()
        if written != "stored":
            written.update(key for key in inserted if rows[key]["device"] is None)

    def _fill_nights(self, rows: list[dict[str, Any]]) -> None:
        """The vendor's night on rows stored without one (before 0005)."""
        if not rows:
            return
        statement = (
            update(TABLE)
            .where(
                TABLE.c.owner_id == self.owner,
                TABLE.c.dedup_key == bindparam("key"),
                TABLE.c.night.is_(None),
            )
            .values(night=bindparam("new_night"))
        )
        changes = [{"key": row["dedup_key"], "new_night": row["night"]} for row in rows]
        self.session.execute(statement, changes)

    def _rows(self, keyed: Iterable[tuple[int, DeviceSample]]) -> dict[int, dict[str, Any]]:
        rows: dict[int, dict[str, Any]] = {}
        for key, sample in keyed:
            rows[key] = {
                "owner_id": self.owner,
                "source": sample.source[:SOURCE_MAX],
                "kind": sample.kind,
                "start_at": sample.start,
                "end_at": sample.end,
                "utc_offset_minutes": sample.utc_offset_minutes,
                "zone": sample.zone,
                "value": sample.value,
                "unit": sample.unit,
                "detail": None if sample.detail is None else sample.detail[:DETAIL_MAX],
                "dedup_key": key,
                "night": sample.night,
                "device": None if sample.device is None else sample.device[:DEVICE_MAX],
            }
        return rows

    def samples(
        self,
        *,
        kinds: Iterable[str] | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[DeviceSample]:
        """Stored samples, oldest first; ``since``/``until`` bound the start (UTC instants)."""
        query = select(DeviceSampleRow).where(DeviceSampleRow.owner_id == self.owner)
        if kinds is not None:
            query = query.where(DeviceSampleRow.kind.in_(list(kinds)))
        if since is not None:
            query = query.where(DeviceSampleRow.start_at >= since)
        if until is not None:
            query = query.where(DeviceSampleRow.start_at < until)
        query = query.order_by(DeviceSampleRow.start_at, DeviceSampleRow.id)
        return [_sample(row) for row in self.session.scalars(query)]

    def version(self) -> tuple[int, int | None]:
        """(samples, highest id): changes whenever samples are added or cleared."""
        query = select(func.count(DeviceSampleRow.id), func.max(DeviceSampleRow.id)).where(
            DeviceSampleRow.owner_id == self.owner
        )
        count, highest = self.session.execute(query).one()
        return int(count), highest

    def counts(self) -> dict[str, int]:
        """Stored samples per kind."""
        query = (
            select(DeviceSampleRow.kind, func.count())
            .where(DeviceSampleRow.owner_id == self.owner)
            .group_by(DeviceSampleRow.kind)
        )
        return dict(self.session.execute(query).all())

    def clear(self) -> None:
        """Remove every sample of this person (a restore that replaces the journal)."""
        self.session.execute(delete(TABLE).where(TABLE.c.owner_id == self.owner))
        self._deviceless = set()  # none left to adopt


def _sample(row: DeviceSampleRow) -> DeviceSample:
    return DeviceSample(
        source=row.source,
        kind=row.kind,
        start=row.start_at,
        end=row.end_at,
        utc_offset_minutes=row.utc_offset_minutes,
        zone=row.zone,
        value=row.value,
        unit=row.unit,
        detail=row.detail,
        night=row.night,
        device=row.device,
    )
