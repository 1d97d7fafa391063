"""The person's recent use, from their own journal: where every taper amount starts.

Missing-data policy: a journal day with no dose counts as a day without use, but only
from the first day the journal covers; before that nothing is assumed. A baseline needs
at least ``MIN_BASELINE_DAYS`` complete journal days.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from speciosa.errors import InvalidInput
from speciosa.journal import clock
from speciosa.journal.models import Dose
from speciosa.plans.base import PlanModel
from speciosa.plans.constants import (
    BASELINE_WINDOW_DAYS,
    DAILY_USE_SHARE,
    LONG_DAILY_USE_DAYS,
    LONG_TERM_USE_DAYS,
    MIN_BASELINE_DAYS,
)

DAYS_PER_MONTH = 30.44  # calendar average, for "months of use" a person states


class RecentUse(PlanModel):
    """Mean use over complete journal days ``first_day`` .. ``last_day`` (inclusive)."""

    first_day: date
    last_day: date
    days: int
    grams_per_day: float
    doses_per_day: float
    use_days: int
    first_dose_day: date
    journal_start: date
    stated_months: float | None = None

    @property
    def use_share(self) -> float:
        return self.use_days / self.days

    @property
    def daily(self) -> bool:
        """Use on at least 6 of every 7 days of the window."""
        return self.use_share >= DAILY_USE_SHARE - 1e-9

    def duration_days(self, today: date) -> float | None:
        """How long the person has used: as they stated, or as the journal saw it begin.

        None when unknown: nothing was stated and the first logged dose is on the
        journal's first day, so use may well have begun before the journal did.
        """
        if self.stated_months is not None:
            return self.stated_months * DAYS_PER_MONTH
        seen = float((today - self.first_dose_day).days)
        if self.journal_start < self.first_dose_day:
            return seen  # the journal was running when use began
        return seen if seen >= LONG_TERM_USE_DAYS else None

    def long_term(self, today: date) -> bool:
        """A year or more of use, or unknown (then the slower pace is the safer default)."""
        duration = self.duration_days(today)
        return duration is None or duration >= LONG_TERM_USE_DAYS

    def long_daily(self, today: date) -> bool:
        """Daily use for 28 days or more; an unknown duration counts as long."""
        if not self.daily:
            return False
        duration = self.duration_days(today)
        return duration is None or duration >= LONG_DAILY_USE_DAYS


def recent_use(
    doses: Sequence[Dose],
    *,
    today: date,
    journal_start: date,
    window_days: int = BASELINE_WINDOW_DAYS,
    stated_months: float | None = None,
) -> RecentUse:
    """Mean grams/day and doses/day over the complete journal days before ``today``.

    ``doses`` may be the whole journal; ``journal_start`` is the first day it covers (the
    day of its first entry of any kind). Today is left out: it is not over yet.
    """
    if not MIN_BASELINE_DAYS <= window_days <= 90:
        raise InvalidInput("window", window_days, f"must be {MIN_BASELINE_DAYS} to 90 days")
    if stated_months is not None and not 0 <= stated_months <= 1200:
        raise InvalidInput("used_for_months", stated_months, "must be 0 to 1200 months")
    first = max(today - timedelta(days=window_days), journal_start)
    last = today - timedelta(days=1)
    days = (last - first).days + 1
    if days < MIN_BASELINE_DAYS:
        raise InvalidInput(
            "journal",
            f"{max(days, 0)} complete days",
            f"a plan starts from your logged use: log your doses for at least "
            f"{MIN_BASELINE_DAYS} complete days first",
        )
    placed = [(clock.journal_day(d.at, d.zone), d) for d in doses]
    window = [(day, d) for day, d in placed if first <= day <= last]
    if not window:
        raise InvalidInput(
            "journal",
            "no doses",
            f"no doses were logged from {first} to {last}; a plan starts from your logged use",
        )
    unweighed = sum(1 for _, d in window if d.grams is None)
    if unweighed:
        raise InvalidInput(
            "journal",
            f"{unweighed} doses without a weight",
            "every dose in the window needs its grams (set the product's capsule or spoon "
            "weight, or edit the dose)",
        )
    grams = sum(d.grams or 0.0 for _, d in window)
    return RecentUse(
        first_day=first,
        last_day=last,
        days=days,
        grams_per_day=round(grams / days, 6),
        doses_per_day=round(len(window) / days, 6),
        use_days=len({day for day, _ in window}),
        first_dose_day=min(day for day, _ in placed),
        journal_start=journal_start,
        stated_months=stated_months,
    )


def journal_start(first_day: date | None) -> date:
    """The first journal day, or a refusal: a plan starts from the person's logged use."""
    if first_day is None:
        raise InvalidInput(
            "journal", "empty", "a plan starts from your logged use: log your doses first"
        )
    return first_day
