"""Run every rule over a journal window and order the alerts.

Pure: the caller passes ``now`` and the window; nothing is read or printed here. The order
is stable (most severe first, then most recent, then rule id), so the same journal always
gives the same list.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from speciosa.journal import clock
from speciosa.safety.alerts import Alert, Severity, sort_key
from speciosa.safety.rules import RULES, Rule
from speciosa.safety.thresholds import CO_USE_WINDOW_HOURS
from speciosa.safety.window import JournalWindow

# How far back a caller must read the journal for every rule to see all it needs: the
# longest look-back is ICHD-3's medication overuse, "more than 3 months" read as four
# 30-day periods (rules/migraine.py), plus a week so that the oldest period is never cut
# short by time zones or the 04:00 day start.
LOOKBACK = timedelta(days=4 * 30 + 7)

# What a front end prints next to "No alerts": an empty list is not a clean bill of health,
# and the co-use window is a convention (safety.thresholds.CO_USE_WINDOW_HOURS).
NO_ALERTS_NOTE = (
    "No alerts means none of Speciosa's checks matched what you logged; it does not mean a "
    "combination is safe. Other substances count as used with kratom when logged within "
    f"{CO_USE_WINDOW_HOURS.value:g} hours of a dose, a convention rather than a safe gap: "
    "kratom's alkaloids stay in the blood for a day or more."
)


def evaluate(window: JournalWindow, *, now: datetime, rules: Sequence[Rule] = RULES) -> list[Alert]:
    """All alerts the rules raise for ``window`` at ``now``, most severe first.

    ``now`` must be timezone-aware; entries after it are ignored (they cannot have
    happened yet).
    """
    instant = clock.utc(now)
    alerts = [alert for rule in rules for alert in rule.check(window, instant)]
    return sorted(alerts, key=sort_key)


def pauses_plans(alerts: Iterable[Alert]) -> bool:
    """True when an urgent alert is present: taper plans and experiments should pause."""
    return any(alert.severity is Severity.URGENT for alert in alerts)
