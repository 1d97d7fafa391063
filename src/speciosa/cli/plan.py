"""``speciosa plan ...``: taper plans and personal experiments.

Each command opens one transaction, reads what the plan needs from the journal, calls one
pure function in :mod:`speciosa.plans`, and stores the result (with its history) through
:class:`speciosa.store.plan_store.PlanStore`. The safety engine runs on every command that
shows a day of a plan; an urgent alert pauses the prompts and says so.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence
from dataclasses import asdict
from datetime import date, timedelta
from typing import Annotated, Any

import typer
from rich.markup import escape

from speciosa.errors import InvalidInput
from speciosa.insights.outcomes import OUTCOMES
from speciosa.journal import clock
from speciosa.journal.units import unit_named
from speciosa.plans import experiment as experiments
from speciosa.plans import taper as tapers
from speciosa.plans.base import Measure, measure_for
from speciosa.plans.daily import today_lines
from speciosa.plans.experiment import Experiment, ExperimentRequest
from speciosa.plans.taper import TaperChange, TaperPlan, TaperRequest, TaperTarget
from speciosa.plans.usage import journal_start, recent_use
from speciosa.safety import Alert, pauses_plans
from speciosa.store.plan_store import PlanStore, StoredPlan

from .context import Session, app_state, console
from .safety import current_alerts

plan_app = typer.Typer(
    help="Taper plans and personal experiments (you and your clinician choose; Speciosa "
    "does the arithmetic from your own log).",
    no_args_is_help=True,
)

IdArg = Annotated[int, typer.Argument(help="plan id (see 'speciosa plan list')")]
ReasonOpt = Annotated[str, typer.Option("--reason", help="why, kept in the plan's history")]
UnitOpt = Annotated[
    str | None, typer.Option("--unit", help="round to: g, caps, tsp or tbsp (default g)")
]
ProductOpt = Annotated[
    str | None, typer.Option("--product", "-p", help="product whose capsule/spoon weight to use")
]
StepUnitsOpt = Annotated[
    float | None,
    typer.Option("--step-units", help="smallest count you measure (default 0.5 g or 1 cap/spoon)"),
]


def _today(session: Session) -> date:
    return clock.journal_day(session.now, session.profile.timezone)


def _plans(session: Session) -> PlanStore:
    return PlanStore(session.store.session, session.store.owner)


def _measure(
    session: Session, unit: str | None, product: str | None, step: float | None
) -> Measure:
    chosen = unit_named(unit or "g", "unit")
    found = None if product is None else session.store.product(product)
    return measure_for(chosen, found, step)


def _parse_day(text: str | None, field: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise InvalidInput(field, text, "must be a date written YYYY-MM-DD") from exc


def _target(kind: str, grams: float | None, doses: int | None) -> TaperTarget:
    if kind not in ("stop", "amount", "doses"):
        raise InvalidInput("target", kind, "must be stop, amount or doses")
    if kind == "stop" and (grams is not None or doses is not None):
        raise InvalidInput("target", kind, "a stop target takes neither --grams nor --doses")
    return TaperTarget(kind=kind, grams_per_day=grams, doses_per_day=doses)


# --------------------------------------------------------------------------- designing


@plan_app.command()
def taper(
    ctx: typer.Context,
    target: Annotated[
        str, typer.Option("--target", help="stop, amount (with --grams) or doses (with --doses)")
    ],
    grams: Annotated[
        float | None, typer.Option("--grams", help="target grams a day (amount target)")
    ] = None,
    doses: Annotated[
        int | None, typer.Option("--doses", help="target doses a day (doses or amount target)")
    ] = None,
    percent: Annotated[
        float | None, typer.Option("--percent", help="each step: this % of the current amount")
    ] = None,
    fixed_grams: Annotated[
        float | None, typer.Option("--fixed-grams", help="each step: this many grams less")
    ] = None,
    every: Annotated[int | None, typer.Option("--every", help="days per step")] = None,
    unit: UnitOpt = None,
    product: ProductOpt = None,
    step_units: StepUnitsOpt = None,
    start: Annotated[str | None, typer.Option("--start", help="first day, YYYY-MM-DD")] = None,
    used_for_months: Annotated[
        float | None,
        typer.Option(
            "--used-for-months", help="how long you have used kratom, if longer than the log"
        ),
    ] = None,
    window: Annotated[int, typer.Option("--window", help="days of log to average")] = 14,
    clinician_consulted: Annotated[
        bool,
        typer.Option("--clinician-consulted", help="a clinician was consulted about this plan"),
    ] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="show the plan, save nothing")] = False,
) -> None:
    """Design a taper from your recent logged use to a lower amount, fewer doses, or none."""
    with app_state(ctx).journal() as session:
        today = _today(session)
        use = recent_use(
            session.store.doses_from(None, session.profile.timezone),
            today=today,
            journal_start=journal_start(session.store.first_day()),
            window_days=window,
            stated_months=used_for_months,
        )
        plan = tapers.design_taper(
            TaperRequest(
                target=_target(target, grams, doses),
                percent=percent,
                fixed_grams=fixed_grams,
                every_days=every,
                start=_parse_day(start, "start"),
            ),
            use=use,
            measure=_measure(session, unit, product, step_units),
            today=today,
            now=session.now,
            clinician_consulted=clinician_consulted,
        )
        stored = None if dry_run else _plans(session).add(plan, now=session.now)
    _show_taper(plan, today, stored)


@plan_app.command()
def experiment(
    ctx: typer.Context,
    compare: Annotated[
        str, typer.Option("--compare", help="bedtime (dose vs none), timing, or product")
    ],
    outcome: Annotated[
        str | None, typer.Option("--outcome", help=f"one of {', '.join(OUTCOMES)}")
    ] = None,
    minutes_a: Annotated[
        int | None, typer.Option("--minutes-a", help="timing: minutes before bed, condition A")
    ] = None,
    minutes_b: Annotated[
        int | None, typer.Option("--minutes-b", help="timing: minutes before bed, condition B")
    ] = None,
    product_a: Annotated[str | None, typer.Option("--product-a", help="product of A")] = None,
    product_b: Annotated[str | None, typer.Option("--product-b", help="product of B")] = None,
    layout: Annotated[str, typer.Option("--layout", help="pairs, ABBA or ABAB")] = "pairs",
    blocks: Annotated[int, typer.Option("--blocks", help="number of blocks")] = 8,
    block_days: Annotated[int | None, typer.Option("--block-days", help="days per block")] = None,
    washout_days: Annotated[
        int | None, typer.Option("--washout-days", help="wash-out days at the start of a block")
    ] = None,
    clinician_washout: Annotated[
        bool,
        typer.Option("--clinician-washout", help="a clinician agreed the shorter wash-out"),
    ] = False,
    start: Annotated[str | None, typer.Option("--start", help="first day, YYYY-MM-DD")] = None,
    end: Annotated[
        str | None, typer.Option("--end", help="last day you can run it, YYYY-MM-DD")
    ] = None,
    seed: Annotated[
        int | None, typer.Option("--seed", help="fixes the schedule (shown, so it can be re-drawn)")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="show the design, save nothing")
    ] = False,
) -> None:
    """Design a personal experiment comparing two conditions you choose, in blocks."""
    if compare not in experiments.COMPARISONS:
        raise InvalidInput(
            "compare", compare, f"must be one of {', '.join(experiments.COMPARISONS)}"
        )
    if layout not in experiments.LAYOUTS:
        raise InvalidInput("layout", layout, f"must be one of {', '.join(experiments.LAYOUTS)}")
    with app_state(ctx).journal() as session:
        today = _today(session)
        for name in (product_a, product_b):
            if name is not None:
                session.store.product(name)  # NotFound names the known products
        request = ExperimentRequest(
            comparison=compare,
            outcome=outcome,
            minutes_a=minutes_a,
            minutes_b=minutes_b,
            product_a=product_a,
            product_b=product_b,
            layout=layout,
            blocks=blocks,
            block_days=block_days,
            washout_days=washout_days,
            clinician_washout=clinician_washout,
            start=_parse_day(start, "start"),
            end=_parse_day(end, "end"),
            seed=secrets.randbelow(1_000_000) if seed is None else seed,
        )
        plan = experiments.design_experiment(
            request, profile=session.profile, today=today, now=session.now
        )
        stored = None if dry_run else _plans(session).add(plan, now=session.now)
    _show_experiment(plan, stored)


# --------------------------------------------------------------------------- looking


@plan_app.command("list")
def list_plans(ctx: typer.Context) -> None:
    """Every plan with its id and status."""
    with app_state(ctx).journal() as session:
        plans = _plans(session).all()
        today = _today(session)
    if not plans:
        console.print("No plans yet: speciosa plan taper ... or speciosa plan experiment ...")
    for stored in plans:
        console.print(f"#{stored.id} {stored.kind}, {_status(stored, today)}: {_title(stored)}")


@plan_app.command()
def show(
    ctx: typer.Context,
    plan_id: IdArg,
    history: Annotated[bool, typer.Option("--history", help="every saved version")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="machine-readable output")] = False,
) -> None:
    """A plan in full: steps or schedule, notes, history; an experiment's look or result."""
    with app_state(ctx).journal() as session:
        store = _plans(session)
        stored = store.get(plan_id)
        versions = store.versions(plan_id) if history else []
        today = _today(session)
        result = None
        if isinstance(stored.plan, Experiment):
            result = _experiment_result(session, stored.plan, today)
    if as_json:
        data: dict[str, Any] = {"id": stored.id, "plan": stored.plan.model_dump(mode="json")}
        if result is not None:
            data["result"] = _jsonable(asdict(result))
        if history:
            data["versions"] = [
                {"sequence": v.sequence, "action": v.action, "plan": v.plan.model_dump(mode="json")}
                for v in versions
            ]
        console.print_json(json.dumps(data, default=str))
        return
    if isinstance(stored.plan, TaperPlan):
        _show_taper(stored.plan, today, stored)
    else:
        _show_experiment(stored.plan, stored)
        if result is not None:
            title = "Result" if hasattr(result, "as_randomised") else "Interim look"
            console.print(f"[bold]{title}[/]")
            for line in result.sentences:
                console.print(f"  {escape(line)}")
    for version in versions:
        console.print(
            f"  saved state {version.sequence}: {version.action} "
            f"({clock.iso_utc(version.created_at)})"
        )


@plan_app.command("today")
def today_command(ctx: typer.Context) -> None:
    """Today's step or condition for each running plan (also: speciosa plan status)."""
    with app_state(ctx).journal() as session:
        lines = plan_today_lines(session)
    if not lines:
        console.print("No plan is running.")
    for line in lines:
        console.print(escape(line))


plan_app.command("status", help="Same as 'speciosa plan today'.")(today_command)


def plan_today_lines(session: Session, alerts: Sequence[Alert] | None = None) -> tuple[str, ...]:
    """The plan lines for ``speciosa today``; ``alerts`` saves evaluating safety twice."""
    today = _today(session)
    running = [s.plan for s in _plans(session).running(today)]
    if not running:
        return ()
    since = today - timedelta(days=40)
    paused = pauses_plans(current_alerts(session) if alerts is None else alerts)
    return today_lines(
        running,
        day=today,
        doses=session.store.doses_from(since, session.profile.timezone),
        questionnaires=session.store.questionnaires_from(since, session.profile.timezone),
        safety_paused=paused,
    )


# --------------------------------------------------------------------------- changing


@plan_app.command()
def pause(ctx: typer.Context, plan_id: IdArg, reason: ReasonOpt = "") -> None:
    """Pause a plan from today: a taper holds its amount; later steps move back."""
    _act(
        ctx, plan_id, "paused", lambda p, d, n, _s: _module(p).pause(p, day=d, now=n, reason=reason)
    )


@plan_app.command()
def resume(ctx: typer.Context, plan_id: IdArg, reason: ReasonOpt = "") -> None:
    """Resume a paused plan from today."""
    _act(
        ctx,
        plan_id,
        "resumed",
        lambda p, d, n, _s: _module(p).resume(p, day=d, now=n, reason=reason),
    )


@plan_app.command("end")
def end_plan(ctx: typer.Context, plan_id: IdArg, reason: ReasonOpt = "") -> None:
    """End a plan today (its history is kept)."""
    _act(ctx, plan_id, "ended", lambda p, d, n, _s: _module(p).end(p, day=d, now=n, reason=reason))


@plan_app.command()
def change(
    ctx: typer.Context,
    plan_id: IdArg,
    percent: Annotated[
        float | None, typer.Option("--percent", help="new step: % of current")
    ] = None,
    fixed_grams: Annotated[
        float | None, typer.Option("--fixed-grams", help="new step: grams less each time")
    ] = None,
    every: Annotated[int | None, typer.Option("--every", help="new days per step")] = None,
    target: Annotated[str | None, typer.Option("--target", help="stop, amount or doses")] = None,
    grams: Annotated[float | None, typer.Option("--grams", help="target grams a day")] = None,
    doses: Annotated[int | None, typer.Option("--doses", help="target doses a day")] = None,
    unit: UnitOpt = None,
    product: ProductOpt = None,
    step_units: StepUnitsOpt = None,
    back: Annotated[
        bool, typer.Option("--back", help="start again from the previous step's amount")
    ] = False,
    clinician_consulted: Annotated[
        bool, typer.Option("--clinician-consulted", help="a clinician was consulted")
    ] = False,
    reason: ReasonOpt = "",
) -> None:
    """Change a taper from today (slower, another target, another measure); history is kept."""

    def apply(plan: Any, day: date, now: Any, session: Session) -> Any:
        if isinstance(plan, Experiment):
            experiments.refuse_change(plan)
        measure = None
        if unit is not None or product is not None or step_units is not None:
            measure = _measure(session, unit, product, step_units)
        request = TaperChange(
            percent=percent,
            fixed_grams=fixed_grams,
            every_days=every,
            target=None if target is None else _target(target, grams, doses),
            measure=measure,
            back_one_step=back,
            reason=reason,
        )
        return tapers.change(
            plan, request, day=day, now=now, clinician_consulted=clinician_consulted
        )

    _act(ctx, plan_id, "changed", apply)


def _act(ctx: typer.Context, plan_id: int, action: str, apply: Any) -> None:
    with app_state(ctx).journal() as session:
        store = _plans(session)
        stored = store.get(plan_id)
        today = _today(session)
        plan = apply(stored.plan, today, session.now, session)
        saved = store.save(plan_id, plan, action=action, now=session.now)
    event = saved.plan.history[-1]
    console.print(f"Plan #{saved.id} {escape(event.detail)}.")
    if isinstance(saved.plan, TaperPlan):
        console.print(escape(tapers.planned_on(saved.plan, today).amount_text))


def _module(plan: Any) -> Any:
    return tapers if isinstance(plan, TaperPlan) else experiments


# --------------------------------------------------------------------------- rendering


def _status(stored: StoredPlan, today: date) -> str:
    if isinstance(stored.plan, TaperPlan):
        return tapers.planned_on(stored.plan, today).status
    return experiments.assignment_on(stored.plan, today).status


def _title(stored: StoredPlan) -> str:
    plan = stored.plan
    if isinstance(plan, TaperPlan):
        settings = plan.current.settings
        return f"taper plan, target: {tapers.target_text(settings.target, settings.measure)}"
    return f"{plan.design.label_a} vs {plan.design.label_b}"


def _show_taper(plan: TaperPlan, today: date, stored: StoredPlan | None) -> None:
    header = "Taper plan (not saved: --dry-run)" if stored is None else f"Taper plan #{stored.id}"
    console.print(f"[bold]{header}[/]")
    for version in plan.versions:
        measure = version.settings.measure
        console.print(
            f"Version {version.number}, from {version.effective_from} ({version.reason}):"
        )
        for step in version.steps:
            amount = f"{measure.describe(step.grams)} a day" if step.grams > 0 else "none"
            doses = "" if step.doses_per_day is None else f", at most {step.doses_per_day} doses"
            length = "onwards" if step.days is None else f"for {step.days} days"
            console.print(f"  step {step.number}: {amount}{doses}, {length}")
        for note in version.notes:
            console.print(f"  [dim]{escape(note)}[/]")
    planned = tapers.planned_on(plan, today)
    console.print(f"Today ({today}): {escape(planned.amount_text)} [{planned.status}]")
    console.print("[bold]Guidance[/] (sources in brackets):")
    for sentence, sources in tapers.guidance():
        cited = f" [{', '.join(sources)}]" if sources else ""
        console.print(f"  {escape(sentence + cited)}")
    for event in plan.history:
        console.print(f"  [dim]{event.day}: {escape(event.detail)}[/]")


def _show_experiment(plan: Experiment, stored: StoredPlan | None) -> None:
    design = plan.design
    header = "Experiment (not saved: --dry-run)" if stored is None else f"Experiment #{stored.id}"
    console.print(f"[bold]{header}[/]: A = {design.label_a}; B = {design.label_b}")
    console.print(f"Outcome: {OUTCOMES[design.outcome].label}; seed {design.seed}")
    for block in plan.blocks:
        washout = "" if block.washout_end is None else f", wash-out to {block.washout_end}"
        console.print(f"  block {block.number}: {block.arm} {block.start} to {block.end}{washout}")
    for note in plan.notes:
        console.print(f"  [dim]{escape(note)}[/]")


def _experiment_result(session: Session, plan: Experiment, today: date) -> Any:
    design = plan.design
    since = clock.at_local(
        design.start - timedelta(days=1), clock.DAY_STARTS_AT, session.profile.timezone
    )
    until = clock.at_local(
        design.end + timedelta(days=3), clock.DAY_STARTS_AT, session.profile.timezone
    )
    entries = session.store.entries(since=since, until=until)
    if today < design.start or not entries:
        return None
    # pandas and scipy load here, not at CLI start-up.
    from speciosa.insights.frame import daily_frame
    from speciosa.plans.analysis import analyse_experiment, interim_look, trial_data

    data = trial_data(plan, daily_frame(entries, session.profile))
    if today <= design.end and plan.ended_on is None:
        return interim_look(plan, data, day=today)
    return analyse_experiment(plan, data)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value
