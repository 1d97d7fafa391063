""" "Is it helping me?": the n-of-1 answers over the whole journal, with the wearable's
nights as extra outcomes whenever there are any, and the charts of the recent days.
The CLI, the Insights page, ``GET /api/v1/insights`` and the report all read this.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from speciosa.instruments.device_nights import SLEEP_KINDS, device_nights, device_outcomes
from speciosa.journal.models import StoredEntry

from .unit import Journal

if TYPE_CHECKING:
    import pandas as pd

    from speciosa.insights import InsightReport
    from speciosa.insights.charts import Chart


@dataclass(frozen=True)
class InsightsView:
    frame: pd.DataFrame
    report: InsightReport
    charts: list[Chart]

    def to_dict(self) -> dict[str, Any]:
        return {"report": self.report.to_dict(), "charts": [c.to_dict() for c in self.charts]}


def insights(journal: Journal, *, last_days: int | None = 90, charts: bool = True) -> InsightsView:
    """The answers over every entry, and (unless ``charts`` is False) charts of the last
    ``last_days`` days."""
    entries = journal.store.entries()
    return analyse_entries(journal, entries, last_days=last_days, charts=charts)


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
