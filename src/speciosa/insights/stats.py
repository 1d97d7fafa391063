"""Regression with autocorrelation-robust (HAC/HAR) errors on a journal's day grid.

Day-to-day outcomes are autocorrelated (a bad week is several bad days; a product is used
for weeks), so ordinary standard errors are too narrow. Two sandwich estimators are here:

* ``"ewc"`` (the default the analyses use): equal-weighted cosine, with ν = 0.4·T^(2/3)
  cosine terms (T days on the grid the rows span, see :func:`ewc_grid_terms`) and
  Student-t(ν) intervals, as recommended by Lazarus, Lewis, Stock & Watson, "HAR inference:
  recommendations for practice", JBES 2018. Its t(ν) reference
  makes the test size honest in short series, where Newey–West with the usual lag rule
  over-claims (bench/insights_calibration.py showed 7–8% false claims at 5%).
* ``"newey-west"``: Bartlett weights, the Newey & West (1994) lag rule, the factor n/(n−k)
  and t(n−k) intervals; equal to statsmodels ``cov_type="HAC"`` with ``use_correction=True``.

With ``small_sample`` (what the analyses use) the EWC variance of each reported contrast is
made unbiased, and its t reference gets Satterthwaite degrees of freedom, under a working
model of independent, equal-variance errors: the bias-reduced linearisation of Bell &
McCaffrey (2002, Survey Methodology 28:169-181) with the degrees of freedom Imbens & Kolesár
recommend ("Robust standard errors in small samples: some practical advice", REStat 2016),
applied to the EWC quadratic form instead of a cluster sandwich. EWC's own t(ν) is exact
only for a mean; with a linear trend, a rarely-used exposure or few rows per
coefficient the residuals' cosine projections are too small and the t(ν) too thin-tailed.
In simulation a change per month claimed 7-8.5% at a nominal 5% with raw EWC, 6.4-6.7%
with the leverage (HC3-type) adjustment used before, and 4.9-5.2% with this correction
(bench/RESULTS.md, Insights notes).

Intervals are two-sided at ``constants.INTERVAL_LEVEL`` (96%) unless a level is given; the
figures above were measured at 95%, the level used then.

A journal has gaps: days without an entry. Scores are placed on the full day grid (zeros
on missing days) before they are combined, so rows nine days apart are never treated as
neighbours, and the cosines run over real calendar time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray
from scipy import fft, special, stats

from speciosa.insights.constants import INTERVAL_LEVEL

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

# Logistic fits that have not settled after this many Newton steps are refused, not guessed.
LOGIT_MAX_ITERATIONS = 50
LOGIT_TOLERANCE = 1e-10
# A day that alone determines a coefficient (leverage 1) would divide by zero.
LEVERAGE_FLOOR = 0.05


Kernel = Literal["ewc", "newey-west"]


class FitError(ValueError):
    """The data cannot support the model (collinear design, separation, too few rows)."""


@dataclass(frozen=True, slots=True)
class Fit:
    """Coefficients and their robust covariance; ``names`` label the design columns.

    ``df_resid`` is the t reference's degrees of freedom (ν for EWC, n−k for Newey–West);
    ``bandwidth`` is ν cosine terms (EWC) or the lag length (Newey–West).
    """

    names: tuple[str, ...]
    params: FloatArray
    cov: FloatArray
    nobs: int
    df_resid: int
    bandwidth: int
    kernel: Kernel = "ewc"
    leverage: bool = False
    """Residuals were leverage-adjusted (HC3-type) before the sandwich."""
    working: Working | None = None
    """Set when each contrast gets the small-sample correction (see :class:`Working`)."""

    @property
    def description(self) -> str:
        adjusted = ", leverage-adjusted residuals (HC3)" if self.leverage else ""
        if self.kernel == "ewc" and self.working is not None:
            return (
                f"EWC autocorrelation-robust errors (ν = {self.bandwidth}) with the "
                "Bell–McCaffrey small-sample correction and t with Satterthwaite degrees "
                f"of freedom (at most {self.bandwidth})"
            )
        if self.kernel == "ewc":
            return (
                f"EWC autocorrelation-robust errors (ν = {self.bandwidth}), t({self.bandwidth})"
                + adjusted
            )
        return f"Newey–West HAC errors (lag {self.bandwidth}), t({self.df_resid})" + adjusted

    def interval(self, name: str, level: float = INTERVAL_LEVEL) -> tuple[float, float, float]:
        """The estimate of ``name`` and its two-sided ``level`` t-interval (default: the
        level every answer is shown at, ``constants.INTERVAL_LEVEL``)."""
        return self.contrast({name: 1.0}, level)

    def contrast(
        self, weights: dict[str, float], level: float = INTERVAL_LEVEL
    ) -> tuple[float, float, float]:
        """A linear combination of coefficients with its t-interval."""
        w = np.array([weights.get(name, 0.0) for name in self.names])
        estimate = float(w @ self.params)
        variance = max(float(w @ self.cov @ w), 0.0)
        dof: float = self.df_resid
        if self.working is not None:
            factor, dof = self.working.correction(w)
            variance *= factor
        q = float(stats.t.ppf(0.5 + level / 2, dof))
        se = math.sqrt(variance)
        return estimate, estimate - q * se, estimate + q * se


@dataclass(frozen=True, slots=True)
class Working:
    """What the Bell–McCaffrey / Satterthwaite correction of an EWC contrast needs.

    For a contrast w the EWC variance is a quadratic form in the errors u:
    V̂ = (1/ν) Σ_j (g_j'u)² with g_j = M (c_j ∘ a), a = Z B w, c_j the j-th cosine
    √2 cos(π j (t + ½)/T) at each row's day, M = I − Z B Z' the residual maker and
    B = (Z'Z)⁻¹. With independent, unit-variance errors (the working model)
    E V̂ = tr(G'G)/ν and Var V̂ = 2 ‖G'G‖²/ν², while the true variance is ‖a‖².
    So V̂ is scaled by ‖a‖² ν / tr(G'G) (Bell & McCaffrey 2002), and the t reference
    gets Satterthwaite's df = tr(G'G)² / ‖G'G‖²_F (as Imbens & Kolesár 2016 do for the
    cluster sandwich), which is ν when the cosine projections are balanced, less otherwise.
    ``design`` is Z: X for least squares, W^½X for the logistic fit (unit-variance
    Pearson residuals). ``bread`` is (Z'Z)⁻¹ (also the model covariance for the logit).
    """

    design: FloatArray
    bread: FloatArray
    cosines: FloatArray

    def correction(self, w: FloatArray) -> tuple[float, float]:
        """(variance factor, degrees of freedom) for the contrast ``w``."""
        a = self.design @ (self.bread @ w)
        g = self.cosines * a[:, None]
        g = g - self.design @ (self.bread @ (self.design.T @ g))
        gram = g.T @ g
        trace = float(np.trace(gram))
        if trace <= 0:
            return 1.0, float(self.cosines.shape[1])
        terms = self.cosines.shape[1]
        dof = trace**2 / float(np.sum(gram * gram))  # between 1 and ν by Cauchy–Schwarz
        return float(a @ a) * terms / trace, dof


def ewc_cosines(days: IntArray, terms: int) -> FloatArray:
    """√2 cos(π j (t + ½)/T), j = 1..ν, at each row's day t on a grid of T days."""
    offsets = _offsets(days).astype(np.float64)
    span = float(offsets.max()) + 1
    j = np.arange(1, terms + 1, dtype=np.float64)
    return np.asarray(
        math.sqrt(2) * np.cos(np.pi * np.outer(offsets + 0.5, j) / span), dtype=np.float64
    )


def newey_west_lags(n: int) -> int:
    """Lag length floor(4 (n/100)^(2/9)) (Newey & West 1994), at least 1."""
    return max(1, math.floor(4 * (n / 100) ** (2 / 9)))


def ewc_terms(n: int) -> int:
    """ν = floor(0.4 n^(2/3)) cosine terms (Lazarus, Lewis, Stock & Watson 2018), at least 2."""
    return max(2, math.floor(0.4 * n ** (2 / 3)))


def ewc_grid_terms(days: IntArray, coefficients: int) -> int:
    """ν for rows on ``days``: the rule of :func:`ewc_terms` for the length T of the day grid
    the cosines run over, at most n − k − 1 (n rows, k coefficients), at least 2.

    The rule is stated for a series of T consecutive periods, and EWC here runs over the
    calendar grid with zeros on the days without a row. Taking ν from the rows instead
    understated it on gapped series (product answers on dose days with 40% of days missing:
    ν = 5 for 48 rows over 232 days, Satterthwaite df about 3), which made the intervals
    wider than their level (97-98% coverage at 96%; bench/RESULTS.md). On a full grid
    T = n and nothing changes; the cap keeps ν within what n rows can carry.
    """
    span = int(days.max() - days.min()) + 1
    return max(2, min(ewc_terms(span), len(days) - coefficients - 1))


def ewc_meat(scores: FloatArray, days: IntArray, terms: int) -> FloatArray:
    """T/ν · Σ_j Λ_j Λ_j' with Λ_j = √(2/T) Σ_t cos(π j (t + ½) / T) u_t over the day grid."""
    offsets = _offsets(days)
    span = int(offsets.max()) + 1
    grid = np.zeros((span, scores.shape[1]))
    grid[offsets] = scores
    # scipy's DCT-II is 2 Σ_t u_t cos(π j (2t + 1) / 2T): the same sums, in O(T log T).
    projections = fft.dct(grid, type=2, axis=0)[1 : terms + 1] * (math.sqrt(2 / span) / 2)
    return np.asarray(span * projections.T @ projections / terms, dtype=np.float64)


def _offsets(days: IntArray) -> IntArray:
    offsets = days - days.min()
    if len(np.unique(offsets)) != len(offsets):
        raise FitError("each day may appear only once in a time-series fit")
    return offsets


def _sandwich(
    bread: FloatArray, scores: FloatArray, days: IntArray, kernel: Kernel, bandwidth: int | None
) -> tuple[FloatArray, int, int]:
    """Covariance, bandwidth and t degrees of freedom for ``kernel``."""
    n, k = scores.shape
    if kernel == "ewc":
        terms = ewc_grid_terms(days, k) if bandwidth is None else bandwidth
        return bread @ ewc_meat(scores, days, terms) @ bread, terms, terms
    lags = newey_west_lags(n) if bandwidth is None else bandwidth
    cov = bread @ hac_meat(scores, days, lags) @ bread * (n / (n - k))
    return cov, lags, n - k


def hac_meat(scores: FloatArray, days: IntArray, maxlags: int) -> FloatArray:
    """Σ over day pairs at most ``maxlags`` apart of Bartlett-weighted score products."""
    offsets = _offsets(days)
    grid = np.zeros((int(offsets.max()) + 1, scores.shape[1]))
    grid[offsets] = scores
    meat = grid.T @ grid
    for lag in range(1, min(maxlags, len(grid) - 1) + 1):
        weight = 1 - lag / (maxlags + 1)
        cross = grid[lag:].T @ grid[:-lag]
        meat += weight * (cross + cross.T)
    return meat


def _check_design(x: FloatArray, names: tuple[str, ...]) -> None:
    n, k = x.shape
    if n <= k + 1:
        raise FitError(f"{n} rows cannot support {k} coefficients")
    if np.linalg.matrix_rank(x.T @ x) < k:  # the k×k Gram matrix: same rank, far cheaper
        raise FitError("the design is collinear: " + ", ".join(names))


def ols_hac(
    y: FloatArray,
    x: FloatArray,
    days: IntArray,
    names: tuple[str, ...],
    maxlags: int | None = None,
    *,
    kernel: Kernel = "ewc",
    leverage: bool = False,
    small_sample: bool = False,
) -> Fit:
    """Least squares of ``y`` on ``x`` (which includes its own intercept) with robust errors.

    ``maxlags`` overrides the bandwidth (ν for EWC, the lag for Newey–West). With
    ``leverage`` each residual is divided by 1 − h (its leverage), as HC3 does (MacKinnon &
    White 1985). With ``small_sample`` (EWC only, raw residuals) every interval gets the
    Bell–McCaffrey correction and Satterthwaite degrees of freedom (:class:`Working`).
    """
    _check_design(x, names)
    n, _ = x.shape
    bread = np.asarray(np.linalg.inv(x.T @ x), dtype=np.float64)  # full rank: checked above
    params = np.asarray(bread @ (x.T @ y), dtype=np.float64)
    resid = y - x @ params
    if leverage:
        hat = np.einsum("ij,jk,ik->i", x, bread, x)
        resid = resid / np.maximum(1 - hat, LEVERAGE_FLOOR)
    cov, bandwidth, dof = _sandwich(bread, x * resid[:, None], days, kernel, maxlags)
    working = _working(x, bread, days, kernel, bandwidth, small_sample and not leverage)
    return Fit(names, params, cov, n, dof, bandwidth, kernel, leverage, working)


def _working(
    design: FloatArray,
    bread: FloatArray,
    days: IntArray,
    kernel: Kernel,
    bandwidth: int,
    wanted: bool,
) -> Working | None:
    if not wanted or kernel != "ewc":
        return None
    return Working(design, bread, ewc_cosines(days, bandwidth))


def logit_hac(
    successes: FloatArray,
    trials: FloatArray,
    x: FloatArray,
    days: IntArray,
    names: tuple[str, ...],
    maxlags: int | None = None,
    *,
    kernel: Kernel = "ewc",
    leverage: bool = False,
    small_sample: bool = False,
) -> Fit:
    """Binomial logistic regression (successes out of trials per day) with robust errors.

    Fitted by Newton–Raphson (the same maximum-likelihood fit as statsmodels' GLM
    Binomial with a two-column endog); the sandwich uses the per-day score
    x·(successes − trials·p) and the observed information as bread.
    """
    _check_design(x, names)
    _, k = x.shape
    params = np.zeros(k)
    share = successes.sum() / trials.sum()
    if not 0 < share < 1:
        raise FitError("all or none of the events happened; the odds cannot be estimated")
    params[0] = math.log(share / (1 - share)) if names[0] == "const" else 0.0
    for _ in range(LOGIT_MAX_ITERATIONS):
        p = special.expit(x @ params)  # no overflow warning for a runaway step
        gradient = x.T @ (successes - trials * p)
        information = (x * (trials * p * (1 - p))[:, None]).T @ x
        try:
            step = np.linalg.solve(information, gradient)
        except np.linalg.LinAlgError as exc:
            raise FitError("the logistic fit broke down (the events may separate)") from exc
        params = params + step
        if np.max(np.abs(step)) < LOGIT_TOLERANCE:
            break
    else:
        raise FitError("the logistic fit did not settle (the events may separate perfectly)")
    if np.max(np.abs(params)) > 30:
        raise FitError("the logistic fit ran away (the events may separate perfectly)")
    p = special.expit(x @ params)
    bread = np.asarray(np.linalg.inv((x * (trials * p * (1 - p))[:, None]).T @ x), np.float64)
    resid = successes - trials * p
    if leverage:  # the GLM hat value: w x' (X'WX)⁻¹ x with w = trials·p(1−p)
        hat = trials * p * (1 - p) * np.einsum("ij,jk,ik->i", x, bread, x)
        resid = resid / np.maximum(1 - hat, LEVERAGE_FLOOR)
    cov, bandwidth, dof = _sandwich(bread, x * resid[:, None], days, kernel, maxlags)
    # Z = W^½ X: the scores x(s − n·p) are z times unit-variance Pearson residuals.
    design = x * np.sqrt(trials * p * (1 - p))[:, None]
    working = _working(design, bread, days, kernel, bandwidth, small_sample and not leverage)
    return Fit(names, params, cov, len(x), dof, bandwidth, kernel, leverage, working)
