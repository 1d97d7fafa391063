"""Withdrawal signals after a gap of 24 h or more that followed regular use."""

from __future__ import annotations

import pytest

from speciosa.journal.catalogues import Symptom

from .builders import Journal
from .helpers import alerts_for, only


def _regular_then_gap(last_day: int = 3, use_days: int = 7) -> tuple[Journal, int]:
    """Daily 09:00 doses for ``use_days`` days ending on ``last_day``; nothing since."""
    journal = Journal()
    ids = journal.daily(range(last_day + use_days - 1, last_day - 1, -1))
    return journal, ids[-1]


def test_symptoms_in_the_days_after_the_last_dose_raise_a_caution() -> None:
    journal, last = _regular_then_gap()
    restless = journal.side_effect(2, "09:00", Symptom.RESTLESSNESS)  # 24 h after
    sleepless = journal.side_effect(1, "03:00", Symptom.INSOMNIA)
    alert = only(journal.window(), "withdrawal_after_gap")
    assert alert.severity.value == "caution"
    assert alert.entry_ids == (last, restless, sleepless)
    assert "insomnia, restlessness" in alert.explanation
    assert "singh-2014" in alert.source_ids


@pytest.mark.parametrize(
    ("day", "wall", "fires"),
    [
        ("3", "14:59", False),  # 5 h 59 min after the last dose: more likely the dose itself
        ("3", "15:00", True),  # exactly 6 h after: counts
        ("-4", "09:00", True),  # exactly 7 days after the last dose on day 10 (see below)
        ("-4", "09:01", False),  # 7 days and 1 minute: outside the window
    ],
)
def test_symptom_timing_window(day: str, wall: str, fires: bool) -> None:
    if day == "-4":
        journal, _ = _regular_then_gap(last_day=10)
        symptom_day = 3
    else:
        journal, _ = _regular_then_gap(last_day=3)
        symptom_day = 3
    journal.side_effect(symptom_day, wall, Symptom.ANXIETY)
    assert bool(alerts_for(journal.window(), "withdrawal")) is fires


@pytest.mark.parametrize(("use_days", "fires"), [(4, False), (5, True)])
def test_regular_use_means_5_of_the_7_days_before_the_gap(use_days: int, fires: bool) -> None:
    journal, _ = _regular_then_gap(use_days=use_days)
    journal.side_effect(2, "10:00", Symptom.IRRITABILITY)
    assert bool(alerts_for(journal.window(), "withdrawal")) is fires


@pytest.mark.parametrize(("next_dose", "fires"), [("08:00", False), ("09:00", True)])
def test_gap_must_last_24_hours(next_dose: str, fires: bool) -> None:
    journal = Journal()
    journal.daily(range(10, 3, -1))  # days 10..4 at 09:00
    journal.side_effect(4, "20:00", Symptom.SWEATING)  # 11 h after the day-4 dose
    journal.dose(3, next_dose)  # 23 h or exactly 24 h later
    journal.daily(range(2, -1, -1))
    assert bool(alerts_for(journal.window(), "withdrawal")) is fires


def test_sows_response_counts_and_an_all_zero_one_does_not() -> None:
    journal, _ = _regular_then_gap()
    journal.sows(2, "10:00", (0,) * 16)
    assert alerts_for(journal.window(), "withdrawal") == []
    sows = journal.sows(2, "18:00", (1,) + (0,) * 15)  # total 1
    alert = only(journal.window(), "withdrawal")
    assert sows in alert.entry_ids
    assert "a SOWS total of 1" in alert.explanation


def test_unrelated_symptoms_and_old_gaps_are_ignored() -> None:
    journal, _ = _regular_then_gap()
    journal.side_effect(2, "10:00", Symptom.DRY_MOUTH)
    assert alerts_for(journal.window(), "withdrawal") == []
    old, _ = _regular_then_gap(last_day=31)  # the gap began 31 days ago
    old.side_effect(30, "10:00", Symptom.ANXIETY)
    assert alerts_for(old.window(), "withdrawal") == []
