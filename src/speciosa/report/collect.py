"""Gathering a report's inputs from the store, and writing the PDF (the thin edge).

The CLI (``speciosa report``) and the web app's report button call :func:`render_report`
or :func:`write_report` inside their transaction; everything else is pure.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from speciosa.errors import InvalidInput
from speciosa.journal import clock
from speciosa.journal.models import Product, Profile, StoredEntry
from speciosa.report.document import build_report, write_pdf
from speciosa.report.summary import in_period
from speciosa.store.journal_store import JournalStore

DEFAULT_DAYS = 90
# Safety rules look back (streaks, weeks of use); give them this much history before the period.
SAFETY_LOOKBACK = timedelta(days=120)


@dataclass(frozen=True)
class ReportInputs:
    """Everything :func:`speciosa.report.build_report` takes, read from one journal."""

    profile: Profile
    products: list[Product]
    entries: list[StoredEntry]
    alerts: list[Any] | None
    insights: Any | None
    period_start: date
    period_end: date
    now: datetime
    plans: list[tuple[str, ...]]

    def as_kwargs(self) -> dict[str, Any]:
        return {field: getattr(self, field) for field in asdict(self)}


def default_period(
    profile: Profile, now: datetime, start: date | None = None, end: date | None = None
) -> tuple[date, date]:
    """[start, end] journal days: by default the last 90 days up to today."""
    last = end or clock.journal_day(now, profile.timezone)
    first = start or last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        raise InvalidInput(
            "from", first.isoformat(), f"must not be after --to ({last.isoformat()})"
        )
    return first, last


def collect(
    store: JournalStore,
    *,
    now: datetime,
    period_start: date | None = None,
    period_end: date | None = None,
) -> ReportInputs:
    """Read the profile, products and the period's entries; run safety checks and insights."""
    profile = store.profile_or_default()
    start, end = default_period(profile, now, period_start, period_end)
    zone = profile.timezone
    since = clock.day_bounds(start, zone)[0] - timedelta(days=2)
    until = clock.day_bounds(end, zone)[1] + timedelta(days=2)
    products = store.products()
    history = store.entries(since=since - SAFETY_LOOKBACK, until=until)
    entries = [e for e in in_period(history, start, end) if isinstance(e, StoredEntry)]
    as_of = min(clock.utc(now), clock.day_bounds(end, zone)[1])
    return ReportInputs(
        profile=profile,
        products=products,
        entries=entries,
        alerts=_alerts(profile, products, [e for e in history if e.entry.at <= as_of], as_of),
        insights=_insights(profile, entries),
        period_start=start,
        period_end=end,
        now=now,
        plans=_plans(store, start, min(end, clock.journal_day(now, zone)), zone),
    )


def _plans(store: JournalStore, start: date, day: date, zone: str) -> list[tuple[str, ...]]:
    """Progress of every plan that was in force during the period."""
    from speciosa.plans.daily import progress_lines
    from speciosa.store.plan_store import PlanStore

    stored = PlanStore(store.session, store.owner).all()
    return [
        progress_lines(p.plan, day=day)
        for p in stored
        if p.status == "running" or clock.journal_day(p.updated_at, zone) >= start
    ]


def _alerts(
    profile: Profile, products: list[Product], entries: list[StoredEntry], as_of: datetime
) -> list[Any] | None:
    try:
        from speciosa.safety import JournalWindow, evaluate
    except ImportError:  # the safety engine is optional for the report
        return None
    return list(evaluate(JournalWindow(profile, products, entries), now=as_of))


def _insights(profile: Profile, entries: list[StoredEntry]) -> Any | None:
    try:
        from speciosa.insights import analyse, daily_frame
    except ImportError:  # the insights are optional for the report
        return None
    return analyse(daily_frame(entries, profile), profile)


def render_report(
    store: JournalStore,
    *,
    now: datetime,
    period_start: date | None = None,
    period_end: date | None = None,
) -> bytes:
    """The report for ``store`` as PDF bytes (for the web app's download button)."""
    inputs = collect(store, now=now, period_start=period_start, period_end=period_end)
    return build_report(**inputs.as_kwargs())


def write_report(
    store: JournalStore,
    path: Path,
    *,
    now: datetime,
    period_start: date | None = None,
    period_end: date | None = None,
) -> Path:
    """Write the report for ``store`` to ``path`` (never half-written); returns ``path``."""
    data = render_report(store, now=now, period_start=period_start, period_end=period_end)
    return write_pdf(data, path)
