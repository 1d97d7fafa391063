"""``protocol``, ``evidence`` and ``questionnaire`` through the real command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from speciosa.knowledge import load_knowledge
from speciosa.knowledge.language import recommends_amount
from tests.conftest import Cli, row_counts


@pytest.mark.parametrize(
    "condition", ["fibromyalgia", "chronic_pain", "migraine", "muscle_soreness", "chronic_fatigue"]
)
def test_protocol_shows_evidence_with_sources(cli: Cli, condition: str) -> None:
    result = cli("protocol", condition)
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    protocol = load_knowledge().protocols[condition]
    assert protocol.title in text
    assert "What the evidence says" in text
    for source_id in protocol.evidence.source_ids:
        assert f"[{source_id}]" in text  # every cited source is listed, by id
    assert recommends_amount(text) is None


@pytest.mark.parametrize("condition", ["fibromyalgia", "migraine"])
def test_each_guide_tip_is_followed_by_its_verdict(cli: Cli, condition: str) -> None:
    text = " ".join(cli("protocol", condition).stdout.split())
    knowledge = load_knowledge()
    for tip in knowledge.protocols[condition].guides_suggest:
        claim = knowledge.claim_for(tip)
        tip_at = text.index(" ".join(tip.text.split()))
        verdict_at = text.index(f"evidence: {claim.verdict}", tip_at)
        assert text.index(" ".join(claim.explanation.split())[:40], tip_at) > verdict_at


def test_unknown_condition_is_refused(cli: Cli) -> None:
    result = cli("protocol", "hangover")
    assert result.exit_code == 2


def test_evidence_lists_every_claim_with_its_verdict(cli: Cli) -> None:
    text = " ".join(cli("evidence").stdout.split())
    for claim in load_knowledge().claims.values():
        assert claim.verdict in text
    assert recommends_amount(text) is None


def test_questionnaire_is_scored_by_its_published_rule_and_stored(cli: Cli) -> None:
    # SDS: five items scored 0-3 and summed (Gossop 1995): 1+0+2+1+0 = 4
    result = cli("questionnaire", "sds", "--answers", "1,0,2,1,0")
    assert result.exit_code == 0
    assert "total 4" in result.stdout
    assert "no validated cut-off for kratom" in " ".join(result.stdout.split()).lower()
    [stored] = json.loads(cli("list", "--json").stdout)
    assert (stored["instrument"], stored["items"], stored["score"]) == ("sds", [1, 0, 2, 1, 0], 4.0)


def test_questionnaire_with_wrong_answers_writes_nothing(cli: Cli, cli_db: Path) -> None:
    cli("log", "pain", "3")
    before = row_counts(cli_db)
    for answers, field in (("1,2", "items"), ("0,0,0,0,9", "item 5")):
        result = cli("questionnaire", "sds", "--answers", answers)
        assert result.exit_code == 2
        assert field in result.stderr
    assert row_counts(cli_db) == before


def test_log_questionnaire_computes_builtin_scores(cli: Cli) -> None:
    # FSS is read as the mean of nine 1-7 items (Krupp 1989): all 5s -> 5.0
    assert cli("log", "questionnaire", "fss", "--items", "5,5,5,5,5,5,5,5,5").exit_code == 0
    assert json.loads(cli("list", "--json").stdout)[0]["score"] == 5.0
    wrong = cli("log", "questionnaire", "fss", "--items", "5,5,5,5,5,5,5,5,5", "--score", "45")
    assert wrong.exit_code == 2
    assert "score" in wrong.stderr
