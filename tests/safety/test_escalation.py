"""Escalation: Theil–Sen size plus Mann–Kendall significance over the last 12 weeks."""

from __future__ import annotations

import pytest
from scipy import stats

from speciosa.safety.rules.escalation import _rising
from speciosa.safety.trend import Trend, trend

from .builders import Journal
from .helpers import alerts_for, only


def test_trend_matches_scipy_and_ignores_an_outlier() -> None:
    x = [float(i) for i in range(12)]
    y = [2 * v + 1 for v in x]
    y[5] = 100.0  # one wild day does not move a Theil–Sen slope
    found = trend(x, y)
    assert found is not None
    assert found.slope == pytest.approx(2.0)  # median of pairwise slopes
    tau, p = stats.kendalltau(x, y)  # Mann–Kendall = Kendall's tau against time
    assert (found.tau, found.p_value) == (pytest.approx(tau), pytest.approx(p))
    assert found.p_value < 0.001


def test_trend_needs_points_and_variation() -> None:
    assert trend([1, 2, 3], [1, 2, 3]) is None  # fewer than 8 points
    assert trend(list(range(10)), [3.0] * 10) is None  # constant: no trend to test
    with pytest.raises(ValueError, match="same length"):
        trend([1, 2], [1])


def _trend(slope: float, p_value: float, mean: float = 3.0) -> Trend:
    return Trend(slope=slope, low=0, high=0, tau=0.5, p_value=p_value, mean=mean, n=30)


@pytest.mark.parametrize(
    ("slope", "p_value", "fires"),
    [
        (0.01, 0.049, True),  # 0.01 g/day x 30 days / 3 g = exactly 10% a month, p < 0.05
        (0.0099, 0.049, False),  # 9.9% a month: significant but too small to matter
        (0.05, 0.05, False),  # p must be *below* 0.05
        (-0.05, 0.001, False),  # falling use is not escalation
    ],
)
def test_rising_needs_size_and_significance(slope: float, p_value: float, fires: bool) -> None:
    assert (_rising("grams per day", _trend(slope, p_value), rising=True) is not None) is fires


def test_shrinking_gaps_count_in_the_falling_direction() -> None:
    # gap slope -0.4 h/day on a 12 h mean: 100% shorter per month
    assert _rising("gaps", _trend(-0.4, 0.001, mean=12), rising=False) is not None
    assert _rising("gaps", _trend(0.4, 0.001, mean=12), rising=False) is None


def test_steadily_rising_grams_raise_a_caution_listing_the_window_doses() -> None:
    journal = Journal()
    journal.dose(85, "09:00", 2.0)  # before the 84 whole days (12 weeks) that end yesterday
    # the 84 days up to yesterday: 2 g rising by 0.05 g a day (2.0 -> 6.15 g)
    ids = [journal.dose(d, "09:00", round(2 + 0.05 * (84 - d), 2)) for d in range(84, 0, -1)]
    journal.dose(0, "09:00", 0.5)  # today is not over, so it is left out
    alert = only(journal.window(), "escalation")
    assert alert.severity.value == "caution"
    # Theil–Sen slope 0.05 g/day x 30 days / mean (2 + 0.05 x 41.5 = 4.075 g) = 36.8% a month
    assert "Over the last 84 days, grams per day rose by about 37% a month" in alert.explanation
    assert "grams per dose rose by about 37% a month" in alert.explanation  # one dose a day
    assert alert.entry_ids == tuple(ids)
    assert alert.source_ids == ("hill-2024-kud", "singh-2014", "rogers-2024")


def test_more_doses_per_day_and_shorter_gaps() -> None:
    journal = Journal()
    # 1, then 2, then 3 doses a day, four weeks each, always 1 g per dose. (A single step
    # would not do: most pairwise slopes of a one-step series are 0, so its Theil–Sen slope
    # is 0, which is the robustness working; the gaps would still show it.)
    journal.daily(range(84, 56, -1), ("09:00",), grams=1.0)
    journal.daily(range(56, 28, -1), ("09:00", "15:00"), grams=1.0)
    journal.daily(range(28, 0, -1), ("09:00", "15:00", "21:00"), grams=1.0)
    alert = only(journal.window(), "escalation")
    assert "doses per day rose" in alert.explanation
    assert "the time between doses shortened" in alert.explanation
    assert "grams per dose" not in alert.explanation  # 1 g per dose throughout


def test_flat_noisy_use_is_not_escalation() -> None:
    journal = Journal()
    for d in range(84, 0, -1):
        journal.dose(d, "09:00", 3.0 if d % 2 else 3.5)
    assert alerts_for(journal.window(), "escalation") == []


def test_too_little_journal_says_nothing() -> None:
    journal = Journal()
    # a steep rise, but only 27 whole days of journal (fewer than the 28 needed)
    for d in range(27, 0, -1):
        journal.dose(d, "09:00", 1 + 0.5 * (27 - d))
    assert alerts_for(journal.window(), "escalation") == []
