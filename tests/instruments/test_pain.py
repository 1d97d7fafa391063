"""Pain change against a baseline, read with Farrar 2001 (about 2 points or about 30%)."""

from __future__ import annotations

import pytest

from speciosa.instruments.errors import InstrumentInputError
from speciosa.instruments.pain import ZERO_BASELINE_NOTE, pain_change, percent_change


def test_both_criteria_met() -> None:
    change = pain_change(6, 4)
    assert change.change_points == -2  # 4 - 6
    assert change.change_percent == pytest.approx(-33.333, abs=1e-3)  # -2 / 6 * 100
    assert change.important_by_points
    assert change.important_by_percent
    assert change.source_ids == ("farrar-2001",)


def test_neither_criterion_met() -> None:
    change = pain_change(7, 5.5)
    assert change.change_points == -1.5
    assert change.change_percent == pytest.approx(-21.429, abs=1e-3)  # -1.5 / 7 * 100
    assert not change.important_by_points
    assert change.important_by_percent is False


def test_low_baseline_meets_percent_but_not_points() -> None:
    # Farrar: higher baselines need larger raw changes; 3 -> 2 is 33% but only 1 point.
    change = pain_change(3, 2)
    assert not change.important_by_points
    assert change.important_by_percent


def test_exactly_30_percent_counts() -> None:
    # 6 -> 4.2 is -30% exactly (binary floats give -29.999999999999993 without rounding).
    assert percent_change(6, 4.2) == -30.0
    assert pain_change(6, 4.2).important_by_percent


def test_zero_baseline_has_no_percent_and_says_why() -> None:
    change = pain_change(0, 2)
    assert change.change_percent is None
    assert change.important_by_percent is None
    assert ZERO_BASELINE_NOTE in change.text


def test_worse_pain_is_never_an_improvement() -> None:
    change = pain_change(4, 6)
    assert change.change_points == 2
    assert change.change_percent == 50.0
    assert not change.important_by_points
    assert not change.important_by_percent
    assert "higher" in change.text


@pytest.mark.parametrize(
    ("baseline", "current", "field"), [(11, 5, "baseline"), (5, -1, "current")]
)
def test_out_of_range_scores_are_refused(baseline: float, current: float, field: str) -> None:
    with pytest.raises(InstrumentInputError) as caught:
        pain_change(baseline, current)
    assert caught.value.field == field
