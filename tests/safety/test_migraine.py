"""Frequent use with migraine: 10+ use days in each of four 30-day periods (ICHD-3 8.2.4,
by analogy), a warning when headache days reach 15 in a period as well."""

from __future__ import annotations

from .builders import Journal, profile
from .helpers import alerts_for, only

MIGRAINE = profile(conditions=("migraine",))


def _journal(use_days_per_period: tuple[int, int, int, int], headache_days: int = 0) -> Journal:
    """Periods of 30 days ending today, oldest first; use on the first N days of each."""
    journal = Journal(profile=MIGRAINE)
    for index, use in enumerate(use_days_per_period):
        newest = 30 * (3 - index)  # days-ago of the newest day of this period
        for offset in range(use):
            journal.dose(newest + 29 - offset, "09:00")
        for offset in range(headache_days):
            journal.headache(newest + offset, "14:00", hours=2)
    return journal


def test_ten_use_days_in_four_periods_raises_a_caution_by_analogy() -> None:
    alert = only(_journal((10, 10, 10, 10)).window(), "migraine_frequent_use")
    assert alert.severity.value == "caution"
    assert alert.analogy
    assert alert.source_ids == ("ichd-3-2018",)
    assert len(alert.entry_ids) == 40
    assert "By analogy only" in alert.explanation


def test_nine_days_in_one_period_breaks_the_run() -> None:
    assert alerts_for(_journal((10, 9, 10, 10)).window(), "migraine") == []


def test_frequent_headache_as_well_makes_it_a_warning() -> None:
    alert = only(_journal((12, 12, 12, 12), headache_days=15).window(), "migraine")
    assert alert.severity.value == "warning"


def test_without_migraine_in_the_profile_the_rule_is_silent() -> None:
    journal = _journal((20, 20, 20, 20))
    journal.profile = profile()
    assert alerts_for(journal.window(), "migraine") == []
