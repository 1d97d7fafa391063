"""What the clinician report shows for a period: the profile, products and entries, the
alerts as they stood at the period's end, the insights (with wearable nights) and the
plans in force. :mod:`speciosa.report` draws the PDF from this.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from speciosa.errors import InvalidInput
from speciosa.journal import clock
from speciosa.journal.models import Product, Profile, StoredEntry
from speciosa.plans.daily import progress_lines
from speciosa.safety import Alert

from .alerts import alerts_as_of
from .entries import in_days
from .insights import period_report
from .unit import Journal

DEFAULT_DAYS = 90
# A year (a leap year's): a clinician reads 2-4 pages, and the work of a report grows
# with its days (two years took 5 CPU-seconds here; 1900-01-01 to today took minutes and
# a gigabyte), so a request can never ask for unbounded work.
MAX_DAYS = 366


@dataclass(frozen=True)
class ReportInputs:
    """Everything :func:`speciosa.report.build_report` takes, read from one journal."""

    profile: Profile
    products: list[Product]
    entries: list[StoredEntry]
    alerts: list[Alert]
    insights: Any  # InsightReport
    period_start: date
    period_end: date
    now: datetime
    plans: list[tuple[str, ...]]

    def as_kwargs(self) -> dict[str, Any]:
        return dict(vars(self))


def period(journal: Journal, first: date | None, last: date | None) -> tuple[date, date]:
    """The [first, last] journal days of a report: by default the last 90 days to today."""
    end = last or journal.today
    start = first or end - timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        raise InvalidInput(
            "from", start.isoformat(), f"must not be after the last day ({end.isoformat()})"
        )
    if (end - start).days + 1 > MAX_DAYS:
        raise InvalidInput(
            "from",
            start.isoformat(),
            f"a report covers at most {MAX_DAYS} days; choose a from-date on or after "
            f"{(end - timedelta(days=MAX_DAYS - 1)).isoformat()}",
        )
    return start, end


def report_inputs(
    journal: Journal, *, first: date | None = None, last: date | None = None
) -> ReportInputs:
    """Read the period's entries; run the safety rules and the insights over them."""
    start, end = period(journal, first, last)
    entries = in_days(journal, start, end)
    as_of = clock.day_bounds(end, journal.zone)[1]
    return ReportInputs(
        profile=journal.profile,
        products=journal.store.products(),
        entries=entries,
        alerts=alerts_as_of(journal, as_of),
        insights=period_report(journal, entries, start, end),  # kept per period
        period_start=start,
        period_end=end,
        now=journal.now,
        plans=_plans(journal, start, min(end, journal.today)),
    )


def _plans(journal: Journal, start: date, day: date) -> list[tuple[str, ...]]:
    """Progress of every plan that was in force during the period."""
    return [
        progress_lines(p.plan, day=day)
        for p in journal.plans.all()
        if p.status == "running" or clock.journal_day(p.updated_at, journal.zone) >= start
    ]
