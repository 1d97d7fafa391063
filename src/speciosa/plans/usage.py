"""The person's recent use, from their own journal: where every taper amount starts.

Missing-data policy: a journal day with no dose counts as a day without use, but only
from the first day the journal covers; before that nothing is assumed. A baseline needs
at least ``MIN_BASELINE_DAYS`` complete journal days.

The same facts decide when a plan asks for a clinician first (``long_daily`` for a stop,
``daily_for_months`` for any taper, ``daily`` for a bedtime on/off experiment).
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
    MONTHS_OF_DAILY_USE_DAYS,
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
    unweighed_doses: int = 0  # only from ``use_for_gates``: grams_per_day leaves them out

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

    def daily_for_months(self, today: date) -> bool:
        """Daily or near-daily use for 3 months or more; an unknown duration counts as long."""
        if not self.daily:
            return False
        duration = self.duration_days(today)
        return duration is None or duration >= MONTHS_OF_DAILY_USE_DAYS


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
    first, last, days, placed, window = _window(
        doses,
        today=today,
        journal_start=journal_start,
        window_days=window_days,
        stated_months=stated_months,
    )
    if days < MIN_BASELINE_DAYS:
        raise InvalidInput(
            "journal",
            f"{max(days, 0)} complete days",
            f"a plan starts from your logged use: log your doses for at least "
            f"{MIN_BASELINE_DAYS} complete days first",
        )
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
    return _use(first, last, days, placed, window, journal_start, stated_months)


def use_for_gates(
    doses: Sequence[Dose],
    *,
    today: date,
    journal_start: date | None,
    window_days: int = BASELINE_WINDOW_DAYS,
    stated_months: float | None = None,
) -> RecentUse | None:
    """Recent use for deciding whether a plan asks for a clinician first; never refuses.

    None when the journal cannot tell yet: it is empty, covers fewer than
    ``MIN_BASELINE_DAYS`` complete days, or has no dose in the window (then the person is
    not a daily user). Doses without a weight still count as doses and use days; their
    grams are unknown, so ``grams_per_day`` leaves them out and ``unweighed_doses`` says so.
    Use :func:`recent_use` for anything that computes an amount.
    """
    if journal_start is None:
        return None
    first, last, days, placed, window = _window(
        doses,
        today=today,
        journal_start=journal_start,
        window_days=window_days,
        stated_months=stated_months,
    )
    if days < MIN_BASELINE_DAYS or not window:
        return None
    return _use(first, last, days, placed, window, journal_start, stated_months)


def _window(
    doses: Sequence[Dose],
    *,
    today: date,
    journal_start: date,
    window_days: int,
    stated_months: float | None,
) -> tuple[date, date, int, list[tuple[date, Dose]], list[tuple[date, Dose]]]:
    """The window's first and last day, its length, every dose by day, and those in it."""
    if not MIN_BASELINE_DAYS <= window_days <= 90:
        raise InvalidInput("window", window_days, f"must be {MIN_BASELINE_DAYS} to 90 days")
    if stated_months is not None and not 0 <= stated_months <= 1200:
        raise InvalidInput("used_for_months", stated_months, "must be 0 to 1200 months")
    first = max(today - timedelta(days=window_days), journal_start)
    last = today - timedelta(days=1)
    days = (last - first).days + 1
    placed = [(clock.journal_day(d.at, d.zone), d) for d in doses]
    window = [(day, d) for day, d in placed if first <= day <= last]
    return first, last, days, placed, window


def _use(
    first: date,
    last: date,
    days: int,
    placed: list[tuple[date, Dose]],
    window: list[tuple[date, Dose]],
    journal_start: date,
    stated_months: float | None,
) -> RecentUse:
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
        unweighed_doses=sum(1 for _, d in window if d.grams is None),
    )


def journal_start(first_day: date | None) -> date:
    """The first journal day, or a refusal: a plan starts from the person's logged use."""
    if first_day is None:
        raise InvalidInput(
            "journal", "empty", "a plan starts from your logged use: log your doses first"
        )
    return first_day
