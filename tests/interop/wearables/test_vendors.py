"""Fitbit, Oura and Garmin: each vendor's shape and time quirk."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from pathlib import Path

import pytest

from speciosa.errors import InvalidInput
from speciosa.interop.wearables import detect_wearable_format
from speciosa.interop.wearables.fitbit import read_fitbit
from speciosa.interop.wearables.garmin import read_garmin
from speciosa.interop.wearables.oura import read_oura, trend_columns

FIXTURES = Path(__file__).parents[2] / "fixtures" / "wearables"
CHICAGO = "America/Chicago"


# ------------------------------------------------------------------------------ Fitbit


def test_fitbit_local_times_are_read_in_the_persons_zone_across_dst() -> None:
    samples = read_fitbit(FIXTURES / "fitbit" / "sleep-2024-03-09.json", default_zone=CHICAGO)
    main = next(s for s in samples if s.kind == "sleep_in_bed" and s.detail == "stages")
    # 23:30 CST (-6) to 07:30 CDT (-5): 8 hours of wall clock, 7 real hours.
    assert main.start == datetime(2024, 3, 10, 5, 30, tzinfo=UTC)
    assert main.end == datetime(2024, 3, 10, 12, 30, tzinfo=UTC)
    assert main.utc_offset_minutes == -360
    assert main.zone == CHICAGO
    stages = [s for s in samples if s.start >= main.start and s.kind != "sleep_in_bed"]
    assert sum(s.minutes for s in stages if s.detail != "wake" or s.minutes > 1) == 420


def test_fitbit_classic_levels_map_restless_to_awake() -> None:
    samples = read_fitbit(FIXTURES / "fitbit" / "sleep-2024-03-09.json", default_zone=CHICAGO)
    nap = [s for s in samples if s.start < datetime(2024, 3, 10, tzinfo=UTC)]
    assert Counter(s.kind for s in nap) == {"sleep_in_bed": 1, "sleep_asleep": 2, "sleep_awake": 1}


def test_fitbit_score_csv_z_is_local_time_not_utc() -> None:
    samples = read_fitbit(FIXTURES / "fitbit" / "sleep_score.csv", default_zone=CHICAGO)
    score = next(s for s in samples if s.kind == "sleep_score")
    # "2024-03-10T07:30:00Z" is the log's local end time (07:30 CDT = 12:30 UTC).
    assert score.start == datetime(2024, 3, 10, 12, 30, tzinfo=UTC)
    assert score.value == 81
    resting = next(s for s in samples if s.kind == "resting_hr")
    assert (resting.value, resting.unit) == (57, "count/min")


def test_fitbit_takeout_zip(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "takeout.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name in ("sleep-2024-03-09.json", "sleep_score.csv"):
            archive.write(FIXTURES / "fitbit" / name, f"Takeout/Fitbit/Global Export Data/{name}")
        archive.writestr("__MACOSX/Takeout/._sleep-2024-03-09.json", b"\x00\x05\x16\x07")
    assert detect_wearable_format(path) == "fitbit"
    kinds = Counter(s.kind for s in read_fitbit(path, default_zone=CHICAGO))
    assert kinds["sleep_score"] == 1
    assert kinds["sleep_in_bed"] == 2


def test_fitbit_web_api_shape_and_bad_logs(tmp_path: Path) -> None:
    logs = json.loads((FIXTURES / "fitbit" / "sleep-2024-03-09.json").read_text())
    path = tmp_path / "api.json"
    path.write_text(json.dumps({"sleep": logs}))
    assert len(read_fitbit(path, default_zone=CHICAGO)) > 5
    logs[0]["startTime"] = "yesterday"
    path.write_text(json.dumps(logs))
    with pytest.raises(InvalidInput, match=r"sleep\[0\]"):
        read_fitbit(path, default_zone=CHICAGO)


# ------------------------------------------------------------------------------ Oura


def test_oura_trends_header_typos_and_trailing_spaces_are_tolerated() -> None:
    headers = ["date", "Total Bedtime ", "Sleep Timin Score", "Sleep  Score", "Average HRV"]
    columns = trend_columns(headers)
    assert columns["total bedtime"] == "Total Bedtime "
    assert columns["sleep timing score"] == "Sleep Timin Score"
    assert columns["sleep score"] == "Sleep  Score"
    assert "total sleep score" not in columns  # close names are not confused


@pytest.mark.parametrize("name", ["oura_trends_typos.csv", "oura_trends_reordered.csv"])
def test_oura_trends_in_any_column_order(name: str) -> None:
    samples = read_oura(FIXTURES / "oura" / name, default_zone="Europe/Helsinki")
    night = [s for s in samples if s.start == datetime(2023, 9, 16, 21, 42, 59, tzinfo=UTC)]
    by_kind = {s.kind: s for s in night}
    assert by_kind["sleep_in_bed"].end == datetime(2023, 9, 17, 7, 17, 59, tzinfo=UTC)
    assert by_kind["sleep_in_bed"].utc_offset_minutes == 180
    assert by_kind["sleep_core"].value == 274  # Light Sleep Duration 16440 s
    assert by_kind["sleep_deep"].value == 134
    assert by_kind["sleep_rem"].value == 90.5
    assert by_kind["sleep_latency"].value == 27
    assert by_kind["sleep_score"].value == 78
    assert by_kind["resting_hr"].value in (44, 51.41)
    assert all(s.is_total for s in night if s.kind.startswith("sleep_") and s.unit == "min")


def test_oura_score_only_trends_anchor_at_the_morning_date() -> None:
    samples = read_oura(FIXTURES / "oura" / "oura_trends_scores_only.csv", default_zone="UTC")
    assert [(s.kind, s.start, s.value) for s in samples] == [
        ("sleep_score", datetime(2023, 9, 17, tzinfo=UTC), 78),
        ("sleep_score", datetime(2023, 9, 18, tzinfo=UTC), 81),
    ]


def test_oura_api_v2_hypnogram_scores_and_workouts() -> None:
    samples = read_oura(FIXTURES / "oura" / "oura_api_v2.json", default_zone="Europe/Berlin")
    kinds = Counter(s.kind for s in samples)
    # 44 2222 1111 3333 222222 4444: awake, light, deep, REM, light, awake
    assert kinds == {
        "sleep_in_bed": 1,
        "sleep_awake": 2,
        "sleep_core": 2,
        "sleep_deep": 1,
        "sleep_rem": 1,
        "resting_hr": 1,
        "hrv": 1,
        "sleep_score": 1,
        "workout": 1,
    }  # the deleted period is left out
    deep = next(s for s in samples if s.kind == "sleep_deep")
    assert deep.start == datetime(2024, 1, 15, 22, 30, tzinfo=UTC)
    assert deep.minutes == 20
    workout = next(s for s in samples if s.kind == "workout")
    assert (workout.value, workout.detail) == (45, "walking")


def test_oura_csv_that_is_not_a_trends_export(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("when,what\n2024-01-01,x\n")
    assert detect_wearable_format(path) is None
    with pytest.raises(InvalidInput, match="Oura Trends export"):
        read_oura(path, default_zone="UTC")


# ------------------------------------------------------------------------------ Garmin


def test_garmin_local_pseudo_epochs_give_the_offset_not_the_instant() -> None:
    samples = read_garmin(FIXTURES / "garmin" / "dailySleepData.json")
    first = next(s for s in samples if s.kind == "sleep_in_bed")
    assert first.start == datetime(2021, 7, 20, 5, 20, tzinfo=UTC)  # the GMT epoch
    assert first.end == datetime(2021, 7, 20, 12, 59, tzinfo=UTC)
    assert first.utc_offset_minutes == -300  # Local - GMT
    assert first.night_zone("UTC") == "Etc/GMT+5"


def test_garmin_levels_totals_and_days_without_sleep() -> None:
    samples = read_garmin(FIXTURES / "garmin" / "dailySleepData.json")
    first_day = [s for s in samples if s.start < datetime(2021, 7, 21, tzinfo=UTC)]
    second_day = [s for s in samples if s.start >= datetime(2021, 7, 21, tzinfo=UTC)]
    levels = [s for s in first_day if s.kind in {"sleep_core", "sleep_deep", "sleep_rem"}]
    assert sum(s.minutes for s in levels) == 444
    assert not any(s.is_total for s in levels)
    assert {s.kind: s.value for s in first_day if s.value is not None} == {
        "sleep_score": 81,
        "resting_hr": 52,
        "hrv": 44,
    }
    totals = {s.kind: s.value for s in second_day if s.is_total}
    assert totals == {"sleep_core": 312, "sleep_deep": 74, "sleep_rem": 43, "sleep_awake": 30}
    assert second_day[0].start - first_day[0].start == timedelta(days=1)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("apple/export_small.xml", "apple-health"),
        ("apple/export_ios16_broken_dtd.xml", "apple-health"),
        ("apple/dogsheep/export.xml", "apple-health"),
        ("fitbit/sleep-2024-03-09.json", "fitbit"),
        ("fitbit/sleep_score.csv", "fitbit"),
        ("oura/oura_trends_typos.csv", "oura"),
        ("oura/oura_trends_scores_only.csv", "oura"),
        ("oura/oura_api_v2.json", "oura"),
        ("garmin/dailySleepData.json", "garmin"),
        ("README.md", None),  # not a wearable export: the lead chains other importers
    ],
)
def test_detect_wearable_format(name: str, expected: str | None) -> None:
    assert detect_wearable_format(FIXTURES / name) == expected


# ------------------------------------------------------------------ the vendors' own nights


def test_each_vendor_keeps_its_own_night_date() -> None:
    fitbit = read_fitbit(FIXTURES / "fitbit" / "sleep-2024-03-09.json", default_zone=CHICAGO)
    # dateOfSleep 2024-03-10 is the morning: the main sleep is the night of the 9th; the nap
    # (mainSleep false) gets no vendor night and is placed by the 04:00 rule.
    assert {s.night for s in fitbit if s.start > datetime(2024, 3, 10, tzinfo=UTC)} == {
        date(2024, 3, 9)
    }
    assert {s.night for s in fitbit if s.start < datetime(2024, 3, 10, tzinfo=UTC)} == {None}
    oura = read_oura(FIXTURES / "oura" / "oura_trends_late_bedtime.csv", default_zone="UTC")
    assert {s.night for s in oura if s.start.day == 23 and s.start.hour == 3} == {
        date(2023, 12, 22)
    }
    api = read_oura(FIXTURES / "oura" / "oura_api_v2.json", default_zone="Europe/Berlin")
    assert {s.kind: s.night for s in api if s.kind in ("sleep_in_bed", "sleep_score")} == {
        "sleep_in_bed": date(2024, 1, 15),  # a long_sleep's day
        "sleep_score": date(2024, 1, 15),  # a daily_sleep score's day
    }
    assert next(s for s in api if s.kind == "workout").night is None
    garmin = read_garmin(FIXTURES / "garmin" / "dailySleepData.json")
    assert sorted({s.night for s in garmin if s.night}) == [date(2021, 7, 19), date(2021, 7, 20)]


def test_fitbit_segments_follow_the_log_clock_not_the_zone_across_fall_back() -> None:
    samples = read_fitbit(FIXTURES / "fitbit" / "sleep-clock-changes.json", default_zone=CHICAGO)
    fall = [s for s in samples if s.night == date(2023, 11, 4)]
    in_bed = next(s for s in fall if s.kind == "sleep_in_bed")
    # 23:10 CDT for 8 real hours: 06:10 CST, though the log's endTime says 07:10.
    assert (in_bed.start, in_bed.end) == (
        datetime(2023, 11, 5, 4, 10, tzinfo=UTC),
        datetime(2023, 11, 5, 12, 10, tzinfo=UTC),
    )
    stages = sorted((s for s in fall if s.detail != "wake" or s.minutes > 1), key=lambda s: s.start)
    stages = [s for s in stages if s.kind != "sleep_in_bed"]
    assert all(a.end == b.start for a, b in pairwise(stages))
    assert stages[-1].end == in_bed.end
    # "02:25" on the log's clock is 01:25 CST, the second pass through that hour.
    light = next(s for s in fall if s.kind == "sleep_core" and s.minutes == 120)
    assert (light.start, light.utc_offset_minutes) == (
        datetime(2023, 11, 5, 7, 25, tzinfo=UTC),
        -360,
    )
    short = next(s for s in fall if s.minutes == 1)
    assert short.start == light.start + timedelta(minutes=35)
