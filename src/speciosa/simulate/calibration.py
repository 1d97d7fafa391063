"""Calibration of the insights against simulated journals with planted, known effects.

For each scenario many journals are simulated (seeds 0..n−1), run through
:func:`daily_frame` and :func:`analyse` exactly as a person's journal would be, and the
answer to one question is compared with the planted truth: how often the 95% interval
covers the truth, and, when nothing was planted, how often an effect is claimed (the
interval excludes zero). Pure: no I/O; the bench script and the tests print or assert,
and :func:`calibration_intervals` draws the figure (``insights.plots.save`` writes it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from matplotlib.figure import Figure

from speciosa.insights.analyses import analyse
from speciosa.insights.frame import daily_frame
from speciosa.insights.results import Effect, InsightReport, Question
from speciosa.journal.catalogues import Condition
from speciosa.simulate import PlantedEffects, Truth, simulate_journal

CALIBRATION_END = date(2026, 3, 31)


@dataclass(frozen=True, slots=True)
class Scenario:
    """One planted effect (or none), the question that should find it, and its truth."""

    name: str
    condition: Condition
    days: int
    effects: PlantedEffects
    question: Question
    outcome: str
    truth: Callable[[Truth], float]
    unit: str


def _sol(t: Truth) -> float:
    return t.sol_effect_minutes


def _pain(t: Truth) -> float:
    return t.pain_effect_points


def _stool(t: Truth) -> float:
    return t.hard_stool_log_odds_per_10g_week


def _scenario(
    name: str,
    condition: Condition,
    days: int,
    effects: PlantedEffects,
    question: Question,
    outcome: str,
    truth: Callable[[Truth], float],
    unit: str,
) -> Scenario:
    return Scenario(name, condition, days, effects, question, outcome, truth, unit)


FIB, PAIN = Condition.FIBROMYALGIA, Condition.CHRONIC_PAIN
SCENARIOS: tuple[Scenario, ...] = (
    _scenario(
        "planted SOL effect (−10 min)",
        FIB,
        120,
        PlantedEffects(bedtime_dose_sol_minutes=-10.0),
        "dose_vs_none",
        "sol",
        _sol,
        "min",
    ),
    _scenario("no SOL effect", FIB, 120, PlantedEffects(), "dose_vs_none", "sol", _sol, "min"),
    _scenario(
        "planted pain effect (−1 point)",
        PAIN,
        365,
        PlantedEffects(dose_day_pain_change=-1.0),
        "dose_vs_none",
        "pain",
        _pain,
        "points",
    ),
    _scenario(
        "no pain effect", PAIN, 365, PlantedEffects(), "dose_vs_none", "pain", _pain, "points"
    ),
    _scenario(
        "planted hard-stool effect (+0.15 log-odds per 10 g/week)",
        FIB,
        365,
        PlantedEffects(hard_stool_log_odds_per_10g_week=0.15),
        "side_effect",
        "hard_stools",
        _stool,
        "log-odds",
    ),
    _scenario(
        "no hard-stool effect",
        FIB,
        365,
        PlantedEffects(),
        "side_effect",
        "hard_stools",
        _stool,
        "log-odds",
    ),
)


@dataclass(slots=True)
class Calibration:
    """How one scenario's intervals behaved across ``journals`` simulated journals."""

    scenario: Scenario
    journals: int
    answered: int = 0
    covered: int = 0
    claimed: int = 0
    estimates: list[float] = field(default_factory=list)
    truths: list[float] = field(default_factory=list)
    intervals: list[tuple[float, float]] = field(default_factory=list)

    @property
    def coverage(self) -> float:
        return self.covered / self.answered if self.answered else float("nan")

    @property
    def claim_rate(self) -> float:
        return self.claimed / self.answered if self.answered else float("nan")

    @property
    def mean_estimate(self) -> float:
        return sum(self.estimates) / len(self.estimates) if self.estimates else float("nan")

    @property
    def planted(self) -> float:
        return self.truths[0] if self.truths else float("nan")

    @property
    def null(self) -> bool:
        """Nothing was planted: every journal's truth is zero."""
        return all(t == 0 for t in self.truths)


def answer(report: InsightReport, scenario: Scenario) -> Effect | None:
    """The effect in ``report`` that answers ``scenario``'s question."""
    return report.find(scenario.question, scenario.outcome)


def calibrate(scenario: Scenario, journals: int, *, first_seed: int = 0) -> Calibration:
    """Simulate ``journals`` journals for ``scenario`` and score the intervals against truth."""
    result = Calibration(scenario, journals)
    for seed in range(first_seed, first_seed + journals):
        journal = simulate_journal(
            condition=scenario.condition,
            days=scenario.days,
            seed=seed,
            end=CALIBRATION_END,
            effects=scenario.effects,
        )
        report = analyse(daily_frame(journal.entries, journal.profile), journal.profile)
        effect = answer(report, scenario)
        if effect is None or effect.estimate is None or effect.ci_low is None:
            continue
        if effect.ci_high is None or not effect.enough_data:
            continue
        truth = scenario.truth(journal.truth)
        result.answered += 1
        result.covered += effect.ci_low <= truth <= effect.ci_high
        result.claimed += effect.claimed
        result.estimates.append(effect.estimate)
        result.truths.append(truth)
        result.intervals.append((effect.ci_low, effect.ci_high))
    return result


def calibration_intervals(results: Sequence[Calibration], *, shown: int = 100) -> Figure:
    """For each scenario, the first ``shown`` intervals against the truth, and the rates."""
    figure = Figure(figsize=(4 * max(1, len(results)), 5), layout="constrained")
    for column, result in enumerate(results):
        axes = figure.add_subplot(1, max(1, len(results)), column + 1)
        intervals = result.intervals[:shown]
        truths = result.truths[:shown]
        for i, ((low, high), truth) in enumerate(zip(intervals, truths, strict=True)):
            colour = "C0" if low <= truth <= high else "C3"
            axes.plot([low, high], [i, i], color=colour, linewidth=1)
        if truths:
            axes.axvline(truths[0], color="0.1", linewidth=1, linestyle="--")
        axes.set_title(
            f"{result.scenario.name}\ncoverage {result.coverage:.1%}, claimed "
            f"{result.claim_rate:.1%} (n={result.answered})",
            fontsize="small",
        )
        axes.set_xlabel(result.scenario.unit, fontsize="small")
        axes.set_yticks([])
    return figure
