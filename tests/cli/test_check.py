"""``speciosa check``: demo journals planted with a risk raise the matching alert.

Seeds are fixed (the simulator is deterministic). Each planted journal shares its seed,
person and noise with a clean one, so the planted risk is the only difference.
"""

from __future__ import annotations

import json

import pytest

from speciosa.knowledge import load_knowledge
from speciosa.knowledge.language import recommends_amount
from tests.conftest import Cli

RISK_ALERTS = {
    "alcohol": "co_use.alcohol",
    "escalation": "escalation",
    "constipation": "constipation_pattern",
}


def _rule_ids(cli: Cli) -> set[str]:
    result = cli("check", "--json")
    assert result.exit_code == 0
    return {alert["rule_id"] for alert in json.loads(result.stdout)}


@pytest.mark.parametrize("seed", [5, 8])
@pytest.mark.parametrize("risk", sorted(RISK_ALERTS))
def test_planted_risk_raises_its_alert_and_clean_journal_does_not(
    cli: Cli, risk: str, seed: int
) -> None:
    demo = ["demo", "--days", "120", "--seed", str(seed), "--effects", "none"]
    assert cli(*demo).exit_code == 0
    assert RISK_ALERTS[risk] not in _rule_ids(cli)
    assert cli(*demo, "--risk", risk).exit_code == 0
    assert RISK_ALERTS[risk] in _rule_ids(cli)


def test_alerts_cite_known_sources_and_entries(cli: Cli) -> None:
    cli("demo", "--days", "120", "--seed", "5", "--effects", "none", "--risk", "alcohol")
    alerts = json.loads(cli("check", "--json").stdout)
    known = load_knowledge().sources
    for alert in alerts:
        assert alert["source_ids"]
        assert set(alert["source_ids"]) <= set(known)
        assert (
            recommends_amount(" ".join([alert["title"], alert["explanation"], alert["what_to_do"]]))
            is None
        )
    [alcohol] = [a for a in alerts if a["rule_id"] == "co_use.alcohol"]
    entries = {e["id"]: e for e in json.loads(cli("list", "--limit", "100000", "--json").stdout)}
    kinds = {entries[i]["kind"] for i in alcohol["entry_ids"]}
    assert {"dose"} < kinds  # the doses and the drinks (substance or sleep-diary) that met


def test_today_shows_open_alerts(cli: Cli) -> None:
    cli("log", "dose", "3g", "--at", "2 hours ago")
    cli("log", "substance", "beer", "--at", "1 hour ago")
    out = cli("today").stdout
    assert "open alerts:        1" in out
    assert "Kratom with alcohol" in out
    [alert] = json.loads(cli("check", "--json").stdout)
    text = " ".join(cli("check").stdout.split())
    assert alert["title"] in text
    assert f"[{', '.join(alert['source_ids'])}]" in text
    assert ("(applied by analogy)" in text) is alert["analogy"]


def test_red_flag_is_urgent(cli: Cli) -> None:
    cli("log", "dose", "3g", "--at", "3 hours ago")
    cli("log", "side-effect", "jaundice")
    [alert] = [a for a in json.loads(cli("check", "--json").stdout) if a["severity"] == "urgent"]
    assert alert["rule_id"].startswith("red_flag")


def test_empty_journal_has_no_alerts(cli: Cli) -> None:
    assert "No alerts" in cli("check").stdout
