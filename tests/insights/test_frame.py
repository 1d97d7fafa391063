"""The daily frame: night attribution, gaps kept missing, doses after midnight."""

from __future__ import annotations

import doctest
import math
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pandas as pd
import pytest

from speciosa.insights import analyses as analyses_module
from speciosa.insights import frame as frame_module
from speciosa.insights.frame import COLUMNS, DEVICE_COLUMNS, daily_frame
from speciosa.instruments.device_nights import device_nights, device_outcomes
from speciosa.journal.device import SLEEP_CORE, SLEEP_IN_BED, DeviceSample
from speciosa.journal.models import Dose, Profile, Substance, Workout

from .helpers import ZONE, at, bowel, dose, pain, sleep

PROFILE = Profile(timezone=ZONE, bedtime="23:00")
MON = date(2025, 3, 3)


def _day(d: date) -> pd.Timestamp:
    return pd.Timestamp(d)


@pytest.mark.parametrize("module", [frame_module, analyses_module])
def test_docstring_examples_run(module: object) -> None:
    results = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)  # type: ignore[arg-type]
    assert results.attempted > 0
    assert results.failed == 0


def test_columns_and_index_are_documented_shape() -> None:
    frame = daily_frame([dose(MON, "09:00")], PROFILE)
    assert tuple(frame.columns) == COLUMNS
    assert frame.index.name == "day"
    assert all(frame[c].dtype == np.float64 for c in COLUMNS if c != "product")


def test_dose_at_2330_and_0030_belong_to_the_same_night() -> None:
    entries = [dose(MON, "23:30", 2.0), dose(MON + pd.Timedelta(days=1), "00:30", 1.5)]
    frame = daily_frame(entries, PROFILE)
    assert list(frame.index) == [_day(MON)]
    assert frame.loc[_day(MON), "doses"] == 2
    assert frame.loc[_day(MON), "grams"] == pytest.approx(3.5)


def test_dose_after_0400_starts_a_new_day() -> None:
    entries = [dose(MON, "22:00"), dose(date(2025, 3, 4), "04:30")]
    frame = daily_frame(entries, PROFILE)
    assert frame["doses"].tolist() == [1.0, 1.0]


def test_dose_after_midnight_measures_minutes_to_trying_to_sleep() -> None:
    tue = date(2025, 3, 4)
    entries = [dose(tue, "00:30"), sleep(MON, bed="00:45", tried="01:00", wake="07:00", up="07:10")]
    frame = daily_frame(entries, PROFILE)
    row = frame.loc[_day(MON)]
    assert row["dose_to_bed_min"] == pytest.approx(30)
    assert row["bedtime_dose"] == 1
    assert row["bedtime_grams"] == pytest.approx(3.0)


def test_bedtime_falls_back_to_the_profile_when_there_is_no_diary() -> None:
    frame = daily_frame([dose(MON, "22:15"), pain(MON, "12:00", 4)], PROFILE)
    assert frame.loc[_day(MON), "dose_to_bed_min"] == pytest.approx(45)  # profile bedtime 23:00
    early = daily_frame([dose(MON, "18:00")], PROFILE)
    assert early.loc[_day(MON), "bedtime_dose"] == 0  # 5 h before bed is not a bedtime dose
    assert early.loc[_day(MON), "dose_to_bed_min"] == pytest.approx(300)


def test_days_without_entries_stay_missing_not_zero() -> None:
    entries = [dose(MON, "09:00"), pain(date(2025, 3, 6), "12:00", 5)]
    frame = daily_frame(entries, PROFILE)
    assert len(frame) == 4  # Mon..Thu, with Tue and Wed kept as rows
    gap = frame.loc[_day(date(2025, 3, 4))]
    assert gap["logged"] == 0
    assert all(math.isnan(gap[c]) for c in ("dose_any", "grams", "pain", "sol", "alcohol_drinks"))


def test_measurements_are_missing_on_logged_days_without_them() -> None:
    frame = daily_frame([dose(MON, "09:00")], PROFILE)
    row = frame.loc[_day(MON)]
    assert math.isnan(row["pain"])
    assert math.isnan(row["sol"])
    assert math.isnan(row["bristol"])
    assert row["bowel_movements"] == 0  # an event column: none recorded on a logged day
    assert row["headache"] == 0


def test_no_dose_on_a_logged_day_is_zero_grams() -> None:
    frame = daily_frame([pain(MON, "12:00", 6)], PROFILE)
    assert frame.loc[_day(MON), "dose_any"] == 0
    assert frame.loc[_day(MON), "grams"] == 0
    assert frame.loc[_day(MON), "product"] is None


def test_dose_without_gram_weight_leaves_grams_unknown() -> None:
    capsules = Dose(at=at(MON, "09:00"), zone=ZONE, amount=2, unit="caps")
    frame = daily_frame([capsules], PROFILE)
    assert frame.loc[_day(MON), "dose_any"] == 1
    assert math.isnan(frame.loc[_day(MON), "grams"])


def test_sleep_metrics_follow_the_consensus_sleep_diary() -> None:
    # Carney 2012 conventions, by hand: tried 23:00, final wake 06:30 -> 450 min window;
    # TST = 450 - SOL 20 - WASO 30 = 400; TIB = 22:30 -> 07:00 = 510; SE = 400/510.
    frame = daily_frame([sleep(MON)], PROFILE)
    row = frame.loc[_day(MON)]
    assert row["sol"] == 20
    assert row["waso"] == 30
    assert row["tst"] == 400
    assert row["tib"] == 510
    assert row["se"] == pytest.approx(400 / 510 * 100)
    assert row["sleep_quality"] == 3


def test_grams_over_the_previous_seven_days_need_four_known() -> None:
    entries = [dose(MON + pd.Timedelta(days=i), "09:00", grams=float(i + 1)) for i in range(9)]
    frame = daily_frame(entries, PROFILE)
    # day 8 (index 7) sums days 0..6: 1+2+...+7 = 28; day 9 sums 2..8 = 35
    assert frame["grams_7d"].iloc[7] == pytest.approx(28)
    assert frame["grams_7d"].iloc[8] == pytest.approx(35)
    # index 4 sees days 0..3 only: mean 2.5 scaled to a week = 17.5; fewer than 4: unknown
    assert frame["grams_7d"].iloc[4] == pytest.approx(17.5)
    assert frame["grams_7d"].iloc[:4].isna().all()


def test_grams_over_the_previous_seven_days_skip_days_with_nothing_logged() -> None:
    # doses of 2 g on days 0-2 and 5-7; days 3 and 4 have no entry at all (unknown, not 0)
    days = [0, 1, 2, 5, 6, 7]
    entries = [dose(MON + pd.Timedelta(days=i), "09:00", grams=2.0) for i in days]
    frame = daily_frame(entries, PROFILE)
    assert frame["grams"].iloc[3:5].isna().all()
    # index 7 sees days 0..6 with 5 known, each 2 g: 2 g a day, 14 g a week
    assert frame["grams_7d"].iloc[7] == pytest.approx(14)


def test_hard_stools_covariates_and_product() -> None:
    entries = [
        bowel(MON, "08:00", 1),
        bowel(MON, "19:00", 4),
        dose(MON, "09:00", 2.0, "Red"),
        dose(MON, "14:00", 3.0, "Green"),
        Substance(at=at(MON, "20:00"), zone=ZONE, name="wine", substance_class="alcohol"),
        Workout(at=at(MON, "17:00"), zone=ZONE, activity="run", minutes=40),
    ]
    row = daily_frame(entries, PROFILE).loc[_day(MON)]
    assert row["bowel_movements"] == 2
    assert row["hard_stools"] == 1
    assert row["bristol"] == pytest.approx(2.5)
    assert row["product"] == "Green"  # most grams that day
    assert row["alcohol_drinks"] == 1
    assert row["workout_minutes"] == 40
    assert row["weekday"] == 0
    assert row["weekend"] == 0


def test_entries_keep_their_own_zone_across_travel() -> None:
    # 01:00 in Tokyo on 4 March is still the night of 3 March there.
    tokyo = Dose(
        at=at(date(2025, 3, 4), "01:00", "Asia/Tokyo"), zone="Asia/Tokyo", amount=2, grams=2
    )
    frame = daily_frame([tokyo], PROFILE)
    assert frame.index[0] == _day(MON)


def test_empty_journal_gives_an_empty_frame() -> None:
    frame = daily_frame([], PROFILE)
    assert frame.empty
    assert tuple(frame.columns) == COLUMNS


def _device_sample(kind: str, start: datetime, end: datetime) -> DeviceSample:
    return DeviceSample("Watch", kind, start.astimezone(UTC), end.astimezone(UTC), zone=ZONE)


def test_device_nights_land_on_the_diary_night_and_stay_missing_elsewhere() -> None:
    tue, wed, thu = (MON + timedelta(days=i) for i in (1, 2, 3))
    samples = [
        # Monday night: in bed 23:00, asleep 23:20 to 06:50 (Tuesday morning).
        _device_sample(SLEEP_IN_BED, at(MON, "23:00"), at(tue, "07:00")),
        _device_sample(SLEEP_CORE, at(MON, "23:20"), at(tue, "06:50")),
        # Tuesday night, all after midnight: asleep 00:30 to 06:30, no in-bed record.
        _device_sample(SLEEP_CORE, at(wed, "00:30"), at(wed, "06:30")),
        # A night long after the journal's last day: no row is added for it.
        _device_sample(
            SLEEP_CORE, at(MON + timedelta(days=20), "23:00"), at(MON + timedelta(days=21), "06:00")
        ),
    ]
    device = device_outcomes(device_nights(samples, zone=ZONE))
    assert set().union(*device.values()) <= set(DEVICE_COLUMNS)
    entries = [dose(MON, "22:30"), pain(thu, "12:00", 4)]

    frame = daily_frame(entries, PROFILE, device=device)

    assert list(frame.index) == [_day(d) for d in (MON, tue, wed, thu)]
    assert tuple(frame.columns) == COLUMNS
    assert frame.loc[_day(MON), "device_tst"] == 450  # 23:20 to 06:50
    assert frame.loc[_day(MON), "device_tib"] == 480
    assert frame.loc[_day(MON), "device_sol"] == 20
    # After midnight, before 04:00: Tuesday's night (clock.night_of), not Wednesday's.
    assert frame.loc[_day(tue), "device_tst"] == 360
    # No in-bed record, no score: unknown, not zero.
    assert frame.loc[_day(tue), ["device_sol", "device_tib", "device_score"]].isna().all()
    assert frame.loc[_day(wed) : _day(thu), list(DEVICE_COLUMNS)].isna().all().all()
    assert all(frame[c].dtype == np.float64 for c in DEVICE_COLUMNS)
    without = daily_frame(entries, PROFILE)
    assert without[list(DEVICE_COLUMNS)].isna().all().all()
    pd.testing.assert_frame_equal(
        frame.drop(columns=list(DEVICE_COLUMNS)), without.drop(columns=list(DEVICE_COLUMNS))
    )
