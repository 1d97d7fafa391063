"""Bristol scale and the Rome IV-style summary, computed by hand from the criteria.

Rome IV (fact sheet B3): 2 or more of straining, hard stools (Bristol 1–2), incomplete
evacuation, blockage, manual manoeuvres in MORE than 25% of defecations, or fewer than
3 spontaneous bowel movements a week.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from speciosa.instruments.bowel import (
    BRISTOL_TYPES,
    BowelMovement,
    bristol_description,
    is_hard,
    is_loose,
    oic_pattern,
    oic_pattern_around,
    rome_iv_summary,
)
from speciosa.instruments.errors import InstrumentInputError

START = datetime(2024, 5, 1, tzinfo=UTC)
TWO_WEEKS = START + timedelta(days=14)


def diary(
    n: int, *, start: datetime = START, hard: int = 0, straining: int = 0, laxative: int = 0
) -> list[BowelMovement]:
    """n movements 36 h apart; the first `hard` are Bristol 1, the first `straining` strained."""
    return [
        BowelMovement(
            at=start + timedelta(hours=36 * i),
            bristol=1 if i < hard else 4,
            straining=i < straining,
            spontaneous=i < n - laxative,  # the last `laxative` ones were laxative-induced
        )
        for i in range(n)
    ]


def test_bristol_descriptions_and_groups() -> None:
    assert len(BRISTOL_TYPES) == 7
    # Speciosa's paraphrase of Lewis & Heaton (reuse terms of the published wording unconfirmed)
    assert bristol_description(1) == "Small hard lumps, each separate; difficult to pass"
    assert bristol_description(4) == "One long piece, smooth and soft"
    assert bristol_description(7) == "Entirely liquid, with no solid pieces"
    assert [t for t in range(1, 8) if is_hard(t)] == [1, 2]  # Rome IV "types 1–2"
    assert [t for t in range(1, 8) if is_loose(t)] == [6, 7]  # Rome IV "types 6–7"


def test_exactly_25_percent_is_not_more_than_25() -> None:
    # 8 movements in 14 days: straining 3/8 = 37.5% (> 25), hard 2/8 = 25.0% (not > 25),
    # 8 spontaneous / 2 weeks = 4 a week (not < 3). One feature: no pattern.
    summary = rome_iv_summary(diary(8, hard=2, straining=3), start=START, end=TWO_WEEKS)
    hard = next(f for f in summary.features if f.feature == "hard_stools")
    assert (hard.count, hard.share, hard.present) == (2, 25.0, False)
    assert summary.spontaneous_per_week == 4.0
    assert summary.features_present == ("straining",)
    assert not summary.meets_pattern
    assert "does not meet" in summary.text


def test_two_features_meet_the_pattern() -> None:
    # hard 3/8 = 37.5% and straining 3/8 = 37.5%: two features, the pattern is met.
    summary = rome_iv_summary(diary(8, hard=3, straining=3), start=START, end=TWO_WEEKS)
    assert summary.features_present == ("straining", "hard_stools")
    assert summary.meets_pattern
    assert "not a diagnosis" in summary.text


def test_fewer_than_three_spontaneous_a_week() -> None:
    # 6 movements, 1 after a laxative: 5 spontaneous / 2 weeks = 2.5 a week (< 3).
    summary = rome_iv_summary(diary(6, laxative=1), start=START, end=TWO_WEEKS)
    assert summary.spontaneous == 5
    assert summary.spontaneous_per_week == 2.5
    assert summary.features_present == ("few_spontaneous",)


def test_exactly_three_a_week_is_not_fewer_than_three() -> None:
    summary = rome_iv_summary(diary(6), start=START, end=TWO_WEEKS)  # 6 / 2 weeks = 3.0
    assert summary.spontaneous_per_week == 3.0
    assert summary.features_present == ()


def test_empty_week_has_no_shares() -> None:
    summary = rome_iv_summary([], start=START, end=START + timedelta(days=7))
    assert summary.movements == 0
    assert all(f.share is None for f in summary.features)
    assert summary.features_present == ("few_spontaneous",)  # 0 a week
    assert not summary.meets_pattern  # one feature only


def test_movements_outside_the_window_are_ignored() -> None:
    before = BowelMovement(at=START - timedelta(seconds=1), bristol=1, straining=True)
    at_end = BowelMovement(at=TWO_WEEKS, bristol=1, straining=True)  # end is exclusive
    summary = rome_iv_summary([before, *diary(8), at_end], start=START, end=TWO_WEEKS)
    assert summary.movements == 8
    assert summary.features_present == ()


def test_loose_share_is_reported() -> None:
    movements = [*diary(6), BowelMovement(at=START + timedelta(days=13), bristol=7)]
    summary = rome_iv_summary(movements, start=START, end=TWO_WEEKS)
    assert summary.loose_share == pytest.approx(100 / 7)  # 1 of 7 movements
    assert "Loose stools (Bristol 6–7) were 14%" in summary.text


def test_window_shorter_than_a_week_is_refused() -> None:
    with pytest.raises(InstrumentInputError) as caught:
        rome_iv_summary([], start=START, end=START + timedelta(days=6))
    assert caught.value.field == "end"


def test_bad_bristol_type_is_refused() -> None:
    with pytest.raises(InstrumentInputError) as caught:
        rome_iv_summary([BowelMovement(at=START, bristol=8)], start=START, end=TWO_WEEKS)
    assert caught.value.field == "movements[0].bristol"
    with pytest.raises(InstrumentInputError):
        bristol_description(0)


def test_new_pattern_after_a_dose_increase() -> None:
    change = TWO_WEEKS
    before = diary(8)  # no features
    after = diary(8, start=change, hard=3, straining=3)  # two features
    check = oic_pattern_around(
        [*before, *after], change_at=change, baseline_start=START,
        after_end=change + timedelta(days=14),
    )  # fmt: skip
    assert check.new_pattern
    assert check.new_or_worse
    assert not check.worse_pattern
    assert check.is_analogy
    assert "kratom is not named in Rome IV" in check.text


def test_worse_and_unchanged_patterns() -> None:
    baseline = rome_iv_summary(diary(8, hard=3, straining=3), start=START, end=TWO_WEEKS)
    later = TWO_WEEKS + timedelta(days=14)
    worse_diary = [
        BowelMovement(at=m.at + timedelta(days=14), bristol=m.bristol, straining=m.straining,
                      incomplete=True)
        for m in diary(8, hard=3, straining=3)
    ]  # fmt: skip
    worse = rome_iv_summary(worse_diary, start=TWO_WEEKS, end=later)
    assert oic_pattern(baseline, worse).worse_pattern  # 3 features after vs 2 before
    same = rome_iv_summary(
        diary(8, start=TWO_WEEKS, hard=3, straining=3), start=TWO_WEEKS, end=later
    )
    unchanged = oic_pattern(baseline, same)
    assert not unchanged.new_or_worse
    assert unchanged.text.startswith("No new or worse constipation pattern")


def test_after_window_must_not_precede_the_baseline_end() -> None:
    summary = rome_iv_summary(diary(8), start=START, end=TWO_WEEKS)
    with pytest.raises(InstrumentInputError) as caught:
        oic_pattern(summary, summary)
    assert caught.value.field == "after.start"
