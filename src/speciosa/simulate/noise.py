"""Random building blocks: named independent streams, AR(1) noise, unbiased rounding."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from numpy.typing import NDArray
from scipy.signal import lfilter

Floats = NDArray[np.float64]
Bools = NDArray[np.bool_]
Ints = NDArray[np.int64]

# One stream per concern, so planting an effect (which changes how some draws are used)
# never shifts the draws of another concern. Append new names at the end only: the order
# fixes which seed each stream gets.
STREAMS = (
    "persona",
    "design",
    "use",
    "grams",
    "timing",
    "sleep",
    "ratings",
    "missing",
    "bowel",
    "alcohol",
    "caffeine",
    "side_effects",
    "headache",
    "workout",
    "questionnaire",
    "rating_times",
    "missing_days",
    "stool_noise",
)


def streams(seed: int) -> dict[str, np.random.Generator]:
    """Independent generators named by concern, all derived from ``seed``."""
    children = np.random.SeedSequence(seed).spawn(len(STREAMS))
    return {
        name: np.random.default_rng(child) for name, child in zip(STREAMS, children, strict=True)
    }


def ar1(rng: np.random.Generator, n: int, phi: float, sd: float) -> Floats:
    """Stationary AR(1) noise with lag-1 correlation ``phi`` and marginal SD ``sd``.

    Real diaries are autocorrelated (a bad week is a bad week); later analyses must cope.
    """
    shocks = rng.standard_normal(n) * sd * np.sqrt(1.0 - phi * phi)
    if n:
        shocks[0] = shocks[0] / np.sqrt(1.0 - phi * phi)  # start in the stationary state
    return np.asarray(lfilter([1.0], [1.0, -phi], shocks), dtype=np.float64)


def stochastic_round(values: Floats, step: float | Floats, uniforms: Floats) -> Floats:
    """Round to multiples of ``step``, up with probability equal to the remainder.

    Unlike plain rounding this keeps the mean, so a planted drift survives whole capsules.
    """
    scaled = values / step
    return np.asarray(np.floor(scaled + uniforms) * step, dtype=np.float64)


def sigmoid(x: Floats) -> Floats:
    return np.asarray(1.0 / (1.0 + np.exp(-x)), dtype=np.float64)


def logit(p: float) -> float:
    return float(np.log(p / (1.0 - p)))


def lapses(rng: np.random.Generator, n: int, start: float, stay: float) -> Bools:
    """Runs of days when a person logs nothing but doses (holidays, flare-ups, forgetting)."""
    draws = rng.random(n)
    out = np.zeros(n, dtype=bool)
    inside = False
    for i, u in enumerate(draws):
        inside = bool(u < stay) if inside else bool(u < start)
        out[i] = inside
    return out


def choose(rng: np.random.Generator, weights: Iterable[float], n: int) -> Ints:
    """``n`` indices drawn with the given (unnormalised) weights."""
    w = np.asarray(list(weights), dtype=np.float64)
    return np.asarray(rng.choice(len(w), size=n, p=w / w.sum()), dtype=np.int64)


def round_to(values: Floats, step: float) -> Floats:
    """Round to the nearest ``step`` (people report 5, 10, 15 minutes)."""
    return np.asarray(np.round(values / step) * step, dtype=np.float64)
