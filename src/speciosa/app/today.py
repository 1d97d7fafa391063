"""Today: the last dose (to repeat in one tap), today's use against the person's own
limits, the running plans' lines and the open alerts. The CLI's ``today``, the Today page
and ``GET /api/v1/today`` all show this one view.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from datetime import timedelta
from operator import attrgetter
from typing import TYPE_CHECKING, Any, cast

from speciosa.journal.models import Dose, UsualDose
from speciosa.journal.today import TodaySummary, summarise_today
from speciosa.safety import Alert

from .alerts import kept_entries, open_alerts, plans_paused
from .plans import today_lines_for
from .reminders import DueItem, due
from .seen_alerts import seen_keys
from .unit import Journal

if TYPE_CHECKING:
    from speciosa.safety.window import Stored

# summarise_today needs the last 7 days; two more cover zones and the 04:00 day start.
DOSE_LOOKBACK = timedelta(days=9)
_AT = attrgetter("entry.at")


@dataclass(frozen=True)
class TodayView:
    summary: TodaySummary
    last_product: str | None
    last_amount: str
    alerts: list[Alert]
    plan_lines: tuple[str, ...]
    plans_paused: bool
    products: list[str]
    has_profile: bool
    due: tuple[DueItem, ...] = ()  # the reminders due now (off until the person turns one on)
    seen: frozenset[str] = frozenset()  # keys of the open alerts the person marked as seen
    usual_dose: UsualDose | None = None  # the person's saved one-tap dose

    def is_seen(self, alert: Alert) -> bool:
        return alert.key in self.seen

    @property
    def urgent_alerts(self) -> list[Alert]:
        """Always on top: an urgent alert cannot be marked as seen."""
        return [a for a in self.alerts if a.severity == "urgent"]

    @property
    def listed_alerts(self) -> list[Alert]:
        return [a for a in self.alerts if a.severity != "urgent" and not self.is_seen(a)]

    @property
    def folded_alerts(self) -> list[Alert]:
        """Marked as seen: folded away until the pattern continues (a new key)."""
        return [a for a in self.alerts if a.severity != "urgent" and self.is_seen(a)]

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (``speciosa today --json`` and ``GET /api/v1/today``)."""
        summary = self.summary
        last = summary.last_dose
        return {
            "day": summary.day.isoformat(),
            "minutes_since_last_dose": summary.minutes_since_last_dose,
            "last_dose": None if last is None else last.model_dump(mode="json"),
            "grams": _use(summary.grams),
            "doses": _use(summary.doses),
            "use_days_this_week": _use(summary.use_days_this_week),
            "plan_lines": list(self.plan_lines),
            "plans_paused": self.plans_paused,
            "alerts": [alert.to_dict() for alert in self.alerts],
            "has_profile": self.has_profile,
            "due": [item.to_dict() for item in self.due],
            "seen_alerts": sorted(a.key for a in self.alerts if self.is_seen(a)),
            "usual_dose": None if self.usual_dose is None else self.usual_dose.model_dump(),
        }


def _use(use: Any) -> dict[str, Any]:
    return {"used": use.used, "limit": use.limit, "reached": use.reached}


def today(journal: Journal) -> TodayView:
    # From the kept window the alerts read (the look-back covers these days): after the
    # first view, only what changed is read again.
    kept = kept_entries(journal)
    first = bisect_left(kept, journal.now - DOSE_LOOKBACK, key=_AT)
    doses = cast("list[Stored[Dose]]", [s for s in kept[first:] if isinstance(s.entry, Dose)])
    summary = summarise_today(doses, journal.profile, now=journal.now)
    last = summary.last_dose
    alerts = open_alerts(journal)
    lines = today_lines_for(journal, alerts)
    return TodayView(
        summary=summary,
        last_product=None if last is None else last.product,
        last_amount="" if last is None else f"{last.amount:g} {last.unit.value}",
        alerts=alerts,
        plan_lines=lines,
        plans_paused=bool(lines) and plans_paused(alerts),
        products=[p.name for p in journal.store.products()],
        has_profile=journal.has_profile,
        due=tuple(due(journal)),
        seen=seen_keys(journal) if alerts else frozenset(),
        usual_dose=journal.profile.usual_dose,
    )
