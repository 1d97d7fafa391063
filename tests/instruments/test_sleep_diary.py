"""Consensus Sleep Diary metrics, against hand computations from the CSD conventions.

Conventions (Carney 2012; standard CSD/CBT-I derivations, fact sheet B1):
TIB = out of bed − into bed; TST = (final awakening − tried to sleep) − SOL − WASO;
terminal wake = item 6b or out of bed − final awakening; SE = TST / TIB × 100.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from speciosa.instruments.errors import InstrumentInputError
from speciosa.instruments.sleep_diary import SleepDiaryNight, score_night, score_record
from speciosa.journal.models import Sleep

LONDON = ZoneInfo("Europe/London")


def at(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


# An ordinary night across midnight (no DST change).
ORDINARY = SleepDiaryNight(
    into_bed=at(2024, 3, 10, 22, 30),
    tried_to_sleep=at(2024, 3, 10, 23, 0),
    minutes_to_fall_asleep=20,
    awakenings=2,
    minutes_awake_in_night=30,
    final_awakening=at(2024, 3, 11, 6, 30),
    out_of_bed=at(2024, 3, 11, 7, 0),
    quality=3,
)


def test_ordinary_night_by_hand() -> None:
    metrics = score_night(ORDINARY)
    assert metrics.time_in_bed == 510  # 22:30 -> 07:00 = 8 h 30 min
    assert metrics.sleep_onset_latency == 20  # item 3
    assert metrics.wake_after_sleep_onset == 30  # item 5
    assert metrics.total_sleep_time == 400  # (06:30 - 23:00 = 450) - 20 - 30
    assert metrics.terminal_wakefulness == 30  # 06:30 -> 07:00, item 6b missing
    assert metrics.sleep_efficiency == pytest.approx(78.431, abs=1e-3)  # 400 / 510 * 100
    assert metrics.in_bed_before_trying == 30  # 22:30 -> 23:00
    assert metrics.source_ids == ("carney-2012-csd",)


def test_does_not_make_the_common_mistake() -> None:
    # The shortcut TST = TIB - SOL - WASO - terminal wake gives 510 - 20 - 30 - 30 = 430:
    # it counts the 30 minutes in bed before trying to sleep as sleep.
    metrics = score_night(ORDINARY)
    shortcut = (
        metrics.time_in_bed
        - metrics.sleep_onset_latency
        - metrics.wake_after_sleep_onset
        - metrics.terminal_wakefulness
    )
    assert shortcut == 430
    assert metrics.total_sleep_time == 400
    assert shortcut - metrics.total_sleep_time == metrics.in_bed_before_trying


def test_item_6b_replaces_the_gap_as_terminal_wakefulness() -> None:
    metrics = score_night(replace(ORDINARY, terminal_wake_minutes=20))
    assert metrics.terminal_wakefulness == 20  # item 6b as given
    assert metrics.total_sleep_time == 400  # TST does not use terminal wake at all


def test_spring_forward_night_uses_real_minutes() -> None:
    # UK clocks went 01:00 GMT -> 02:00 BST on 31 March 2024: the night is an hour shorter
    # than the wall clock suggests. 23:00 GMT -> 07:00 BST (06:00 GMT) is 420 real minutes.
    night = SleepDiaryNight(
        into_bed=at(2024, 3, 30, 23, 0),
        tried_to_sleep=at(2024, 3, 30, 23, 0),
        minutes_to_fall_asleep=15,
        awakenings=1,
        minutes_awake_in_night=10,
        final_awakening=at(2024, 3, 31, 7, 0),
        out_of_bed=at(2024, 3, 31, 7, 30),
    )
    metrics = score_night(night)
    assert metrics.time_in_bed == 450  # 23:00 GMT -> 06:30 GMT; wall clock would say 510
    assert metrics.total_sleep_time == 395  # 420 - 15 - 10
    assert metrics.sleep_efficiency == pytest.approx(87.778, abs=1e-3)  # 395 / 450 * 100


def test_fall_back_night_uses_real_minutes() -> None:
    # UK clocks went 02:00 BST -> 01:00 GMT on 27 October 2024: 23:00 BST -> 07:00 GMT is
    # 9 real hours (540 min), not the 8 the wall clock shows.
    night = replace(
        ORDINARY,
        into_bed=at(2024, 10, 26, 23, 0),
        tried_to_sleep=at(2024, 10, 26, 23, 0),
        final_awakening=at(2024, 10, 27, 7, 0),
        out_of_bed=at(2024, 10, 27, 7, 0),
    )
    metrics = score_night(night)
    assert metrics.time_in_bed == 540
    assert metrics.total_sleep_time == 490  # 540 - 20 - 30
    assert metrics.terminal_wakefulness == 0


def test_instants_in_different_zones_are_compared_as_instants() -> None:
    # Same night, final awakening written in UTC: 06:30 GMT is 06:30 UTC in March.
    night = replace(ORDINARY, final_awakening=datetime(2024, 3, 11, 6, 30, tzinfo=ZoneInfo("UTC")))
    assert score_night(night).total_sleep_time == 400


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        # woke before trying to sleep
        ({"final_awakening": at(2024, 3, 10, 22, 50)}, "final_awakening"),
        # tried to sleep before getting into bed
        ({"tried_to_sleep": at(2024, 3, 10, 22, 0)}, "tried_to_sleep"),
        # out of bed before the final awakening
        ({"out_of_bed": at(2024, 3, 11, 6, 0)}, "out_of_bed"),
        # SOL + WASO (300 + 200) longer than the 450-minute sleep window
        ({"minutes_to_fall_asleep": 300, "minutes_awake_in_night": 200}, "minutes_awake_in_night"),
        # negative latency
        ({"minutes_to_fall_asleep": -5}, "minutes_to_fall_asleep"),
        # quality outside 1..5
        ({"quality": 6}, "quality"),
        # item 6b longer than the 30 minutes between final awakening and getting up
        ({"terminal_wake_minutes": 45}, "terminal_wake_minutes"),
        # more than 24 hours in bed: a wrong date
        ({"out_of_bed": at(2024, 3, 12, 7, 0)}, "out_of_bed"),
        # a naive datetime cannot be placed on the timeline
        ({"into_bed": datetime(2024, 3, 10, 22, 30)}, "into_bed"),
    ],
)
def test_impossible_nights_are_refused_naming_the_field(
    changes: dict[str, object], field: str
) -> None:
    with pytest.raises(InstrumentInputError) as caught:
        score_night(replace(ORDINARY, **changes))  # type: ignore[arg-type]
    assert caught.value.field == field
    assert isinstance(caught.value, ValueError)
    assert field in str(caught.value)


def test_a_stored_journal_night_scores_like_its_diary_items() -> None:
    """score_record reads a journal Sleep entry (``at`` = into bed) as CSD items 1-8."""
    bed = datetime(2026, 1, 10, 22, 30, tzinfo=UTC)
    entry = Sleep(
        at=bed,
        zone="UTC",
        tried_to_sleep=bed + timedelta(minutes=30),
        minutes_to_fall_asleep=20,
        awakenings=2,
        minutes_awake_in_night=40,
        final_awakening=bed + timedelta(hours=8),
        out_of_bed=bed + timedelta(hours=8, minutes=30),
    )
    metrics = score_record(entry)
    # By hand: TIB 510 min; TST = (480 - 30) - 20 - 40 = 390; SE = 390/510 = 76.47 %
    assert (metrics.time_in_bed, metrics.total_sleep_time) == (510, 390)
    assert metrics.sleep_efficiency == pytest.approx(76.47, abs=0.01)
