"""Analysing a personal experiment: a randomisation test and a model with robust intervals.

    data = trial_data(experiment, daily_frame(entries, profile))
    interim_look(experiment, data, day=today)      # adherence and completeness only
    analyse_experiment(experiment, data)           # the answer, once the schedule is over

Missing-data policy: a day counts when its outcome was recorded and it is not a wash-out
day. *As randomised* uses every such day in the condition the schedule gave it, whatever
was done; *per protocol* uses only days on which the log shows the schedule was followed
(days whose adherence cannot be told from the log are left out and counted).

Effect = mean(condition A) − mean(condition B), in the outcome's units.

* Randomisation test: the difference in means, re-computed for every block order the
  design's own rule could have drawn (all of them when there are at most 4096, else 4000
  random draws, seeded by the design). Two-sided p = share of orders at least as extreme.
  Valid for the as-randomised comparison only.
* Model: outcome ~ condition with AR(1) errors and block-clustered standard errors.
  The AR(1) coefficient is estimated from least-squares residuals over consecutive days
  (bias-corrected), outcome and condition are Prais–Winsten transformed with ρ^gap
  across gaps (efficiency: generalised least squares), and the transformed regression
  gets cluster-robust errors with each block a cluster: the wash-out between blocks
  leaves them nearly independent, while days within a block may stay correlated in any
  way. With so few clusters the CR2 bias-reduced estimator of Bell & McCaffrey (2002,
  Survey Methodology 28:169-181) is used with a Student-t whose degrees of freedom are
  Bell & McCaffrey's Satterthwaite approximation, computed under independent errors, as
  recommended by Imbens & Kolesár ("Robust standard errors in small samples: some
  practical advice", REStat 2016) and Pustejovsky & Tipton (JBES 2018). For an ABAB or
  paired design these are close to (blocks − 2). The earlier model (Newey–West errors
  with a t on blocks − 2 df) mixed a variance learnt from days with degrees of freedom
  learnt from blocks: ABAB 6×17 covered 98.5% without autocorrelation, above the 98%
  target (bench/experiment_calibration.py). Plain Newey–West without the whitening and
  the small-cluster t covered only 85–92%. Period (pair) terms are left out: with so few
  blocks they cost more precision than they buy, and the randomised order balances slow
  drift in expectation.
* Intervals are at ``insights.constants.INTERVAL_LEVEL`` (96%), the level of every answer
  Speciosa shows, so an experiment and the insights are held to the same standard.
* The interval is read against the outcome's minimal clinically important difference:
  pain 2 points or 30% of the condition-B mean (Farrar 2001); for sleep-onset latency and
  the other diary outcomes no validated threshold is known, and the report says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import stats

from speciosa.insights.constants import INTERVAL_LEVEL
from speciosa.insights.outcomes import OUTCOMES
from speciosa.insights.results import level_percent
from speciosa.plans.base import is_paused
from speciosa.plans.constants import (
    EXACT_ARRANGEMENTS_MAX,
    MCID_PERCENT,
    MCID_POINTS,
    MCID_SOURCES,
    MIN_DAYS_PER_ARM,
    MONTE_CARLO_DRAWS,
    TIMING_TOLERANCE_MINUTES,
)
from speciosa.plans.experiment import (
    Experiment,
    ExperimentDesign,
    all_choices,
    arrangement_count,
    block_arms,
    units,
)

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
IntArray = NDArray[np.int64]
Importance = Literal["important", "not important", "unclear", "no threshold"]
Analysis = Literal["as randomised", "per protocol"]
MAX_AR1 = 0.95  # beyond this the AR(1) transform divides by almost nothing


@dataclass(frozen=True)
class TrialData:
    """One row per scheduled day. ``followed``: 1 on schedule, 0 off, NaN unknown."""

    day: IntArray  # days since the start
    block: IntArray  # 0-based block index
    assigned_a: BoolArray
    analysed: BoolArray  # not a wash-out day
    y: FloatArray  # the outcome, NaN when not recorded
    followed: FloatArray


@dataclass(frozen=True)
class Adherence:
    days: int  # scheduled days so far
    followed: int
    off_schedule: int
    unknown: int
    outcome_days: int  # analysed days with the outcome recorded
    analysed_days: int  # analysed (non-wash-out) days so far

    @property
    def share_followed(self) -> float | None:
        known = self.followed + self.off_schedule
        return None if known == 0 else self.followed / known

    @property
    def completeness(self) -> float | None:
        return None if self.analysed_days == 0 else self.outcome_days / self.analysed_days


@dataclass(frozen=True)
class RandomisationTest:
    statistic: float
    p_value: float
    orders: int
    exact: bool
    smallest_p: float


@dataclass(frozen=True)
class EffectEstimate:
    analysis: Analysis
    enough_data: bool
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    n_a: int
    n_b: int
    df: float | None  # the t reference's degrees of freedom (Bell–McCaffrey)
    reason: str | None = None
    rho: float | None = None

    @property
    def claimed(self) -> bool:
        if self.ci_low is None or self.ci_high is None:
            return False
        return self.ci_low > 0 or self.ci_high < 0


@dataclass(frozen=True)
class TrialResult:
    outcome: str
    unit: str
    label_a: str
    label_b: str
    as_randomised: EffectEstimate
    per_protocol: EffectEstimate
    randomisation: RandomisationTest | None
    mcid: float | None
    importance: Importance
    adherence: Adherence
    sentences: tuple[str, ...]
    source_ids: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class InterimLook:
    """Progress without the answer: nothing here depends on the outcome's values by arm."""

    day: date
    days_elapsed: int
    total_days: int
    adherence: Adherence
    sentences: tuple[str, ...]


# --------------------------------------------------------------------------- data


def schedule_frame(experiment: Experiment) -> tuple[IntArray, IntArray, BoolArray, BoolArray]:
    """Day offsets, block indices, assigned condition A and analysed flags for every day."""
    design = experiment.design
    days, blocks, arm_a, analysed = [], [], [], []
    for index, block in enumerate(experiment.blocks):
        for offset in range(design.block_days):
            days.append((block.start - design.start).days + offset)
            blocks.append(index)
            arm_a.append(block.arm == "A")
            analysed.append(offset >= design.washout_days)
    return (
        np.asarray(days, dtype=np.int64),
        np.asarray(blocks, dtype=np.int64),
        np.asarray(arm_a, dtype=np.bool_),
        np.asarray(analysed, dtype=np.bool_),
    )


def trial_data(experiment: Experiment, frame: pd.DataFrame) -> TrialData:
    """The experiment's days read from the insights daily frame (``insights.daily_frame``).

    For bedtime and timing experiments, day outcomes (pain, fatigue...) are taken from
    the next day, so that they follow the night's condition; night outcomes belong to the
    night at the end of the day.
    """
    design = experiment.design
    day, block, arm_a, analysed = schedule_frame(experiment)
    outcome = OUTCOMES[design.outcome]
    lag = 1 if design.comparison in ("bedtime", "timing") and not outcome.night else 0
    y = np.full(len(day), np.nan)
    followed = np.full(len(day), np.nan)
    values = {
        _as_date(k): float(v)
        for k, v in frame[design.outcome].astype(float).items()
        if np.isfinite(v)
    }
    rows: dict[date, dict[str, Any]] = {
        _as_date(k): {str(c): v for c, v in row.items()}
        for k, row in frame.to_dict(orient="index").items()
    }
    for i, offset in enumerate(day):
        when = design.start + timedelta(days=int(offset))
        value = values.get(when + timedelta(days=lag))
        if value is not None:
            y[i] = value * outcome.scale
        if is_paused(experiment.pauses, when):
            followed[i] = 0.0
        elif when in rows:
            followed[i] = _followed(design, rows[when], bool(arm_a[i]))
    return TrialData(day, block, arm_a, analysed, y, followed)


def _as_date(key: Any) -> date:
    return pd.Timestamp(key).date()


def _followed(design: ExperimentDesign, row: dict[str, Any], arm_a: bool) -> float:
    if not row.get("logged"):
        return math.nan
    if design.comparison == "bedtime":
        value = row.get("bedtime_dose")
        if value is None or pd.isna(value):
            return math.nan
        return float(bool(value) == arm_a)
    if design.comparison == "timing":
        wanted = design.minutes_a if arm_a else design.minutes_b
        gap = row.get("dose_to_bed_min")
        if gap is None or pd.isna(gap) or wanted is None:
            return 0.0 if row.get("dose_any") == 0 else math.nan
        return float(abs(float(gap) - wanted) <= TIMING_TOLERANCE_MINUTES)
    wanted_product = design.product_a if arm_a else design.product_b
    if not row.get("dose_any"):
        return 0.0
    return float(row.get("product") == wanted_product)


# --------------------------------------------------------------------------- statistics


def randomisation_test(
    data: TrialData, *, layout: str, blocks: int, seed: int
) -> RandomisationTest | None:
    """Difference in means against every block order the design's rule could draw."""
    use = data.analysed & ~np.isnan(data.y)
    if use.sum() < 2:
        return None
    y = data.y[use]
    block = data.block[use]
    sums = np.asarray(np.bincount(block, weights=y, minlength=blocks), dtype=np.float64)
    counts = np.asarray(np.bincount(block, minlength=blocks), dtype=np.float64)
    total, n = float(y.sum()), float(len(y))
    count = arrangement_count(layout, blocks)
    exact = count <= EXACT_ARRANGEMENTS_MAX
    if exact:
        choices = all_choices(layout, blocks)
    else:
        rng = np.random.default_rng(seed)
        draws = rng.integers(0, 2, size=(MONTE_CARLO_DRAWS, units(layout, blocks)))
        choices = [tuple(int(c) for c in row) for row in draws]
    matrix = np.array(
        [[arm == "A" for arm in block_arms(layout, blocks, c)] for c in choices], dtype=np.float64
    )
    observed_a = np.array(
        [bool(data.assigned_a[data.block == b][0]) for b in range(blocks)], dtype=np.float64
    )
    drawn = _diffs(matrix, sums, counts, total, n)
    observed = float(_diffs(observed_a[None, :], sums, counts, total, n)[0])
    if not math.isfinite(observed):
        return None
    extreme = np.abs(drawn) >= abs(observed) - 1e-12
    extreme &= np.isfinite(drawn)
    if exact:
        p = float(extreme.sum() / len(drawn))
        smallest = min(1.0, 2 / count) if layout != "ABAB" or count > 2 else 1.0
    else:
        p = float((extreme.sum() + 1) / (len(drawn) + 1))
        smallest = 1 / (len(drawn) + 1)
    return RandomisationTest(observed, p, count, exact, smallest)


def _diffs(
    matrix: FloatArray, sums: FloatArray, counts: FloatArray, total: float, n: float
) -> FloatArray:
    sum_a = matrix @ sums
    n_a = matrix @ counts
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(sum_a / n_a - (total - sum_a) / (n - n_a), dtype=np.float64)


def ar1_coefficient(resid: FloatArray, days: IntArray) -> float:
    """Lag-1 autocorrelation of residuals over consecutive days, bias-corrected, in [0, 0.95].

    The correction adds (1 + 3ρ)/m for m consecutive pairs (Kendall's small-sample bias
    of the lag-1 estimator); negative values are set to 0 (no whitening).
    """
    consecutive = np.diff(days) == 1
    pairs = int(consecutive.sum())
    if pairs < 3:
        return 0.0
    rho = float(np.sum(resid[1:][consecutive] * resid[:-1][consecutive]) / np.sum(resid**2))
    rho += (1 + 3 * rho) / pairs
    return min(max(rho, 0.0), MAX_AR1)


def ar1_whiten(values: FloatArray, days: IntArray, rho: float) -> FloatArray:
    """Prais–Winsten transform for AR(1) errors on days with gaps (ρ^gap between rows)."""
    out = np.array(values, dtype=np.float64, copy=True)
    if rho <= 0:
        return out
    for i in range(1, len(values)):
        r = rho ** int(days[i] - days[i - 1])
        out[i] = (values[i] - r * values[i - 1]) / math.sqrt(1 - r * r)
    return out


def hac_effect(data: TrialData, *, analysis: Analysis) -> EffectEstimate:
    """Condition A − B with its interval (``INTERVAL_LEVEL``, 96%), on as-randomised or
    per-protocol days."""
    use = data.analysed & ~np.isnan(data.y)
    if analysis == "per protocol":
        use &= data.followed == 1.0
    arm = data.assigned_a[use]
    n_a, n_b = int(arm.sum()), int((~arm).sum())
    blocks_a = len(set(data.block[use][arm].tolist()))
    blocks_b = len(set(data.block[use][~arm].tolist()))
    if min(n_a, n_b) < MIN_DAYS_PER_ARM or min(blocks_a, blocks_b) < 2:
        return EffectEstimate(
            analysis,
            False,
            None,
            None,
            None,
            n_a,
            n_b,
            None,
            reason=f"{n_a} days with A and {n_b} with B in {blocks_a} and {blocks_b} blocks; "
            f"need {MIN_DAYS_PER_ARM} days of each in at least 2 blocks each",
        )
    y = data.y[use]
    days = data.day[use]
    x = np.column_stack([np.ones(len(y)), arm.astype(np.float64)])
    params = np.asarray(np.linalg.lstsq(x, y, rcond=None)[0], dtype=np.float64)
    rho = ar1_coefficient(y - x @ params, days)
    xw = np.column_stack([ar1_whiten(x[:, j], days, rho) for j in range(x.shape[1])])
    yw = ar1_whiten(y, days, rho)
    params = np.asarray(np.linalg.lstsq(xw, yw, rcond=None)[0], dtype=np.float64)
    variance, dof = cr2_contrast(xw, yw - xw @ params, data.block[use], np.array([0.0, 1.0]))
    estimate = float(params[1])
    se = math.sqrt(variance)
    q = float(stats.t.ppf(0.5 + INTERVAL_LEVEL / 2, dof))
    return EffectEstimate(
        analysis, True, estimate, estimate - q * se, estimate + q * se, n_a, n_b, dof, rho=rho
    )


def cr2_contrast(
    x: FloatArray, resid: FloatArray, clusters: IntArray, weights: FloatArray
) -> tuple[float, float]:
    """CR2 variance of the contrast ``weights``·β and its Bell–McCaffrey degrees of freedom.

    CR2 (Bell & McCaffrey 2002): V = Σ_g (a_g' A_g e_g)² with a = X B w, B = (X'X)⁻¹,
    A_g = (I − H_gg)^(−½) and e the residuals; it is unbiased when errors are independent
    and equal in variance. Degrees of freedom: with G the n × clusters matrix whose
    column g is (I − H)_{·g} A_g a_g, V is a quadratic form whose Satterthwaite df under
    independent errors is tr(G'G)² / ‖G'G‖²_F (Imbens & Kolesár 2016). With one day per
    cluster and a binary regressor these are Welch's variance and Welch–Satterthwaite df
    with equal variances (tests/plans/test_analysis.py pins both).
    """
    bread = np.linalg.inv(x.T @ x)
    a = x @ (bread @ weights)
    hat = x @ bread @ x.T
    residual_maker = np.eye(len(x)) - hat
    variance = 0.0
    columns = []
    for cluster in np.unique(clusters):
        rows = np.flatnonzero(clusters == cluster)
        adjust = _inverse_sqrt(np.eye(len(rows)) - hat[np.ix_(rows, rows)])
        variance += float(a[rows] @ adjust @ resid[rows]) ** 2
        columns.append(residual_maker[:, rows] @ (adjust @ a[rows]))
    g = np.column_stack(columns)
    gram = g.T @ g
    dof = float(np.trace(gram)) ** 2 / float(np.sum(gram * gram))
    return variance, max(dof, 1.0)


def _inverse_sqrt(matrix: FloatArray) -> FloatArray:
    """Symmetric (matrix)^(−½); eigenvalues near 0 (a block that alone fixes a coefficient)
    are floored, so such a block gets a large but finite adjustment."""
    values, vectors = np.linalg.eigh(matrix)
    return np.asarray((vectors / np.sqrt(np.maximum(values, 1e-8))) @ vectors.T, dtype=np.float64)


def adherence(data: TrialData, upto: int | None = None) -> Adherence:
    """Adherence and completeness over scheduled days with offset < ``upto`` (all if None)."""
    seen = np.ones(len(data.day), dtype=np.bool_) if upto is None else data.day < upto
    followed = data.followed[seen]
    analysed = data.analysed[seen]
    return Adherence(
        days=int(seen.sum()),
        followed=int((followed == 1.0).sum()),
        off_schedule=int((followed == 0.0).sum()),
        unknown=int(np.isnan(followed).sum()),
        outcome_days=int((analysed & ~np.isnan(data.y[seen])).sum()),
        analysed_days=int(analysed.sum()),
    )


def importance(
    outcome: str, low: float | None, high: float | None, reference_mean: float | None
) -> tuple[float | None, Importance]:
    """The threshold used and where the interval lies against it."""
    points = MCID_POINTS.get(outcome)
    if points is None or low is None or high is None:
        return None, "no threshold"
    threshold = points
    percent = MCID_PERCENT.get(outcome)
    if percent is not None and reference_mean is not None and reference_mean > 0:
        threshold = min(points, percent / 100 * reference_mean)
    if high <= -threshold or low >= threshold:
        return threshold, "important"
    if -threshold < low and high < threshold:
        return threshold, "not important"
    return threshold, "unclear"


# --------------------------------------------------------------------------- reports


def analyse_experiment(experiment: Experiment, data: TrialData) -> TrialResult:
    """The final answer: both analyses, the randomisation test and the MCID reading."""
    design = experiment.design
    outcome = OUTCOMES[design.outcome]
    as_rand = hac_effect(data, analysis="as randomised")
    per_prot = hac_effect(data, analysis="per protocol")
    test = (
        randomisation_test(data, layout=design.layout, blocks=design.blocks, seed=design.seed)
        if as_rand.enough_data
        else None
    )
    use_b = data.analysed & ~np.isnan(data.y) & ~data.assigned_a
    reference = float(np.mean(data.y[use_b])) if use_b.any() else None
    threshold, reading = importance(design.outcome, as_rand.ci_low, as_rand.ci_high, reference)
    adh = adherence(data)
    sentences = _sentences(design, outcome.label, outcome.unit, as_rand, per_prot, test)
    sentences += (_importance_sentence(outcome.label, threshold, reading, as_rand),)
    sentences += (_adherence_sentence(adh),)
    return TrialResult(
        outcome=design.outcome,
        unit=outcome.unit,
        label_a=design.label_a,
        label_b=design.label_b,
        as_randomised=as_rand,
        per_protocol=per_prot,
        randomisation=test,
        mcid=threshold,
        importance=reading,
        adherence=adh,
        sentences=sentences,
        source_ids=MCID_SOURCES.get(design.outcome, ()),
    )


def _sentences(
    design: ExperimentDesign,
    label: str,
    unit: str,
    as_rand: EffectEstimate,
    per_prot: EffectEstimate,
    test: RandomisationTest | None,
) -> tuple[str, ...]:
    lines = []
    for estimate in (as_rand, per_prot):
        if not estimate.enough_data or estimate.estimate is None:
            lines.append(
                f"{estimate.analysis.capitalize()}: not enough data yet ({estimate.reason})."
            )
            continue
        lines.append(
            f"{estimate.analysis.capitalize()}: {label} with A ({design.label_a}) minus B "
            f"({design.label_b}) = {estimate.estimate:+.2f} {unit} ({level_percent()} CI "
            f"{estimate.ci_low:+.2f} to {estimate.ci_high:+.2f}; {estimate.n_a} days A, "
            f"{estimate.n_b} days B; AR(1) model with block-clustered errors). "
            + (
                "The interval excludes no difference."
                if estimate.claimed
                else "The interval includes no difference."
            )
        )
    if test is not None:
        kind = "all" if test.exact else "random draws of the"
        lines.append(
            f"Randomisation test (as randomised, {kind} {test.orders} possible block orders): "
            f"p = {test.p_value:.3f}; the smallest p this design allows is {test.smallest_p:.3g}."
        )
    lines.append(
        "As randomised keeps every day in the condition the schedule gave it; per protocol "
        "keeps only days the log shows were on schedule. When they differ, off-schedule "
        "days matter and the as-randomised result is the fairer test."
    )
    return tuple(lines)


def _importance_sentence(
    label: str, threshold: float | None, reading: Importance, estimate: EffectEstimate
) -> str:
    if reading == "no threshold":
        if estimate.enough_data and MCID_POINTS.get(label) is None:
            return (
                f"No validated minimal clinically important difference is known for {label}, "
                "so the interval is shown without one."
            )
        return "No clinically important difference could be read (not enough data or none known)."
    words = {
        "important": "the whole interval reaches",
        "not important": "the whole interval stays below",
        "unclear": "the interval straddles",
    }[reading]
    return (
        f"Against the clinically important difference of {threshold:.2f} (about 2 points or "
        f"30%, Farrar 2001), {words} it."
    )


def _adherence_sentence(adh: Adherence) -> str:
    share = adh.share_followed
    followed = "unknown" if share is None else f"{share:.0%}"
    return (
        f"On schedule: {followed} of days the log can tell ({adh.followed} on, "
        f"{adh.off_schedule} off, {adh.unknown} not told by the log); outcome recorded on "
        f"{adh.outcome_days} of {adh.analysed_days} measured days."
    )


def interim_look(experiment: Experiment, data: TrialData, *, day: date) -> InterimLook:
    """Adherence and completeness so far: no effect, no means by condition (no peeking)."""
    design = experiment.design
    elapsed = max(0, min((day - design.start).days, design.total_days))
    adh = adherence(data, upto=elapsed)
    completeness = adh.completeness
    share = adh.share_followed
    lines = [
        f"Day {elapsed} of {design.total_days}; {adh.analysed_days} measured days so far.",
        "Outcome recorded on "
        + ("no measured day yet" if completeness is None else f"{completeness:.0%} of them")
        + ".",
        "On schedule on "
        + (
            "no day the log can tell yet"
            if share is None
            else f"{share:.0%} of days the log can tell"
        )
        + f" ({adh.unknown} days not told by the log).",
        "The interim look shows only adherence and completeness, never the result, so that "
        "looking cannot sway how the rest of the experiment is run.",
    ]
    if completeness is not None and completeness < 0.8:
        lines.append(
            "Fewer than 4 in 5 measured days have the outcome logged; gaps widen the final "
            "interval."
        )
    return InterimLook(day, elapsed, design.total_days, adh, tuple(lines))
