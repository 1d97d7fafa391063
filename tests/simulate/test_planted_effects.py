"""Planted effects show up in the raw entries at their planted size, and nowhere when off.

Tolerances are derived, not tuned: a difference of means is checked against 4 standard
errors computed from the simulated data's own spread and counts (Welch). Bedtime-dose
nights are drawn independently of the AR(1) noise, so the autocorrelation does not inflate
the variance of the with-minus-without difference (for iid assignment
Var = sigma^2 (1/n1 + 1/n0) up to O(1/n)); 4 SE leaves a chance of about 6e-5 that a
correct simulator fails, and the seeds are fixed, so the tests are deterministic anyway.
Where two journals share a seed they share their noise (each concern has its own random
stream), so the effect can also be read off *paired*, almost free of noise.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np
import pytest
import statsmodels.api as sm

from speciosa.journal import clock
from speciosa.journal.catalogues import Condition
from speciosa.journal.models import Bowel, Dose, Pain, Sleep
from speciosa.simulate import (
    ALCOHOL_WINDOW_MINUTES,
    PlantedEffects,
    SimulatedJournal,
    simulate_journal,
)

from .measure import (
    alcohol_times,
    bedtime_dose,
    doses_by_night,
    grams_by_day,
    lag1_autocorrelation,
    mean_difference,
    near,
    of_kind,
    weekly_grams,
)

END = date(2025, 12, 31)  # 400 days back reaches November 2024: two DST changes inside
Z = 4.0


def _journal(days: int = 400, seed: int = 21, **planted: float) -> SimulatedJournal:
    return simulate_journal(
        condition=Condition.FIBROMYALGIA,
        days=days,
        seed=seed,
        end=END,
        effects=PlantedEffects(**planted),
    )


def _sol_difference(journal: SimulatedJournal) -> tuple[float, float]:
    zone, nights = journal.profile.timezone, doses_by_night(journal)
    with_, without = [], []
    for sleep in of_kind(journal, Sleep):
        group = with_ if bedtime_dose(sleep, nights, zone) else without
        group.append(sleep.minutes_to_fall_asleep)
    return mean_difference(with_, without)


def _pain_difference(journal: SimulatedJournal) -> tuple[float, float]:
    zone = journal.profile.timezone
    dose_days = {clock.journal_day(d.at, zone) for d in of_kind(journal, Dose)}
    with_, without = [], []
    for pain in of_kind(journal, Pain):
        (with_ if clock.journal_day(pain.at, zone) in dose_days else without).append(pain.score)
    return mean_difference(with_, without)


@pytest.mark.parametrize("planted", [-12.0, 0.0, 8.0])
def test_bedtime_dose_latency_effect(planted: float) -> None:
    journal = _journal(bedtime_dose_sol_minutes=planted)
    difference, se = _sol_difference(journal)
    assert abs(difference - planted) <= Z * se, (difference, se)
    assert se < 3  # 400 days give a usable precision, about 1.5-2 min


def test_bedtime_dose_nights_found_by_the_documented_rule_are_the_planned_ones() -> None:
    journal = _journal(bedtime_dose_sol_minutes=-12)
    zone, nights = journal.profile.timezone, doses_by_night(journal)
    found = {
        clock.night_of(s.at, zone) for s in of_kind(journal, Sleep) if bedtime_dose(s, nights, zone)
    }
    with_diary = {clock.night_of(s.at, zone) for s in of_kind(journal, Sleep)}
    assert found == journal.truth.bedtime_dose_nights & with_diary
    share = len(journal.truth.bedtime_dose_nights) / 400
    assert abs(share - 0.5) <= Z * math.sqrt(0.25 / 400)  # binomial SE of the planned share


def test_latency_effect_paired_on_shared_noise() -> None:
    # Same seed, same noise: only bedtime-dose nights change, by the planted amount up to
    # rounding to 5 min (mean error ~0.2 min over ~150 nights) and clipping at 0 min.
    with_effect, without = (
        _sol_difference(_journal(bedtime_dose_sol_minutes=-12))[0],
        _sol_difference(_journal())[0],
    )
    assert with_effect - without == pytest.approx(-12, abs=1.5)


def test_truth_reports_the_baseline_the_data_show() -> None:
    journal = _journal(bedtime_dose_sol_minutes=-12)
    zone, nights = journal.profile.timezone, doses_by_night(journal)
    plain = [
        s.minutes_to_fall_asleep
        for s in of_kind(journal, Sleep)
        if not bedtime_dose(s, nights, zone)
    ]
    se = float(np.std(plain, ddof=1)) / math.sqrt(len(plain))
    # AR(1) noise inflates the SE of a single mean by sqrt((1+phi)/(1-phi)) <= 1.8 for phi <= 0.5
    assert abs(np.mean(plain) - journal.truth.sol_baseline_minutes) <= Z * 1.8 * se
    assert journal.truth.sol_effect_minutes == -12


@pytest.mark.parametrize("planted", [-1.5, 0.0])
def test_dose_day_pain_effect(planted: float) -> None:
    # fewer bedtime doses leave more days without any dose to compare against
    journal = _journal(dose_day_pain_change=planted, bedtime_dose_probability=0.2)
    difference, se = _pain_difference(journal)
    assert abs(difference - planted) <= Z * se, (difference, se)
    assert journal.truth.pain_effect_points == planted


def test_pain_effect_paired_on_shared_noise() -> None:
    # round(x - 1.5) - round(x) averages -1.5 over the fractional parts; SD 0.5 per day
    relieved = _pain_difference(_journal(dose_day_pain_change=-1.5, bedtime_dose_probability=0.2))
    plain = _pain_difference(_journal(bedtime_dose_probability=0.2))
    assert relieved[0] - plain[0] == pytest.approx(-1.5, abs=0.2)


def test_confounding_biases_the_naive_pain_comparison_upward() -> None:
    journal = _journal(confounding=1.5, bedtime_dose_probability=0.2)
    difference, se = _pain_difference(journal)
    assert difference > Z * se  # no planted effect, yet dose days look worse


def test_pain_ratings_are_autocorrelated() -> None:
    journal = _journal(days=1825)
    scores = [p.score for p in of_kind(journal, Pain)]  # daily, with a few missed days
    # rounding to whole points adds ~0.08 to a variance of 1.44, shrinking rho by ~5%;
    # SE of a lag-1 autocorrelation is about 1/sqrt(n) = 0.025
    expected = journal.truth.ar_phi * 0.95
    assert abs(lag1_autocorrelation(scores) - expected) <= 0.12
    assert 0.3 <= journal.truth.ar_phi <= 0.5


def _hard_stools(journal: SimulatedJournal) -> tuple[np.ndarray, np.ndarray]:
    """Weekly grams (in 10 g) and hard-stool flags, from day 8 on (full weeks only)."""
    zone, totals = journal.profile.timezone, grams_by_day(journal)
    first_full = journal.truth.first_day + timedelta(days=7)
    rows = [
        (weekly_grams(totals, day) / 10, bowel.bristol <= 2)
        for bowel in of_kind(journal, Bowel)
        if (day := clock.journal_day(bowel.at, zone)) >= first_full
    ]
    weekly, hard = zip(*rows, strict=True)
    return np.asarray(weekly), np.asarray(hard, dtype=float)


@pytest.mark.parametrize("planted", [0.4, 0.0])
def test_hard_stool_log_odds_per_weekly_grams(planted: float) -> None:
    # drift widens the range of weekly grams, so the slope is well determined
    journal = _journal(
        days=600, hard_stool_log_odds_per_10g_week=planted, grams_drift_pct_per_month=5
    )
    weekly, hard = _hard_stools(journal)
    fit = sm.Logit(hard, sm.add_constant(weekly)).fit(disp=0)
    slope, slope_se = float(fit.params[1]), float(fit.bse[1])
    assert abs(slope - planted) <= Z * slope_se, (slope, slope_se)
    intercept, intercept_se = float(fit.params[0]), float(fit.bse[0])
    assert abs(intercept - journal.truth.hard_stool_baseline_log_odds) <= Z * intercept_se


def test_hard_stools_more_frequent_in_high_gram_weeks() -> None:
    journal = _journal(days=900, hard_stool_log_odds_per_10g_week=0.4, grams_drift_pct_per_month=5)
    weekly, hard = _hard_stools(journal)
    high = weekly > np.median(weekly)
    difference, se = mean_difference(hard[high], hard[~high])
    # what the planted model predicts for these very weeks
    truth = journal.truth
    chance = 1 / (1 + np.exp(-(truth.hard_stool_baseline_log_odds + 0.4 * weekly)))
    expected = chance[high].mean() - chance[~high].mean()
    assert abs(difference - expected) <= Z * se
    assert difference > 2 * se


@pytest.mark.parametrize("planted", [5.0, 0.0])
def test_grams_drift(planted: float) -> None:
    journal = _journal(grams_drift_pct_per_month=planted)
    zone, first = journal.profile.timezone, journal.truth.first_day
    doses = of_kind(journal, Dose)
    day = np.array([(clock.journal_day(d.at, zone) - first).days for d in doses], dtype=float)
    grams = np.array([d.grams or 0.0 for d in doses])
    for window in (day < 30, day >= 370):
        # expected grams per dose at each dose's day, from the truth's start and drift
        expected = journal.truth.grams_per_dose_start * (1 + planted / 100 * day[window] / 30)
        se = float(np.std(grams[window], ddof=1)) / math.sqrt(window.sum())
        assert abs(grams[window].mean() - expected.mean()) <= Z * se
    # grams per day follow grams per dose (doses per day do not drift)
    per_day = grams_by_day(journal)
    start = [g for d, g in per_day.items() if (d - first).days < 30]
    end = [g for d, g in per_day.items() if (d - first).days >= 370]
    ratio = float(np.mean(end) / np.mean(start))
    ratio_se = ratio * math.hypot(
        np.std(end, ddof=1) / np.mean(end) / math.sqrt(len(end)),
        np.std(start, ddof=1) / np.mean(start) / math.sqrt(len(start)),
    )  # delta method
    expected_ratio = (1 + planted / 100 * np.mean(day[day >= 370]) / 30) / (
        1 + planted / 100 * np.mean(day[day < 30]) / 30
    )
    assert abs(ratio - expected_ratio) <= Z * ratio_se


@pytest.mark.parametrize("planted", [0.5, 0.0])
def test_alcohol_near_bedtime_doses(planted: float) -> None:
    journal = _journal(alcohol_on_dose_nights=planted)
    baseline = _journal()  # same seed: same ordinary evening drinks
    nights = sorted(journal.truth.bedtime_dose_nights)

    def share(j: SimulatedJournal) -> float:
        drinks, by_night = alcohol_times(j), doses_by_night(j)
        bedtime = [max(d.at for d in by_night[n]) for n in nights]
        return float(np.mean([near(drinks, at, ALCOHOL_WINDOW_MINUTES) for at in bedtime]))

    ordinary = share(baseline)
    assert ordinary < 0.15  # by chance only: occasional evening drinks
    expected = planted + (1 - planted) * ordinary
    assert abs(share(journal) - expected) <= Z * math.sqrt(0.25 / len(nights))
    drinks, by_night = alcohol_times(journal), doses_by_night(journal)
    for night in journal.truth.alcohol_dose_nights:
        assert near(drinks, max(d.at for d in by_night[night]), ALCOHOL_WINDOW_MINUTES)
    assert bool(journal.truth.alcohol_dose_nights) == bool(planted)
