"""Reading and writing one person's device samples (the only SQL for wearable data).

Inserts are idempotent: ``INSERT ... ON CONFLICT (owner_id, dedup_key) DO NOTHING`` on SQLite
and PostgreSQL alike, many rows per statement, returning only the rows that were new. The store
never commits: the caller's transaction decides (one per import, so a failed import leaves
nothing behind).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from speciosa.journal.device import DeviceSample
from speciosa.store.tables import DeviceSampleRow

TABLE = cast(Table, DeviceSampleRow.__table__)
# Rows per statement: 11 parameters each stays far below SQLite's and PostgreSQL's limits.
ROWS_PER_STATEMENT = 500


class DeviceStore:
    """One person's device samples inside one transaction."""

    def __init__(self, session: Session, owner: int) -> None:
        self.session = session
        self.owner = owner
        dialect = session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = insert(TABLE).on_conflict_do_nothing(index_elements=["owner_id", "dedup_key"])
        self._insert = statement.returning(TABLE.c.kind)

    def add(self, samples: Sequence[DeviceSample]) -> Counter[str]:
        """Store the samples not stored yet; the kinds of those added, counted."""
        added: Counter[str] = Counter()
        rows = list(self._rows(samples).values())
        if rows:
            # One cached statement, executed for many rows: SQLAlchemy's "insertmanyvalues"
            # sends them as multi-row INSERTs and collects what RETURNING gives back.
            added.update(self.session.execute(self._insert, rows).scalars())
        return added

    def new_keys(self, samples: Sequence[DeviceSample]) -> dict[int, DeviceSample]:
        """The samples (by dedup key) that ``add`` would store, without storing them."""
        fresh = {sample.dedup_key(): sample for sample in samples}
        keys = list(fresh)
        for first in range(0, len(keys), ROWS_PER_STATEMENT):
            chunk = keys[first : first + ROWS_PER_STATEMENT]
            for key in self.session.scalars(
                select(DeviceSampleRow.dedup_key).where(
                    DeviceSampleRow.owner_id == self.owner, DeviceSampleRow.dedup_key.in_(chunk)
                )
            ):
                fresh.pop(key, None)
        return fresh

    def _rows(self, samples: Iterable[DeviceSample]) -> dict[int, dict[str, Any]]:
        rows: dict[int, dict[str, Any]] = {}
        for sample in samples:
            key = sample.dedup_key()
            rows[key] = {
                "owner_id": self.owner,
                "source": sample.source[:120],
                "kind": sample.kind,
                "start_at": sample.start,
                "end_at": sample.end,
                "utc_offset_minutes": sample.utc_offset_minutes,
                "zone": sample.zone,
                "value": sample.value,
                "unit": sample.unit,
                "detail": None if sample.detail is None else sample.detail[:80],
                "dedup_key": key,
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
        return [
            DeviceSample(
                source=row.source,
                kind=row.kind,
                start=row.start_at,
                end=row.end_at,
                utc_offset_minutes=row.utc_offset_minutes,
                zone=row.zone,
                value=row.value,
                unit=row.unit,
                detail=row.detail,
            )
            for row in self.session.scalars(query)
        ]

    def counts(self) -> dict[str, int]:
        """Stored samples per kind."""
        query = (
            select(DeviceSampleRow.kind, func.count())
            .where(DeviceSampleRow.owner_id == self.owner)
            .group_by(DeviceSampleRow.kind)
        )
        return dict(self.session.execute(query).all())
