"""The engine: severity order, stable sorting, JSON shape, future entries, pausing plans."""

from __future__ import annotations

from datetime import timedelta

import pytest

from speciosa.journal.catalogues import Symptom
from speciosa.safety import RULES, Alert, Severity, evaluate, pauses_plans
from speciosa.safety.alerts import sort_key

from .builders import NOW, Journal


def _alert(severity: Severity, minutes_ago: int, rule_id: str = "r") -> Alert:
    return Alert(
        rule_id=rule_id,
        severity=severity,
        title="t",
        explanation="e",
        what_to_do="w",
        source_ids=("rogers-2024",),
        entry_ids=(2, 1),
        at=NOW - timedelta(minutes=minutes_ago),
    )


def test_severity_orders_by_urgency_not_alphabet() -> None:
    # alphabetically "caution" < "info" < "urgent" < "warning"; by urgency it is not
    assert Severity.INFO < Severity.CAUTION < Severity.WARNING < Severity.URGENT
    assert max(Severity) is Severity.URGENT
    assert Severity.WARNING >= "caution"
    assert sorted(["urgent", "info", "warning"], key=Severity) == ["info", "warning", "urgent"]


def test_alerts_sort_by_severity_then_newest_then_rule() -> None:
    alerts = [
        _alert(Severity.INFO, 1),
        _alert(Severity.URGENT, 100),
        _alert(Severity.WARNING, 50, "b"),
        _alert(Severity.WARNING, 50, "a"),
        _alert(Severity.WARNING, 10, "z"),
    ]
    ordered = sorted(alerts, key=sort_key)
    assert [(a.severity.value, a.rule_id) for a in ordered] == [
        ("urgent", "r"),
        ("warning", "z"),  # newest warning first
        ("warning", "a"),  # same time: by rule id
        ("warning", "b"),
        ("info", "r"),
    ]


def test_to_dict_is_json_ready() -> None:
    assert _alert(Severity.CAUTION, 0).to_dict() == {
        "rule_id": "r",
        "key": "r@2026-03-21T00:00:00Z",  # the rule and the moment: a new moment, a new key
        "severity": "caution",
        "title": "t",
        "explanation": "e",
        "what_to_do": "w",
        "source_ids": ["rogers-2024"],
        "entry_ids": [2, 1],
        "at": "2026-03-21T00:00:00Z",
        "analogy": False,
    }


def test_pauses_plans_only_with_an_urgent_alert() -> None:
    assert not pauses_plans([])
    assert not pauses_plans([_alert(Severity.WARNING, 0), _alert(Severity.INFO, 0)])
    assert pauses_plans([_alert(Severity.INFO, 0), _alert(Severity.URGENT, 0)])


def test_empty_journal_has_no_alerts() -> None:
    assert evaluate(Journal().window(), now=NOW) == []


def test_entries_after_now_are_ignored() -> None:
    journal = Journal()
    journal.side_effect(0, "19:00", Symptom.SEIZURE)  # 19:00, an hour before NOW
    assert pauses_plans(evaluate(journal.window(), now=NOW))
    assert evaluate(journal.window(), now=NOW - timedelta(hours=2)) == []


def test_evaluate_is_deterministic_and_needs_an_aware_now() -> None:
    journal = Journal()
    journal.daily(range(30), ("08:00", "14:00"))
    journal.substance(1, "15:00", "alcohol")
    first = evaluate(journal.window(), now=NOW)
    assert first == evaluate(journal.window(), now=NOW)
    assert [a.rule_id for a in first] == ["co_use.alcohol", "daily_streak"]
    with pytest.raises(Exception, match="UTC offset"):
        evaluate(journal.window(), now=NOW.replace(tzinfo=None))


def test_rule_ids_are_unique() -> None:
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids))
