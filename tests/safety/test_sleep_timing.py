"""Doses more than an hour after the aimed bedtime, when the goal is sleep."""

from __future__ import annotations

import pytest

from .builders import Journal, profile
from .helpers import alerts_for, only


@pytest.mark.parametrize(
    ("bedtime", "wall", "fires"),
    [
        ("23:00", "22:30", False),  # before bed: the guides' timing
        ("23:00", "00:00", False),  # exactly 60 min after: not *more than* an hour
        ("23:00", "00:01", True),  # 61 min after, on the same night
        ("00:30", "01:30", False),  # bedtime after midnight: 60 min after it
        ("00:30", "02:00", True),  # 90 min after a 00:30 bedtime
    ],
)
def test_late_dose_boundaries(bedtime: str, wall: str, fires: bool) -> None:
    journal = Journal(profile=profile(goals=("sleep",), bedtime=bedtime))
    dose = journal.dose(2, wall)
    found = alerts_for(journal.window(), "late_night_dose")
    assert [a.entry_ids for a in found] == ([(dose,)] if fires else [])


def test_a_late_dose_is_only_noted_when_the_goal_is_sleep() -> None:
    journal = Journal(profile=profile(goals=("pain",)))
    journal.dose(2, "02:00")
    assert alerts_for(journal.window(), "late_night_dose") == []


def test_late_dose_alert_is_info_with_sources() -> None:
    journal = Journal(profile=profile(goals=("sleep",)))
    journal.dose(1, "01:00")
    journal.dose(15, "01:00")  # 15 days ago: outside the 14-day look-back
    alert = only(journal.window(), "late_night_dose")
    assert alert.severity.value == "info"
    assert "1 dose in the last 14 days" in alert.explanation
    assert "huestis-2024" in alert.source_ids
