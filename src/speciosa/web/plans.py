"""What the Plans page and Today need from a journal: the reads a plan is designed from,
the designs themselves, and the daily lines. Every amount comes from :mod:`speciosa.plans`
(the same pure functions ``speciosa plan ...`` calls); this module only reads and stores.
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
from speciosa.plans.taper import TaperPlan, TaperRequest, TaperTarget
from speciosa.plans.usage import journal_start, recent_use
from speciosa.store.plan_store import PlanStore, PlanVersion, StoredPlan
from speciosa.web.alerts import AlertView
from speciosa.web.context import Journal

Plan = TaperPlan | Experiment
# Today looks back this far for doses and SOWS answers (as ``speciosa plan today``).
TODAY_LOOKBACK_DAYS = 40
ACTIONS = ("pause", "resume", "end")


def today_of(journal: Journal) -> date:
    return clock.journal_day(journal.now, journal.profile.timezone)


def plan_store(journal: Journal) -> PlanStore:
    return PlanStore(journal.session, journal.store.owner)


def safety_paused(alerts: Sequence[AlertView]) -> bool:
    """True when the safety engine has an urgent alert open (``safety.pauses_plans``)."""
    from speciosa.safety import pauses_plans

    return pauses_plans([a.alert for a in alerts if a.alert is not None])


def lines_for_today(journal: Journal, alerts: Sequence[AlertView]) -> tuple[str, ...]:
    """The running plans' lines for Today (what ``speciosa today`` prints)."""
    day = today_of(journal)
    running = [s.plan for s in plan_store(journal).running(day)]
    if not running:
        return ()
    since = day - timedelta(days=TODAY_LOOKBACK_DAYS)
    return today_lines(
        running,
        day=day,
        doses=journal.store.doses_from(since, journal.profile.timezone),
        questionnaires=journal.store.questionnaires_from(since, journal.profile.timezone),
        safety_paused=safety_paused(alerts),
    )


# --------------------------------------------------------------------------- designing


@dataclass(frozen=True)
class TaperForm:
    """The taper form as typed values (names as the form's fields and the errors)."""

    target: str
    target_grams: float | None
    target_doses: int | None
    percent: float | None
    fixed_grams: float | None
    every: int | None
    unit: str | None
    product: str | None
    step_units: float | None
    start: date | None
    used_for_months: float | None
    window: int
    clinician_consulted: bool


def design_taper(journal: Journal, form: TaperForm) -> TaperPlan:
    """A taper from the person's recent logged use to their chosen target."""
    today = today_of(journal)
    use = recent_use(
        journal.store.doses_from(None, journal.profile.timezone),
        today=today,
        journal_start=journal_start(journal.store.first_day()),
        window_days=form.window,
        stated_months=form.used_for_months,
    )
    return tapers.design_taper(
        TaperRequest(
            target=_target(form),
            percent=form.percent,
            fixed_grams=form.fixed_grams,
            every_days=form.every,
            start=form.start,
        ),
        use=use,
        measure=_measure(journal, form.unit, form.product, form.step_units),
        today=today,
        now=journal.now,
        clinician_consulted=form.clinician_consulted,
    )


def _target(form: TaperForm) -> TaperTarget:
    kind = form.target
    if kind not in ("stop", "amount", "doses"):
        raise InvalidInput("target", kind, "must be stop, amount or doses")
    grams = form.target_grams if kind == "amount" else None
    count = form.target_doses if kind in ("amount", "doses") else None
    return TaperTarget(kind=kind, grams_per_day=grams, doses_per_day=count)


def _measure(
    journal: Journal, unit: str | None, product: str | None, step: float | None
) -> Measure:
    chosen = unit_named(unit or "g", "unit")
    found = None if not product else journal.store.product(product)
    return measure_for(chosen, found, step)


@dataclass(frozen=True)
class ExperimentForm:
    compare: str
    outcome: str | None
    minutes_a: int | None
    minutes_b: int | None
    product_a: str | None
    product_b: str | None
    layout: str
    blocks: int
    block_days: int | None
    washout_days: int | None
    clinician_washout: bool
    start: date | None
    end: date | None
    seed: int


def new_seed() -> int:
    return secrets.randbelow(1_000_000)


def design_experiment(journal: Journal, form: ExperimentForm) -> Experiment:
    """An experiment's schedule, drawn from the seed the form shows."""
    if form.compare not in experiments.COMPARISONS:
        raise InvalidInput(
            "compare", form.compare, f"must be one of {', '.join(experiments.COMPARISONS)}"
        )
    if form.layout not in experiments.LAYOUTS:
        raise InvalidInput(
            "layout", form.layout, f"must be one of {', '.join(experiments.LAYOUTS)}"
        )
    if not 0 <= form.seed <= 2**63 - 1:
        raise InvalidInput("seed", form.seed, "must be a whole number from 0")
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
                "seed": form.seed,
            }
        )
    except ValidationError as exc:
        raise from_validation_error(exc) from exc
    return experiments.design_experiment(
        request, profile=journal.profile, today=today_of(journal), now=journal.now
    )


# --------------------------------------------------------------------------- changing


def act(journal: Journal, plan_id: int, action: str, reason: str) -> StoredPlan:
    """Pause, resume or end a plan from today; the new state joins its history."""
    if action not in ACTIONS:
        raise InvalidInput("action", action, f"must be one of {', '.join(ACTIONS)}")
    store = plan_store(journal)
    stored = store.get(plan_id)
    module: Any = tapers if isinstance(stored.plan, TaperPlan) else experiments
    changed = getattr(module, action)(
        stored.plan, day=today_of(journal), now=journal.now, reason=reason
    )
    past = {"pause": "paused", "resume": "resumed", "end": "ended"}[action]
    return store.save(plan_id, changed, action=past, now=journal.now)


# --------------------------------------------------------------------------- showing


@dataclass(frozen=True)
class PlanView:
    """One plan as the Plans page shows it (a preview has no ``stored``)."""

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


def title_of(plan: Plan) -> str:
    if isinstance(plan, TaperPlan):
        settings = plan.current.settings
        return f"Taper plan to {tapers.target_text(settings.target, settings.measure)}"
    return f"Experiment: {plan.design.label_a} vs {plan.design.label_b}"


def status_of(plan: Plan, day: date) -> str:
    if isinstance(plan, TaperPlan):
        return tapers.planned_on(plan, day).status
    return experiments.assignment_on(plan, day).status


def view(
    journal: Journal,
    plan: Plan,
    stored: StoredPlan | None,
    *,
    alerts: Sequence[AlertView] = (),
    history: bool = True,
) -> PlanView:
    day = today_of(journal)
    paused = safety_paused(alerts)
    today: Any
    if isinstance(plan, TaperPlan):
        since = day - timedelta(days=TODAY_LOOKBACK_DAYS)
        today = taper_today(
            plan,
            day=day,
            doses=journal.store.doses_from(since, journal.profile.timezone),
            questionnaires=journal.store.questionnaires_from(since, journal.profile.timezone),
            safety_paused=paused,
        )
        result = None
    else:
        today = experiment_today(plan, day=day, safety_paused=paused)
        result = None if stored is None else experiment_result(journal, plan, day)
    versions = plan_store(journal).versions(stored.id) if stored and history else []
    return PlanView(plan, stored, status_of(plan, day), title_of(plan), today, versions, result)


def experiment_result(journal: Journal, plan: Experiment, day: date) -> Any:
    """The interim look while it runs (adherence, no effect), the result once it is over."""
    design = plan.design
    zone = journal.profile.timezone
    since = clock.at_local(design.start - timedelta(days=1), clock.DAY_STARTS_AT, zone)
    until = clock.at_local(design.end + timedelta(days=3), clock.DAY_STARTS_AT, zone)
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
