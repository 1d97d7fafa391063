"""Marking an alert as seen: Today folds it away until the pattern continues.

An alert's key names its rule and the moment the pattern was last seen (``Alert.key``), so
a new dose or drink that continues the pattern gives a new key and the alert is back.
Urgent alerts cannot be folded away: they stay on top of Today while they are open.
"""

from __future__ import annotations

from speciosa.errors import InvalidInput
from speciosa.safety import Alert

from .alerts import open_alerts
from .unit import Journal


def seen_keys(journal: Journal) -> frozenset[str]:
    return journal.seen_alerts.keys()


def mark_seen(journal: Journal, key: str) -> Alert:
    """Fold an open, non-urgent alert away on Today; refused for anything else."""
    alerts = open_alerts(journal)
    alert = next((a for a in alerts if a.key == key), None)
    if alert is None:
        raise InvalidInput("alert", key, "only an open alert can be marked as seen")
    if alert.severity == "urgent":
        raise InvalidInput(
            "alert", alert.title, "urgent alerts stay on Today until the pattern stops"
        )
    journal.seen_alerts.keep_only(frozenset(a.key for a in alerts))
    journal.seen_alerts.mark(key, journal.now)
    return alert


def unmark_seen(journal: Journal, key: str) -> None:
    """Undo: show the alert on Today again."""
    journal.seen_alerts.forget(key)
