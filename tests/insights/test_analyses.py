"""Each analysis pinned to a reference computation on a small fixed data set.

References: coefficients from statsmodels OLS/GLM on the same rows and design columns the
analysis uses; the EWC covariance (Lazarus et al. 2018) rebuilt from statsmodels' own
design and residuals with scipy's DCT-II on the full day grid (zero rows on days not used,
so days far apart are never neighbours); the Bell–McCaffrey factor and Satterthwaite
degrees of freedom (Bell & McCaffrey 2002; Imbens & Kolesár 2016) from the explicit n × n
matrix of the quadratic form, tr(Q) and tr(Q²) (see ``_correction``), not the ν × ν route
``speciosa.insights.stats.Working`` takes.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import fft, stats

from speciosa.insights import analyse
from speciosa.insights import analyses as module
from speciosa.insights.constants import INTERVAL_LEVEL
from speciosa.insights.outcomes import OUTCOMES, relevant_outcomes
from speciosa.journal.models import Profile

from .helpers import synthetic_frame

DAY_COVARIATES = ["alcohol_drinks", "caffeine_drinks", "workout_minutes", "weekend", "trend"]
NIGHT_COVARIATES = [
    "alcohol_drinks",
    "caffeine_drinks",
    "workout_minutes",
    "weekend_night",
    "trend",
]


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return module._prepared(synthetic_frame(150, seed=7))


def _ewc_cov(
    exog: np.ndarray, scores: np.ndarray, day_offsets: np.ndarray
) -> tuple[np.ndarray, int]:
    """EWC sandwich from a DCT-II of the scores on the zero-filled day grid."""
    n, k = exog.shape
    grid = np.zeros((day_offsets.max() + 1, k))
    grid[day_offsets] = scores
    span = len(grid)
    # Lazarus et al. 2018's rule for the T days of the grid, at most n − k − 1, at least 2.
    nu = max(2, min(int(np.floor(0.4 * span ** (2 / 3))), n - k - 1))
    lam = fft.dct(grid, type=2, axis=0)[1 : nu + 1] / 2 * np.sqrt(2 / span)
    bread = np.linalg.inv(exog.T @ exog)
    return bread @ (span * lam.T @ lam / nu) @ bread, nu


def _correction(exog: np.ndarray, day_offsets: np.ndarray, nu: int, k: int) -> tuple[float, float]:
    """(variance factor, df) for coefficient ``k`` from the explicit quadratic form.

    V̂_k = u' Q u with Q = (1/ν) Σ_j M D_a c_j c_j' D_a M, c_j = √2 cos(π j (t + ½)/T) at
    each row's day, a = X (X'X)⁻¹ e_k and M = I − X (X'X)⁻¹ X'. Under independent unit
    errors E V̂ = tr(Q), Var V̂ = 2 tr(Q²) and the true variance is a'a.
    """
    bread = np.linalg.inv(exog.T @ exog)
    a = exog @ bread[:, k]
    resid_maker = np.eye(len(exog)) - exog @ bread @ exog.T
    span = day_offsets.max() + 1
    q = np.zeros((len(exog), len(exog)))
    for j in range(1, nu + 1):
        c = math.sqrt(2) * np.cos(np.pi * j * (day_offsets + 0.5) / span)
        v = resid_maker @ (c * a)
        q += np.outer(v, v) / nu
    return float(a @ a) / float(np.trace(q)), float(np.trace(q)) ** 2 / float(np.trace(q @ q))


def _hac(y: pd.Series, x: pd.DataFrame, level: float = INTERVAL_LEVEL) -> HacReference:
    """statsmodels OLS for the coefficients; corrected EWC covariance and t intervals."""
    design = sm.add_constant(x)
    fit = sm.OLS(y, design).fit()
    days = ((design.index - design.index[0]).days).to_numpy()
    scores = design.to_numpy() * fit.resid.to_numpy()[:, None]
    cov_array, nu = _ewc_cov(design.to_numpy(), scores, days)
    cov = pd.DataFrame(cov_array, design.columns, design.columns)
    lows, highs, dfs = [], [], []
    for k, name in enumerate(design.columns):
        factor, dof = _correction(design.to_numpy(), days, nu, k)
        se = math.sqrt(cov_array[k, k] * factor)
        q = stats.t.ppf(0.5 + level / 2, dof)
        lows.append(fit.params[name] - q * se)
        highs.append(fit.params[name] + q * se)
        dfs.append(dof)
    ci = pd.DataFrame({0: lows, 1: highs}, index=design.columns)
    return HacReference(fit.params, cov, ci, nu)


@dataclass
class HacReference:
    params: pd.Series
    cov_params_: pd.DataFrame
    ci: pd.DataFrame
    df_resid: int

    def conf_int(self) -> pd.DataFrame:
        return self.ci

    def cov_params(self) -> pd.DataFrame:
        return self.cov_params_


def test_dose_vs_none_matches_statsmodels(data: pd.DataFrame) -> None:
    effect = module.dose_vs_none(data, OUTCOMES["pain"], "dose_any", min_days=14)
    ref = _hac(data["pain"], data[["dose_any", *DAY_COVARIATES]])
    # statsmodels: OLS(pain ~ dose_any + covariates).fit(cov_type="HAC", maxlags=4, use_t=True)
    assert effect.estimate == pytest.approx(ref.params["dose_any"], rel=1e-9)
    assert (effect.ci_low, effect.ci_high) == pytest.approx(
        tuple(ref.conf_int().loc["dose_any"]), rel=1e-9
    )
    assert effect.n_exposed == int(data["dose_any"].sum())
    assert effect.n_unexposed == len(data) - effect.n_exposed
    assert effect.claimed
    assert "observational" in effect.sentence


def test_sleep_uses_bedtime_doses_and_weekend_nights(data: pd.DataFrame) -> None:
    effect = module.dose_vs_none(data, OUTCOMES["sol"], "bedtime_dose", min_days=14)
    ref = _hac(data["sol"], data[["bedtime_dose", *NIGHT_COVARIATES]])
    assert effect.estimate == pytest.approx(ref.params["bedtime_dose"], rel=1e-9)
    assert effect.ci_high == pytest.approx(ref.conf_int().loc["bedtime_dose", 1], rel=1e-9)
    assert "nights with a bedtime dose" in effect.sentence


def test_dose_response_matches_statsmodels_on_dose_days(data: pd.DataFrame) -> None:
    effect = module.dose_response(data, OUTCOMES["pain"], "dose_any", min_days=14)
    dosed = data.loc[data["dose_any"] == 1]
    ref = _hac(dosed["pain"], dosed[["grams", *DAY_COVARIATES]])
    assert effect.estimate == pytest.approx(ref.params["grams"], rel=1e-9)
    assert effect.ci_low == pytest.approx(ref.conf_int().loc["grams", 0], rel=1e-9)


def test_timing_slope_is_per_thirty_minutes(data: pd.DataFrame) -> None:
    effect = module.timing(data, OUTCOMES["sol"], min_days=14)
    rows = data.loc[data["dose_to_bed_min"] <= 360].copy()
    rows["steps"] = rows["dose_to_bed_min"] / 30
    ref = _hac(rows["sol"], rows[["steps", *NIGHT_COVARIATES]])
    assert effect.estimate == pytest.approx(ref.params["steps"], rel=1e-9)
    assert effect.ci_high == pytest.approx(ref.conf_int().loc["steps", 1], rel=1e-9)


def test_tolerance_is_the_dose_by_time_interaction(data: pd.DataFrame) -> None:
    effect = module.tolerance(data, OUTCOMES["pain"], "dose_any", min_days=14)
    rows = data.copy()
    months = (rows["day_index"] - rows["day_index"].mean()) / 30
    rows["dose_x_month"] = rows["dose_any"] * months
    centre = rows.loc[rows["dose_any"] == 1, "grams"].mean()
    rows["grams_c"] = np.where(rows["dose_any"] == 1, rows["grams"] - centre, 0.0)
    ref = _hac(rows["pain"], rows[["dose_any", "dose_x_month", "grams_c", *DAY_COVARIATES]])
    assert effect.estimate == pytest.approx(ref.params["dose_x_month"], rel=1e-9)
    assert effect.ci_low == pytest.approx(ref.conf_int().loc["dose_x_month", 0], rel=1e-9)


def test_products_use_bonferroni_intervals(data: pd.DataFrame) -> None:
    effects = module.products(data, OUTCOMES["pain"], "dose_any", min_days=14)
    assert len(effects) == 2  # three products: two compared against the most used
    dosed = data.loc[data["dose_any"] == 1].copy()
    reference = dosed["product"].value_counts().index[0]
    other = effects[0].exposure.split(" vs ")[0]
    assert effects[0].exposure.endswith(f"vs {reference}")
    others = [p for p in dosed["product"].value_counts().index if p != reference]
    for i, name in enumerate(others):
        dosed[f"p{i}"] = (dosed["product"] == name).astype(float)
    # Bonferroni for 2 comparisons at 96%: each interval at 1 - 0.04/2 = 98%
    ref = _hac(dosed["pain"], dosed[["p0", "p1", *DAY_COVARIATES]], level=0.98)
    ci = ref.conf_int().loc[f"p{others.index(other)}"]
    assert (effects[0].ci_low, effects[0].ci_high) == pytest.approx(tuple(ci), rel=1e-9)
    assert effects[0].ci_level == pytest.approx(0.98)
    assert "98% CI" in effects[0].sentence
    assert any("Bonferroni" in c for c in effects[0].caveats)


def test_hard_stools_match_statsmodels_glm_binomial(data: pd.DataFrame) -> None:
    data = data.copy()
    data["bowel_movements"] = data["bowel_movements"].clip(lower=1)  # consecutive rows
    data["hard_stools"] = data["hard_stools"].clip(upper=data["bowel_movements"])
    effect = module.hard_stools(data)
    rows = data.loc[(data["bowel_movements"] > 0) & data["grams_7d"].notna()].copy()
    rows["g10"] = rows["grams_7d"] / 10
    x = sm.add_constant(rows[["g10", *DAY_COVARIATES]])
    endog = np.column_stack([rows["hard_stools"], rows["bowel_movements"] - rows["hard_stools"]])
    # statsmodels: GLM(binomial) for the coefficients; EWC from its score x·(y − n·p)
    ref = sm.GLM(endog, x, family=sm.families.Binomial()).fit()
    n_trials = endog.sum(axis=1)
    resid = endog[:, 0] - n_trials * ref.fittedvalues.to_numpy()
    scores = x.to_numpy() * resid[:, None]
    days = ((rows.index - rows.index[0]).days).to_numpy()
    weights = n_trials * ref.fittedvalues.to_numpy() * (1 - ref.fittedvalues.to_numpy())
    exog = x.to_numpy() * np.sqrt(weights)[:, None]  # so that exog'exog is the information
    cov, nu = _ewc_cov(exog, scores, days)
    # the correction on W^½X: the scores are its rows times unit-variance Pearson residuals
    factor, dof = _correction(exog, days, nu, 1)
    se = math.sqrt(cov[1, 1] * factor)
    q = stats.t.ppf(0.5 + INTERVAL_LEVEL / 2, dof)
    assert effect.estimate == pytest.approx(ref.params["g10"], rel=1e-7)
    assert effect.ci_high == pytest.approx(ref.params["g10"] + q * se, rel=1e-6)


def test_too_few_days_says_how_many_and_how_many_are_needed() -> None:
    frame = synthetic_frame(60, seed=2)
    frame["bedtime_dose"] = 1.0
    frame.loc[frame.index[:5], "bedtime_dose"] = 0.0
    effect = module.dose_vs_none(
        module._prepared(frame), OUTCOMES["sol"], "bedtime_dose", min_days=14
    )
    assert not effect.enough_data
    assert effect.estimate is None
    assert effect.reason == "not enough data yet: 5 nights without a bedtime dose, need 14"
    assert not effect.claimed


def test_pain_is_read_against_farrar_2001() -> None:
    # A planted 3-point relief on a baseline of 6 with little noise: the whole interval
    # reaches 2 points (and 30% of 6 = 1.8), so it is clinically important.
    frame = synthetic_frame(120, seed=4)
    rng = np.random.default_rng(4)
    frame["pain"] = 6 - 3 * frame["dose_any"] + rng.normal(0, 0.3, len(frame))
    effect = module.dose_vs_none(module._prepared(frame), OUTCOMES["pain"], "dose_any", min_days=14)
    assert effect.clinically_important is True
    assert "Farrar 2001" in effect.sentence
    frame["pain"] = 6 - 0.5 * frame["dose_any"] + rng.normal(0, 0.3, len(frame))
    small = module.dose_vs_none(module._prepared(frame), OUTCOMES["pain"], "dose_any", min_days=14)
    assert small.clinically_important is False


def test_gaps_do_not_break_the_analyses() -> None:
    report = analyse(synthetic_frame(200, seed=5, gaps=25), Profile(conditions=("chronic_pain",)))
    pain = report.find("dose_vs_none", "pain")
    assert pain is not None
    assert pain.enough_data
    assert pain.n_exposed + pain.n_unexposed == 175


def test_report_is_json_serialisable_and_says_it_is_observational() -> None:
    report = analyse(synthetic_frame(120, seed=6), Profile(conditions=("fibromyalgia",)))
    data = json.loads(json.dumps(report.to_dict()))
    assert data["days"] == 120
    assert data["effects"]
    assert all("observational" in e["sentence"] or not e["enough_data"] for e in data["effects"])
    assert {"estimate", "ci_low", "ci_high", "n_exposed", "n_unexposed", "reason"} <= set(
        data["effects"][0]
    )


def test_relevant_outcomes_follow_conditions_and_goals() -> None:
    assert relevant_outcomes(Profile(conditions=("migraine",))) == (
        "sol",
        "sleep_quality",
        "headache",
        "headache_peak",
    )
    assert relevant_outcomes(Profile(goals=("pain",))) == ("pain",)
    assert len(relevant_outcomes(Profile())) == len(OUTCOMES)


def _with_device(frame: pd.DataFrame, seed: int) -> pd.DataFrame:
    """The wearable's nights: the diary's values plus device noise, 10% of nights missing."""
    rng = np.random.default_rng(seed)
    frame = frame.copy()
    frame["tst"] = 420 + 15 * frame["bedtime_dose"] + rng.normal(0, 30, len(frame))
    frame["device_tst"] = frame["tst"] + rng.normal(10, 15, len(frame))
    frame["device_sol"] = frame["sol"].clip(lower=0) * 0.6 + rng.normal(5, 4, len(frame))
    missing = rng.random(len(frame)) < 0.1
    frame.loc[missing, ["device_tst", "device_sol"]] = np.nan
    return frame


def test_device_outcomes_appear_only_with_device_nights() -> None:
    sleeper = Profile(goals=("sleep",))
    plain = synthetic_frame(150, seed=7)
    assert not any(e.outcome.startswith("device_") for e in analyse(plain, sleeper).effects)
    assert not any(c.startswith("device_") for c in analyse(plain, sleeper).outcomes)

    frame = _with_device(plain, seed=3)
    report = analyse(frame, sleeper)
    device = [e for e in report.effects if e.outcome.startswith("device_")]
    assert {(e.question, e.outcome) for e in device} == {
        ("dose_vs_none", "device_tst"),
        ("dose_vs_none", "device_sol"),
    }
    assert report.outcomes[-2:] == ("device_tst", "device_sol")
    # Same method as the diary's nights: bedtime doses, weekend nights, EWC, t(ν).
    rows = module._prepared(frame).dropna(subset=["device_tst"])
    effect = report.find("dose_vs_none", "device_tst")
    assert effect is not None
    assert effect.enough_data
    ref = _hac(rows["device_tst"], rows[["bedtime_dose", *NIGHT_COVARIATES]])
    assert effect.estimate == pytest.approx(ref.params["bedtime_dose"], rel=1e-9)
    assert effect.ci_low == pytest.approx(ref.conf_int().loc["bedtime_dose", 0], rel=1e-9)
    assert effect.n_exposed + effect.n_unexposed == len(rows)
    assert "nights with a bedtime dose" in effect.sentence
    assert "wearable" in effect.sentence
    assert "wearable" in effect.caveats[0]

    # Not a sleep profile: the wearable's nights are not asked about.
    pain_only = analyse(frame, Profile(goals=("pain",)))
    assert not any(e.outcome.startswith("device_") for e in pain_only.effects)


def test_device_outcomes_keep_the_minimum_nights() -> None:
    frame = _with_device(synthetic_frame(150, seed=7), seed=3)
    frame.loc[frame.index[20:], ["device_tst", "device_sol"]] = np.nan  # 20 nights recorded
    effect = analyse(frame, Profile(goals=("sleep",))).find("dose_vs_none", "device_tst")
    assert effect is not None
    assert not effect.enough_data
    assert effect.reason is not None
    assert effect.reason.startswith("not enough data yet")


# --------------------------------------------------------------------------- honest sentences


def test_the_sentence_names_only_the_covariates_the_model_kept() -> None:
    frame = synthetic_frame(150, seed=7)
    frame[["alcohol_drinks", "caffeine_drinks", "workout_minutes", "weekend"]] = 0.0
    effect = module.dose_vs_none(module._prepared(frame), OUTCOMES["pain"], "dose_any", min_days=14)
    assert effect.enough_data
    assert "adjusted for the trend over time" in effect.sentence
    for dropped in ("alcohol", "caffeine", "workout", "weekend"):
        assert dropped not in effect.sentence
        assert dropped not in effect.method
    assert "adjusted for trend;" in effect.method


def test_a_model_whose_covariates_are_all_constant_is_not_adjusted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Only alcohol is offered as a covariate, and nobody drank: the model keeps none.
    monkeypatch.setattr(module, "COVARIATES", ("alcohol_drinks",))
    frame = synthetic_frame(150, seed=7)
    frame["alcohol_drinks"] = 0.0
    effect = module.dose_vs_none(module._prepared(frame), OUTCOMES["pain"], "dose_any", min_days=14)
    assert effect.enough_data
    assert "adjusted for" not in effect.sentence.replace("not adjusted for anything", "")
    assert "not adjusted for anything" in effect.sentence
    assert "not adjusted for anything" in effect.method


def _null_frame() -> pd.DataFrame:
    """Pain and sleep that do not depend on the dose at all (pure noise)."""
    frame = synthetic_frame(150, seed=7)
    rng = np.random.default_rng(11)
    frame["pain"] = 6 + rng.normal(0, 1.5, len(frame))
    frame["sol"] = 30 + rng.normal(0, 10, len(frame))
    return frame


def test_a_non_significant_difference_gives_no_direction() -> None:
    effect = module.dose_vs_none(
        module._prepared(_null_frame()), OUTCOMES["pain"], "dose_any", min_days=14
    )
    assert effect.enough_data
    assert not effect.claimed
    assert effect.ci_low is not None
    assert effect.ci_high is not None
    assert "The data cannot tell yet whether your pain differs" in effect.sentence
    assert f"96% CI {effect.ci_low:+.1f} to {effect.ci_high:+.1f}" in effect.sentence
    for word in ("lower", "higher", "better", "worse than"):
        assert word not in effect.sentence


def test_answers_that_failed_calibration_are_withheld_with_the_reason() -> None:
    report = analyse(_null_frame(), Profile(conditions=("chronic_pain",)))
    held = [e for e in report.effects if e.question in module.WITHHELD_QUESTIONS]
    assert {e.question for e in held} >= {"tolerance", "side_effect"}
    # products passed the calibration bench (bench/RESULTS.md) and are shown
    assert any(e.question == "product" and not e.withheld for e in report.effects)
    for effect in held:
        assert effect.withheld
        assert not effect.enough_data
        assert effect.estimate is None
        assert not effect.claimed
        assert effect.reason is not None
        assert "held back" in effect.reason
        assert "more often than 6 times in 100" in effect.reason
        assert "logging more days will not change this" in effect.reason
    # timing passed the calibration bench (bench/RESULTS.md) and is shown again
    sleep = analyse(_null_frame(), Profile(goals=("sleep",)))
    timing = next(e for e in sleep.effects if e.question == "timing")
    assert not timing.withheld
    assert timing.enough_data
    # the calibration bench can still measure them
    measured = analyse(_null_frame(), Profile(conditions=("chronic_pain",)), withheld=())
    assert any(e.question == "tolerance" and e.enough_data for e in measured.effects)


def test_every_unclear_answer_says_the_data_cannot_tell_yet() -> None:
    report = analyse(_null_frame(), Profile(conditions=("chronic_pain",)), withheld=())
    unclear = [e for e in report.effects if e.enough_data and not e.claimed]
    assert {e.question for e in unclear} >= {"dose_vs_none", "dose_response", "tolerance"}
    for effect in unclear:
        assert "cannot tell yet" in effect.sentence, effect.sentence
        # "lower third" names a band of the person's own amounts, not a direction
        text = effect.sentence.replace("lower third", "").replace("lower half", "")
        if effect.outcome in OUTCOMES:
            outcome = OUTCOMES[effect.outcome]
            for word in (outcome.better, outcome.worse):
                assert f" {word} " not in text, effect.sentence
    for effect in report.effects:
        if effect.claimed and effect.outcome in OUTCOMES:
            assert "cannot tell yet" not in effect.sentence
