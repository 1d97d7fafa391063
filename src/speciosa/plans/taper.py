"""Taper plans: the arithmetic of cutting down from the person's own use to their target.

    use = recent_use(doses, today=day, journal_start=first_day)
    plan = design_taper(TaperRequest(target=TaperTarget(kind="stop")), use=use,
                        measure=measure_for(Unit.GRAM, None), today=day, now=now,
                        clinician_consulted=True)
    planned_on(plan, day).grams      # today's planned amount

Every amount comes from the person's logged use (``RecentUse``) and the target and pace
they chose; nothing here suggests an amount. The default pace follows opioid-tapering
guidance (CDC 2022), applied by analogy and labelled so, because no kratom-specific
taper guideline exists. Steps are rounded *up* to what the person can measure, so the
plan stays at or above the exact path of the chosen pace; steps that round to the same amount merge
into one longer step.

Some plans ask for a clinician first (``clinician_consulted``), because they can bring on
withdrawal: any target after months of daily use, a stop after weeks of daily use, and,
for a daily user, a pace faster than the default. The refusal says why; it never
suggests an amount.

A plan keeps its history: a change adds a version (from the day it is made, starting
from the amount in force that day and holding it for one step), a pause stops the clock
(steps resume where they left off), and every action is an event in ``history``.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from typing import Annotated, Literal

from pydantic import Field

from speciosa.errors import Conflict, InvalidInput
from speciosa.plans.base import (
    EPSILON,
    HistoryEvent,
    Measure,
    Pause,
    PlanModel,
    add_pause,
    close_pause,
    is_paused,
    new_event,
    open_pause,
)
from speciosa.plans.constants import (
    ANALOGY_LABEL,
    LONG_TERM_PERCENT,
    LONG_TERM_STEP_DAYS,
    MAX_STEP_DAYS,
    MAX_STEP_PERCENT,
    MAX_TAPER_STEPS,
    MONTHS_OF_DAILY_USE,
    MONTHS_OF_DAILY_USE_SOURCE_IDS,
    SHORT_TERM_PERCENT,
    SHORT_TERM_STEP_DAYS,
    SLOW_BELOW_SHARE_OF_START,
    TAPER_SOURCE_IDS,
)
from speciosa.plans.usage import RecentUse

TargetKind = Literal["amount", "doses", "stop"]
Status = Literal["not started", "active", "paused", "at target", "ended"]


class TaperTarget(PlanModel):
    """Where the person wants to get to: a lower amount, fewer doses, or none."""

    kind: TargetKind
    grams_per_day: Annotated[float, Field(ge=0)] | None = None
    doses_per_day: Annotated[int, Field(ge=0, le=50)] | None = None


class StepRule(PlanModel):
    """How each step comes down, and how often.

    ``percent``: each step removes that share of the *current* amount. ``fixed``: each
    step removes ``grams``. Below ``slow_below_percent`` of the starting amount, steps
    become ``slow_percent`` of the current amount (slower at low amounts).
    """

    kind: Literal["percent", "fixed"]
    percent: Annotated[float, Field(gt=0, le=MAX_STEP_PERCENT)] | None = None
    grams: Annotated[float, Field(gt=0)] | None = None
    every_days: Annotated[int, Field(ge=1, le=MAX_STEP_DAYS)]
    slow_below_percent: Annotated[float, Field(gt=0, lt=100)] | None = None
    slow_percent: Annotated[float, Field(gt=0, le=MAX_STEP_PERCENT)] | None = None
    default: bool = False

    def describe(self) -> str:
        if self.kind == "percent":
            text = f"{self.percent:g}% of the current amount every {_days(self.every_days)}"
        else:
            text = f"{self.grams:g} g every {_days(self.every_days)}"
        if self.slow_below_percent is not None:
            text += (
                f", then {self.slow_percent:g}% of the current amount once "
                f"{self.slow_below_percent:g}% of the starting amount remains"
            )
        return text


class TaperRequest(PlanModel):
    """What the person asks for; unset pace fields take the default by analogy."""

    target: TaperTarget
    percent: float | None = None
    fixed_grams: float | None = None
    every_days: int | None = None
    start: date | None = None


class TaperSettings(PlanModel):
    start_day: date
    start_grams: float
    start_doses: int | None
    target: TaperTarget
    rule: StepRule
    measure: Measure
    hold_first: bool


class TaperStep(PlanModel):
    """One step: ``grams`` a day (rounded to the measure) for ``days`` active days."""

    number: int
    first_active_day: int
    days: int | None  # None: the target, open-ended
    grams: float
    doses_per_day: int | None
    final: bool


class TaperVersion(PlanModel):
    number: int
    effective_from: date
    reason: str
    settings: TaperSettings
    steps: tuple[TaperStep, ...]
    notes: tuple[str, ...]


class TaperPlan(PlanModel):
    kind: Literal["taper"] = "taper"
    baseline: RecentUse
    clinician_consulted: bool
    versions: tuple[TaperVersion, ...]
    pauses: tuple[Pause, ...] = ()
    history: tuple[HistoryEvent, ...]
    ended_on: date | None = None

    @property
    def current(self) -> TaperVersion:
        return self.versions[-1]

    @property
    def start_day(self) -> date:
        return self.versions[0].effective_from


class PlannedDay(PlanModel):
    """What the plan says for one day."""

    day: date
    status: Status
    version: int
    step: int | None
    steps: int
    grams: float | None
    doses_per_day: int | None
    amount_text: str
    target_text: str
    next_change: date | None
    next_grams: float | None
    step_started: date | None


# --------------------------------------------------------------------------- design


def default_rule(use: RecentUse, today: date) -> StepRule:
    """The default pace, by analogy with CDC 2022 opioid tapering.

    A year or more of use (or an unknown duration): 10% of the current amount every
    30 days. Shorter use: 10% of the starting amount every 7 days, then 10% of the
    current amount once 30% of the start remains.
    """
    if use.long_term(today):
        return StepRule(
            kind="percent", percent=LONG_TERM_PERCENT, every_days=LONG_TERM_STEP_DAYS, default=True
        )
    return StepRule(
        kind="fixed",
        grams=round(use.grams_per_day * SHORT_TERM_PERCENT / 100, 6),
        every_days=SHORT_TERM_STEP_DAYS,
        slow_below_percent=SLOW_BELOW_SHARE_OF_START,
        slow_percent=SHORT_TERM_PERCENT,
        default=True,
    )


def design_taper(
    request: TaperRequest,
    *,
    use: RecentUse,
    measure: Measure,
    today: date,
    now: datetime,
    clinician_consulted: bool = False,
) -> TaperPlan:
    """A new taper plan from the person's recent use to their chosen target."""
    start = request.start or today
    if start < today:
        raise InvalidInput("start", start.isoformat(), "must be today or later")
    if start > today + timedelta(days=90):
        raise InvalidInput("start", start.isoformat(), "must be within 90 days of today")
    _check_target(request.target, use)
    rule = _rule(request, use, today)
    _check_clinician(request.target, use, today, clinician_consulted)
    _check_pace(rule, use.grams_per_day, use, today, clinician_consulted)
    start_doses = math.ceil(use.doses_per_day - EPSILON)
    settings = TaperSettings(
        start_day=start,
        start_grams=use.grams_per_day,
        start_doses=start_doses,
        target=request.target,
        rule=rule,
        measure=measure,
        hold_first=False,
    )
    steps = taper_steps(settings)
    notes = _notes(settings, steps, use, today)
    version = TaperVersion(
        number=1,
        effective_from=start,
        reason="created",
        settings=settings,
        steps=steps,
        notes=notes,
    )
    event = new_event(
        now=now,
        day=today,
        action="created",
        detail=f"from {measure.describe(measure.round_up(use.grams_per_day))} a day "
        f"({use.days}-day mean of your log) to {target_text(request.target, measure)}; "
        f"{rule.describe()}",
        version=1,
    )
    return TaperPlan(
        baseline=use,
        clinician_consulted=clinician_consulted,
        versions=(version,),
        history=(event,),
    )


def _check_target(target: TaperTarget, use: RecentUse) -> None:
    if target.kind == "amount":
        if target.grams_per_day is None:
            raise InvalidInput("target_grams", None, "an 'amount' target needs --grams")
        if target.grams_per_day <= EPSILON:
            raise InvalidInput("target_grams", 0, "a target of none is a 'stop' target")
        if target.grams_per_day >= use.grams_per_day - EPSILON:
            raise InvalidInput(
                "target_grams",
                target.grams_per_day,
                f"must be below your recent mean of {use.grams_per_day:.2f} g a day",
            )
    if target.kind == "doses":
        if target.doses_per_day is None:
            raise InvalidInput("target_doses", None, "a 'doses' target needs --doses")
        if target.doses_per_day < 1:
            raise InvalidInput("target_doses", 0, "a target of no doses is a 'stop' target")
        if target.doses_per_day >= math.ceil(use.doses_per_day - EPSILON):
            raise InvalidInput(
                "target_doses",
                target.doses_per_day,
                f"must be fewer than your recent {use.doses_per_day:.1f} doses a day",
            )


def _check_clinician(target: TaperTarget, use: RecentUse, today: date, consulted: bool) -> None:
    """Refuse a taper that needs a clinician first: after months of daily use, or a stop."""
    if consulted:
        return
    if use.daily_for_months(today):
        raise InvalidInput(
            "clinician_consulted",
            False,
            f"you have used kratom daily or nearly daily for {MONTHS_OF_DAILY_USE} months or "
            "more (or the journal cannot tell how long), and after that any cut, not only "
            "stopping, can bring on withdrawal. Opioid-tapering guidance, applied here by "
            "analogy (CDC 2022), has a clinician plan and follow such a taper. Talk to a "
            "clinician, then add --clinician-consulted (if you have used for less than "
            f"{MONTHS_OF_DAILY_USE} months, say how long with --used-for-months)",
        )
    if target.kind == "stop" and use.long_daily(today):
        raise InvalidInput(
            "clinician_consulted",
            False,
            "stopping after long daily use needs a clinician: opioid-tapering guidance "
            f"({ANALOGY_LABEL}; CDC 2022) warns against stopping without support in physical "
            "dependence. Talk to a clinician, then add --clinician-consulted; or choose a "
            "lower amount as the target for now",
        )


def _check_pace(rule: StepRule, start: float, use: RecentUse, today: date, consulted: bool) -> None:
    """Refuse a pace faster than the default for a daily user who has not seen a clinician."""
    if consulted or not use.daily or not _is_faster(rule, start, use, today):
        return
    raise InvalidInput(
        "clinician_consulted",
        False,
        f"this pace ({_pace_words(rule, use, today)}) is faster than the default pace "
        f"({_pace_words(default_rule(use, today), use, today)}), set {ANALOGY_LABEL} "
        "(CDC 2022). For someone who uses daily, faster cuts bring on more withdrawal. Talk "
        "to a clinician, then add --clinician-consulted; or leave --percent, --fixed-grams "
        "and --every unset for the default pace",
    )


def _rule(request: TaperRequest, use: RecentUse, today: date) -> StepRule:
    if request.percent is not None and request.fixed_grams is not None:
        raise InvalidInput("percent", request.percent, "give --percent or --fixed-grams, not both")
    base = default_rule(use, today)
    every = request.every_days or base.every_days
    if not 1 <= every <= MAX_STEP_DAYS:
        raise InvalidInput("every", every, f"must be 1 to {MAX_STEP_DAYS} days")
    if request.percent is not None:
        if not 0 < request.percent <= MAX_STEP_PERCENT:
            raise InvalidInput(
                "percent",
                request.percent,
                f"must be more than 0 and at most {MAX_STEP_PERCENT:g} (% of the current "
                "amount per step)",
            )
        return StepRule(kind="percent", percent=request.percent, every_days=every)
    if request.fixed_grams is not None:
        if not 0 < request.fixed_grams < use.grams_per_day:
            raise InvalidInput(
                "fixed_grams",
                request.fixed_grams,
                f"must be more than 0 and less than your recent {use.grams_per_day:.2f} g a day",
            )
        return StepRule(kind="fixed", grams=request.fixed_grams, every_days=every)
    if request.every_days is not None:
        return base.model_copy(update={"every_days": every, "default": False})
    return base


def taper_steps(settings: TaperSettings) -> tuple[TaperStep, ...]:
    """The steps from the starting amount to the target, rounded and merged."""
    measure, rule, target = settings.measure, settings.rule, settings.target
    floor = 0.0 if target.kind == "stop" else (target.grams_per_day or 0.0)
    if target.kind == "doses":
        floor = settings.start_grams  # the amount stays; only the doses come down
    dose_floor = target.doses_per_day  # doses are planned only when the target names them
    exact = settings.start_grams
    doses = settings.start_doses if dose_floor is not None else None
    periods: list[tuple[float, int | None]] = []
    if settings.hold_first:
        periods.append((measure.round_up(exact), doses))
    for _ in range(MAX_TAPER_STEPS):
        exact = _next_exact(exact, settings.start_grams, floor, rule, measure, target.kind)
        if doses is not None and dose_floor is not None:
            doses = max(dose_floor, doses - 1)
        grams = measure.round_up(exact)
        periods.append((grams, doses))
        done_grams = exact <= floor + EPSILON
        done_doses = doses is None or dose_floor is None or doses <= dose_floor
        if done_grams and done_doses:
            break
    else:  # pragma: no cover - the guard cannot be reached with validated rules
        raise InvalidInput("step", rule.describe(), "makes a plan of more than 400 steps")
    merged: list[tuple[float, int | None, int]] = []
    for grams, doses_ in periods:
        if merged and merged[-1][0] == grams and merged[-1][1] == doses_:
            merged[-1] = (grams, doses_, merged[-1][2] + rule.every_days)
        else:
            merged.append((grams, doses_, rule.every_days))
    steps: list[TaperStep] = []
    offset = 0
    for number, (grams, doses_, days) in enumerate(merged, start=1):
        final = number == len(merged)
        steps.append(
            TaperStep(
                number=number,
                first_active_day=offset,
                days=None if final else days,
                grams=grams,
                doses_per_day=doses_,
                final=final,
            )
        )
        offset += days
    return tuple(steps)


def _next_exact(
    exact: float, start: float, floor: float, rule: StepRule, measure: Measure, kind: TargetKind
) -> float:
    if kind == "doses":
        return exact
    slow = (
        rule.slow_below_percent is not None
        and rule.slow_percent is not None
        and exact <= start * rule.slow_below_percent / 100 + EPSILON
    )
    if slow:
        nxt = exact * (1 - (rule.slow_percent or 0) / 100)
    elif rule.kind == "percent":
        nxt = exact * (1 - (rule.percent or 0) / 100)
    else:
        nxt = exact - (rule.grams or 0)
    if kind == "stop" and nxt < measure.grams_per_step - EPSILON:
        return 0.0  # less than the smallest amount that can be measured: the last step
    return max(floor, round(nxt, 9))


def _notes(
    settings: TaperSettings, steps: tuple[TaperStep, ...], use: RecentUse, today: date
) -> tuple[str, ...]:
    measure, rule = settings.measure, settings.rule
    notes = [
        f"Starting point: {measure.describe(measure.round_up(settings.start_grams))} a day, "
        f"your mean of {settings.start_grams:.2f} g over {use.days} logged days "
        f"({use.first_day} to {use.last_day}), rounded up to {measure.label()}.",
        "Each step is rounded up to what you can measure, so the plan stays at or above "
        "the exact path of the pace chosen (one step can then be up to one measure larger "
        "than the pace); steps that round to the same amount are merged.",
    ]
    if rule.default:
        long_term = use.long_term(today)
        reason = (
            "you have used for a year or more (or the journal cannot tell how long)"
            if long_term
            else "you have used for less than a year"
        )
        notes.append(
            f"Pace: {rule.describe()}, the default {ANALOGY_LABEL} (CDC 2022: after a year "
            "or more, about 10% a month or slower; after weeks to months, about 10% of the "
            f"original a week or slower), because {reason}."
        )
    else:
        notes.append(f"Pace: {rule.describe()}, as you chose.")
        faster = _faster_than_default(rule, settings.start_grams, use, today)
        if faster:
            notes.append(faster)
    if settings.target.kind == "stop" and len(steps) > 1:
        last = steps[-2]
        notes.append(
            f"The last step, from {measure.describe(last.grams)} to none, is the largest "
            "share of what remains; the guidance says to slow further at low amounts, so you "
            "can lengthen it (speciosa plan change ID --every DAYS)."
        )
    if settings.target.kind == "amount" and settings.target.grams_per_day is not None:
        rounded = measure.round_up(settings.target.grams_per_day)
        if abs(rounded - settings.target.grams_per_day) > EPSILON:
            notes.append(
                f"Target {settings.target.grams_per_day:g} g a day, rounded up to "
                f"{measure.describe(rounded)}, the nearest amount you can measure."
            )
    total = sum(s.days or 0 for s in steps)
    notes.append(
        f"{len(steps) - 1} reductions over about {_days(total)} if nothing is paused or changed."
    )
    return tuple(notes)


def _is_faster(rule: StepRule, start: float, use: RecentUse, today: date) -> bool:
    """Whether the first step comes down faster per day than the default pace's."""
    base = default_rule(use, today)
    first_cut = (rule.percent or 0) / 100 if rule.kind == "percent" else (rule.grams or 0) / start
    base_cut = (base.percent or 0) / 100 if base.kind == "percent" else (base.grams or 0) / start
    return first_cut / rule.every_days > base_cut / base.every_days + EPSILON


def _pace_words(rule: StepRule, use: RecentUse, today: date) -> str:
    """A pace as the person chose it; the default's own step in shares, never in grams."""
    base = default_rule(use, today)
    if rule.kind == "percent" or rule.grams != base.grams:
        return rule.describe()
    return (
        f"{SHORT_TERM_PERCENT:g}% of your starting amount every {_days(rule.every_days)}, "
        f"then {rule.slow_percent:g}% of the current amount once "
        f"{rule.slow_below_percent:g}% of the starting amount remains"
    )


def _faster_than_default(rule: StepRule, start: float, use: RecentUse, today: date) -> str | None:
    if _is_faster(rule, start, use, today):
        return (
            f"This pace is faster than the default {ANALOGY_LABEL} "
            f"({_pace_words(default_rule(use, today), use, today)}). Talk it over with a "
            "clinician; you can slow it at any time (speciosa plan change ID)."
        )
    return None


# --------------------------------------------------------------------------- the plan in time


def version_on(plan: TaperPlan, day: date) -> TaperVersion | None:
    versions = [v for v in plan.versions if v.effective_from <= day]
    return versions[-1] if versions else None


def _active_days(plan: TaperPlan, version: TaperVersion, day: date) -> int:
    """Days from the version's start up to (not including) ``day`` that were not paused."""
    span = (day - version.effective_from).days
    return sum(1 for n in range(span) if not is_paused(plan.pauses, version.effective_from + _d(n)))


def step_at(version: TaperVersion, active_day: int) -> TaperStep:
    for step in version.steps:
        if step.days is None or active_day < step.first_active_day + step.days:
            return step
    return version.steps[-1]


def planned_on(plan: TaperPlan, day: date) -> PlannedDay:
    """What the plan says for ``day``: its status, step and planned amount."""
    measure = plan.current.settings.measure
    target = target_text(plan.current.settings.target, measure)
    version = version_on(plan, day)
    if version is None:
        first = plan.versions[0]
        return PlannedDay(
            day=day,
            status="not started",
            version=first.number,
            step=None,
            steps=len(first.steps),
            grams=None,
            doses_per_day=None,
            amount_text=f"starts {first.effective_from.isoformat()}",
            target_text=target,
            next_change=first.effective_from,
            next_grams=first.steps[0].grams,
            step_started=None,
        )
    measure = version.settings.measure
    if plan.ended_on is not None and day >= plan.ended_on:
        return _plain(plan, version, day, "ended", target)
    active = _active_days(plan, version, day)
    paused = is_paused(plan.pauses, day)
    if paused:
        grams, doses, step_no = _held(version, active)
        return PlannedDay(
            day=day,
            status="paused",
            version=version.number,
            step=step_no,
            steps=len(version.steps),
            grams=grams,
            doses_per_day=doses,
            amount_text=f"{measure.describe(grams)} (held while paused)",
            target_text=target,
            next_change=None,
            next_grams=None,
            step_started=None,
        )
    step = step_at(version, active)
    next_change = None
    next_grams = None
    if step.days is not None:
        next_change = day + _d(step.first_active_day + step.days - active)
        next_grams = version.steps[step.number].grams
    return PlannedDay(
        day=day,
        status="at target" if step.final else "active",
        version=version.number,
        step=step.number,
        steps=len(version.steps),
        grams=step.grams,
        doses_per_day=step.doses_per_day,
        amount_text=_amount_text(measure, step.grams, step.doses_per_day),
        target_text=target,
        next_change=next_change,
        next_grams=next_grams,
        step_started=day - _d(active - step.first_active_day),
    )


def _held(version: TaperVersion, active: int) -> tuple[float, int | None, int | None]:
    if active == 0:
        settings = version.settings
        return settings.measure.round_up(settings.start_grams), settings.start_doses, None
    step = step_at(version, active - 1)
    return step.grams, step.doses_per_day, step.number


def _plain(
    plan: TaperPlan, version: TaperVersion, day: date, status: Status, target: str
) -> PlannedDay:
    return PlannedDay(
        day=day,
        status=status,
        version=version.number,
        step=None,
        steps=len(version.steps),
        grams=None,
        doses_per_day=None,
        amount_text=f"plan ended {plan.ended_on}",
        target_text=target,
        next_change=None,
        next_grams=None,
        step_started=None,
    )


def _amount_text(measure: Measure, grams: float, doses: int | None) -> str:
    text = f"{measure.describe(grams)} a day" if grams > EPSILON else "none"
    if doses is not None and grams > EPSILON:
        text += f", in at most {doses} dose{'s' if doses != 1 else ''}"
    return text


def target_text(target: TaperTarget, measure: Measure) -> str:
    if target.kind == "stop":
        return "none (stopping)"
    if target.kind == "doses":
        return f"at most {target.doses_per_day} doses a day"
    text = f"{measure.describe(measure.round_up(target.grams_per_day or 0))} a day"
    if target.doses_per_day is not None:
        text += f" in at most {target.doses_per_day} doses"
    return text


# --------------------------------------------------------------------------- changes


def pause(plan: TaperPlan, *, day: date, now: datetime, reason: str = "") -> TaperPlan:
    _check_open(plan)
    pauses = add_pause(plan.pauses, day, reason)
    amount = planned_on(plan, day)
    detail = f"paused; holding {amount.amount_text}" + (f" ({reason})" if reason else "")
    return plan.model_copy(
        update={
            "pauses": pauses,
            "history": (*plan.history, _event(plan, now, day, "paused", detail)),
        }
    )


def resume(plan: TaperPlan, *, day: date, now: datetime, reason: str = "") -> TaperPlan:
    _check_open(plan)
    current = open_pause(plan.pauses)
    pauses = close_pause(plan.pauses, day)
    held = 0 if current is None else (day - current.start).days
    detail = f"resumed after {_days(held)}; later steps move back by as much" + (
        f" ({reason})" if reason else ""
    )
    return plan.model_copy(
        update={
            "pauses": pauses,
            "history": (*plan.history, _event(plan, now, day, "resumed", detail)),
        }
    )


def end(plan: TaperPlan, *, day: date, now: datetime, reason: str = "") -> TaperPlan:
    _check_open(plan)
    pauses = close_pause(plan.pauses, day) if open_pause(plan.pauses) else plan.pauses
    detail = "ended" + (f" ({reason})" if reason else "")
    return plan.model_copy(
        update={
            "ended_on": day,
            "pauses": pauses,
            "history": (*plan.history, _event(plan, now, day, "ended", detail)),
        }
    )


class TaperChange(PlanModel):
    """A change from ``day``; unset fields keep the current version's choice."""

    percent: float | None = None
    fixed_grams: float | None = None
    every_days: int | None = None
    target: TaperTarget | None = None
    measure: Measure | None = None
    back_one_step: bool = False
    reason: str = ""


def change(
    plan: TaperPlan,
    request: TaperChange,
    *,
    day: date,
    now: datetime,
    clinician_consulted: bool = False,
) -> TaperPlan:
    """A new version from ``day``, starting from the amount in force then (or one step back).

    The new version holds its starting amount for one step before continuing, so a change
    never brings a reduction on the day it is made. Earlier versions stay in the plan.
    """
    _check_open(plan)
    if is_paused(plan.pauses, day):
        raise Conflict("plan: it is paused; resume it before changing it (speciosa plan resume)")
    if day < plan.start_day:
        raise InvalidInput(
            "day", day.isoformat(), "the plan has not started; end it and design again"
        )
    today = planned_on(plan, day)
    version = version_on(plan, day) or plan.current
    old = version.settings
    grams = today.grams if today.grams is not None else old.measure.round_up(old.start_grams)
    doses = today.doses_per_day
    if request.back_one_step:
        step_no = today.step or 1
        if step_no <= 1:
            grams = old.measure.round_up(old.start_grams)
            doses = old.start_doses
        else:
            previous = version.steps[step_no - 2]
            grams, doses = previous.grams, previous.doses_per_day
    target = request.target or old.target
    consulted = clinician_consulted or plan.clinician_consulted
    if request.target is not None:
        _check_target(target, plan.baseline)
        _check_target_below(target, grams, doses)
    rule = _changed_rule(old.rule, request, grams)
    if request.target is not None:
        _check_clinician(target, plan.baseline, day, consulted)
    if _changes_pace(request):
        _check_pace(rule, max(grams, EPSILON), plan.baseline, day, consulted)
    measure = request.measure or old.measure
    settings = TaperSettings(
        start_day=day,
        start_grams=grams,
        start_doses=doses if doses is not None else old.start_doses,
        target=target,
        rule=rule,
        measure=measure,
        hold_first=True,
    )
    steps = taper_steps(settings)
    number = plan.current.number + 1
    reason = request.reason or "changed"
    notes = (
        f"Changed on {day}: starts from {measure.describe(grams)} a day"
        f"{' (one step back)' if request.back_one_step else ''} and holds it for "
        f"{_days(rule.every_days)} before the next step.",
        f"Pace: {rule.describe()}.",
        *(
            [n]
            if (n := _faster_than_default(rule, max(grams, EPSILON), plan.baseline, day))
            else []
        ),
    )
    new_version = TaperVersion(
        number=number,
        effective_from=day,
        reason=reason,
        settings=settings,
        steps=steps,
        notes=notes,
    )
    superseded = [v.number for v in plan.versions if v.effective_from >= day]
    detail = f"version {number}: {rule.describe()}; target {target_text(target, measure)}" + (
        f" ({request.reason})" if request.reason else ""
    )
    if superseded:
        detail += f"; supersedes version(s) {', '.join(map(str, superseded))} from the same day"
    return plan.model_copy(
        update={
            "versions": (*plan.versions, new_version),
            "clinician_consulted": consulted,
            "history": (*plan.history, _event(plan, now, day, "changed", detail, number)),
        }
    )


def _changes_pace(request: TaperChange) -> bool:
    return (
        request.percent is not None
        or request.fixed_grams is not None
        or request.every_days is not None
    )


def _check_target_below(target: TaperTarget, grams: float, doses: int | None) -> None:
    if target.kind == "amount" and (target.grams_per_day or 0) >= grams - EPSILON:
        raise InvalidInput(
            "target_grams",
            target.grams_per_day,
            f"must be below the amount in force ({grams:g} g a day)",
        )
    if target.kind == "doses" and doses is not None and (target.doses_per_day or 0) >= doses:
        raise InvalidInput(
            "target_doses", target.doses_per_day, f"must be fewer than the doses in force ({doses})"
        )


def _changed_rule(old: StepRule, request: TaperChange, grams: float) -> StepRule:
    every = request.every_days or old.every_days
    if not 1 <= every <= MAX_STEP_DAYS:
        raise InvalidInput("every", every, f"must be 1 to {MAX_STEP_DAYS} days")
    if request.percent is not None and request.fixed_grams is not None:
        raise InvalidInput("percent", request.percent, "give --percent or --fixed-grams, not both")
    if request.percent is not None:
        if not 0 < request.percent <= MAX_STEP_PERCENT:
            raise InvalidInput(
                "percent", request.percent, f"must be more than 0 and at most {MAX_STEP_PERCENT:g}"
            )
        return StepRule(kind="percent", percent=request.percent, every_days=every)
    if request.fixed_grams is not None:
        if not 0 < request.fixed_grams < max(grams, EPSILON):
            raise InvalidInput(
                "fixed_grams",
                request.fixed_grams,
                f"must be more than 0 and less than the amount in force ({grams:g} g a day)",
            )
        return StepRule(kind="fixed", grams=request.fixed_grams, every_days=every)
    return old.model_copy(update={"every_days": every, "default": False})


def _check_open(plan: TaperPlan) -> None:
    if plan.ended_on is not None:
        raise Conflict(f"plan: it ended on {plan.ended_on}; design a new one instead")


def _event(
    plan: TaperPlan, now: datetime, day: date, action: str, detail: str, version: int | None = None
) -> HistoryEvent:
    return HistoryEvent(
        at=now,
        day=day,
        action=action,
        detail=detail,
        version=version or plan.current.number,
    )


def guidance() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The guidance shown beside every taper plan, each sentence with its sources."""
    return (
        (
            "The defaults and this guidance come from opioid-tapering guidance (CDC 2022), "
            "applied to kratom by analogy: no kratom-specific taper guideline exists.",
            TAPER_SOURCE_IDS,
        ),
        (
            "Slower for longer use: after a year or more, about 10% a month or slower; after "
            "weeks to months, about 10% of the original a week or slower.",
            TAPER_SOURCE_IDS[:1],
        ),
        (
            "Pause or slow down when withdrawal is significant (speciosa plan pause ID, or "
            "plan change ID --every DAYS); slow further at low amounts.",
            TAPER_SOURCE_IDS[:1],
        ),
        (
            "Never stop abruptly after long daily use without talking to a clinician.",
            TAPER_SOURCE_IDS[:1],
        ),
        (
            f"After {MONTHS_OF_DAILY_USE} months or more of daily use, plan any taper with a "
            "clinician: every cut, not only stopping, can bring on withdrawal.",
            MONTHS_OF_DAILY_USE_SOURCE_IDS,
        ),
        (
            "You and your clinician choose the target and the pace; Speciosa only does the "
            "arithmetic from your own log.",
            (),
        ),
    )


def _d(n: int) -> timedelta:
    return timedelta(days=n)


def _days(n: int) -> str:
    if n % 7 == 0 and n >= 14:
        return f"{n // 7} weeks"
    return f"{n} day{'s' if n != 1 else ''}"
