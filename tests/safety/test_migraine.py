"""Frequent use with migraine: 10+ use days in each of four 30-day periods (ICHD-3 8.2.4,
by analogy), a warning when headache days reach 15 in a period as well; and an early,
preventive caution from the first 30-day period with 10+ use days (migraine in the profile
or headache entries)."""

from __future__ import annotations

import pytest

from speciosa.knowledge import recommends_amount

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
    found = [a.rule_id for a in alerts_for(_journal((10, 9, 10, 10)).window(), "migraine")]
    assert "migraine_frequent_use" not in found
    assert found == ["migraine_early_use"]  # the latest period still has 10 use days


def test_frequent_headache_as_well_makes_it_a_warning() -> None:
    alert = only(_journal((12, 12, 12, 12), headache_days=15).window(), "migraine")
    assert alert.severity.value == "warning"


def test_without_migraine_in_the_profile_the_rule_is_silent() -> None:
    journal = _journal((20, 20, 20, 20))
    journal.profile = profile()
    assert alerts_for(journal.window(), "migraine") == []


# --- the early, preventive caution -----------------------------------------------------------


def _last_30_days(use_days: int, *, migraine: bool = True, headaches: int = 0) -> Journal:
    journal = Journal(profile=MIGRAINE if migraine else profile())
    for offset in range(use_days):
        journal.dose(offset, "09:00")
    for offset in range(headaches):
        journal.headache(3 * offset, "14:00", hours=2)
    return journal


@pytest.mark.parametrize(("use_days", "fires"), [(9, False), (10, True)])
def test_ten_use_days_in_the_first_period_raise_an_early_caution(
    use_days: int, fires: bool
) -> None:
    found = alerts_for(_last_30_days(use_days).window(), "migraine")
    assert [a.rule_id for a in found] == (["migraine_early_use"] if fires else [])
    if fires:
        alert = found[0]
        assert alert.severity.value == "caution"
        assert alert.analogy
        assert alert.source_ids == ("ichd-3-2018",)
        assert len(alert.entry_ids) == use_days
        assert "Your profile lists migraine" in alert.explanation
        assert "on 10 days (1 such period of 30 days in a row)" in alert.explanation
        assert "By analogy only" in alert.explanation
        for text in alert.texts():
            assert recommends_amount(text) is None, text


def test_headache_entries_without_migraine_in_the_profile_count() -> None:
    journal = _last_30_days(12, migraine=False, headaches=3)
    alert = only(journal.window(), "migraine_early_use")
    assert "You logged 3 headache episodes" in alert.explanation
    assert len(alert.entry_ids) == 12 + 3


def test_no_migraine_and_no_headaches_means_no_early_caution() -> None:
    assert alerts_for(_last_30_days(20, migraine=False).window(), "migraine") == []


def test_the_ichd3_alert_replaces_the_early_caution() -> None:
    found = alerts_for(_journal((10, 10, 10, 10)).window(), "migraine")
    assert [a.rule_id for a in found] == ["migraine_frequent_use"]
