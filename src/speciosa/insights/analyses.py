"""The n-of-1 questions, each answered with an estimate, its interval, counts and a sentence.

Every estimate is a least-squares (or, for hard stools, logistic) regression on the daily
frame with autocorrelation-robust EWC errors (Lazarus et al. 2018) made unbiased for each
reported contrast, with t intervals on Satterthwaite degrees of freedom (Bell & McCaffrey
2002; Imbens & Kolesár 2016; see :mod:`speciosa.insights.stats`), adjusted for the
covariates in :data:`COVARIATES` (alcohol, caffeine, workouts, weekend, a linear trend)
that vary in the rows used; a sentence names only the ones the fitted model kept.
Every interval is at ``constants.INTERVAL_LEVEL`` (96%; products Bonferroni-widened from it),
and every sentence states that level. Nothing here is causal: people take more on worse
days. Every sentence says so.

Only a finding gets a direction: when the interval includes no effect, the sentence says
the data cannot tell yet and gives the interval, never "lower" or "higher".

Questions
    dose_vs_none   outcome on days (nights: a dose in the 3 h before bed) with vs without
    dose_band      the same, split by thirds of the person's own dose amounts
    dose_response  change in the outcome per gram, among dosing days/nights
    timing         time to fall asleep per 30 minutes between the last dose and bed
    product        outcome by product against the most used one (Bonferroni intervals)
    tolerance      change per month in the with-vs-without difference, at equal grams
    side_effect    log-odds of a hard stool (Bristol 1–2) per 10 g/week more

Withheld: ``tolerance`` and ``side_effect`` have not passed calibration on
simulated diaries (constants.WITHHELD_QUESTIONS), so a person sees why they are held back
instead of a number; ``analyse(..., withheld=())`` still
computes them for the calibration bench, which is how they can earn their way back.

With device nights in the frame (``daily_frame(..., device=...)``) and a profile about
sleep, the wearable's total sleep time and time to fall asleep get ``dose_vs_none`` too,
with the same rules and methods; the diary stays the primary record.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from speciosa.insights.constants import (
    BEDTIME_WINDOW_MINUTES,
    DAYS_PER_MONTH,
    DOSE_BANDS,
    GRAMS_PER_WEEK_STEP,
    INTERVAL_LEVEL,
    MIN_BOWEL_MOVEMENTS,
    MIN_DAYS_PER_GROUP,
    MIN_DAYS_SLOPE,
    MIN_EACH_STOOL_KIND,
    MIN_LOGGED_DAYS_7D,
    MIN_SPAN_DAYS_TREND,
    SOURCE_LEWIS_HEATON_1997,
    SOURCE_LLSW_2018,
    SOURCE_ROME_IV,
    TIMING_STEP_MINUTES,
    TIMING_WINDOW_MINUTES,
    WITHHELD_QUESTIONS,
    bonferroni_level,
)
from speciosa.insights.outcomes import (
    DEVICE_NOTE,
    DEVICE_OUTCOMES,
    OUTCOMES,
    Outcome,
    relevant_device_outcomes,
    relevant_outcomes,
)
from speciosa.insights.results import Effect, InsightReport, Question, level_percent
from speciosa.insights.stats import Fit, FitError, logit_hac, ols_hac
from speciosa.journal.models import Profile

# Adjusted for in every regression; a covariate with no variation in the rows used is left out.
COVARIATES: tuple[str, ...] = (
    "alcohol_drinks",
    "caffeine_drinks",
    "workout_minutes",
    "weekend",
    "trend",
)
_ALL_COVARIATES = frozenset((*COVARIATES, "weekend_night"))
COVARIATE_WORDS: dict[str, str] = {
    "alcohol_drinks": "alcohol",
    "caffeine_drinks": "caffeine",
    "workout_minutes": "workouts",
    "weekend": "weekends",
    "weekend_night": "weekend nights",
    "trend": "the trend over time",
}
NOT_ADJUSTED = "not adjusted for anything"
CI = f"{level_percent(INTERVAL_LEVEL)} CI"  # "96% CI": every sentence states the level shown

OBSERVATIONAL = (
    "This is observational: people tend to take more on worse days, so it shows an "
    "association, not cause and effect."
)
EXPERIMENT = (
    " A planned personal experiment, with dose and no-dose {period} decided in advance "
    "(for example by a coin toss) rather than by how you feel, could tell the two apart; "
    "talk it over with your clinician."
)
MANY_COMPARISONS = (
    "Several products were compared at once; the intervals are widened (Bonferroni) so that "
    "one chance difference among many is less likely to look real."
)
HAC_METHOD = "least squares, {errors}"
# What a held-back answer would have reported, in the words of its withheld sentence.
WITHHELD_WORDS: dict[str, str] = {
    "tolerance": "a change over time",
    "timing": "a link with dose timing",
    "product": "a difference between products",
    "side_effect": "a link between your weekly grams and hard stools",
}


@dataclass(frozen=True, slots=True)
class _Design:
    y: np.ndarray
    x: np.ndarray
    days: np.ndarray
    names: tuple[str, ...]
    rows: pd.DataFrame


def analyse(
    frame: pd.DataFrame,
    profile: Profile,
    *,
    min_days: int = MIN_DAYS_PER_GROUP,
    withheld: Collection[str] = WITHHELD_QUESTIONS,
) -> InsightReport:
    """Answer every question for the outcomes the profile makes relevant.

    ``frame`` is :func:`speciosa.insights.daily_frame`'s output. ``min_days`` is the
    fewest days (or nights) each compared group needs before an answer is given. Device
    outcomes appear only when the frame has device values for them. Questions in
    ``withheld`` (by default those that have not passed calibration) are answered with the
    reason they are held back; the calibration bench passes an empty set to measure them.

    Example:
        >>> from speciosa.journal.models import Profile
        >>> from speciosa.insights.frame import daily_frame
        >>> report = analyse(daily_frame([], Profile()), Profile(goals=("pain",)))
        >>> report.effects[0].reason
        'no pain recorded yet'
    """
    data = _prepared(frame)
    outcomes = relevant_outcomes(profile)
    effects: list[Effect] = []
    for column in outcomes:
        outcome = OUTCOMES[column]
        if data[column].notna().sum() == 0:
            effects.append(_no_outcome(outcome))
            continue
        exposure = _exposure_for(outcome)
        effects.append(dose_vs_none(data, outcome, exposure, min_days=min_days))
        effects.extend(dose_bands(data, outcome, exposure, min_days=min_days))
        effects.append(dose_response(data, outcome, exposure, min_days=min_days))
        effects.append(
            _withheld(_tolerance_base(data, outcome, exposure), "tolerance")
            if "tolerance" in withheld
            else tolerance(data, outcome, exposure, min_days=min_days)
        )
    devices = tuple(
        column
        for column in relevant_device_outcomes(profile)
        if column in data and data[column].notna().any()
    )
    for column in devices:
        effects.append(device_vs_none(data, DEVICE_OUTCOMES[column], min_days=min_days))
    primary = [c for c in outcomes if c in ("pain", "sol")] or list(outcomes[:1])
    for column in primary:
        outcome = OUTCOMES[column]
        if not data[column].notna().any():
            continue
        if "product" in withheld:
            effects.append(_withheld(_base(outcome, "product", "product", 0, 0), "product"))
        else:
            effects.extend(products(data, outcome, _exposure_for(outcome), min_days=min_days))
    if "sol" in outcomes and data["sol"].notna().any():
        sol = OUTCOMES["sol"]
        effects.append(
            _withheld(
                _base(sol, "timing", "dose_to_bed_min", 0, 0, unit=_timing_unit(sol)), "timing"
            )
            if "timing" in withheld
            else timing(data, sol, min_days=min_days)
        )
    effects.append(
        _withheld(_stool_base(0, 0), "side_effect")
        if "side_effect" in withheld
        else hard_stools(data)
    )
    logged = int(np.nansum(frame["logged"].to_numpy(dtype=float))) if len(frame) else 0
    return InsightReport(
        effects=tuple(effects),
        first_day=None if frame.empty else frame.index[0].date().isoformat(),
        last_day=None if frame.empty else frame.index[-1].date().isoformat(),
        days=len(frame),
        logged_days=logged,
        outcomes=(*outcomes, *devices),
        notes=(OBSERVATIONAL,),
    )


# --------------------------------------------------------------------------- questions


def dose_vs_none(data: pd.DataFrame, outcome: Outcome, exposure: str, *, min_days: int) -> Effect:
    """Adjusted difference in the outcome between days with and without the exposure."""
    rows = _rows(data, outcome, [exposure])
    n1, n0 = int((rows[exposure] == 1).sum()), int((rows[exposure] == 0).sum())
    base = _base(outcome, "dose_vs_none", exposure, n1, n0)
    short = _shortfall(outcome, exposure, n1, n0, min_days)
    if short:
        return _not_enough(base, short)
    try:
        fit = _ols(rows, outcome, [exposure])
    except FitError as exc:
        return _not_enough(base, f"the data cannot support the comparison ({exc})")
    est, lo, hi = _scaled(fit.interval(exposure), outcome.scale)
    baseline = float(rows.loc[rows[exposure] == 0, outcome.column].mean()) * outcome.scale
    important = _importance(outcome, lo, hi, baseline)
    with_, without = _group_words(outcome, exposure)
    details = f"{n1} {outcome.period} with, {n0} without; {adjustment(fit)}"
    if _clear(lo, hi):
        finding = (
            f"On {with_} your {outcome.label} was {_amount(outcome, est)} than on {without} "
            f"(difference {est:+.1f} {outcome.unit}, {CI} {lo:+.1f} to {hi:+.1f}; "
            f"{details}). {_verdict(lo, hi)}"
        )
    else:
        finding = _cannot_tell(
            f"whether your {outcome.label} differs between {with_} and {without}",
            f"the difference, {_interval(lo, hi, outcome.unit, 1)}",
            details,
        )
    sentence = (
        f"{finding}{_importance_words(outcome, important, baseline)} "
        f"{OBSERVATIONAL}{EXPERIMENT.format(period=outcome.period)}"
    )
    return _done(base, fit, est, lo, hi, sentence, important)


def device_vs_none(data: pd.DataFrame, outcome: Outcome, *, min_days: int) -> Effect:
    """:func:`dose_vs_none` for a wearable's measure of the night, with the device caveat."""
    effect = dose_vs_none(data, outcome, _exposure_for(outcome), min_days=min_days)
    sentence = f"{effect.sentence} {DEVICE_NOTE}" if effect.enough_data else effect.sentence
    return replace(effect, sentence=sentence, caveats=(DEVICE_NOTE, *effect.caveats))


def dose_bands(
    data: pd.DataFrame, outcome: Outcome, exposure: str, *, min_days: int
) -> list[Effect]:
    """Each third of the person's own dose amounts against no dose, in one regression."""
    grams = _grams_for(exposure)
    rows = _rows(data, outcome, [exposure, grams])
    dosed = rows.loc[rows[exposure] == 1, grams]
    n0 = int((rows[exposure] == 0).sum())
    base = _base(outcome, "dose_band", f"{grams}_band", len(dosed), n0)
    needed = DOSE_BANDS * min_days
    if len(dosed) < needed or n0 < min_days:
        reason = _count_reason(outcome, exposure, len(dosed), n0, needed, min_days)
        return [_not_enough(base, reason)]
    bands = pd.qcut(dosed, DOSE_BANDS, duplicates="drop")
    if bands.cat.categories.size < 2:
        reason = "your dose amounts hardly vary, so there are no bands to compare"
        return [_not_enough(base, reason)]
    labels = [
        _band_label(interval, i, bands.cat.categories.size)
        for i, interval in enumerate(bands.cat.categories)
    ]
    columns = []
    rows = rows.copy()
    for i, label in enumerate(labels):
        name = f"band_{i}"
        rows[name] = 0.0
        rows.loc[bands.index[bands.cat.codes == i], name] = 1.0
        columns.append((name, label))
    counts = {name: int(rows[name].sum()) for name, _ in columns}
    if min(counts.values()) < min_days:
        return [
            _not_enough(
                base, _count_reason(outcome, exposure, min(counts.values()), n0, min_days, min_days)
            )
        ]
    try:
        fit = _ols(rows, outcome, [name for name, _ in columns])
    except FitError as exc:
        return [_not_enough(base, f"the data cannot support the comparison ({exc})")]
    results = []
    for name, label in columns:
        est, lo, hi = _scaled(fit.interval(name), outcome.scale)
        band_base = _base(outcome, "dose_band", f"{grams}: {label}", counts[name], n0)
        _, without = _group_words(outcome, exposure)
        details = f"{counts[name]} {outcome.period} in the band, {n0} without"
        if _clear(lo, hi):
            finding = (
                f"On {outcome.period} in your {label} your {outcome.label} was "
                f"{_amount(outcome, est)} than on {without} (difference {est:+.1f} "
                f"{outcome.unit}, {CI} {lo:+.1f} to {hi:+.1f}; {details}). {_verdict(lo, hi)}"
            )
        else:
            finding = _cannot_tell(
                f"whether your {outcome.label} differs between {outcome.period} in your "
                f"{label} and {without}",
                f"the difference, {_interval(lo, hi, outcome.unit, 1)}",
                details,
            )
        sentence = (
            f"{finding} The bands are thirds of your own amounts, not reference doses. "
            f"{OBSERVATIONAL}"
        )
        results.append(_done(band_base, fit, est, lo, hi, sentence, None))
    return results


def dose_response(data: pd.DataFrame, outcome: Outcome, exposure: str, *, min_days: int) -> Effect:
    """Change in the outcome per gram more, among days (nights) with the exposure."""
    grams = _grams_for(exposure)
    rows = _rows(data, outcome, [exposure, grams])
    rows = rows.loc[rows[exposure] == 1]
    base = _base(outcome, "dose_response", grams, len(rows), 0, unit=f"{outcome.unit} per g")
    needed = max(MIN_DAYS_SLOPE, min_days)
    if len(rows) < needed:
        return _not_enough(
            base,
            f"not enough data yet: {len(rows)} {outcome.period} with a dose "
            f"and its grams, need {needed}",
        )
    if rows[grams].std() == 0:
        return _not_enough(base, "your dose amounts do not vary, so a dose-response cannot be seen")
    try:
        fit = _ols(rows, outcome, [grams])
    except FitError as exc:
        return _not_enough(base, f"the data cannot support the slope ({exc})")
    est, lo, hi = _scaled(fit.interval(grams), outcome.scale)
    if _clear(lo, hi):
        finding = (
            f"On {outcome.period} with a dose, each extra gram went with "
            f"{_amount(outcome, est, 2)} {outcome.label} ({est:+.2f} {outcome.unit} per g, "
            f"{CI} {lo:+.2f} to {hi:+.2f}; {len(rows)} {outcome.period}). {_verdict(lo, hi)}"
        )
    else:
        finding = _cannot_tell(
            f"whether your {outcome.label} changes with each extra gram on {outcome.period} "
            "with a dose",
            f"the change per gram, {_interval(lo, hi, f'{outcome.unit} per g', 2)}",
            f"{len(rows)} {outcome.period}",
            "change",
        )
    sentence = f"{finding} {OBSERVATIONAL}{EXPERIMENT.format(period=outcome.period)}"
    return _done(base, fit, est, lo, hi, sentence, None)


def timing(data: pd.DataFrame, outcome: Outcome, *, min_days: int) -> Effect:
    """Change in the outcome per 30 minutes more between the last dose and trying to sleep."""
    rows = _rows(data, outcome, ["dose_to_bed_min"])
    rows = rows.loc[rows["dose_to_bed_min"] <= TIMING_WINDOW_MINUTES].copy()
    rows["dose_to_bed_steps"] = rows["dose_to_bed_min"] / TIMING_STEP_MINUTES
    unit = _timing_unit(outcome)
    base = _base(outcome, "timing", "dose_to_bed_min", len(rows), 0, unit=unit)
    needed = max(MIN_DAYS_SLOPE, min_days)
    if len(rows) < needed:
        return _not_enough(
            base,
            f"not enough data yet: {len(rows)} nights with a dose in the "
            f"{TIMING_WINDOW_MINUTES // 60} h before bed, need {needed}",
        )
    if rows["dose_to_bed_steps"].std() == 0:
        return _not_enough(base, "your dose times do not vary, so timing cannot be compared")
    try:
        fit = _ols(rows, outcome, ["dose_to_bed_steps"])
    except FitError as exc:
        return _not_enough(base, f"the data cannot support the slope ({exc})")
    est, lo, hi = _scaled(fit.interval("dose_to_bed_steps"), outcome.scale)
    nights = f"{len(rows)} nights with a dose in the {TIMING_WINDOW_MINUTES // 60} h before bed"
    if _clear(lo, hi):
        finding = (
            f"Each {TIMING_STEP_MINUTES} minutes more between your last dose and trying to "
            f"sleep went with {_amount(outcome, est, 1)} {outcome.label} ({est:+.1f} {unit}, "
            f"{CI} {lo:+.1f} to {hi:+.1f}; {nights}). {_verdict(lo, hi)}"
        )
    else:
        finding = _cannot_tell(
            f"whether the time between your last dose and trying to sleep goes with your "
            f"{outcome.label}",
            f"the change per {TIMING_STEP_MINUTES} minutes earlier, "
            f"{_interval(lo, hi, outcome.unit, 1)}",
            nights,
            "change",
        )
    sentence = f"{finding} {OBSERVATIONAL}"
    return _done(base, fit, est, lo, hi, sentence, None)


def products(data: pd.DataFrame, outcome: Outcome, exposure: str, *, min_days: int) -> list[Effect]:
    """Each product with enough days against the most used one, Bonferroni-widened."""
    rows = _rows(data, outcome, [exposure])
    rows = rows.loc[(rows[exposure] == 1) & rows["product"].notna()].copy()
    counts = rows["product"].value_counts()
    kept = [str(name) for name, n in counts.items() if n >= min_days]
    base = _base(
        outcome,
        "product",
        "product",
        int(counts.iloc[1:].sum()) if len(counts) else 0,
        int(counts.iloc[0]) if len(counts) else 0,
    )
    if len(kept) < 2:
        if len(counts) < 2:
            return [_not_enough(base, "only one product logged, so there is nothing to compare")]
        return [
            _not_enough(
                base,
                f"not enough data yet: {int(counts.iloc[1])} {outcome.period} "
                f"with your second most used product, need {min_days}",
            )
        ]
    rows = rows.loc[rows["product"].isin(kept)]
    reference, others = kept[0], kept[1:]
    names = []
    for i, product in enumerate(others):
        name = f"product_{i}"
        rows[name] = (rows["product"] == product).astype(float)
        names.append(name)
    try:
        fit = _ols(rows, outcome, names)
    except FitError as exc:
        return [_not_enough(base, f"the data cannot support the comparison ({exc})")]
    level = bonferroni_level(len(others))
    results = []
    for name, product in zip(names, others, strict=True):
        est, lo, hi = _scaled(fit.interval(name, level), outcome.scale)
        n1, n0 = int(counts[product]), int(counts[reference])
        effect_base = _base(outcome, "product", f"{product} vs {reference}", n1, n0)
        details = f"{n1} vs {n0} {outcome.period}"
        if _clear(lo, hi):
            finding = (
                f"On {outcome.period} with {product} your {outcome.label} was "
                f"{_amount(outcome, est)} than with {reference} (difference {est:+.1f} "
                f"{outcome.unit}, {level_percent(level)} CI {lo:+.1f} to {hi:+.1f}; {details}). "
                f"{_verdict(lo, hi)}"
            )
        else:
            finding = _cannot_tell(
                f"whether your {outcome.label} differs between {outcome.period} with {product} "
                f"and with {reference}",
                f"the difference, {_interval(lo, hi, outcome.unit, 1, level)}",
                details,
            )
        sentence = (
            f"{finding}{' ' + MANY_COMPARISONS if len(others) > 1 else ''} {OBSERVATIONAL} "
            f"Products also differ in batch and strength (lab results), not only in name."
        )
        caveats = (MANY_COMPARISONS,) if len(others) > 1 else ()
        results.append(
            _done(effect_base, fit, est, lo, hi, sentence, None, level=level, caveats=caveats)
        )
    return results


def tolerance(data: pd.DataFrame, outcome: Outcome, exposure: str, *, min_days: int) -> Effect:
    """Change per month in the with-vs-without difference, holding grams equal."""
    grams = _grams_for(exposure)
    rows = _rows(data, outcome, [exposure, grams]).copy()
    n1, n0 = int((rows[exposure] == 1).sum()), int((rows[exposure] == 0).sum())
    unit = f"{outcome.unit} per month"
    base = _base(outcome, "tolerance", f"{exposure} × time", n1, n0, unit=unit)
    short = _shortfall(outcome, exposure, n1, n0, min_days)
    if short:
        return _not_enough(base, short)
    span = int(rows["day_index"].max() - rows["day_index"].min()) + 1 if len(rows) else 0
    if span < MIN_SPAN_DAYS_TREND:
        return _not_enough(
            base,
            f"not enough data yet: {span} days covered, need "
            f"{MIN_SPAN_DAYS_TREND} to see a change over time",
        )
    months = (rows["day_index"] - rows["day_index"].mean()) / DAYS_PER_MONTH
    centred = rows.loc[rows[exposure] == 1, grams].mean()
    rows["exposure_x_month"] = rows[exposure] * months
    rows["grams_centred"] = np.where(rows[exposure] == 1, rows[grams] - centred, 0.0)
    try:
        fit = _ols(rows, outcome, [exposure, "exposure_x_month", "grams_centred"])
    except FitError as exc:
        return _not_enough(base, f"the data cannot support a change over time ({exc})")
    est, lo, hi = _scaled(fit.interval("exposure_x_month"), outcome.scale)
    fading = (est > 0) == outcome.lower_is_better
    details = f"{n1} with, {n0} without, over {span} days; at equal grams"
    if _clear(lo, hi):
        trend = (
            "The difference on dose days is shrinking at the same grams, a pattern that fits "
            "tolerance."
            if fading
            else "The difference on dose days is growing over time."
        )
        finding = (
            f"The gap in {outcome.label} between {outcome.period} with and without a dose "
            f"changed by {est:+.2f} {unit} ({CI} {lo:+.2f} to {hi:+.2f}; {details}). {trend}"
        )
    else:
        finding = _cannot_tell(
            f"whether the gap in {outcome.label} between {outcome.period} with and without a "
            "dose is changing over time",
            f"the change, {_interval(lo, hi, unit, 2)}",
            details,
            "change",
        )
    sentence = f"{finding} {OBSERVATIONAL}"
    return _done(base, fit, est, lo, hi, sentence, None)


def hard_stools(data: pd.DataFrame) -> Effect:
    """Log-odds of a hard stool (Bristol 1–2) per 10 g/week more over the last 7 days."""
    rows = data.loc[(data["bowel_movements"] > 0) & data["grams_7d"].notna()].copy()
    rows = rows.dropna(subset=[c for c in COVARIATES if c != "trend"])
    movements = int(rows["bowel_movements"].sum())
    hard = int(rows["hard_stools"].sum())
    n1 = int((rows["grams_7d"] > 0).sum())
    base = _stool_base(n1, len(rows) - n1)
    if movements < MIN_BOWEL_MOVEMENTS or min(hard, movements - hard) < MIN_EACH_STOOL_KIND:
        reason = (
            f"not enough data yet: {movements} bowel movements ({hard} hard) with at least "
            f"{MIN_LOGGED_DAYS_7D} of the 7 days before them logged, need "
            f"{MIN_BOWEL_MOVEMENTS} with at least {MIN_EACH_STOOL_KIND} hard and "
            f"{MIN_EACH_STOOL_KIND} not hard"
        )
        return _not_enough(base, reason)
    if rows["grams_7d"].std() == 0:
        return _not_enough(base, "your weekly grams do not vary, so they cannot be compared")
    rows["trend"] = rows["day_index"] / 365.25
    rows["grams_week_steps"] = rows["grams_7d"] / GRAMS_PER_WEEK_STEP
    names = _usable(rows, ["grams_week_steps"], list(COVARIATES))
    x = np.column_stack([np.ones(len(rows))] + [rows[n].to_numpy(dtype=float) for n in names])
    try:
        fit = logit_hac(
            rows["hard_stools"].to_numpy(dtype=float),
            rows["bowel_movements"].to_numpy(dtype=float),
            x,
            rows["day_index"].to_numpy(dtype=np.int64),
            ("const", *names),
            small_sample=True,
        )
    except FitError as exc:
        return _not_enough(base, f"the data cannot support the odds ({exc})")
    est, lo, hi = fit.interval("grams_week_steps")
    details = f"{movements} movements, {hard} hard, on {len(rows)} days; {adjustment(fit)}"
    if _clear(lo, hi):
        finding = (
            f"Each extra {GRAMS_PER_WEEK_STEP:g} g over the previous 7 days went with "
            f"{math.exp(est):.2f} times the odds of a hard stool (Bristol type 1–2) ({CI} "
            f"{math.exp(lo):.2f} to {math.exp(hi):.2f}; {details}). {_verdict(lo, hi)}"
        )
    else:
        finding = (
            "The data cannot tell yet whether your grams over the previous 7 days go with "
            f"the odds of a hard stool (Bristol type 1–2): the odds ratio per "
            f"{GRAMS_PER_WEEK_STEP:g} g, {CI} {math.exp(lo):.2f} to {math.exp(hi):.2f}, "
            f"includes 1, that is no change ({details})."
        )
    sentence = (
        f"{finding} Constipation is a known effect of kratom, reported more with heavier and "
        "more frequent use. "
        f"{OBSERVATIONAL}"
    )
    method = f"binomial logistic regression, {fit.description}; {_adjusted_columns(fit)}"
    return _done(base, fit, est, lo, hi, sentence, None, method=method)


def _stool_base(n1: int, n0: int) -> Effect:
    return Effect(
        question="side_effect",
        outcome="hard_stools",
        exposure="grams_7d",
        estimate=None,
        ci_low=None,
        ci_high=None,
        unit=f"log-odds per {GRAMS_PER_WEEK_STEP:g} g/week",
        n_exposed=n1,
        n_unexposed=n0,
        method="",
        sentence="",
        enough_data=False,
        label="hard stools (Bristol 1–2)",
        source_ids=(SOURCE_LEWIS_HEATON_1997, SOURCE_ROME_IV, SOURCE_LLSW_2018),
    )


# --------------------------------------------------------------------------- helpers


def _prepared(frame: pd.DataFrame) -> pd.DataFrame:
    data = frame.copy()
    data["trend"] = data["day_index"] / 365.25
    # A weekend night is Friday or Saturday evening; a weekend day is Saturday or Sunday.
    data["weekend_night"] = data["weekday"].isin([4.0, 5.0]).astype(float)
    data.loc[data["weekday"].isna(), "weekend_night"] = np.nan
    return data


def _exposure_for(outcome: Outcome) -> str:
    return "bedtime_dose" if outcome.night else "dose_any"


def _grams_for(exposure: str) -> str:
    return "bedtime_grams" if exposure == "bedtime_dose" else "grams"


def _covariates(outcome: Outcome) -> list[str]:
    if outcome.night:
        return [("weekend_night" if c == "weekend" else c) for c in COVARIATES]
    return list(COVARIATES)


def _rows(data: pd.DataFrame, outcome: Outcome, exposures: Sequence[str]) -> pd.DataFrame:
    needed = [outcome.column, *exposures, *_covariates(outcome)]
    return data.dropna(subset=needed)


def _usable(rows: pd.DataFrame, exposures: Sequence[str], covariates: Sequence[str]) -> list[str]:
    """Exposures plus the covariates that vary and add information (no collinear columns)."""
    names = list(exposures)
    x = np.column_stack([np.ones(len(rows))] + [rows[n].to_numpy(dtype=float) for n in names])
    for name in covariates:
        column = rows[name].to_numpy(dtype=float)
        if np.ptp(column) == 0:
            continue
        candidate = np.column_stack([x, column])
        if np.linalg.matrix_rank(candidate.T @ candidate) == candidate.shape[1]:
            x, names = candidate, [*names, name]
    return names


def _ols(rows: pd.DataFrame, outcome: Outcome, exposures: Sequence[str]) -> Fit:
    names = _usable(rows, exposures, _covariates(outcome))
    x = np.column_stack([np.ones(len(rows))] + [rows[n].to_numpy(dtype=float) for n in names])
    return ols_hac(
        rows[outcome.column].to_numpy(dtype=float),
        x,
        rows["day_index"].to_numpy(dtype=np.int64),
        ("const", *names),
        small_sample=True,
    )


def _scaled(interval: tuple[float, float, float], scale: float) -> tuple[float, float, float]:
    est, lo, hi = interval
    return est * scale, lo * scale, hi * scale


def _base(
    outcome: Outcome, question: Question, exposure: str, n1: int, n0: int, unit: str | None = None
) -> Effect:
    return Effect(
        question=question,
        outcome=outcome.column,
        exposure=exposure,
        estimate=None,
        ci_low=None,
        ci_high=None,
        unit=unit or outcome.unit,
        n_exposed=n1,
        n_unexposed=n0,
        method="",
        sentence="",
        enough_data=False,
        label=outcome.label,
        source_ids=(*outcome.source_ids, SOURCE_LLSW_2018),
    )


def _not_enough(base: Effect, reason: str) -> Effect:
    sentence = f"{base.label[:1].upper()}{base.label[1:]}: {reason}."
    return replace(
        base, reason=reason, sentence=sentence, enough_data=False, caveats=(OBSERVATIONAL,)
    )


def _timing_unit(outcome: Outcome) -> str:
    return f"{outcome.unit} per {TIMING_STEP_MINUTES} min earlier"


def _tolerance_base(data: pd.DataFrame, outcome: Outcome, exposure: str) -> Effect:
    rows = _rows(data, outcome, [exposure, _grams_for(exposure)])
    n1, n0 = int((rows[exposure] == 1).sum()), int((rows[exposure] == 0).sum())
    return _base(
        outcome, "tolerance", f"{exposure} × time", n1, n0, unit=f"{outcome.unit} per month"
    )


def _withheld(base: Effect, question: Question) -> Effect:
    """An answer held back because it failed calibration; more days would not help."""
    what = WITHHELD_WORDS.get(question, "an effect")
    reason = (
        f"this answer is held back for now: on test diaries where nothing changed it still "
        f"reported {what} more often than 6 times in 100, so it is not reliable enough to "
        "show yet; logging more days will not change this"
    )
    return replace(_not_enough(base, reason), withheld=True)


def _done(
    base: Effect,
    fit: Fit,
    est: float,
    lo: float,
    hi: float,
    sentence: str,
    important: bool | None,
    *,
    level: float = INTERVAL_LEVEL,
    caveats: tuple[str, ...] = (),
    method: str | None = None,
) -> Effect:
    return replace(
        base,
        estimate=est,
        ci_low=lo,
        ci_high=hi,
        sentence=sentence,
        enough_data=True,
        clinically_important=important,
        ci_level=level,
        caveats=(*caveats, OBSERVATIONAL),
        method=method
        or f"{HAC_METHOD.format(errors=fit.description)}; {_adjusted_columns(fit)}; "
        f"{fit.nobs} rows",
    )


def adjustment(fit: Fit) -> str:
    """'adjusted for alcohol, caffeine and the trend over time': the covariates the fit kept."""
    kept = [COVARIATE_WORDS[n] for n in fit.names if n in COVARIATE_WORDS]
    if not kept:
        return NOT_ADJUSTED
    listed = kept[0] if len(kept) == 1 else f"{', '.join(kept[:-1])} and {kept[-1]}"
    return f"adjusted for {listed}"


def _adjusted_columns(fit: Fit) -> str:
    kept = [n for n in fit.names if n in _ALL_COVARIATES]
    return f"adjusted for {', '.join(kept)}" if kept else "not adjusted for anything"


def _no_outcome(outcome: Outcome) -> Effect:
    base = _base(outcome, "dose_vs_none", _exposure_for(outcome), 0, 0)
    return _not_enough(base, f"no {outcome.label} recorded yet")


def _shortfall(outcome: Outcome, exposure: str, n1: int, n0: int, min_days: int) -> str | None:
    if n1 >= min_days and n0 >= min_days:
        return None
    return _count_reason(outcome, exposure, n1, n0, min_days, min_days)


def _count_reason(outcome: Outcome, exposure: str, n1: int, n0: int, need1: int, need0: int) -> str:
    with_, without = _group_words(outcome, exposure)
    if n0 < need0:
        return f"not enough data yet: {n0} {without}, need {need0}"
    return f"not enough data yet: {n1} {with_}, need {need1}"


def _group_words(outcome: Outcome, exposure: str) -> tuple[str, str]:
    if exposure == "bedtime_dose":
        hours = BEDTIME_WINDOW_MINUTES // 60
        return (
            f"nights with a bedtime dose (in the {hours} h before bed)",
            "nights without a bedtime dose",
        )
    return f"{outcome.period} with a dose", f"{outcome.period} without a dose"


def _amount(outcome: Outcome, est: float, digits: int = 1) -> str:
    if est == 0:
        return "no different"
    better = (est < 0) == outcome.lower_is_better
    word = outcome.better if better else outcome.worse
    unit = outcome.unit.split(" (")[0]
    return f"{abs(est):.{digits}f} {unit} {word}"


def _band_label(interval: pd.Interval, index: int, count: int) -> str:
    """'lower third (up to 2.5 g)' and so on: the person's own amounts, never a reference."""
    names = {2: ("lower half", "upper half"), 3: ("lower third", "middle third", "upper third")}
    name = names.get(count, tuple(f"band {i + 1}" for i in range(count)))[index]
    if index == 0:
        return f"{name} (up to {interval.right:.3g} g)"
    if index == count - 1:
        return f"{name} (over {interval.left:.3g} g)"
    return f"{name} ({interval.left:.3g}–{interval.right:.3g} g)"


def _clear(lo: float, hi: float) -> bool:
    """Whether the interval excludes no effect: only then does a sentence give a direction."""
    return lo > 0 or hi < 0


def _interval(lo: float, hi: float, unit: str, digits: int, level: float = INTERVAL_LEVEL) -> str:
    return f"{level_percent(level)} CI {lo:+.{digits}f} to {hi:+.{digits}f} {unit}"


def _cannot_tell(question: str, interval: str, details: str, nothing: str = "difference") -> str:
    """'The data cannot tell yet whether …: the difference, 96% CI …, includes no difference.'"""
    return f"The data cannot tell yet {question}: {interval}, includes no {nothing} ({details})."


def _verdict(lo: float, hi: float) -> str:
    if lo > 0 or hi < 0:
        return "The interval excludes no difference."
    return "The interval includes no difference, so the data cannot tell yet."


def _importance(outcome: Outcome, lo: float, hi: float, baseline: float) -> bool | None:
    """True if the whole interval is an important improvement, False if none of it is."""
    if outcome.mcid_points is None:
        return None
    threshold = outcome.mcid_points
    if outcome.mcid_percent is not None and math.isfinite(baseline) and baseline > 0:
        threshold = min(threshold, outcome.mcid_percent / 100 * baseline)
    low, high = (-hi, -lo) if outcome.lower_is_better else (lo, hi)  # improvement bounds
    if low >= threshold:
        return True
    if high < threshold:
        return False
    return None


def _importance_words(outcome: Outcome, important: bool | None, baseline: float) -> str:
    if outcome.mcid_points is None:
        return ""
    percent = outcome.mcid_percent or 0.0
    share = (
        f" ({percent:.0f}% of your {baseline:.1f} on days without is "
        f"{percent / 100 * baseline:.1f})"
        if math.isfinite(baseline) and baseline > 0
        else ""
    )
    reference = (
        f"about {outcome.mcid_points:g} points or {percent:.0f}%{share}, the change "
        f"trials found clinically important (Farrar 2001)"
    )
    if important is True:
        return f" The whole interval reaches {reference}."
    if important is False:
        return f" The whole interval is smaller than {reference}."
    return f" The interval is compatible with changes both above and below {reference}."
