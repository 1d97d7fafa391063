"""A robust monotonic trend: Theil–Sen slope with a Mann–Kendall significance test.

Theil–Sen (the median of pairwise slopes) ignores a few outlying days; Mann–Kendall asks
whether later values tend to be larger than earlier ones, without assuming a straight line
or normal noise. Kendall's tau-b against time is the Mann–Kendall statistic with a tie
correction, so ``scipy.stats.kendalltau`` gives its p-value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

MIN_POINTS = 8  # below this the Mann–Kendall normal approximation is poor


@dataclass(frozen=True, slots=True)
class Trend:
    """Slope per unit of x (Theil–Sen), its 95% interval, and the Mann–Kendall p-value."""

    slope: float
    low: float
    high: float
    tau: float
    p_value: float
    mean: float
    n: int

    def percent_per(self, span: float) -> float | None:
        """The slope over ``span`` units of x as a percent of the mean (None if the mean is 0)."""
        return None if self.mean == 0 else self.slope * span / self.mean * 100


def trend(x: Sequence[float], y: Sequence[float]) -> Trend | None:
    """The trend of ``y`` over ``x``; None with too few points or no variation at all."""
    return _trend(tuple(map(float, x)), tuple(map(float, y)))


# The same series come back on every evaluation (a dose logged today leaves the trend of
# whole past days unchanged), and each fit costs milliseconds; the answer depends only on
# the numbers, so a bounded memo keyed by them is exact.
@lru_cache(maxsize=256)
def _trend(x: tuple[float, ...], y: tuple[float, ...]) -> Trend | None:
    xs, ys = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if len(xs) != len(ys):
        raise ValueError(f"x and y must be the same length (got {len(xs)} and {len(ys)})")
    if len(xs) < MIN_POINTS or np.ptp(ys) == 0 or np.ptp(xs) == 0:
        return None
    from scipy import stats  # here, not at import: scipy would slow every command's start

    slope, _intercept, low, high = stats.theilslopes(ys, xs, alpha=0.95)
    tau, p_value = stats.kendalltau(xs, ys)
    return Trend(
        slope=float(slope),
        low=float(low),
        high=float(high),
        tau=float(tau),
        p_value=float(p_value),
        mean=float(ys.mean()),
        n=len(xs),
    )
