"""device samples keyed on the measurement, with the vendor's night and the device identity

Until 0004 a sample's ``dedup_key`` hashed its ``source``, the display name the person gives a
watch: renaming it made every record new, so a re-import stored its samples twice. From 0005
the key hashes (kind, start, end, value, detail, device), ``device`` being a stable hardware
identity when the export names one. This migration adds the ``night`` and ``device`` columns,
recomputes the key of every stored row (without a device: exports before 0005 did not keep
it; the importer recognises those rows by their device-less key) and drops the rows that turn
out to be the same measurement twice, keeping the first stored.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

import hashlib
from collections.abc import Callable
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

PAGE = 5000
DETAIL_MAX = 80
DEVICE_MAX = 80

samples = sa.table(
    "device_samples",
    sa.column("id", sa.Integer()),
    sa.column("owner_id", sa.Integer()),
    sa.column("source", sa.String()),
    sa.column("kind", sa.String()),
    sa.column("start_at", sa.DateTime()),
    sa.column("end_at", sa.DateTime()),
    sa.column("value", sa.Float()),
    sa.column("detail", sa.String()),
    sa.column("dedup_key", sa.BigInteger()),
)


def _hash(parts: tuple[str, ...]) -> int:
    digest = hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _time(instant: datetime) -> str:
    return instant.strftime("%Y-%m-%dT%H:%M:%S.%f")


def _value(value: float | None) -> str:
    return "" if value is None else repr(float(value))


def measurement_key(row: Any) -> int:
    """Frozen copy of ``journal.device.measurement_key`` for a row without a device."""
    return _hash(
        (
            "m1",
            str(row.kind),
            _time(row.start_at),
            _time(row.end_at),
            _value(row.value),
            (row.detail or "")[:DETAIL_MAX],
            "",
        )
    )


def source_key(row: Any) -> int:
    """Frozen copy of the 0003 key: (kind, source, start, end, value, detail)."""
    return _hash(
        (
            str(row.kind),
            str(row.source),
            _time(row.start_at),
            _time(row.end_at),
            _value(row.value),
            row.detail or "",
        )
    )


def rekey(key_of: Callable[[Any], int]) -> None:
    """Give every row the key ``key_of`` computes; drop later rows whose key repeats."""
    connection = op.get_bind()
    seen: dict[int, set[int]] = {}  # owner -> keys kept
    last_id = 0
    update = (
        sa.update(samples)
        .where(samples.c.id == sa.bindparam("row_id"))
        .values(dedup_key=sa.bindparam("new_key"))
    )
    while True:
        page = connection.execute(
            sa.select(
                samples.c.id,
                samples.c.owner_id,
                samples.c.source,
                samples.c.kind,
                samples.c.start_at,
                samples.c.end_at,
                samples.c.value,
                samples.c.detail,
                samples.c.dedup_key,
            )
            .where(samples.c.id > last_id)
            .order_by(samples.c.id)
            .limit(PAGE)
        ).all()
        if not page:
            return
        last_id = page[-1].id
        changed: list[dict[str, int]] = []
        repeated: list[int] = []
        for row in page:
            key = key_of(row)
            kept = seen.setdefault(row.owner_id, set())
            if key in kept:
                repeated.append(row.id)
                continue
            kept.add(key)
            if key != row.dedup_key:
                changed.append({"row_id": row.id, "new_key": key})
        if repeated:
            connection.execute(sa.delete(samples).where(samples.c.id.in_(repeated)))
        if changed:
            connection.execute(update, changed)


def upgrade() -> None:
    with op.batch_alter_table("device_samples", schema=None) as batch_op:
        batch_op.add_column(sa.Column("night", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("device", sa.String(length=DEVICE_MAX), nullable=True))
    rekey(measurement_key)


def downgrade() -> None:
    # Samples stored with a device identity are keyed without it again; two that differ only
    # by device (or by the vendor's night) become one.
    rekey(source_key)
    with op.batch_alter_table("device_samples", schema=None) as batch_op:
        batch_op.drop_column("device")
        batch_op.drop_column("night")
