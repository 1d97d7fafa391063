"""Importing into the journal database (SQLite and PostgreSQL): idempotent, all or nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from speciosa.errors import InvalidInput
from speciosa.interop.wearables import DeviceImportSummary, import_wearable, importer
from speciosa.store.database import Database
from speciosa.store.device_store import DeviceStore
from speciosa.store.journal_store import owner_id

FIXTURES = Path(__file__).parents[2] / "fixtures" / "wearables"
SMALL = FIXTURES / "apple" / "export_small.xml"
NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def run(
    database: Database, path: Path, *, user: str = "local", **options: object
) -> DeviceImportSummary:
    with database.transaction() as session:
        owner = owner_id(session, user, now=NOW)
        return import_wearable(
            DeviceStore(session, owner),
            path,
            now=options.pop("now", NOW),  # type: ignore[arg-type]
            default_zone=str(options.pop("default_zone", "Europe/Amsterdam")),
            **options,  # type: ignore[arg-type]
        )


def stored(database: Database, user: str = "local") -> DeviceStore:
    session = database.sessions()
    return DeviceStore(session, owner_id(session, user, now=NOW))


def test_apple_import_then_reimport_adds_nothing(database: Database) -> None:
    first = run(database, SMALL)
    assert (first.format, first.read, first.added, first.skipped) == ("apple-health", 13, 11, 0)
    assert first.by_kind == {
        "hrv": 1,
        "resting_hr": 1,
        "sleep_asleep": 1,
        "sleep_awake": 1,
        "sleep_core": 3,
        "sleep_deep": 1,
        "sleep_in_bed": 1,
        "sleep_rem": 1,
        "workout": 1,
    }
    again = run(database, SMALL)
    assert (again.added, again.skipped, again.by_kind) == (0, 11, {})
    assert sum(stored(database).counts().values()) == 11


def test_stored_samples_keep_instants_offsets_and_zones(database: Database) -> None:
    run(database, SMALL)
    samples = stored(database).samples(kinds=["sleep_deep", "workout"])
    deep, workout = samples
    assert deep.start == datetime(2024, 3, 9, 23, 30, tzinfo=UTC)
    assert (deep.utc_offset_minutes, deep.zone, deep.source) == (
        60,
        "Europe/Amsterdam",
        "Sam’s Apple Watch",
    )
    assert (workout.value, workout.unit, workout.detail) == (45.5, "min", "Yoga")


def test_an_overlapping_export_adds_only_the_new_records(
    database: Database, tmp_path: Path
) -> None:
    text = SMALL.read_text(encoding="utf-8")
    cut = text.index(" <!-- The watch's sample from a trip")
    older = tmp_path / "older.xml"
    older.write_text(text[:cut] + "</HealthData>\n", encoding="utf-8")
    assert run(database, older).added == 9
    newer = run(database, SMALL)
    assert (newer.added, newer.skipped) == (2, 9)
    assert newer.by_kind == {"sleep_core": 1, "workout": 1}
    assert sum(stored(database).counts().values()) == 11


def test_the_ios16_broken_dtd_export_imports_every_record(database: Database) -> None:
    summary = run(database, FIXTURES / "apple" / "export_ios16_broken_dtd.xml")
    assert (summary.read, summary.added, summary.invalid) == (6, 5, 0)


def test_dry_run_writes_nothing_and_counts_what_would_be_new(database: Database) -> None:
    dry = run(database, SMALL, dry_run=True)
    assert (dry.added, dry.skipped, dry.dry_run) == (11, 0, True)
    assert stored(database).counts() == {}
    run(database, SMALL)
    assert run(database, SMALL, dry_run=True).added == 0


def test_a_failed_import_leaves_no_partial_data(
    database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importer, "BATCH", 2)  # several batches are written before the error
    broken = tmp_path / "export.xml"
    text = SMALL.read_bytes()
    broken.write_bytes(text[: text.index(b"<!-- A blood-pressure")] + b"<Record <oops")
    with pytest.raises(InvalidInput, match="not a readable Apple Health export"):
        run(database, broken)
    assert stored(database).counts() == {}


def test_people_are_kept_apart(database: Database) -> None:
    run(database, SMALL, user="ana")
    assert run(database, SMALL, user="ben").added == 11
    assert sum(stored(database, "ana").counts().values()) == 11


def test_samples_dated_in_the_future_are_left_out(database: Database) -> None:
    summary = run(database, SMALL, now=datetime(2024, 3, 10, 12, 0, tzinfo=UTC))
    assert summary.added == 9  # the evening workout and the New York night come later
    assert summary.invalid == 2
    assert "dated in the future" in summary.problems[-1]


@pytest.mark.parametrize(
    ("name", "fmt", "added"),
    [
        ("fitbit/sleep-2024-03-09.json", "fitbit", 12),
        ("fitbit/sleep_score.csv", "fitbit", 2),
        ("oura/oura_trends_typos.csv", "oura", 17),
        ("oura/oura_api_v2.json", "oura", 11),
        ("garmin/dailySleepData.json", "garmin", 14),
    ],
)
def test_vendor_files_are_detected_and_reimports_add_nothing(
    database: Database, name: str, fmt: str, added: int
) -> None:
    progress: list[tuple[int, int]] = []
    summary = run(database, FIXTURES / name, progress=lambda d, t: progress.append((d, t)))
    assert (summary.format, summary.added) == (fmt, added)
    assert progress
    assert progress[-1][0] == progress[-1][1]
    assert run(database, FIXTURES / name, fmt=fmt).added == 0


def test_unknown_files_and_formats_are_refused(database: Database) -> None:
    with pytest.raises(InvalidInput, match="format"):
        run(database, FIXTURES / "README.md")
    with pytest.raises(InvalidInput, match="format"):
        run(database, SMALL, fmt="polar")
    with pytest.raises(InvalidInput, match="does not exist"):
        run(database, FIXTURES / "missing.zip")


# ------------------------------------------------------------------ identity, conflicts, counts

WATCH = FIXTURES / "apple" / "export_watch_device.xml"
OURA = FIXTURES / "oura"


def test_a_renamed_watch_adds_nothing_on_reimport(database: Database, tmp_path: Path) -> None:
    first = run(database, WATCH)
    assert (first.added, first.skipped) == (9, 0)
    renamed = tmp_path / "export.xml"
    text = WATCH.read_text(encoding="utf-8")
    renamed.write_text(
        text.replace("Sam’s Apple Watch", "Sam’s Watch Ultra").replace("AutoSleep", "AutoSleep+"),
        encoding="utf-8",
    )
    again = run(database, renamed)
    assert (again.added, again.skipped) == (0, 9)
    assert run(database, renamed, dry_run=True).added == 0
    assert sum(stored(database).counts().values()) == 9
    devices = {s.device for s in stored(database).samples()}
    assert devices == {"Apple Inc./Watch/Watch6,7", None}  # AutoSleep names no device


def test_another_watch_with_the_same_times_is_another_device(
    database: Database, tmp_path: Path
) -> None:
    run(database, WATCH)
    other = tmp_path / "export.xml"
    other.write_text(
        WATCH.read_text(encoding="utf-8").replace("Watch6,7", "Watch7,5"), encoding="utf-8"
    )
    # Every record of the watch is new; the device-less AutoSleep record is the same one.
    assert (run(database, other).added, run(database, other).skipped) == (8, 9)


def test_overlapping_exports_that_disagree_are_said_at_import(database: Database) -> None:
    first = run(database, OURA / "oura_trends_overlap_a.csv")
    assert (first.conflicts, first.notes) == (0, ())
    preview = run(database, OURA / "oura_trends_overlap_b.csv", dry_run=True)
    assert preview.conflicts == 1
    second = run(database, OURA / "oura_trends_overlap_b.csv")
    # 2023-12-21 (the night of the 20th) was re-scored: a longer night, other totals.
    assert second.conflicts == 1
    (note,) = second.notes
    assert "1 night in this file differs" in note
    assert "2023-12-20 (Oura)" in note
    assert second.by_kind["sleep_in_bed"] == 2  # the re-scored night and the new one
    assert second.skipped == 7  # 2023-12-22 is the same in both


def test_the_summary_counts_what_the_file_held_in_its_own_units(database: Database) -> None:
    apple = run(database, SMALL)
    assert (apple.read, apple.read_as, apple.samples) == (13, "13 records", 11)
    fitbit = run(database, FIXTURES / "fitbit" / "sleep-2024-03-09.json")
    assert (fitbit.read, fitbit.read_as, fitbit.samples) == (2, "2 sleep logs", 12)
    oura = run(database, OURA / "oura_trends_typos.csv")
    assert (oura.read_as, oura.samples) == ("2 rows", 17)
    api = run(database, OURA / "oura_api_v2.json")
    assert api.read_as == "2 sleep periods, 1 daily sleep score, 1 workout"
    garmin = run(database, FIXTURES / "garmin" / "dailySleepData.json")
    assert (garmin.read_as, garmin.samples) == ("3 days", 14)


def test_heart_rate_and_hrv_that_are_not_positive_numbers_are_left_out(
    database: Database, tmp_path: Path
) -> None:
    # export_small.xml's resting heart rate (56) and HRV (41.2741 ms) with their values
    # broken as exports sometimes carry them: each is counted, none is stored.
    text = SMALL.read_text(encoding="utf-8")
    broken = []
    for value in ("NaN", "-56", "0", "inf"):
        broken.append(text.replace('value="56"/>', f'value="{value}"/>', 1))
    rows = 0
    for n, variant in enumerate(broken):
        path = tmp_path / f"export{n}.xml"
        path.write_text(variant.replace('value="41.2741"', 'value="nan"', 1), encoding="utf-8")
        summary = run(database, path, user=f"person{n}")
        assert "resting_hr" not in summary.by_kind
        assert "hrv" not in summary.by_kind
        assert summary.added == 9  # the 11 samples less the two broken values
        assert summary.invalid == 2
        assert summary.problems[-1].startswith("2 values that cannot be measurements")
        rows += sum(stored(database, f"person{n}").counts().values())
    assert rows == 4 * 9
