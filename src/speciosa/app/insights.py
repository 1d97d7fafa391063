""" "Is it helping me?": the n-of-1 answers over the whole journal, with the wearable's
nights as extra outcomes whenever there are any, and the charts of the recent days.
The CLI, the Insights page, ``GET /api/v1/insights`` and the report all read this.

The answers are kept in the result cache under the journal's version (the alerts' key,
plus the wearable's samples), one slot per person, so a view of an unchanged journal reads
them instead of computing them. In the web server a worker recomputes them after each
write (:meth:`speciosa.app.Speciosa.start_background`) for anyone who has looked at them
since the server started (and, on a local journal, once at start-up); a view that finds
them out of date waits for the worker at most :data:`PAGE_WAIT_SECONDS`, then shows the
last answers marked ``updating`` (the page) or computes them itself (the API, which never
answers with out-of-date numbers). The CLI computes in-line.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from speciosa.gc_pause import collector_paused
from speciosa.instruments.device_nights import SLEEP_KINDS, device_nights, device_outcomes
from speciosa.journal.models import StoredEntry

from .unit import Journal

if TYPE_CHECKING:
    import pandas as pd

    from speciosa.insights import InsightReport
    from speciosa.insights.charts import Chart

# The cache's name for the answers over the whole journal.
NAME = "insights"
# How long a view waits for the worker's answer once it is being worked out: well under
# the 1 s cold target (issue 16), leaving time for the version check and the page itself.
PAGE_WAIT_SECONDS = 0.6
# How long a first view waits for the worker's start-up computation (as long as computing
# them itself would take on a busy machine) before computing them itself.
COLD_WAIT_SECONDS = 30.0
# The answers do not move on with the clock: only a new journal version retires them.
_NO_AGE_LIMIT = timedelta(days=36_500)


@dataclass(frozen=True)
class InsightsView:
    frame: pd.DataFrame
    report: InsightReport
    charts: list[Chart]
    # True: these are the answers before the latest change; new ones are being computed.
    updating: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"report": self.report.to_dict(), "charts": [c.to_dict() for c in self.charts]}


@dataclass(frozen=True)
class _Answers:
    """What the cache keeps: the daily frame (the charts' data) and the answers."""

    frame: pd.DataFrame
    report: InsightReport


def insights(
    journal: Journal, *, last_days: int | None = 90, charts: bool = True, stale_ok: bool = False
) -> InsightsView:
    """The answers over every entry, and (unless ``charts`` is False) charts of the last
    ``last_days`` days. ``stale_ok``: when the worker has not caught up within
    :data:`PAGE_WAIT_SECONDS`, give the last answers with ``updating`` set."""
    answers, updating = _current(journal, stale_ok=stale_ok)
    drawn = []
    if charts:
        from speciosa.insights.charts import journal_charts

        drawn = journal_charts(answers.frame, journal.profile, last_days=last_days)
    return InsightsView(answers.frame, answers.report, drawn, updating)


def refresh(journal: Journal) -> None:
    """The background job: recompute the answers if they are out of date, for a person
    whose answers were looked at since the server started (others compute on first view)."""
    version = insights_version(journal)
    hit = journal.results.peek(journal.owner, NAME)
    if hit is not None and hit.version != version:
        _compute(journal, version)


def warm(journal: Journal) -> None:
    """Work out the answers unless they are stored (the worker, when a server starts)."""
    version = insights_version(journal)
    hit = journal.results.peek(journal.owner, NAME)
    if hit is None or hit.version != version:
        _compute(journal, version)


def load_modules() -> None:
    """Import what the answers need (the web server's worker does this at start-up)."""
    from speciosa.insights import analyse, daily_frame
    from speciosa.insights.charts import journal_charts

    del analyse, daily_frame, journal_charts


def insights_version(journal: Journal) -> tuple[object, ...]:
    """What the answers depend on: the journal (entries, products, profile) and the wearable."""
    return (*journal.version(), *journal.devices.version())


def period_report(
    journal: Journal, entries: Sequence[StoredEntry], start: date, end: date
) -> InsightReport:
    """The answers over a period's ``entries`` (the clinician report), kept per period."""
    return journal.results.get(
        journal.owner,
        f"{NAME} {start.isoformat()}..{end.isoformat()}",
        version=insights_version(journal),
        now=journal.now,
        max_age=_NO_AGE_LIMIT,
        compute=lambda: analyse_entries(journal, entries, last_days=None, charts=False).report,
    )


def period_charts(
    journal: Journal, entries: Sequence[StoredEntry], start: date, end: date
) -> list[Any]:
    """The charts of a period's ``entries`` (a share link's page), kept per period: only the
    daily frame is built for them, never the analyses again."""

    def draw() -> list[Any]:
        from speciosa.insights import daily_frame
        from speciosa.insights.charts import journal_charts

        frame = daily_frame(entries, journal.profile, device=device_values(journal, entries))
        return list(journal_charts(frame, journal.profile, last_days=None))

    return journal.results.get(
        journal.owner,
        f"{NAME} charts {start.isoformat()}..{end.isoformat()}",
        version=insights_version(journal),
        now=journal.now,
        max_age=_NO_AGE_LIMIT,
        compute=draw,
    )


def _current(journal: Journal, *, stale_ok: bool) -> tuple[_Answers, bool]:
    # The version is read before the entries: a write in between leaves the answers
    # tagged with the older version, so they are recomputed, never wrongly reused.
    version = insights_version(journal)
    hit = journal.results.peek(journal.owner, NAME)
    if hit is not None and hit.version == version:
        return hit.value, False
    worker = journal.background
    if worker is not None and hit is None:
        # The worker may be working these out (at start-up): wait rather than do it twice,
        # until it stores this version or stops working for this person.
        deadline = time.monotonic() + COLD_WAIT_SECONDS
        while worker.busy_with(journal.owner) and time.monotonic() < deadline:
            found = journal.results.wait_for(journal.owner, NAME, version=version, timeout=0.1)
            if found is not None:
                return found.value, False
        found = journal.results.wait_for(journal.owner, NAME, version=version, timeout=0)
        if found is not None:
            return found.value, False
    if worker is not None and hit is not None:
        worker.ensure(journal.owner)
        due = worker.due_in(journal.owner)
        if stale_ok and due is not None and due > 0:
            return hit.value, True  # its run has not started yet: show these, marked updating
        found = journal.results.wait_for(
            journal.owner, NAME, version=version, timeout=PAGE_WAIT_SECONDS
        )
        if found is not None:
            return found.value, False
        if stale_ok:
            return hit.value, True
    return _compute(journal, version), False


def _compute(journal: Journal, version: object) -> _Answers:
    # Every entry is read and a day-by-day frame built: many long-lived objects, so the
    # cycle collector waits until the answers are out (half the reading time, issue 16).
    with collector_paused():
        view = analyse_entries(journal, journal.store.entries(), last_days=None, charts=False)
    answers = _Answers(view.frame, view.report)
    journal.results.put(journal.owner, NAME, version=version, now=journal.now, value=answers)
    return answers


def analyse_entries(
    journal: Journal,
    entries: Sequence[StoredEntry],
    *,
    last_days: int | None,
    charts: bool = True,
) -> InsightsView:
    """The answers over ``entries`` (a report's period, a share's range) and their charts."""
    # pandas, statsmodels and the charts load here, not when a front end starts.
    from speciosa.insights import analyse, daily_frame
    from speciosa.insights.charts import journal_charts

    frame = daily_frame(entries, journal.profile, device=device_values(journal, entries))
    return InsightsView(
        frame,
        analyse(frame, journal.profile),
        journal_charts(frame, journal.profile, last_days=last_days) if charts else [],
    )


def device_values(
    journal: Journal, entries: Sequence[StoredEntry]
) -> Mapping[date, Mapping[str, float]]:
    """The wearable's numbers per night over the entries' span (empty without a wearable)."""
    if not entries:
        return {}
    # A night's device record can start the evening before the first entry.
    since = min(e.entry.at for e in entries) - timedelta(days=1)
    until = max(e.entry.at for e in entries) + timedelta(days=2)
    samples = journal.devices.samples(kinds=SLEEP_KINDS, since=since, until=until)
    return device_outcomes(device_nights(samples, zone=journal.zone))
