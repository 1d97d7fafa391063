"""Fast calibration: intervals against the simulator's planted truth (40 journals each).

The full run (400 journals per scenario) is bench/insights_calibration.py; its figures are
in bench/RESULTS.md.

Tolerance, derived honestly for n answered journals: the requirement is a true coverage
in [90%, 98%] and a true false-claim rate of at most 6%. The test fails only when the
observed count would be implausible (p < 0.5% on that side) for *every* true rate that
meets the requirement, i.e. covered < binom.ppf(0.005, n, 0.90),
covered > binom.isf(0.005, n, 0.98), or claimed > binom.isf(0.005, n, 0.06). With n = 40
that accepts 31..40 covered and up to 7 claims: a coarse screen for gross miscalibration;
the bench run is the real check.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from scipy.stats import binom

from speciosa.insights import plots
from speciosa.insights.constants import WITHHELD_QUESTIONS, bonferroni_level
from speciosa.insights.results import Effect
from speciosa.simulate.calibration import (
    BONFERRONI_PRODUCT,
    SCENARIOS,
    SETTINGS,
    Calibration,
    Tally,
    TallyKey,
    calibrate,
    calibrate_setting,
    calibration_intervals,
    tally_question,
)

JOURNALS = 40
FAST = [s for s in SCENARIOS if s.outcome in ("sol", "pain")]


@pytest.fixture(scope="module")
def results() -> list[Calibration]:
    return [calibrate(scenario, JOURNALS) for scenario in FAST]


@pytest.mark.slow
def test_intervals_cover_the_planted_truth(results: list[Calibration]) -> None:
    for result in results:
        n = result.answered
        assert n >= 0.9 * JOURNALS, f"{result.scenario.name}: only {n} journals answered"
        low, high = binom.ppf(0.005, n, 0.90), binom.isf(0.005, n, 0.98)
        print(
            f"{result.scenario.name}: coverage {result.covered}/{n} = {result.coverage:.1%}, "
            f"claimed {result.claimed}/{n}, mean estimate {result.mean_estimate:.2f}"
        )
        assert low <= result.covered <= high, result.scenario.name


@pytest.mark.slow
def test_no_effect_is_rarely_claimed(results: list[Calibration]) -> None:
    nulls = [r for r in results if r.null]
    assert len(nulls) == 2
    for result in nulls:
        assert result.claimed <= binom.isf(0.005, result.answered, 0.06), result.scenario.name


@pytest.mark.slow
def test_planted_effects_are_mostly_found(results: list[Calibration]) -> None:
    # Power is not a calibration target, but a planted effect should usually be found: the
    # full run measured 75% (SOL, 120 days) and 98% (pain, 365 days). Fail only if the count
    # is implausible (p < 0.5%) for a true power of 70% or more.
    for result in results:
        if not result.null:
            assert result.claimed >= binom.ppf(0.005, result.answered, 0.70), result.scenario.name


@pytest.mark.slow
def test_calibration_figure_is_written(results: list[Calibration], tmp_path: Path) -> None:
    paths = plots.save(calibration_intervals(results), tmp_path, "calibration")
    assert [p.suffix for p in paths] == [".png", ".svg"]
    assert all(p.stat().st_size > 1000 for p in paths)


# ------------------------------------------------ every answer, by setting (bench: 400 each)

NULL_JOURNALS = 60


@pytest.fixture(scope="module")
def null_at_half() -> dict[TallyKey, Tally]:
    """60 null journals (240 days) with autocorrelation 0.5: every answer's truth is 0."""
    return calibrate_setting(SETTINGS[2], NULL_JOURNALS, planted=False, days=240)


@pytest.mark.slow
def test_shown_answers_rarely_claim_an_effect_that_is_not_there(
    null_at_half: dict[TallyKey, Tally],
) -> None:
    shown = [t for t in null_at_half.values() if t.question not in WITHHELD_QUESTIONS]
    assert {t.question for t in shown} >= {"dose_vs_none", "dose_band", "dose_response"}
    intervals = sum(t.intervals for t in shown)
    claimed = sum(t.claimed for t in shown)
    assert intervals > 10 * NULL_JOURNALS
    # the bench's limit is 6% over 400 journals; 10% pooled here, and no single answer at
    # 25%, fail only on gross over-claiming (a 20% rate everywhere would fail the first)
    assert claimed / intervals <= 0.10, f"{claimed}/{intervals}"
    for tally in shown:
        if tally.intervals >= 30:
            assert tally.claim_rate < 0.25, (tally.question, tally.outcome, tally.claim_rate)


@pytest.mark.slow
def test_hard_stools_are_answered_with_40_percent_of_days_missing() -> None:
    # Requiring all 7 earlier days to be logged answered almost no journal (0.6^7 = 3% of
    # movements qualify); with 4 of 7 most 240-day journals have enough movements.
    tallies = calibrate_setting(SETTINGS[3], 20, planted=False, days=240)
    stools = tallies[(SETTINGS[3].name, False, "side_effect", "hard_stools")]
    assert stools.journals == 20
    assert stools.answered >= 12


def test_bonferroni_product_intervals_are_tallied_apart() -> None:
    """One-product intervals (at INTERVAL_LEVEL) must meet the whole 90-98% window; widened
    ones (several products, 1 − 0.04/k) only the floor, so they may not share a row."""
    base = Effect(
        question="product",
        outcome="sol",
        exposure="B vs A",
        estimate=0.0,
        ci_low=-1.0,
        ci_high=1.0,
        unit="min",
        n_exposed=20,
        n_unexposed=40,
        method="",
        sentence="",
        enough_data=True,
    )
    assert tally_question(base) == "product"
    assert tally_question(replace(base, ci_level=bonferroni_level(2))) == BONFERRONI_PRODUCT
    assert tally_question(replace(base, question="dose_vs_none")) == "dose_vs_none"
