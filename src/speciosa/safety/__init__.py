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
