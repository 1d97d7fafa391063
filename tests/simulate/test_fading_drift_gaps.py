"""The simulator's fading effects, drifts, AR(1) noise and missing days, checked against
what was planted (each expected value is the planted one; the tolerance says why)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from speciosa.insights import analyse, daily_frame
from speciosa.journal.catalogues import Condition
from speciosa.simulate import PlantedEffects, simulate_journal

END = date(2026, 3, 31)


def _frame(condition: Condition, days: int, seed: int, effects: PlantedEffects) -> pd.DataFrame:
    journal = simulate_journal(condition=condition, days=days, seed=seed, end=END, effects=effects)
    return daily_frame(journal.entries, journal.profile)


def _lag1(values: pd.Series) -> float:
    """Correlation of each day with the next, over pairs of consecutive recorded days."""
    pairs = pd.DataFrame({"today": values, "tomorrow": values.shift(-1)}).dropna()
    return float(pairs["today"].corr(pairs["tomorrow"]))


def test_missing_days_have_nothing_logged_not_even_doses() -> None:
    effects = PlantedEffects(missing_day_share=0.4)
    journal = simulate_journal(
        condition=Condition.FIBROMYALGIA, days=300, seed=3, end=END, effects=effects
    )
    frame = daily_frame(journal.entries, journal.profile)
    missing = pd.DatetimeIndex(sorted(journal.truth.missing_days))
    # 300 days at 40%: the share is 0.40 ± 0.03 (binomial SD), so 0.33-0.47 is > 2 SD wide
    assert 0.33 <= len(missing) / 300 <= 0.47
    inside = missing[(missing >= frame.index[0]) & (missing <= frame.index[-1])]
    assert (frame.loc[inside, "logged"] == 0).all()
    assert frame.loc[inside, "grams"].isna().all()
    kept = frame.index.difference(missing)
    assert frame.loc[kept, "grams"].notna().mean() > 0.95  # doses are always logged otherwise


def test_pain_drift_is_found_at_its_planted_slope() -> None:
    effects = PlantedEffects(pain_drift_per_month=0.3, noise_phi=0.0)
    frame = _frame(Condition.CHRONIC_PAIN, 365, 5, effects)
    rows = frame.dropna(subset=["pain"])
    slope = np.polyfit(rows["day_index"] / 30, rows["pain"], 1)[0]
    # white noise SD 1.2 over ~360 days: the slope's SE is about 0.006 points/month
    assert slope == pytest.approx(0.3, abs=0.04)


def test_a_fading_pain_effect_is_the_planted_change_per_month() -> None:
    effects = PlantedEffects(
        dose_day_pain_change=-1.5,
        pain_effect_change_per_month=0.3,
        noise_phi=0.0,
        bedtime_dose_probability=0.0,
    )
    journal = simulate_journal(
        condition=Condition.CHRONIC_PAIN, days=365, seed=11, end=END, effects=effects
    )
    assert journal.truth.pain_effect_change_per_month == 0.3
    report = analyse(daily_frame(journal.entries, journal.profile), journal.profile, withheld=())
    effect = report.find("tolerance", "pain")
    assert effect is not None
    assert effect.enough_data
    assert effect.ci_low is not None
    assert effect.ci_high is not None
    assert effect.ci_low <= 0.3 <= effect.ci_high
    assert effect.ci_low > 0  # found: the gap shrinks, as tolerance would make it


@pytest.mark.parametrize(
    ("phi", "low", "high"),
    [
        (0.0, -0.12, 0.12),  # white noise: r ≈ 0 ± 0.06 over ~300 pairs
        (0.7, 0.5, 0.8),  # rounding to whole points adds white noise: r ≈ 0.66
    ],
)
def test_noise_has_the_planted_autocorrelation(phi: float, low: float, high: float) -> None:
    journal = simulate_journal(
        condition=Condition.CHRONIC_PAIN,
        days=365,
        seed=2,
        end=END,
        effects=PlantedEffects(noise_phi=phi, bedtime_dose_probability=1.0),
    )
    assert journal.truth.ar_phi == phi
    frame = daily_frame(journal.entries, journal.profile)
    dosed = frame["pain"].where(frame["dose_any"] == 1)  # every night dosed: no dose effect mix
    assert low <= _lag1(dosed) <= high


def test_stool_noise_makes_hard_stools_cluster_in_time() -> None:
    def share_lag1(sd: float) -> float:
        effects = PlantedEffects(stool_noise_sd=sd, noise_phi=0.9)
        frame = _frame(Condition.FIBROMYALGIA, 730, 4, effects)
        share = frame["hard_stools"] / frame["bowel_movements"].where(frame["bowel_movements"] > 0)
        return _lag1(share)

    # without noise hard stools are independent from day to day (r ≈ 0 ± 0.05)
    assert share_lag1(1.5) > share_lag1(0.0) + 0.1


@pytest.mark.parametrize(
    ("field", "value"),
    [("noise_phi", 1.0), ("noise_phi", -0.1), ("missing_day_share", 1.0), ("stool_noise_sd", -1)],
)
def test_impossible_settings_are_refused_by_name(field: str, value: float) -> None:
    with pytest.raises(ValueError, match=field):
        PlantedEffects(**{field: value})  # type: ignore[arg-type]
