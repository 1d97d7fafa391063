"""SDS, SOWS, FSS and PEG: items, scoring by hand, boundaries and refused answers."""

from __future__ import annotations

import pytest

from speciosa.instruments.errors import InstrumentInputError
from speciosa.instruments.questionnaires import (
    QUESTIONNAIRES,
    peg_change,
    score_questionnaire,
)


def test_registry_and_item_counts() -> None:
    # Item counts: SDS 5 (Gossop 1995), SOWS 16 (Handelsman 1987), FSS 9 (Krupp 1989),
    # PEG 3 (Krebs 2009).
    assert {k: len(q.items) for k, q in QUESTIONNAIRES.items()} == {
        "sds": 5, "sows": 16, "fss": 9, "peg": 3,
    }  # fmt: skip
    for questionnaire in QUESTIONNAIRES.values():
        assert [item.number for item in questionnaire.items] == list(
            range(1, len(questionnaire.items) + 1)
        )


def test_item_texts_follow_the_fact_sheet() -> None:
    sds, sows, fss, peg = (QUESTIONNAIRES[k] for k in ("sds", "sows", "fss", "peg"))
    assert sds.items[0].text == "Did you think your use of kratom was out of control?"
    assert sds.items[4].text == "How difficult did you find it to stop, or go without kratom?"
    assert [o.label for o in sds.items[4].options] == [
        "Not difficult", "Quite difficult", "Very difficult", "Impossible",
    ]  # fmt: skip
    assert sows.items[9].text == "My bones and muscles ache"
    assert sows.items[15].text == "I feel like using now"
    # FSS items are Speciosa's paraphrase (the wording is copyrighted), and the form says so
    assert fss.items[7].text == "Fatigue is one of the three symptoms that limit me most."
    assert "paraphrase of the Fatigue Severity Scale items" in fss.instructions
    assert (fss.items[0].low, fss.items[0].high) == (1, 7)
    assert "pain on average in the past week" in peg.items[0].text
    assert "enjoyment of life" in peg.items[1].text
    assert "general activity" in peg.items[2].text


def test_sds_total_and_context_cutoffs() -> None:
    result = QUESTIONNAIRES["sds"].score([1, 2, 0, 3, 1])
    assert result.total == 7
    assert result.score == 7.0
    assert result.basis == "total"
    assert [c.value for c in result.cutoffs] == [3, 4, 6]  # heroin, cocaine, older adults
    assert all(c.reached for c in result.cutoffs)
    assert not any(c.validated_for_kratom for c in result.cutoffs)
    assert "no validated cut-off for kratom" in result.interpretation


def test_sds_boundary_three() -> None:
    result = QUESTIONNAIRES["sds"].score([1, 1, 1, 0, 0])  # total 3
    assert [c.reached for c in result.cutoffs] == [True, False, False]  # >= 3, >= 4, >= 6


def test_sows_range_and_kratom_anchor() -> None:
    sows = QUESTIONNAIRES["sows"]
    assert sows.score([0] * 16).total == 0
    assert sows.score([4] * 16).total == 64  # 16 items x 4
    above = sows.score([1] * 14 + [0, 0])  # 14 > 13.5 (Rogers 2024 mean)
    assert above.cutoffs[0].value == 13.5
    assert above.cutoffs[0].reached
    assert "above that average" in above.interpretation
    below = sows.score([1] * 13 + [0, 0, 0])  # 13
    assert "at or below that average" in below.interpretation
    assert "no validated severity bands" in below.interpretation


def test_fss_mean_exactly_four_reaches_the_cutoff() -> None:
    result = QUESTIONNAIRES["fss"].score([4] * 9)
    assert result.total == 36
    assert result.mean == 4.0
    assert result.score == 4.0
    assert result.basis == "mean"
    assert [(c.basis, c.value, c.reached) for c in result.cutoffs] == [
        ("mean", 4.0, True),  # mean >= 4
        ("total", 36, True),  # Kos 2006: sum >= 36
    ]


def test_fss_just_below_the_cutoff() -> None:
    result = QUESTIONNAIRES["fss"].score([4] * 8 + [3])  # sum 35, mean 3.89
    assert result.mean == pytest.approx(35 / 9)
    assert not any(c.reached for c in result.cutoffs)


def test_peg_score_is_the_mean() -> None:
    result = QUESTIONNAIRES["peg"].score([6, 5, 4])
    assert result.total == 15
    assert result.score == 5.0


@pytest.mark.parametrize(
    ("baseline", "current", "improvement", "meaningful"),
    [
        (10, 7, 30.0, True),  # (10 - 7) / 10 = 30% exactly: meets CDC's 30%
        (6, 4.2, 30.0, True),  # 30% exactly despite binary floating point
        (5, 4, 20.0, False),  # (5 - 4) / 5 = 20%
        (4, 5, -25.0, False),  # worse by 25%
    ],
)
def test_peg_change_against_cdc_30_percent(
    baseline: float, current: float, improvement: float, meaningful: bool
) -> None:
    change = peg_change(baseline, current)
    assert change.improvement_percent == improvement
    assert change.meaningful is meaningful


def test_peg_change_from_zero_is_undefined() -> None:
    change = peg_change(0, 3)
    assert change.improvement_percent is None
    assert change.meaningful is None
    assert "undefined" in change.text


def test_wrong_number_of_answers_is_refused() -> None:
    with pytest.raises(InstrumentInputError) as caught:
        QUESTIONNAIRES["sds"].score([0, 0, 0, 0])
    assert (caught.value.field, caught.value.value) == ("items", 4)
    assert "exactly 5 answers" in str(caught.value)


@pytest.mark.parametrize(
    ("instrument", "answers", "field", "value", "allowed"),
    [
        ("sds", [0, 4, 0, 0, 0], "item 2", 4, "0 to 3"),
        ("sows", [0] * 15 + [5], "item 16", 5, "0 to 4"),
        ("fss", [0] + [4] * 8, "item 1", 0, "1 to 7"),
        ("peg", [5, 11, 5], "item 2", 11, "0 to 10"),
        ("peg", [5, 5, True], "item 3", True, "0 to 10"),  # a bool is not an answer
    ],
)
def test_out_of_range_answers_name_item_value_and_range(
    instrument: str, answers: list[int], field: str, value: object, allowed: str
) -> None:
    with pytest.raises(InstrumentInputError) as caught:
        score_questionnaire(instrument, answers)
    assert caught.value.field == field
    assert caught.value.value == value
    assert allowed in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_unknown_instrument_is_refused() -> None:
    with pytest.raises(InstrumentInputError, match="sds, sows, fss, peg"):
        score_questionnaire("phq9", [0])
