"""Nights from device samples, and device nights beside the diary."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from speciosa.instruments.device_nights import (
    device_nights,
    device_outcomes,
    diary_metrics,
    main_nights,
    pair_nights,
)
from speciosa.interop.wearables.apple_health import read_apple_health
from speciosa.interop.wearables.fitbit import read_fitbit
from speciosa.interop.wearables.garmin import read_garmin
from speciosa.interop.wearables.oura import read_oura
from speciosa.journal.device import DeviceSample
from speciosa.journal.models import Sleep

FIXTURES = Path(__file__).parents[1] / "fixtures" / "wearables"
T0 = datetime(2024, 3, 9, 22, 0, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def sample(kind: str, start: float, end: float, source: str = "Watch") -> DeviceSample:
    return DeviceSample(source, kind, at(start), at(end), utc_offset_minutes=0, zone="UTC")


def test_apple_watch_night_from_the_small_export() -> None:
    samples = list(read_apple_health(FIXTURES / "apple" / "export_small.xml"))
    nights = device_nights(samples, zone="Europe/Amsterdam")
    watch = {n.night: n for n in nights if n.source == "Sam’s Apple Watch"}
    night = watch[date(2024, 3, 9)]
    # In bed 22:50-07:05, asleep 23:05, one 10-minute wake 01:30, last sleep ends 06:50.
    assert night.time_in_bed == 495
    assert night.onset_latency == 15
    assert night.total_sleep == 455
    assert night.wake_after_sleep_onset == 10
    assert night.awakenings == 1
    assert night.stage_minutes == {
        "sleep_core": 315,
        "sleep_deep": 60,
        "sleep_rem": 80,
        "sleep_awake": 10,
    }
    assert night.zone == "Europe/Amsterdam"
    assert round(night.sleep_efficiency or 0, 1) == 91.9
    # The trip night is decided in New York, where it was slept.
    assert watch[date(2024, 3, 10)].zone == "America/New_York"
    assert watch[date(2024, 3, 10)].time_in_bed is None  # no in-bed record: unknown, not guessed
    autosleep = next(n for n in nights if n.source == "AutoSleep")
    assert (autosleep.night, autosleep.total_sleep, autosleep.has_stages) == (
        date(2024, 3, 9),
        440,
        False,
    )
    assert main_nights(nights)[date(2024, 3, 9)].source == "Sam’s Apple Watch"


def test_overlapping_samples_are_merged_and_the_specific_state_wins() -> None:
    samples = [
        sample("sleep_in_bed", 0, 480),
        sample("sleep_core", 20, 200),
        sample("sleep_core", 100, 300),  # overlaps the first (a re-exported, shifted copy)
        sample("sleep_deep", 150, 180),  # inside core: deep wins
        sample("sleep_awake", 250, 260),  # inside core: awake wins
        sample("sleep_rem", 300, 460),
    ]
    (night,) = device_nights(samples, zone="UTC")
    assert night.total_sleep == 430  # 20..460 less the 10 awake minutes, counted once
    assert night.stage_minutes == {
        "sleep_core": 240,
        "sleep_deep": 30,
        "sleep_rem": 160,
        "sleep_awake": 10,
    }
    assert (night.onset_latency, night.awakenings, night.wake_after_sleep_onset) == (20, 1, 10)
    assert night.time_in_bed == 480


def test_one_main_sleep_per_night_others_are_naps() -> None:
    samples = [
        sample("sleep_asleep", -360, -330),  # 16:00 nap, same journal day
        sample("sleep_asleep", 60, 480),
        sample("sleep_asleep", 600, 640),  # 08:00 next morning: after 04:00, a new day
    ]
    nights = device_nights(samples, zone="UTC")
    assert [(n.night, n.total_sleep, n.naps) for n in nights] == [
        (date(2024, 3, 9), 420, 1),
        (date(2024, 3, 10), 40, 0),
    ]


def test_a_gap_in_the_record_inside_a_night_counts_as_an_awakening() -> None:
    samples = [sample("sleep_core", 0, 100), sample("sleep_core", 130, 300)]
    (night,) = device_nights(samples, zone="UTC")
    assert (night.total_sleep, night.awakenings, night.wake_after_sleep_onset) == (270, 1, 30)
    assert night.onset_latency is None  # no in-bed record precedes sleep


def test_sources_are_never_mixed() -> None:
    samples = [sample("sleep_in_bed", 0, 480, "iPhone"), sample("sleep_core", 30, 450, "Watch")]
    nights = device_nights(samples, zone="UTC")
    assert {(n.source, n.time_in_bed, n.total_sleep) for n in nights} == {
        ("iPhone", 480, None),
        ("Watch", None, 420),
    }
    assert main_nights(nights)[date(2024, 3, 9)].source == "Watch"


def test_fitbit_night_across_dst_with_short_wakes_and_score() -> None:
    folder = FIXTURES / "fitbit"
    samples = read_fitbit(folder / "sleep-2024-03-09.json", default_zone="America/Chicago")
    samples += read_fitbit(folder / "sleep_score.csv", default_zone="America/Chicago")
    night = main_nights(device_nights(samples, zone="America/Chicago"))[date(2024, 3, 9)]
    assert night.time_in_bed == 420  # 7 real hours, not the 8 the wall clock shows
    assert night.onset_latency == 10
    assert night.total_sleep == 379  # Fitbit's own minutesAsleep for this log
    assert night.awakenings == 1  # the one-minute short wake at 03:30
    assert night.score == 81
    assert night.naps == 1


def test_oura_totals_are_kept_as_totals() -> None:
    samples = read_oura(FIXTURES / "oura" / "oura_trends_typos.csv", default_zone="UTC")
    nights = device_nights(samples, zone="UTC")
    first = nights[0]
    assert first.night == date(2023, 9, 16)  # bed at 00:43 local (+03:00): the evening before
    assert first.totals_only
    assert (first.total_sleep, first.time_in_bed, first.onset_latency) == (498.5, 575, 27)
    assert first.awakenings is None
    assert first.score == 78


def test_oura_score_only_rows_make_score_only_nights() -> None:
    samples = read_oura(FIXTURES / "oura" / "oura_trends_scores_only.csv", default_zone="UTC")
    nights = device_nights(samples, zone="UTC")
    assert [(n.night, n.score, n.total_sleep) for n in nights] == [
        (date(2023, 9, 16), 78, None),
        (date(2023, 9, 17), 81, None),
    ]


def test_oura_hypnogram_night_gets_the_daily_score() -> None:
    samples = read_oura(FIXTURES / "oura" / "oura_api_v2.json", default_zone="Europe/Berlin")
    (night,) = device_nights(samples, zone="Europe/Berlin")
    assert (night.night, night.total_sleep, night.onset_latency, night.score) == (
        date(2024, 1, 15),
        90,
        10,
        77,
    )


def test_garmin_nights_use_the_real_instants() -> None:
    samples = read_garmin(FIXTURES / "garmin" / "dailySleepData.json")
    nights = device_nights(samples, zone="UTC")
    assert [(n.night, n.total_sleep, n.onset_latency, n.score) for n in nights] == [
        (date(2021, 7, 19), 444, 15, 81),  # 00:20 local (UTC-5): the evening before
        (date(2021, 7, 20), 429, None, None),
    ]
    assert nights[1].totals_only


def test_device_nights_beside_diary_nights_show_differences() -> None:
    zone = "UTC"
    diary = Sleep(
        at=at(0),
        zone=zone,
        tried_to_sleep=at(10),
        minutes_to_fall_asleep=30,
        awakenings=0,
        minutes_awake_in_night=0,
        final_awakening=at(460),
        out_of_bed=at(480),
    )
    other_diary = diary.model_copy(
        update={
            "at": at(1440),
            "tried_to_sleep": at(1450),
            "final_awakening": at(1900),
            "out_of_bed": at(1920),
        }
    )
    samples = [sample("sleep_in_bed", 0, 480), sample("sleep_core", 20, 460)]
    pairs = pair_nights(diary_metrics([diary, other_diary]), device_nights(samples, zone=zone))
    first, second = pairs
    assert first.night == date(2024, 3, 9)
    assert first.diary is not None
    assert first.diary.total_sleep_time == 420
    assert first.device is not None
    assert first.device.total_sleep == 440
    assert first.differences == {
        "time_in_bed": 0,
        "total_sleep": 20,
        "onset_latency": -10,
        "wake_after_sleep_onset": 0,
        "awakenings": 0,
    }
    assert (second.night, second.device, second.differences) == (date(2024, 3, 10), None, {})


def test_device_outcomes_per_night_for_the_insights() -> None:
    samples = [sample("sleep_in_bed", 0, 480), sample("sleep_core", 20, 460)]
    outcomes = device_outcomes(device_nights(samples, zone="UTC"))
    assert outcomes == {
        date(2024, 3, 9): {
            "device_tst": 440,
            "device_tib": 480,
            "device_sol": 20,
            "device_waso": 0,
            "device_awakenings": 0,
            "device_se": 440 / 480 * 100,
        }
    }


# ------------------------------------------------------------------ vendor nights and quirks

OURA = FIXTURES / "oura"
CHICAGO = "America/Chicago"


def test_fitbit_nights_across_both_us_clock_changes_keep_fitbits_totals() -> None:
    # Segment times run on one continuous clock: from the log's start instant plus elapsed
    # seconds they give Fitbit's own numbers; read one by one in the zone, fall-back added an
    # hour in bed and spring-forward lost an hour of sleep.
    samples = read_fitbit(FIXTURES / "fitbit" / "sleep-clock-changes.json", default_zone=CHICAGO)
    fall, spring = device_nights(samples, zone=CHICAGO)
    assert (fall.night, fall.time_in_bed, fall.total_sleep) == (date(2023, 11, 4), 480, 444)
    assert fall.stage_minutes == {
        "sleep_core": 294,
        "sleep_deep": 60,
        "sleep_rem": 90,
        "sleep_awake": 36,
    }
    assert (spring.night, spring.time_in_bed, spring.total_sleep) == (date(2024, 3, 9), 420, 374)
    assert spring.stage_minutes == {
        "sleep_core": 234,
        "sleep_deep": 60,
        "sleep_rem": 80,
        "sleep_awake": 46,
    }
    assert (fall.awakenings, spring.awakenings) == (2, 2)
    assert fall.end - fall.start == timedelta(hours=8)  # the log's duration, not 9 wall hours


def test_a_sleep_after_four_keeps_the_night_the_device_gave_it() -> None:
    # Oura dates a night by its morning: the row of 2023-12-23 (in bed 04:12) is the night of
    # the 22nd, not a nap of the 23rd; the next row is the night of the 23rd.
    samples = read_oura(OURA / "oura_trends_late_bedtime.csv", default_zone="Europe/Berlin")
    nights = device_nights(samples, zone="Europe/Berlin")
    assert [(n.night, n.total_sleep, n.naps, n.score) for n in nights] == [
        (date(2023, 12, 22), 380, 0, 62),
        (date(2023, 12, 23), 440, 0, 81),
    ]


def test_a_vendor_night_wins_over_the_four_oclock_rule_for_intervals_too() -> None:
    dated = [
        DeviceSample("Ring", kind, at(start), at(end), zone="UTC", night=date(2024, 3, 9))
        for kind, start, end in (("sleep_in_bed", 375, 800), ("sleep_core", 380, 790))
    ]  # 04:15-11:20 UTC, which the 04:00 rule puts on the 10th
    (night,) = device_nights(dated, zone="UTC")
    assert (night.night, night.total_sleep) == (date(2024, 3, 9), 410)
    undated = [replace(s, night=None) for s in dated]
    assert device_nights(undated, zone="UTC")[0].night == date(2024, 3, 10)


def test_totals_nights_have_no_phantom_nap() -> None:
    # The in-bed interval and the stage totals over the same window are one night.
    oura = device_nights(read_oura(OURA / "oura_trends_typos.csv", default_zone="UTC"), zone="UTC")
    garmin = device_nights(read_garmin(FIXTURES / "garmin" / "dailySleepData.json"), zone="UTC")
    assert [n.naps for n in oura] == [0, 0]
    assert [(n.totals_only, n.naps) for n in garmin] == [(False, 0), (True, 0)]


def test_overlapping_exports_that_disagree_mark_the_night_conflicting() -> None:
    samples = [
        s
        for name in ("oura_trends_overlap_a.csv", "oura_trends_overlap_b.csv")
        for s in read_oura(OURA / name, default_zone="Europe/Berlin")
    ]
    nights = device_nights(samples, zone="Europe/Berlin")
    assert [(n.night.day, n.total_sleep, n.naps, n.conflicting) for n in nights] == [
        (19, 430, 0, False),
        (20, 445, 0, True),  # the longer record shown, not a night plus a nap
        (21, 430, 0, False),  # in both files, the same
        (22, 410, 0, False),
    ]
    pairs = pair_nights({}, nights)
    assert [p.device.conflicting for p in pairs if p.device] == [False, True, False, False]


def test_the_same_totals_window_twice_is_not_summed() -> None:
    window = (at(0), at(480))
    first = DeviceSample("Ring", "sleep_deep", *window, value=60, unit="min")
    second = replace(first, value=75)
    (night,) = device_nights([first, second], zone="UTC")
    assert night.stage_minutes == {"sleep_deep": 75}  # the later import, never 135
    assert night.conflicting
