"""Small assertions shared by the safety tests."""

from __future__ import annotations

from datetime import datetime

from speciosa.safety import Alert, JournalWindow, evaluate

from .builders import NOW


def alerts_for(window: JournalWindow, rule_id: str, now: datetime = NOW) -> list[Alert]:
    """The alerts whose rule id starts with ``rule_id`` ("limits" finds "limits.near...")."""
    return [a for a in evaluate(window, now=now) if a.rule_id.startswith(rule_id)]


def only(window: JournalWindow, rule_id: str, now: datetime = NOW) -> Alert:
    """The single alert of ``rule_id``; fails when there is none or more than one."""
    found = alerts_for(window, rule_id, now)
    assert len(found) == 1, [a.rule_id for a in found]
    return found[0]
