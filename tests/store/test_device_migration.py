"""Migration 0005: device samples keyed on the measurement, not on the renameable source name.

Rows stored under 0003's key (which hashed the source name) are rekeyed; a watch that was
renamed between two imports had stored its records twice, and one copy goes. After the
upgrade, re-importing the same exports adds nothing, whatever the watch is called now.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import create_engine

from speciosa.instruments.device_nights import device_nights
from speciosa.interop.wearables import import_wearable
from speciosa.interop.wearables.apple_health import read_apple_health
from speciosa.interop.wearables.oura import read_oura
from speciosa.journal.device import DeviceSample
from speciosa.store.database import downgrade, open_database, resolve_url, upgrade
from speciosa.store.device_store import DeviceStore
from speciosa.store.journal_store import owner_id

FIXTURES = Path(__file__).parents[1] / "fixtures" / "wearables"
WATCH = FIXTURES / "apple" / "export_watch_device.xml"
LATE = FIXTURES / "oura" / "oura_trends_late_bedtime.csv"
NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
ZONE = "Europe/Berlin"

owners = sa.table(
    "owners",
    sa.column("id", sa.Integer()),
    sa.column("username", sa.String()),
    sa.column("created_at", sa.DateTime()),
)
rows_0004 = sa.table(
    "device_samples",
    *(
        # Typed times, stored as the app stores them (Python 3.12 deprecates sqlite3's own
        # datetime adapter, and the suite turns that warning into an error).
        sa.column(name, sa.DateTime()) if name.endswith("_at") else sa.column(name)
        for name in (
            "id",
            "owner_id",
            "source",
            "kind",
            "start_at",
            "end_at",
            "utc_offset_minutes",
            "zone",
            "value",
            "unit",
            "detail",
            "dedup_key",
        )
    ),
)


def key_0003(sample: DeviceSample) -> int:
    """The key before 0005: it hashed the source's display name."""
    text = "\x1f".join(
        (
            sample.kind,
            sample.source,
            sample.start.strftime("%Y-%m-%dT%H:%M:%S.%f"),
            sample.end.strftime("%Y-%m-%dT%H:%M:%S.%f"),
            "" if sample.value is None else repr(float(sample.value)),
            sample.detail or "",
        )
    )
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def row_0004(owner: int, sample: DeviceSample) -> dict[str, object]:
    return {
        "owner_id": owner,
        "source": sample.source,
        "kind": sample.kind,
        "start_at": sample.start.replace(tzinfo=None),
        "end_at": sample.end.replace(tzinfo=None),
        "utc_offset_minutes": sample.utc_offset_minutes,
        "zone": sample.zone,
        "value": sample.value,
        "unit": sample.unit,
        "detail": sample.detail,
        "dedup_key": key_0003(sample),
    }


def test_rekeyed_rows_make_reimports_of_renamed_watches_add_nothing(
    database_url: str, tmp_path: Path
) -> None:
    # As 0.x stored them: no device, no night, keys hashing the source name. The watch was
    # imported, renamed, and imported again, so its records are there twice.
    watch = [replace(s, device=None) for s in read_apple_health(WATCH)]
    renamed = [replace(s, source="Sam’s Watch Ultra") for s in watch if s.source != "AutoSleep"]
    oura = [replace(s, night=None) for s in read_oura(LATE, default_zone=ZONE)]
    engine = create_engine(resolve_url(database_url))
    try:
        upgrade(engine, "0004")
        with engine.begin() as connection:
            owner = connection.execute(
                sa.insert(owners)
                .values(username="local", created_at=NOW.replace(tzinfo=None))
                .returning(owners.c.id)
            ).scalar_one()
            connection.execute(
                sa.insert(rows_0004), [row_0004(owner, s) for s in watch + renamed + oura]
            )
        upgrade(engine)
        with engine.connect() as connection:
            kept = connection.execute(
                sa.text("SELECT source, dedup_key, night, device FROM device_samples ORDER BY id")
            ).all()
    finally:
        engine.dispose()
    assert len(kept) == len(watch) + len(oura)  # the renamed copies went
    assert "Sam’s Watch Ultra" not in {row.source for row in kept}  # the first stored stays
    assert [row.dedup_key for row in kept] == [s.dedup_key() for s in watch + oura]
    assert {(row.night, row.device) for row in kept} == {(None, None)}

    database = open_database(database_url)
    try:

        def run(path: Path) -> tuple[int, int]:
            with database.transaction() as session:
                store = DeviceStore(session, owner_id(session, "local", now=NOW))
                summary = import_wearable(store, path, now=NOW, default_zone=ZONE)
                return summary.added, summary.skipped

        assert run(WATCH) == (0, 9)
        text = WATCH.read_text(encoding="utf-8").replace("Sam’s Apple Watch", "Sam’s Watch SE")
        (tmp_path / "renamed.xml").write_text(text, encoding="utf-8")
        assert run(tmp_path / "renamed.xml") == (0, 9)
        assert run(LATE) == (0, len(oura))
        with database.transaction() as session:
            store = DeviceStore(session, owner_id(session, "local", now=NOW))
            samples = store.samples()
        assert len(samples) == len(watch) + len(oura)
        # The watch's rows now know their hardware, the Oura rows their night.
        assert {s.device for s in samples if s.source == "Sam’s Apple Watch"} == {
            "Apple Inc./Watch/Watch6,7"
        }
        oura_nights = device_nights([s for s in samples if s.source == "Oura"], zone=ZONE)
        assert [n.night for n in oura_nights] == [date(2023, 12, 22), date(2023, 12, 23)]
    finally:
        database.close()


def test_downgrade_restores_the_0003_keys(database_url: str) -> None:
    watch = [replace(s, device=None) for s in read_apple_health(WATCH)]
    engine = create_engine(resolve_url(database_url))
    try:
        upgrade(engine, "0004")
        with engine.begin() as connection:
            owner = connection.execute(
                sa.insert(owners)
                .values(username="local", created_at=NOW.replace(tzinfo=None))
                .returning(owners.c.id)
            ).scalar_one()
            connection.execute(sa.insert(rows_0004), [row_0004(owner, s) for s in watch])
        upgrade(engine)
        downgrade(engine, "0004")
        with engine.connect() as connection:
            keys = connection.execute(
                sa.text("SELECT dedup_key FROM device_samples ORDER BY id")
            ).scalars()
            assert list(keys) == [key_0003(s) for s in watch]
        upgrade(engine)
    finally:
        engine.dispose()
