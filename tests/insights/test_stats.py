"""Robust regression pinned to references.

Newey–West: statsmodels ``cov_type="HAC"``. EWC: the cosine projections are a DCT-II
(``scipy.fft.dct``), so Λ_j = √(2/T) · dct(u)[j] / 2 (scipy's DCT-II carries a factor 2).
Gaps: hand computations on the zero-filled day grid.
"""

from __future__ import annotations

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import fft
from scipy import stats as scipy_stats
from statsmodels.stats.sandwich_covariance import S_hac_simple

from speciosa.insights.constants import INTERVAL_LEVEL
from speciosa.insights.stats import (
    FitError,
    ewc_grid_terms,
    ewc_meat,
    ewc_terms,
    hac_meat,
    logit_hac,
    newey_west_lags,
    ols_hac,
)


def _series(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = np.column_stack([np.ones(n), rng.random(n) < 0.5, rng.normal(size=n)]).astype(float)
    noise = np.zeros(n)
    for t in range(1, n):  # AR(1) noise, as in a real diary
        noise[t] = 0.5 * noise[t - 1] + rng.normal()
    return x, x @ np.array([5.0, -2.0, 0.5]) + noise


@pytest.mark.parametrize("lags", [1, 3, 7])
def test_ols_hac_matches_statsmodels_on_a_gap_free_series(lags: int) -> None:
    x, y = _series(120, seed=1)
    ours = ols_hac(y, x, np.arange(120), ("const", "dose", "z"), maxlags=lags, kernel="newey-west")
    # statsmodels: OLS(y, x).fit(cov_type="HAC", cov_kwds={"maxlags": L, "use_correction": True})
    ref = sm.OLS(y, x).fit(
        cov_type="HAC", cov_kwds={"maxlags": lags, "use_correction": True}, use_t=True
    )
    np.testing.assert_allclose(ours.params, ref.params, rtol=1e-10)
    np.testing.assert_allclose(ours.cov, ref.cov_params(), rtol=1e-10)
    est, lo, hi = ours.interval("dose")  # at the level every answer is shown at
    np.testing.assert_allclose([lo, hi], ref.conf_int(alpha=1 - INTERVAL_LEVEL)[1], rtol=1e-10)
    assert est == pytest.approx(ref.params[1])


def test_leverage_adjusted_residuals_are_hc3() -> None:
    x, y = _series(80, seed=3)
    days = np.arange(80)
    ours = ols_hac(
        y, x, days, ("const", "dose", "z"), maxlags=0, kernel="newey-west", leverage=True
    )
    # lag 0 is the White meat; with residuals / (1 - h) it is statsmodels' HC3, times the
    # n/(n-k) factor this estimator applies: sm.OLS(y, x).fit(cov_type="HC3")
    ref = sm.OLS(y, x).fit(cov_type="HC3")
    np.testing.assert_allclose(ours.cov, ref.cov_params() * 80 / (80 - 3), rtol=1e-10)
    plain = ols_hac(y, x, days, ("const", "dose", "z"), maxlags=0, kernel="newey-west")
    assert ours.cov[1, 1] > plain.cov[1, 1]  # HC3 is wider than HC0 by construction
    assert "HC3" in ours.description
    assert "HC3" not in plain.description


def test_newey_west_lag_rule_matches_statsmodels_default() -> None:
    # statsmodels S_hac_simple(nlags=None) uses floor(4 (n/100)^(2/9)) (Newey & West 1994).
    rng = np.random.default_rng(0)
    for n in (30, 100, 365, 1826):
        scores = rng.normal(size=(n, 2))
        np.testing.assert_allclose(
            hac_meat(scores, np.arange(n), newey_west_lags(n)), S_hac_simple(scores), rtol=1e-12
        )


def test_gaps_are_not_treated_as_neighbours() -> None:
    # Hand computation: rows on days 0, 1 and 5 with scalar scores 1, 2, 3 and maxlags 2.
    # Pairs at most 2 days apart: only (0, 1), Bartlett weight 1 - 1/3 = 2/3.
    # meat = 1 + 4 + 9 + 2 * (2/3) * (1 * 2) = 16.666...
    meat = hac_meat(np.array([[1.0], [2.0], [3.0]]), np.array([0, 1, 5]), maxlags=2)
    assert meat[0, 0] == pytest.approx(14 + 8 / 3)


def test_logit_matches_statsmodels_glm_binomial() -> None:
    rng = np.random.default_rng(3)
    n = 200
    x = np.column_stack([np.ones(n), rng.uniform(0, 5, n)])
    trials = rng.integers(1, 4, n).astype(float)
    successes = rng.binomial(trials.astype(int), 1 / (1 + np.exp(-(-1.5 + 0.4 * x[:, 1])))).astype(
        float
    )
    ours = logit_hac(
        successes, trials, x, np.arange(n), ("const", "g"), maxlags=3, kernel="newey-west"
    )
    # statsmodels: GLM(np.c_[successes, failures], x, family=Binomial()).fit(cov_type="HAC", ...)
    ref = sm.GLM(
        np.column_stack([successes, trials - successes]), x, family=sm.families.Binomial()
    ).fit(cov_type="HAC", cov_kwds={"maxlags": 3, "use_correction": True})
    np.testing.assert_allclose(ours.params, ref.params, rtol=1e-8)
    np.testing.assert_allclose(ours.cov, ref.cov_params(), rtol=1e-6)


def test_collinear_designs_are_refused() -> None:
    x = np.column_stack([np.ones(30), np.arange(30.0), 2 * np.arange(30.0)])
    with pytest.raises(FitError, match="collinear"):
        ols_hac(np.arange(30.0), x, np.arange(30), ("const", "a", "b"))


def test_logit_refuses_when_no_event_happened() -> None:
    x = np.column_stack([np.ones(30), np.arange(30.0)])
    with pytest.raises(FitError, match="none"):
        logit_hac(np.zeros(30), np.ones(30), x, np.arange(30), ("const", "a"))


def test_ewc_meat_is_a_dct_of_the_scores() -> None:
    # Lazarus, Lewis, Stock & Watson (2018): Ω = (1/ν) Σ_j Λ_j Λ_j', Λ_j = √(2/T) Σ_t
    # cos(π j (t + ½)/T) u_t; the meat (a sum, not a mean) is T·Ω.
    rng = np.random.default_rng(11)
    scores = rng.normal(size=(90, 2))
    terms = ewc_terms(90)
    assert terms == 8  # floor(0.4 * 90^(2/3)) = floor(8.02)
    dct = fft.dct(scores, type=2, axis=0)[1 : terms + 1] / 2 * np.sqrt(2 / 90)
    np.testing.assert_allclose(
        ewc_meat(scores, np.arange(90), terms), 90 * dct.T @ dct / terms, rtol=1e-10
    )


def test_ewc_interval_uses_t_with_nu_degrees_of_freedom() -> None:
    x, y = _series(120, seed=2)
    fit = ols_hac(y, x, np.arange(120), ("const", "dose", "z"))
    assert fit.kernel == "ewc"
    assert fit.df_resid == ewc_terms(120) == 9
    est, _, hi = fit.interval("dose")
    se = np.sqrt(fit.cov[1, 1])
    assert hi - est == pytest.approx(scipy_stats.t.ppf(0.5 + INTERVAL_LEVEL / 2, 9) * se)


def test_ewc_bandwidth_follows_the_day_grid_the_rows_span() -> None:
    # The rule floor(0.4 T^(2/3)) (Lazarus et al. 2018) is for T consecutive periods; the
    # cosines run over the calendar grid, so gapped rows take it from the span, not the count.
    full = np.arange(90)
    assert ewc_grid_terms(full, 3) == ewc_terms(90) == 8
    gapped = np.arange(0, 232, 5)  # 47 rows over 231 days (dose days, many days missing)
    assert ewc_grid_terms(gapped, 3) == ewc_terms(231) == 15  # floor(0.4 * 231^(2/3)) = 15.06
    assert ewc_terms(47) == 5  # what the row count would have given
    sparse = np.array([0, 100, 200, 300, 400, 500, 600, 700])  # 8 rows over 701 days
    assert ewc_grid_terms(sparse, 3) == 8 - 3 - 1  # capped: at most n - k - 1
    x = np.column_stack([np.ones(47), np.sin(gapped / 9.0)])
    fit = ols_hac(np.cos(gapped / 7.0), x, gapped, ("const", "s"))
    assert fit.bandwidth == fit.df_resid == 15


def test_ewc_with_gaps_equals_the_zero_filled_grid() -> None:
    rng = np.random.default_rng(5)
    days = np.sort(rng.choice(200, 150, replace=False))
    scores = rng.normal(size=(150, 2))
    grid = np.zeros((days.max() - days.min() + 1, 2))
    grid[days - days.min()] = scores
    dense = ewc_meat(grid, np.arange(len(grid)), 10)
    np.testing.assert_allclose(ewc_meat(scores, days, 10), dense, rtol=1e-10)


def test_small_sample_correction_leaves_a_mean_on_a_full_grid_unchanged() -> None:
    # For a mean over T consecutive days the cosines have zero sum and are orthogonal with
    # Σ_t c_j(t)² = T, so E V̂ = true variance and every projection weighs the same: the
    # Bell–McCaffrey factor is 1 and Satterthwaite's df is exactly ν, that is EWC's own
    # t(ν) (Lazarus et al. 2018), which is exact in this case.
    rng = np.random.default_rng(8)
    y = rng.normal(size=90)
    x = np.ones((90, 1))
    plain = ols_hac(y, x, np.arange(90), ("const",))
    corrected = ols_hac(y, x, np.arange(90), ("const",), small_sample=True)
    assert corrected.working is not None
    factor, dof = corrected.working.correction(np.array([1.0]))
    assert factor == pytest.approx(1.0, rel=1e-12)
    assert dof == pytest.approx(ewc_terms(90), rel=1e-12)
    assert corrected.interval("const") == pytest.approx(plain.interval("const"), rel=1e-12)


def _trend_design(n: int, days: np.ndarray) -> np.ndarray:
    rng = np.random.default_rng(21)
    dose = (rng.random(n) < 0.3).astype(float)
    return np.column_stack([np.ones(n), dose, days / 365.25, dose * days / 30])


@pytest.mark.parametrize("gaps", [False, True])
def test_corrected_ewc_variance_is_unbiased_with_satterthwaite_spread(gaps: bool) -> None:
    # Monte Carlo check of the correction's two claims under independent N(0, 1) errors:
    # mean of the corrected variance = the true variance a'a = [(X'X)⁻¹]_kk, and its
    # variance = 2 (a'a)² / df (a scaled χ²). 4000 draws: the mean is within ±1% (1 SE)
    # and the variance within ±3% (1 SE), so ±4% and ±15% are about 4 SE.
    rng = np.random.default_rng(13)
    n = 80
    days = np.sort(rng.choice(130, n, replace=False)) if gaps else np.arange(n)
    x = _trend_design(n, days.astype(float))
    names = ("const", "dose", "trend", "dose_x_month")
    k = 3
    truth = float(np.linalg.inv(x.T @ x)[k, k])
    corrected, raw = [], []
    for _ in range(4000):
        fit = ols_hac(rng.normal(size=n), x, days, names, small_sample=True)
        factor, dof = fit.working.correction(np.eye(4)[k])  # type: ignore[union-attr]
        corrected.append(fit.cov[k, k] * factor)
        raw.append(fit.cov[k, k])
    assert np.mean(corrected) == pytest.approx(truth, rel=0.04)
    assert np.var(corrected) == pytest.approx(2 * truth**2 / dof, rel=0.15)
    # Without the correction EWC is biased down here: by 14% on the full grid and by 5%
    # with gaps (ν from the 130-day grid; both about 1% per SE over 4000 draws).
    assert np.mean(raw) < 0.96 * truth
    assert dof < fit.bandwidth  # unequal projections: fewer degrees of freedom than ν


def test_corrected_interval_uses_satterthwaite_t() -> None:
    x, y = _series(120, seed=2)
    fit = ols_hac(y, x, np.arange(120), ("const", "dose", "z"), small_sample=True)
    factor, dof = fit.working.correction(np.array([0.0, 1.0, 0.0]))  # type: ignore[union-attr]
    est, low, high = fit.interval("dose")
    se = np.sqrt(fit.cov[1, 1] * factor)
    q = scipy_stats.t.ppf(0.5 + INTERVAL_LEVEL / 2, dof)  # two-sided: half the rest per tail
    assert high - est == pytest.approx(q * se, rel=1e-12)
    assert est - low == pytest.approx(high - est, rel=1e-12)
    assert "Satterthwaite" in fit.description
    assert fit.contrast({"dose": 1.0}) == pytest.approx((est, low, high), rel=1e-12)
