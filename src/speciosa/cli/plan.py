"""``speciosa plan ...``: taper plans and personal experiments.

Each command opens one unit of work and calls :mod:`speciosa.app.plans` (which reads what
a plan needs from the journal, calls the pure arithmetic in :mod:`speciosa.plans` and
keeps the plan's history); this module only parses options and renders. An urgent safety
alert pauses the prompts and says so.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer

from speciosa.insights.outcomes import OUTCOMES
from speciosa.journal import clock

from .context import app_state, console, escape

if TYPE_CHECKING:
    from speciosa.app.plans import StoredPlan
    from speciosa.plans.experiment import Experiment
    from speciosa.plans.taper import TaperPlan

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
    from speciosa.app import plans
    from speciosa.app.plans import TaperForm

    form = TaperForm(
        target=target,
        target_grams=grams,
        target_doses=doses,
        percent=percent,
        fixed_grams=fixed_grams,
        every=every,
        unit=unit,
        product=product,
        step_units=step_units,
        start=clock.parse_day(start, "start"),
        used_for_months=used_for_months,
        window=window,
        clinician_consulted=clinician_consulted,
    )
    with app_state(ctx).journal() as journal:
        plan = plans.design_taper(journal, form)
        stored = None if dry_run else plans.save(journal, plan)
        today = journal.today
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
    clinician_consulted: Annotated[
        bool,
        typer.Option(
            "--clinician-consulted",
            help="a clinician was consulted (a bedtime experiment asks a daily user for this)",
        ),
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
    from speciosa.app import plans
    from speciosa.app.plans import ExperimentForm

    form = ExperimentForm(
        compare=compare,
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
        clinician_consulted=clinician_consulted,
        start=clock.parse_day(start, "start"),
        end=clock.parse_day(end, "end"),
        seed=seed,
    )
    with app_state(ctx).journal() as journal:
        plan = plans.design_experiment(journal, form)
        stored = None if dry_run else plans.save(journal, plan)
    _show_experiment(plan, stored)


# --------------------------------------------------------------------------- looking


@plan_app.command("list")
def list_plans(ctx: typer.Context) -> None:
    """Every plan with its id and status."""
    from speciosa.app import plans

    with app_state(ctx).journal() as journal:
        found = plans.all_plans(journal)
        today = journal.today
    if not found:
        console.print("No plans yet: speciosa plan taper ... or speciosa plan experiment ...")
    for stored in found:
        status = plans.status_on(stored.plan, today)
        console.print(
            f"#{stored.id} {stored.kind}, {status}: {escape(plans.title_of(stored.plan))}"
        )


@plan_app.command()
def show(
    ctx: typer.Context,
    plan_id: IdArg,
    history: Annotated[bool, typer.Option("--history", help="every saved version")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="machine-readable output")] = False,
) -> None:
    """A plan in full: steps or schedule, notes, history; an experiment's look or result."""
    from speciosa.app import plans
    from speciosa.plans.taper import TaperPlan

    with app_state(ctx).journal() as journal:
        stored = plans.get(journal, plan_id)
        view = plans.view(journal, stored.plan, stored, history=history)
        today = journal.today
    result = view.result
    if as_json:
        data: dict[str, Any] = {"id": stored.id, "plan": stored.plan.model_dump(mode="json")}
        if result is not None:
            data["result"] = _jsonable(asdict(result))
        if history:
            data["versions"] = [
                {"sequence": v.sequence, "action": v.action, "plan": v.plan.model_dump(mode="json")}
                for v in view.versions
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
    for version in view.versions:
        console.print(
            f"  saved state {version.sequence}: {version.action} "
            f"({clock.iso_utc(version.created_at)})"
        )


@plan_app.command("today")
def today_command(ctx: typer.Context) -> None:
    """Today's step or condition for each running plan (also: speciosa plan status)."""
    from speciosa.app import plans

    with app_state(ctx).journal() as journal:
        lines = plans.today_lines_for(journal)
    if not lines:
        console.print("No plan is running.")
    for line in lines:
        console.print(escape(line))


plan_app.command("status", help="Same as 'speciosa plan today'.")(today_command)


# --------------------------------------------------------------------------- changing


@plan_app.command()
def pause(ctx: typer.Context, plan_id: IdArg, reason: ReasonOpt = "") -> None:
    """Pause a plan from today: a taper holds its amount; later steps move back."""
    _act(ctx, plan_id, "pause", reason)


@plan_app.command()
def resume(ctx: typer.Context, plan_id: IdArg, reason: ReasonOpt = "") -> None:
    """Resume a paused plan from today."""
    _act(ctx, plan_id, "resume", reason)


@plan_app.command("end")
def end_plan(ctx: typer.Context, plan_id: IdArg, reason: ReasonOpt = "") -> None:
    """End a plan today (its history is kept)."""
    _act(ctx, plan_id, "end", reason)


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
    from speciosa.app import plans
    from speciosa.app.plans import TaperEdit

    edit = TaperEdit(
        percent=percent,
        fixed_grams=fixed_grams,
        every=every,
        target=target,
        target_grams=grams,
        target_doses=doses,
        unit=unit,
        product=product,
        step_units=step_units,
        back=back,
        clinician_consulted=clinician_consulted,
        reason=reason,
    )
    with app_state(ctx).journal() as journal:
        saved = plans.change(journal, plan_id, edit)
        today = journal.today
    _acted(saved, today)


def _act(ctx: typer.Context, plan_id: int, action: str, reason: str) -> None:
    from speciosa.app import plans

    with app_state(ctx).journal() as journal:
        saved = plans.act(journal, plan_id, action, reason)
        today = journal.today
    _acted(saved, today)


# --------------------------------------------------------------------------- rendering


def _acted(saved: StoredPlan, today: date) -> None:
    from speciosa.plans import taper as tapers
    from speciosa.plans.taper import TaperPlan

    event = saved.plan.history[-1]
    console.print(f"Plan #{saved.id} {escape(event.detail)}.")
    if isinstance(saved.plan, TaperPlan):
        console.print(escape(tapers.planned_on(saved.plan, today).amount_text))


def _show_taper(plan: TaperPlan, today: date, stored: StoredPlan | None) -> None:
    from speciosa.plans import taper as tapers

    header = "Taper plan (not saved: --dry-run)" if stored is None else f"Taper plan #{stored.id}"
    console.print(f"[bold]{header}[/]")
    for version in plan.versions:
        measure = version.settings.measure
        console.print(
            f"Version {version.number}, from {version.effective_from} ({escape(version.reason)}):"
        )
        for step in version.steps:
            amount = f"{measure.describe(step.grams)} a day" if step.grams > 0 else "none"
            doses = "" if step.doses_per_day is None else f", at most {step.doses_per_day} doses"
            length = "onwards" if step.days is None else f"for {step.days} days"
            console.print(f"  step {step.number}: {amount}{doses}, {length}")
        for note in version.notes:
            console.print(f"  [dim]{escape(note)}[/]")
    planned = tapers.planned_on(plan, today)
    console.print(f"Today ({today}): {escape(f'{planned.amount_text} [{planned.status}]')}")
    console.print("[bold]Guidance[/] (sources in brackets):")
    for sentence, sources in tapers.guidance():
        cited = f" [{', '.join(sources)}]" if sources else ""
        console.print(f"  {escape(sentence + cited)}")
    for event in plan.history:
        console.print(f"  [dim]{event.day}: {escape(event.detail)}[/]")


def _show_experiment(plan: Experiment, stored: StoredPlan | None) -> None:
    design = plan.design
    header = "Experiment (not saved: --dry-run)" if stored is None else f"Experiment #{stored.id}"
    console.print(f"[bold]{header}[/]: A = {escape(design.label_a)}; B = {escape(design.label_b)}")
    console.print(f"Outcome: {OUTCOMES[design.outcome].label}; seed {design.seed}")
    for block in plan.blocks:
        washout = "" if block.washout_end is None else f", wash-out to {block.washout_end}"
        console.print(f"  block {block.number}: {block.arm} {block.start} to {block.end}{washout}")
    for note in plan.notes:
        console.print(f"  [dim]{escape(note)}[/]")


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value
