"""The journal summary a clinician sees through a share link, and the Insights data.

Pure over the entries it is given; the range is in journal days of the person's zone.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from speciosa.insights import InsightReport, analyse, daily_frame
from speciosa.journal import clock
from speciosa.journal.models import Dose, Profile, StoredEntry
from speciosa.store.journal_store import JournalStore
from speciosa.web import alerts as alert_rules
from speciosa.web.charts import Chart, journal_charts


@dataclass(frozen=True)
class RangeSummary:
    first_day: date
    last_day: date
    counts: dict[str, int]
    days: int
    use_days: int
    grams_per_use_day: float | None
    doses_per_use_day: float | None
    most_grams_in_a_day: float | None
    alerts: list[alert_rules.AlertView]
    charts: list[Chart]

    def numbers(self) -> dict[str, Any]:
        return {
            "days": self.days,
            "use_days": self.use_days,
            "grams_per_use_day": self.grams_per_use_day,
            "doses_per_use_day": self.doses_per_use_day,
            "most_grams_in_a_day": self.most_grams_in_a_day,
        }


def entries_in_days(
    store: JournalStore, *, profile: Profile, first: date, last: date
) -> list[StoredEntry]:
    """Entries whose journal day (in their own zone) lies in [first, last]."""
    start = clock.day_bounds(first, profile.timezone)[0] - timedelta(hours=14)
    end = clock.day_bounds(last, profile.timezone)[1] + timedelta(hours=14)
    return [
        s
        for s in store.entries(since=start, until=end)
        if first <= clock.journal_day(s.entry.at, s.entry.zone) <= last
    ]


def summarise_range(
    store: JournalStore, *, profile: Profile, first: date, last: date, now: datetime
) -> RangeSummary:
    entries = entries_in_days(store, profile=profile, first=first, last=last)
    grams_by_day: dict[date, float] = defaultdict(float)
    doses_by_day: Counter[date] = Counter()
    for stored in entries:
        if isinstance(stored.entry, Dose):
            day = clock.journal_day(stored.entry.at, stored.entry.zone)
            grams_by_day[day] += stored.entry.grams or 0
            doses_by_day[day] += 1
    use_days = len(doses_by_day)
    range_end = clock.day_bounds(last, profile.timezone)[1]
    frame = daily_frame(entries, profile)
    return RangeSummary(
        first_day=first,
        last_day=last,
        counts=dict(Counter(s.entry.kind for s in entries)),
        days=(last - first).days + 1,
        use_days=use_days,
        grams_per_use_day=round(sum(grams_by_day.values()) / use_days, 2) if use_days else None,
        doses_per_use_day=round(sum(doses_by_day.values()) / use_days, 2) if use_days else None,
        most_grams_in_a_day=round(max(grams_by_day.values()), 2) if use_days else None,
        alerts=alert_rules.evaluate(
            profile=profile,
            products=store.products(),
            entries=entries,
            now=min(now, range_end),
        ),
        charts=journal_charts(frame, profile, last_days=None),
    )


def insights(
    entries: list[StoredEntry], profile: Profile, *, last_days: int | None
) -> tuple[InsightReport, list[Chart]]:
    """The n-of-1 answers over the whole journal and the charts for the recent days."""
    frame = daily_frame(entries, profile)
    return analyse(frame, profile), journal_charts(frame, profile, last_days=last_days)
