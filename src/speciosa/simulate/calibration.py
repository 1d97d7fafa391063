"""Calibration of the insights against simulated journals with planted, known effects.

For each scenario many journals are simulated (seeds 0..n−1), run through
:func:`daily_frame` and :func:`analyse` exactly as a person's journal would be, and the
answer to one question is compared with the planted truth: how often its interval (at
``insights.constants.INTERVAL_LEVEL``, 96%, the level a person is shown) covers the truth,
and, when nothing was planted, how often an effect is claimed (the interval excludes
zero). Pure: no I/O; the bench script and the tests print or assert,
and :func:`calibration_intervals` draws the figure (``insights.plots.save`` writes it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from matplotlib.figure import Figure

from speciosa.insights.analyses import analyse
from speciosa.insights.constants import INTERVAL_LEVEL
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
        frame = daily_frame(journal.entries, journal.profile)
        report = analyse(frame, journal.profile, withheld=())  # measured even when held back
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


# --------------------------------------------------------------- every answer, by setting
#
# One simulated journal answers every question at once, so each setting simulates two
# kinds of journal and scores every answer a person would be shown:
#
# * null: nothing planted, but pain drifts and grams drift (neither is an effect of a
#   dose), so every answer's truth is 0 and any claim is a false claim;
# * planted: a bedtime-dose latency effect that fades over the year (tolerance), a
#   dose-day pain effect, a pain drift and a hard-stool effect, scored where the truth of
#   the answer is known (see :func:`planted_truth`).


@dataclass(frozen=True, slots=True)
class Setting:
    """How the day-to-day noise and the gaps of a batch of journals look."""

    name: str
    phi: float
    missing_share: float


SETTINGS: tuple[Setting, ...] = (
    Setting("autocorrelation 0", 0.0, 0.0),
    Setting("autocorrelation 0.3", 0.3, 0.0),
    Setting("autocorrelation 0.5", 0.5, 0.0),
    Setting("autocorrelation 0.3, 40% of days missing", 0.3, 0.4),
)
SETTING_DAYS = 365
SETTING_CONDITION = Condition.FIBROMYALGIA  # goals sleep and pain: the most answers
PLANTED_SOL = -10.0
PLANTED_SOL_FADE = 0.5  # minutes per month: the effect shrinks from about −12.7 to −7.3
PLANTED_PAIN = -1.0
PLANTED_STOOL = 0.15
DRIFT_PAIN = 0.1  # points per month, on every day
DRIFT_GRAMS_PCT = 3.0  # percent per month, null journals only (bands stay time-free)
STOOL_NOISE_SD = 0.5  # log-odds, AR(1) with the setting's phi


def setting_effects(setting: Setting, *, planted: bool) -> PlantedEffects:
    """The effects simulated for ``setting``'s null or planted journals."""
    common = PlantedEffects(
        noise_phi=setting.phi,
        missing_day_share=setting.missing_share,
        pain_drift_per_month=DRIFT_PAIN,
        stool_noise_sd=STOOL_NOISE_SD,
        bedtime_dose_probability=0.4,
    )
    if not planted:
        return replace(common, grams_drift_pct_per_month=DRIFT_GRAMS_PCT)
    return replace(
        common,
        bedtime_dose_sol_minutes=PLANTED_SOL,
        sol_effect_change_per_month=PLANTED_SOL_FADE,
        dose_day_pain_change=PLANTED_PAIN,
        hard_stool_log_odds_per_10g_week=PLANTED_STOOL,
    )


def planted_truth(effect: Effect, truth: Truth) -> float | None:
    """The true value of ``effect``'s estimate in a journal, or None when it is not known.

    In a planted journal the latency effect also moves sleep quality, total sleep and
    sleep efficiency by amounts the simulator does not state, so those are not scored; nor
    is timing, whose nights 3–6 h after a dose have no bedtime dose and so no effect.
    """
    if effect.question == "timing":
        return None
    if effect.question in ("dose_response", "product"):
        return 0.0 if effect.outcome in ("sol", "pain") else None
    if effect.question == "side_effect":
        return truth.hard_stool_log_odds_per_10g_week
    by_outcome = {
        ("sol", False): truth.sol_effect_minutes,
        ("sol", True): truth.sol_effect_change_per_month,
        ("pain", False): truth.pain_effect_points,
        ("pain", True): truth.pain_effect_change_per_month,
    }
    return by_outcome.get((effect.outcome, effect.question == "tolerance"))


@dataclass(slots=True)
class Tally:
    """One answer's intervals in one setting and kind of journal."""

    setting: str
    planted: bool
    question: str
    outcome: str
    journals: int = 0
    answered: int = 0
    intervals: int = 0
    covered: int = 0
    claimed: int = 0
    level: float = 1.0
    """The lowest interval level seen (INTERVAL_LEVEL; Bonferroni-widened for products)."""
    truth_sum: float = 0.0
    estimate_sum: float = 0.0

    @property
    def coverage(self) -> float:
        return self.covered / self.intervals if self.intervals else float("nan")

    @property
    def claim_rate(self) -> float:
        return self.claimed / self.intervals if self.intervals else float("nan")

    @property
    def mean_truth(self) -> float:
        return self.truth_sum / self.intervals if self.intervals else float("nan")

    @property
    def mean_estimate(self) -> float:
        return self.estimate_sum / self.intervals if self.intervals else float("nan")

    def merge(self, other: Tally) -> None:
        self.journals += other.journals
        self.answered += other.answered
        self.intervals += other.intervals
        self.covered += other.covered
        self.claimed += other.claimed
        self.truth_sum += other.truth_sum
        self.estimate_sum += other.estimate_sum
        self.level = min(self.level, other.level)


TallyKey = tuple[str, bool, str, str]
# Products compared several at once get Bonferroni-widened intervals, meant to cover more
# than INTERVAL_LEVEL; they are tallied apart so that a row holds intervals of one kind.
BONFERRONI_PRODUCT = "product (Bonferroni)"


def tally_question(effect: Effect) -> str:
    """The row an answer is tallied in: its question, with widened product intervals apart."""
    if effect.question == "product" and effect.ci_level > INTERVAL_LEVEL + 1e-9:
        return BONFERRONI_PRODUCT
    return effect.question


def score_report(
    report: InsightReport, truth: Truth, setting: str, *, planted: bool
) -> dict[TallyKey, Tally]:
    """Score every answer in ``report`` against ``truth`` (0 for all in a null journal)."""
    tallies: dict[TallyKey, Tally] = {}
    for effect in report.effects:
        question = tally_question(effect)
        key = (setting, planted, question, effect.outcome)
        true = planted_truth(effect, truth) if planted else 0.0
        if true is None:
            continue
        tally = tallies.setdefault(key, Tally(setting, planted, question, effect.outcome))
        tally.journals = 1
        if not effect.enough_data or effect.ci_low is None or effect.ci_high is None:
            continue
        if effect.estimate is None:
            continue
        tally.answered = 1
        tally.intervals += 1
        tally.covered += effect.ci_low <= true <= effect.ci_high
        tally.claimed += effect.claimed
        tally.level = min(tally.level, effect.ci_level)
        tally.truth_sum += true
        tally.estimate_sum += effect.estimate
    return tallies


def calibrate_setting(
    setting: Setting,
    journals: int,
    *,
    planted: bool,
    first_seed: int = 0,
    days: int = SETTING_DAYS,
) -> dict[TallyKey, Tally]:
    """Simulate ``journals`` journals of one kind in ``setting`` and tally every answer."""
    effects = setting_effects(setting, planted=planted)
    totals: dict[TallyKey, Tally] = {}
    for seed in range(first_seed, first_seed + journals):
        journal = simulate_journal(
            condition=SETTING_CONDITION,
            days=days,
            seed=seed,
            end=CALIBRATION_END,
            effects=effects,
        )
        # withheld answers are measured too: this is how they earn their way back
        frame = daily_frame(journal.entries, journal.profile)
        report = analyse(frame, journal.profile, withheld=())
        for key, tally in score_report(
            report, journal.truth, setting.name, planted=planted
        ).items():
            if key in totals:
                totals[key].merge(tally)
            else:
                totals[key] = tally
    return totals
