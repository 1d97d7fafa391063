"""Taper plans and personal experiments: design (preview or save), change, pause, resume,
end, and how a plan stands today. The arithmetic is :mod:`speciosa.plans`'s, from the
person's own logged use; this module reads what a plan needs and keeps its history.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from pydantic import ValidationError

from speciosa.errors import InvalidInput, from_validation_error
from speciosa.journal import clock
from speciosa.journal.units import unit_named
from speciosa.plans import experiment as experiments
from speciosa.plans import taper as tapers
from speciosa.plans.base import Measure, measure_for
from speciosa.plans.daily import experiment_today, taper_today, today_lines
from speciosa.plans.experiment import Experiment, ExperimentRequest
from speciosa.plans.kinds import (
    ACTIONS,
    PAST,
    Plan,
    PlanVersion,
    StoredPlan,
    apply,
    status_on,
    title_of,
)
from speciosa.plans.taper import TaperChange, TaperPlan, TaperRequest, TaperTarget
from speciosa.plans.usage import journal_start, recent_use, use_for_gates
from speciosa.safety import Alert

from .alerts import open_alerts, plans_paused
from .unit import Journal

# Today looks back this far for doses and SOWS answers (the longest taper step it shows).
TODAY_LOOKBACK_DAYS = 40
TARGETS = ("stop", "amount", "doses")

__all__ = [
    "ACTIONS",
    "Plan",
    "PlanVersion",
    "StoredPlan",
    "status_on",
    "title_of",
]


# --------------------------------------------------------------------------- designing


@dataclass(frozen=True)
class TaperForm:
    """A taper request as typed values (names as the CLI's options and the form's fields)."""

    target: str = "stop"
    target_grams: float | None = None
    target_doses: int | None = None
    percent: float | None = None
    fixed_grams: float | None = None
    every: int | None = None
    unit: str | None = None
    product: str | None = None
    step_units: float | None = None
    start: date | None = None
    used_for_months: float | None = None
    window: int = 14
    clinician_consulted: bool = False


def design_taper(journal: Journal, form: TaperForm) -> TaperPlan:
    """A taper from the person's recent logged use to their chosen target (not saved)."""
    use = recent_use(
        journal.store.doses_from(None, journal.zone),
        today=journal.today,
        journal_start=journal_start(journal.store.first_day()),
        window_days=form.window,
        stated_months=form.used_for_months,
    )
    return tapers.design_taper(
        TaperRequest(
            target=taper_target(form.target, form.target_grams, form.target_doses),
            percent=form.percent,
            fixed_grams=form.fixed_grams,
            every_days=form.every,
            start=form.start,
        ),
        use=use,
        measure=measure(journal, form.unit, form.product, form.step_units),
        today=journal.today,
        now=journal.now,
        clinician_consulted=form.clinician_consulted,
    )


def taper_target(kind: str, grams: float | None, doses: int | None) -> TaperTarget:
    if kind not in TARGETS:
        raise InvalidInput("target", kind, f"must be {', '.join(TARGETS[:-1])} or {TARGETS[-1]}")
    if kind == "stop" and (grams is not None or doses is not None):
        raise InvalidInput("target", kind, "a stop target takes neither grams nor doses")
    return TaperTarget(
        kind=kind,
        grams_per_day=grams if kind == "amount" else None,
        doses_per_day=doses if kind in ("amount", "doses") else None,
    )


def measure(journal: Journal, unit: str | None, product: str | None, step: float | None) -> Measure:
    """What amounts are rounded to: grams, or capsules/spoons of one of the person's products."""
    chosen = unit_named(unit or "g", "unit")
    found = None if not product else journal.store.product(product)
    return measure_for(chosen, found, step)


@dataclass(frozen=True)
class ExperimentForm:
    compare: str = "bedtime"
    outcome: str | None = None
    minutes_a: int | None = None
    minutes_b: int | None = None
    product_a: str | None = None
    product_b: str | None = None
    layout: str = "pairs"
    blocks: int = 8
    block_days: int | None = None
    washout_days: int | None = None
    clinician_washout: bool = False
    start: date | None = None
    end: date | None = None
    seed: int | None = None
    clinician_consulted: bool = False


def new_seed() -> int:
    """A seed for an experiment's schedule (shown, so that a design can be drawn again)."""
    return secrets.randbelow(1_000_000)


def design_experiment(journal: Journal, form: ExperimentForm) -> Experiment:
    """An experiment's schedule, drawn from the form's seed (a new one when none is given)."""
    if form.compare not in experiments.COMPARISONS:
        raise InvalidInput(
            "compare", form.compare, f"must be one of {', '.join(experiments.COMPARISONS)}"
        )
    if form.layout not in experiments.LAYOUTS:
        raise InvalidInput(
            "layout", form.layout, f"must be one of {', '.join(experiments.LAYOUTS)}"
        )
    seed = new_seed() if form.seed is None else form.seed
    if not 0 <= seed <= 2**63 - 1:
        raise InvalidInput("seed", seed, "must be a whole number from 0")
    for name in (form.product_a, form.product_b):
        if name:
            journal.store.product(name)  # NotFound names the known products
    try:
        request = ExperimentRequest.model_validate(
            {
                "comparison": form.compare,
                "outcome": form.outcome,
                "minutes_a": form.minutes_a,
                "minutes_b": form.minutes_b,
                "product_a": form.product_a,
                "product_b": form.product_b,
                "layout": form.layout,
                "blocks": form.blocks,
                "block_days": form.block_days,
                "washout_days": form.washout_days,
                "clinician_washout": form.clinician_washout,
                "start": form.start,
                "end": form.end,
                "seed": seed,
                "clinician_consulted": form.clinician_consulted,
            }
        )
    except ValidationError as exc:
        raise from_validation_error(exc) from exc
    use = use_for_gates(
        journal.store.doses_from(None, journal.zone),
        today=journal.today,
        journal_start=journal.store.first_day(),
    )
    return experiments.design_experiment(
        request, profile=journal.profile, today=journal.today, now=journal.now, use=use
    )


def save(journal: Journal, plan: Plan) -> StoredPlan:
    """Store a designed plan (refused while another plan runs)."""
    return journal.plans.add(plan, now=journal.now)


# --------------------------------------------------------------------------- changing


def act(journal: Journal, plan_id: int, action: str, reason: str = "") -> StoredPlan:
    """Pause, resume or end a plan from today; the new state joins its history."""
    if action not in ACTIONS:
        raise InvalidInput("action", action, f"must be one of {', '.join(ACTIONS)}")
    stored = journal.plans.get(plan_id)
    changed = apply(stored.plan, action, day=journal.today, now=journal.now, reason=reason)
    return journal.plans.save(plan_id, changed, action=PAST[action], now=journal.now)


@dataclass(frozen=True)
class TaperEdit:
    """A change to a running taper; unset fields keep the current choice."""

    percent: float | None = None
    fixed_grams: float | None = None
    every: int | None = None
    target: str | None = None
    target_grams: float | None = None
    target_doses: int | None = None
    unit: str | None = None
    product: str | None = None
    step_units: float | None = None
    back: bool = False
    clinician_consulted: bool = False
    reason: str = ""


def change(journal: Journal, plan_id: int, edit: TaperEdit) -> StoredPlan:
    """A taper's new version from today (slower, another target or measure); history kept."""
    stored = journal.plans.get(plan_id)
    if isinstance(stored.plan, Experiment):
        experiments.refuse_change(stored.plan)
        raise AssertionError("refuse_change always raises")  # pragma: no cover
    new_measure = None
    if edit.unit is not None or edit.product is not None or edit.step_units is not None:
        new_measure = measure(journal, edit.unit, edit.product, edit.step_units)
    request = TaperChange(
        percent=edit.percent,
        fixed_grams=edit.fixed_grams,
        every_days=edit.every,
        target=None
        if edit.target is None
        else taper_target(edit.target, edit.target_grams, edit.target_doses),
        measure=new_measure,
        back_one_step=edit.back,
        reason=edit.reason,
    )
    changed = tapers.change(
        stored.plan,
        request,
        day=journal.today,
        now=journal.now,
        clinician_consulted=edit.clinician_consulted,
    )
    return journal.plans.save(plan_id, changed, action="changed", now=journal.now)


# --------------------------------------------------------------------------- showing


@dataclass(frozen=True)
class PlanView:
    """One plan as it stands today (a preview has no ``stored``)."""

    plan: Plan
    stored: StoredPlan | None
    status: str
    title: str
    today: Any  # TaperToday or ExperimentToday
    versions: list[PlanVersion]
    result: Any = None  # an experiment's InterimLook or TrialResult

    @property
    def is_taper(self) -> bool:
        return isinstance(self.plan, TaperPlan)

    @property
    def paused(self) -> bool:
        return any(p.end is None for p in self.plan.pauses)


def all_plans(journal: Journal) -> list[StoredPlan]:
    return journal.plans.all()


def running(journal: Journal) -> list[StoredPlan]:
    return journal.plans.running(journal.today)


def get(journal: Journal, plan_id: int) -> StoredPlan:
    """A plan of this person's (NotFound otherwise)."""
    return journal.plans.get(plan_id)


def view(
    journal: Journal,
    plan: Plan,
    stored: StoredPlan | None = None,
    *,
    alerts: Sequence[Alert] | None = None,
    history: bool = True,
) -> PlanView:
    """``plan`` today: its step or condition, its history, an experiment's look or result."""
    day = journal.today
    paused = plans_paused(open_alerts(journal) if alerts is None else alerts)
    today: Any
    result = None
    if isinstance(plan, TaperPlan):
        since = day - timedelta(days=TODAY_LOOKBACK_DAYS)
        today = taper_today(
            plan,
            day=day,
            doses=journal.store.doses_from(since, journal.zone),
            questionnaires=journal.store.questionnaires_from(since, journal.zone),
            safety_paused=paused,
        )
    else:
        today = experiment_today(plan, day=day, safety_paused=paused)
        result = None if stored is None else experiment_result(journal, plan)
    versions = journal.plans.versions(stored.id) if stored and history else []
    return PlanView(plan, stored, status_on(plan, day), title_of(plan), today, versions, result)


def today_lines_for(journal: Journal, alerts: Sequence[Alert] | None = None) -> tuple[str, ...]:
    """The running plans' lines for Today; ``alerts`` saves evaluating the rules twice."""
    day = journal.today
    plans = [s.plan for s in journal.plans.running(day)]
    if not plans:
        return ()
    since = day - timedelta(days=TODAY_LOOKBACK_DAYS)
    return today_lines(
        plans,
        day=day,
        doses=journal.store.doses_from(since, journal.zone),
        questionnaires=journal.store.questionnaires_from(since, journal.zone),
        safety_paused=plans_paused(open_alerts(journal) if alerts is None else alerts),
    )


def experiment_result(journal: Journal, plan: Experiment) -> Any:
    """The interim look while it runs (adherence, no effect), the result once it is over."""
    design = plan.design
    day = journal.today
    since = clock.at_local(design.start - timedelta(days=1), clock.DAY_STARTS_AT, journal.zone)
    until = clock.at_local(design.end + timedelta(days=3), clock.DAY_STARTS_AT, journal.zone)
    entries = journal.store.entries(since=since, until=until)
    if day < design.start or not entries:
        return None
    # pandas and scipy load here, on the first experiment shown.
    from speciosa.insights.frame import daily_frame
    from speciosa.plans.analysis import analyse_experiment, interim_look, trial_data

    data = trial_data(plan, daily_frame(entries, journal.profile))
    if day <= design.end and plan.ended_on is None:
        return interim_look(plan, data, day=day)
    return analyse_experiment(plan, data)
