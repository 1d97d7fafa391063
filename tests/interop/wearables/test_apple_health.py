"""Reading Apple Health exports: the known defects, zips, offsets and zones, correlations."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from speciosa.errors import InvalidInput
from speciosa.interop.wearables.apple_health import (
    AppleHealthCounts,
    clean_chunks,
    read_apple_health,
)

FIXTURES = Path(__file__).parents[2] / "fixtures" / "wearables" / "apple"
SHARED = Path(__file__).parents[4] / "shared" / "samples" / "apple-health"
SMALL = FIXTURES / "export_small.xml"
BROKEN = FIXTURES / "export_ios16_broken_dtd.xml"


def read(path: Path) -> tuple[list, AppleHealthCounts]:
    counts = AppleHealthCounts()
    return list(read_apple_health(path, counts=counts)), counts


def top_level_records(path: Path) -> int:
    """Records and workouts counted by a plain parse of the file without its DTD."""
    text = path.read_bytes()
    start = text.index(b"<HealthData")
    root = ET.fromstring(text[start:])
    return sum(1 for child in root if child.tag in {"Record", "Workout"})


def test_small_export_keeps_sleep_workouts_resting_hr_and_hrv() -> None:
    samples, counts = read(SMALL)
    kinds = Counter(s.kind for s in samples)
    assert kinds == {
        "sleep_in_bed": 1,
        "sleep_core": 3,
        "sleep_deep": 1,
        "sleep_rem": 1,
        "sleep_awake": 1,
        "sleep_asleep": 1,  # AutoSleep's AsleepUnspecified
        "resting_hr": 1,
        "hrv": 1,  # the top-level one; the one inside the Correlation is not read
        "workout": 1,
    }
    assert counts.records == top_level_records(SMALL) == 13
    assert counts.in_correlations == 2
    assert counts.invalid == 0


def test_each_timestamp_keeps_its_offset_and_zone() -> None:
    samples, _ = read(SMALL)
    deep = next(s for s in samples if s.kind == "sleep_deep")
    assert deep.start == datetime(2024, 3, 9, 23, 30, tzinfo=UTC)  # 00:30 +0100
    assert (deep.utc_offset_minutes, deep.zone) == (60, "Europe/Amsterdam")
    trip = next(s for s in samples if s.kind == "sleep_core" and s.zone == "America/New_York")
    assert trip.start == datetime(2024, 3, 11, 3, 30, tzinfo=UTC)  # 23:30 -0400 (EDT)
    assert trip.utc_offset_minutes == -240
    autosleep = next(s for s in samples if s.source == "AutoSleep")
    assert (autosleep.utc_offset_minutes, autosleep.zone) == (60, None)
    assert autosleep.night_zone("Asia/Tokyo") == "Etc/GMT-1"  # its offset, not the default


def test_values_units_and_workout_details() -> None:
    samples, _ = read(SMALL)
    by_kind = {s.kind: s for s in samples}
    assert (by_kind["resting_hr"].value, by_kind["resting_hr"].unit) == (56.0, "count/min")
    assert (by_kind["hrv"].value, by_kind["hrv"].unit, by_kind["hrv"].detail) == (
        41.2741,
        "ms",
        "sdnn",
    )
    workout = by_kind["workout"]
    assert (workout.value, workout.unit, workout.detail, workout.zone) == (
        45.5,
        "min",
        "Yoga",
        "Europe/Amsterdam",
    )
    assert workout.source == "Sam’s Apple Watch"


def test_the_ios16_broken_dtd_is_refused_by_expat_but_every_record_imports() -> None:
    with pytest.raises(ET.ParseError):
        ET.parse(BROKEN)  # the defect is real: the stdlib parser stops at the DTD
    samples, counts = read(BROKEN)
    assert counts.records == top_level_records(BROKEN) == 6
    assert Counter(s.kind for s in samples) == {
        "sleep_core": 1,
        "sleep_deep": 1,
        "sleep_rem": 1,
        "resting_hr": 1,
        "workout": 1,
    }
    workout = next(s for s in samples if s.kind == "workout")
    assert workout.value == 30.0  # 1800 s


@pytest.mark.skipif(not SHARED.exists(), reason="the shared samples are not present")
def test_shared_broken_dtd_reproduction_reads_all_2000_records() -> None:
    path = SHARED / "export_broken_dtd_small.xml"
    samples, counts = read(path)
    assert counts.records == path.read_bytes().count(b"<Record ") == 2000
    assert counts.invalid == 0
    assert {s.kind for s in samples} >= {"sleep_core", "sleep_in_bed"}


def test_dogsheep_real_sample_reads_its_workout_and_ignores_the_rest() -> None:
    samples, counts = read(FIXTURES / "dogsheep" / "export.xml")
    assert counts.records == 3
    (workout,) = samples
    assert workout.source == "Apple\u00a0Watch"  # the no-break space is kept as exported
    assert workout.detail == "Running"
    assert workout.zone == "America/Los_Angeles"
    assert workout.utc_offset_minutes == -420
    assert workout.start == datetime(2016, 11, 14, 14, 25, 41, tzinfo=UTC)


@pytest.mark.parametrize(
    "junk",
    [
        b"\x0b",  # raw vertical tab, as some exports hold
        b"&#11;",  # the same as a character reference
        b"&#x0B;\x0c",
    ],
)
def test_characters_invalid_in_xml_are_removed(tmp_path: Path, junk: bytes) -> None:
    text = SMALL.read_bytes().replace(b'value="41.2741">', b'value="41.2741">' + junk, 1)
    text = text.replace(
        b"Sam\xe2\x80\x99s Apple Watch", b"Sam\xe2\x80\x99s Apple" + junk + b"Watch", 1
    )
    path = tmp_path / "export.xml"
    path.write_bytes(text)
    with pytest.raises(ET.ParseError):
        ET.fromstring(text[text.index(b"<HealthData") :])
    samples, counts = read(path)
    assert counts.records == 13
    assert len(samples) == 11


def test_a_reference_split_between_chunks_is_still_removed() -> None:
    class Trickle(io.BytesIO):
        def read(self, size: int | None = -1) -> bytes:
            return super().read(3)

    data = b'<?xml version="1.0"?><HealthData><Me a="x&#11;y &amp; z"/></HealthData>'
    cleaned = b"".join(clean_chunks(Trickle(data), None, len(data)))
    assert cleaned == b'<?xml version="1.0"?><HealthData><Me a="xy &amp; z"/></HealthData>'


def test_a_dtd_read_in_many_small_pieces_is_still_cut_out() -> None:
    class Trickle(io.BytesIO):
        def read(self, size: int | None = -1) -> bytes:
            return super().read(7)

    data = BROKEN.read_bytes()
    cleaned = b"".join(clean_chunks(Trickle(data), None, len(data)))
    assert b"<!DOCTYPE" not in cleaned
    assert cleaned.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<HealthData locale=')
    assert len(ET.fromstring(cleaned)) == 8  # ExportDate, Me and six records


def _zip(tmp_path: Path, members: dict[str, bytes]) -> Path:
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_zip_with_localised_name_and_macos_junk(tmp_path: Path) -> None:
    apple_double = b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        " + b"\x00" * 64
    path = _zip(
        tmp_path,
        {
            "__MACOSX/apple_health_export/._exportar.xml": apple_double,
            "__MACOSX/._apple_health_export": apple_double,
            "apple_health_export/.DS_Store": b"\x00\x00\x00\x01Bud1",
            "apple_health_export/export_cda.xml": b'<?xml version="1.0"?><ClinicalDocument/>x',
            "apple_health_export/exportar.xml": SMALL.read_bytes(),
            "apple_health_export/workout-routes/route_2024-03-10_6.00pm.gpx": b"<gpx/>",
        },
    )
    progress: list[tuple[int, int]] = []
    counts = AppleHealthCounts()
    samples = list(
        read_apple_health(path, counts=counts, progress=lambda d, t: progress.append((d, t)))
    )
    assert counts.records == 13
    assert len(samples) == 11
    assert progress[-1] == (len(SMALL.read_bytes()), len(SMALL.read_bytes()))


def test_zip_without_an_export_says_what_to_choose(tmp_path: Path) -> None:
    path = _zip(tmp_path, {"notes/readme.xml": b"<notes/>"})
    with pytest.raises(InvalidInput, match="holds no Apple Health export"):
        read(path)


def test_a_truncated_export_is_refused_not_half_read(tmp_path: Path) -> None:
    path = tmp_path / "export.xml"
    path.write_bytes(SMALL.read_bytes()[:-400])
    with pytest.raises(InvalidInput, match="not a readable Apple Health export"):
        read(path)


def test_records_with_bad_dates_are_counted_not_fatal(tmp_path: Path) -> None:
    text = SMALL.read_bytes().replace(
        b'startDate="2024-03-10 00:30:00 +0100"', b'startDate="10/03/2024 00:30"', 1
    )
    path = tmp_path / "export.xml"
    path.write_bytes(text)
    samples, counts = read(path)
    assert counts.invalid == 1
    assert "not 'YYYY-MM-DD HH:MM:SS +HHMM'" in counts.problems[0]
    assert len(samples) == 10
