"""Daily-use streaks: a note from 14 consecutive use days, a caution from 28."""

from __future__ import annotations

import pytest

from .builders import Journal
from .helpers import alerts_for, only


@pytest.mark.parametrize(
    ("days", "expected"),
    [(13, None), (14, "info"), (27, "info"), (28, "caution")],
)
def test_streak_length_boundaries(days: int, expected: str | None) -> None:
    journal = Journal()
    journal.daily(range(days))  # today and the days before
    journal.dose(days + 1)  # a day off before the streak keeps it from growing
    found = alerts_for(journal.window(), "daily_streak")
    assert [a.severity.value for a in found] == ([expected] if expected else [])


def test_a_streak_ending_yesterday_still_counts_and_lists_its_doses() -> None:
    journal = Journal()
    ids = journal.daily(range(1, 15), ("08:00", "16:00"))  # yesterday and 13 days before
    alert = only(journal.window(), "daily_streak")
    assert alert.title == "14 days in a row with kratom"
    assert alert.entry_ids == tuple(sorted(ids))
    assert alert.source_ids == ("rogers-2024", "smith-2022-fphar")


def test_a_streak_that_ended_two_days_ago_is_history() -> None:
    journal = Journal()
    journal.daily(range(2, 40))
    assert alerts_for(journal.window(), "daily_streak") == []
