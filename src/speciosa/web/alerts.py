"""Safety alerts for the web pages: ``speciosa.safety`` when installed, else a minimal
interaction check from the knowledge files, so Today can warn about combinations.

The pages only need what an alert says and the sources behind it, so both paths produce
the same :class:`AlertView`.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from speciosa.journal import clock
from speciosa.journal.models import Dose, Product, Profile, StoredEntry, Substance
from speciosa.knowledge import Source, load_knowledge

# How far back Today and Safety look for alerts: the longest look-back of the rules is
# ICHD-3's "more than 3 months" of overuse (4 periods of 30 days), plus a week.
WINDOW = timedelta(days=4 * 30 + 7)
# Alerts are kept while the journal is unchanged, for at most this long (rules that
# count hours since a dose move on with the clock).
CACHE_SECONDS = 60

SEVERITY_ORDER = {"urgent": 0, "warning": 1, "caution": 2, "info": 3}


@dataclass(frozen=True)
class AlertView:
    rule_id: str
    severity: str
    title: str
    explanation: str
    what_to_do: str
    sources: tuple[Source, ...]
    entry_ids: tuple[int, ...]
    # The safety engine's own alert (None from the fallback rule), for ``pauses_plans``.
    alert: Any = field(default=None, compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "severity": self.severity,
            "title": self.title,
            "explanation": self.explanation,
            "what_to_do": self.what_to_do,
            "source_ids": [s.id for s in self.sources],
            "entry_ids": list(self.entry_ids),
        }


def evaluate(
    *,
    profile: Profile,
    products: Sequence[Product],
    entries: Sequence[StoredEntry],
    now: datetime,
) -> list[AlertView]:
    """Alerts for a window of entries, most severe first."""
    safety = _safety()
    if safety is not None:
        window = safety.JournalWindow(profile, list(products), list(entries))
        views = [_view(alert) for alert in safety.evaluate(window, now=now)]
    else:
        views = _interactions(entries)
    return sorted(views, key=lambda a: (SEVERITY_ORDER.get(a.severity, 9), a.title))


def _safety() -> Any | None:
    try:
        return importlib.import_module("speciosa.safety")
    except ImportError:
        return None


def _sources(ids: Sequence[str]) -> tuple[Source, ...]:
    known = load_knowledge().sources
    return tuple(known[i] for i in ids if i in known)


def _view(alert: Any) -> AlertView:
    return AlertView(
        rule_id=str(alert.rule_id),
        severity=str(getattr(alert.severity, "value", alert.severity)),
        title=alert.title,
        explanation=alert.explanation,
        what_to_do=alert.what_to_do,
        sources=_sources(tuple(alert.source_ids)),
        entry_ids=tuple(int(i) for i in getattr(alert, "entry_ids", ()) if isinstance(i, int)),
        alert=alert,
    )


def _interactions(entries: Sequence[StoredEntry]) -> list[AlertView]:
    """A dose and an interacting substance on the same journal day (fallback rule)."""
    interactions = load_knowledge().interactions
    dose_days = {
        clock.journal_day(s.entry.at, s.entry.zone): s.id
        for s in entries
        if isinstance(s.entry, Dose)
    }
    found: dict[str, list[int]] = {}
    for stored in entries:
        entry = stored.entry
        if not isinstance(entry, Substance):
            continue
        kind = entry.substance_class.value
        day = clock.journal_day(entry.at, entry.zone)
        if kind in interactions and day in dose_days:
            found.setdefault(kind, []).extend([dose_days[day], stored.id])
    return [
        AlertView(
            rule_id=f"interaction.{kind}",
            severity=interactions[kind].severity,
            title=interactions[kind].title,
            explanation=interactions[kind].explanation,
            what_to_do=interactions[kind].what_to_do,
            sources=_sources(interactions[kind].source_ids),
            entry_ids=tuple(sorted(set(ids))),
        )
        for kind, ids in found.items()
    ]


@dataclass
class AlertCache:
    """The last alerts per person, valid while their journal version is unchanged."""

    _found: dict[int, tuple[object, datetime, list[AlertView]]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def get(
        self,
        owner_id: int,
        version: object,
        now: datetime,
        compute: Callable[[], list[AlertView]],
    ) -> list[AlertView]:
        with self._lock:
            hit = self._found.get(owner_id)
        if (
            hit is not None
            and hit[0] == version
            and 0 <= (now - hit[1]).total_seconds() < CACHE_SECONDS
        ):
            return hit[2]
        alerts = compute()
        with self._lock:
            self._found[owner_id] = (version, now, alerts)
        return alerts
