"""The person's own limits: a note from 80%, a caution at or over the limit, never invented."""

from __future__ import annotations

import pytest

from speciosa.journal.models import Limits

from .builders import Journal, profile
from .helpers import alerts_for, only


def _journal(**limits: float) -> Journal:
    return Journal(profile=profile(limits=Limits.model_validate(limits)))


@pytest.mark.parametrize(
    ("grams", "expected"),
    [
        (7.9, None),  # 79% of a 10 g limit: below the 80% note
        (8.0, ("limits.near.grams_per_day", "info", "Near")),  # exactly 80%: the note starts
        (10.0, ("limits.reached.grams_per_day", "caution", "At")),  # exactly the limit
        (12.5, ("limits.reached.grams_per_day", "caution", "Over")),
    ],
)
def test_grams_per_day_against_the_persons_limit(
    grams: float, expected: tuple[str, str, str] | None
) -> None:
    journal = _journal(grams_per_day=10)
    first = journal.dose(0, "08:00", grams / 2)
    second = journal.dose(0, "13:00", grams / 2)
    journal.dose(1, "13:00", 20)  # yesterday does not count towards today
    found = alerts_for(journal.window(), "limits")
    if expected is None:
        assert found == []
        return
    (alert,) = found
    assert (alert.rule_id, alert.severity.value, alert.title.split()[0]) == expected
    assert alert.entry_ids == (first, second)  # today's doses
    assert alert.source_ids == ("rogers-2024", "grundmann-2017")


def test_doses_per_day_reached() -> None:
    journal = _journal(doses_per_day=3)
    ids = [journal.dose(0, wall, 1) for wall in ("07:00", "12:00", "17:00")]
    alert = only(journal.window(), "limits.reached")
    assert alert.rule_id == "limits.reached.doses_per_day"
    assert alert.entry_ids == tuple(ids)
    assert "3 doses today, against your limit of 3 doses per day (100% of it)" in alert.explanation


@pytest.mark.parametrize(("use_days", "fires"), [(4, False), (5, True)])
def test_use_days_per_week_at_the_boundary(use_days: int, fires: bool) -> None:
    # limit 6 days: 4 days is 67% (silent), 5 days is 83% (a note)
    journal = _journal(use_days_per_week=6)
    journal.daily(range(use_days))
    journal.dose(8)  # 8 days ago: outside the last 7 days
    assert bool(alerts_for(journal.window(), "limits.near.use_days_per_week")) is fires


def test_a_zero_use_day_limit_is_over_with_any_use() -> None:
    journal = _journal(use_days_per_week=0)
    assert alerts_for(journal.window(), "limits") == []  # no use, nothing to say
    journal.dose(2)
    alert = only(journal.window(), "limits.reached")
    assert alert.title == "Over your own limit: use days per week"


def test_no_limits_set_means_no_limit_alerts() -> None:
    journal = Journal()
    journal.daily(range(7), ("07:00", "12:00", "17:00", "21:00"), grams=10)
    assert alerts_for(journal.window(), "limits") == []
