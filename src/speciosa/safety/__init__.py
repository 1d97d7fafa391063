"""The safety engine: rules over a journal window that return alerts, each citing sources.

    from speciosa.safety import JournalWindow, evaluate, pauses_plans
    alerts = evaluate(JournalWindow(profile, products, stored_entries), now=now)
    [a.to_dict() for a in alerts]          # rule_id, severity, title, ..., entry_ids
    pauses_plans(alerts)                   # True with any urgent alert
    NO_ALERTS_NOTE                         # print it where the person sees "No alerts"

Rules live one per concern in :mod:`speciosa.safety.rules` (registry ``RULES``); their
conventions (streak lengths, look-back windows) are in :mod:`speciosa.safety.thresholds`.
No alert recommends an amount of kratom.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from speciosa.lazy import lazy_attributes

if TYPE_CHECKING:
    from speciosa.safety.alerts import Alert, Severity
    from speciosa.safety.engine import LOOKBACK, NO_ALERTS_NOTE, evaluate, pauses_plans
    from speciosa.safety.rules import RULES, Rule
    from speciosa.safety.window import JournalWindow

__all__ = [
    "LOOKBACK",
    "NO_ALERTS_NOTE",
    "RULES",
    "Alert",
    "JournalWindow",
    "Rule",
    "Severity",
    "evaluate",
    "pauses_plans",
]

# Loaded on first use: the journal's unit of work keeps entries as the rules read them
# (``safety.window``), and logging one entry must not import the rules (and numpy).
__getattr__ = lazy_attributes(
    __name__,
    {
        "Alert": "speciosa.safety.alerts",
        "Severity": "speciosa.safety.alerts",
        "LOOKBACK": "speciosa.safety.engine",
        "NO_ALERTS_NOTE": "speciosa.safety.engine",
        "evaluate": "speciosa.safety.engine",
        "pauses_plans": "speciosa.safety.engine",
        "RULES": "speciosa.safety.rules",
        "Rule": "speciosa.safety.rules",
        "JournalWindow": "speciosa.safety.window",
    },
)
