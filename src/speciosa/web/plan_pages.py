"""The Plans page: the running plan in full, the forms that design a taper or an
experiment (preview, then save), and pause, resume and end. The use cases are
:mod:`speciosa.app.plans`'s (the arithmetic :mod:`speciosa.plans`'s)."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from speciosa.app import alerts as safety_alerts
from speciosa.app import journal_settings, plans
from speciosa.errors import InvalidInput, SpeciosaError
from speciosa.insights.outcomes import OUTCOMES, relevant_outcomes
from speciosa.journal.clock import parse_day
from speciosa.knowledge import load_knowledge
from speciosa.plans import experiment as experiments
from speciosa.plans import taper as tapers
from speciosa.plans.constants import DEFAULT_BLOCKS
from speciosa.web.context import CurrentPerson, Person, State
from speciosa.web.errors import status_of
from speciosa.web.rendering import CheckedForm, problem, render

router = APIRouter(include_in_schema=False)

TAPER_FIELDS = (
    "target",
    "target_grams",
    "target_doses",
    "percent",
    "fixed_grams",
    "every",
    "unit",
    "product",
    "step_units",
    "start",
    "used_for_months",
    "window",
)
EXPERIMENT_FIELDS = (
    "compare",
    "outcome",
    "minutes_a",
    "minutes_b",
    "product_a",
    "product_b",
    "layout",
    "blocks",
    "block_days",
    "washout_days",
    "start",
    "end",
    "seed",
)
OUTCOME_LABELS = {column: outcome.label for column, outcome in OUTCOMES.items()}
UNITS = (("g", "grams"), ("caps", "capsules"), ("tsp", "teaspoons"), ("tbsp", "tablespoons"))


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


@router.get("/plans", name="plans_page")
def plans_page(request: Request, state: State, person: CurrentPerson) -> Response:
    return _page(request, state, person)


def _page(
    request: Request,
    state: State,
    person: Person,
    *,
    form_id: str = "",
    error: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    preview: Any = None,
    status: int | None = None,
) -> Response:
    with state.journal(person) as journal:
        alerts = safety_alerts.open_alerts(journal)
        day = journal.today
        running = plans.running(journal)
        current = (
            plans.view(journal, running[0].plan, running[0], alerts=alerts) if running else None
        )
        past = [
            (s, plans.status_on(s.plan, day), plans.title_of(s.plan))
            for s in plans.all_plans(journal)
        ]
        shown = None
        if preview is not None:
            shown = plans.view(journal, preview, None, alerts=alerts, history=False)
        products = journal_settings.product_names(journal)
        outcomes = [(c, OUTCOMES[c].label) for c in relevant_outcomes(journal.profile)]
    return render(
        request,
        "plans.html",
        {
            "title": "Plans",
            "current": current,
            "plans": past,
            "preview": shown,
            "preview_kind": form_id if shown else "",
            "form_id": form_id,
            "error": error,
            "values": values or {},
            "product_options": [(name, name) for name in products],
            "outcomes": outcomes,
            "units": UNITS,
            "layout_options": [(name, name) for name in experiments.LAYOUTS],
            "default_blocks": DEFAULT_BLOCKS,
            "guidance": tapers.guidance(),
            "sources": load_knowledge().sources,
            "outcome_labels": OUTCOME_LABELS,
            "safety_paused": safety_alerts.plans_paused(alerts),
            "today": day,
        },
        person=person,
        status=status or (422 if error else 200),
    )


@router.get("/plans/{plan_id}", name="plan_page")
def plan_page(request: Request, state: State, person: CurrentPerson, plan_id: int) -> Response:
    with state.journal(person) as journal:
        stored = plans.get(journal, plan_id)  # NotFound (404) if not this person's
        shown = plans.view(journal, stored.plan, stored)
    return render(
        request,
        "plan.html",
        {
            "title": f"Plan #{stored.id}",
            "p": shown,
            "guidance": tapers.guidance(),
            "sources": load_knowledge().sources,
            "outcome_labels": OUTCOME_LABELS,
        },
        person=person,
    )


# --------------------------------------------------------------------------- designing


@router.post("/plans/taper")
def taper_plan(
    request: Request, state: State, person: CurrentPerson, form: CheckedForm
) -> Response:
    values = _values(form, TAPER_FIELDS) | {
        "clinician_consulted": "clinician_consulted" in form,
    }
    save = form.get("action") == "save"
    try:
        typed = plans.TaperForm(
            target=values.get("target") or "stop",
            target_grams=_number(values, "target_grams"),
            target_doses=_whole(values, "target_doses"),
            percent=_number(values, "percent"),
            fixed_grams=_number(values, "fixed_grams"),
            every=_whole(values, "every"),
            unit=values.get("unit"),
            product=values.get("product"),
            step_units=_number(values, "step_units"),
            start=_day(values, "start"),
            used_for_months=_number(values, "used_for_months"),
            window=_whole(values, "window") or 14,
            clinician_consulted=bool(values["clinician_consulted"]),
        )
        with state.journal(person) as journal:
            plan = plans.design_taper(journal, typed)
            stored = plans.save(journal, plan) if save else None
    except SpeciosaError as exc:
        return _failed(request, state, person, exc, "taper", values)
    if stored is not None:
        return _redirect(f"/plans?saved={stored.id}")
    return _page(request, state, person, form_id="taper", values=values, preview=plan)


@router.post("/plans/experiment")
def experiment_plan(
    request: Request, state: State, person: CurrentPerson, form: CheckedForm
) -> Response:
    values = _values(form, EXPERIMENT_FIELDS) | {
        "clinician_washout": "clinician_washout" in form,
        "clinician_consulted": "clinician_consulted" in form,
    }
    # The seed is drawn once and shown, so that the preview and the saved plan agree.
    values.setdefault("seed", str(plans.new_seed()))
    save = form.get("action") == "save"
    try:
        typed = plans.ExperimentForm(
            compare=values.get("compare") or "bedtime",
            outcome=values.get("outcome"),
            minutes_a=_whole(values, "minutes_a"),
            minutes_b=_whole(values, "minutes_b"),
            product_a=values.get("product_a"),
            product_b=values.get("product_b"),
            layout=values.get("layout") or "pairs",
            blocks=_whole(values, "blocks") or DEFAULT_BLOCKS,
            block_days=_whole(values, "block_days"),
            washout_days=_whole(values, "washout_days"),
            clinician_washout=bool(values["clinician_washout"]),
            start=_day(values, "start"),
            end=_day(values, "end"),
            seed=_whole(values, "seed") or 0,
            clinician_consulted=bool(values["clinician_consulted"]),
        )
        with state.journal(person) as journal:
            plan = plans.design_experiment(journal, typed)
            stored = plans.save(journal, plan) if save else None
    except SpeciosaError as exc:
        return _failed(request, state, person, exc, "experiment", values)
    if stored is not None:
        return _redirect(f"/plans?saved={stored.id}")
    return _page(request, state, person, form_id="experiment", values=values, preview=plan)


def _failed(
    request: Request,
    state: State,
    person: Person,
    exc: SpeciosaError,
    form_id: str,
    values: dict[str, Any],
) -> Response:
    return _page(
        request,
        state,
        person,
        form_id=form_id,
        error=problem(exc),
        values=values,
        status=status_of(exc),
    )


# --------------------------------------------------------------------------- changing


@router.post("/plans/{plan_id}/{action}")
def change_plan(
    request: Request,
    state: State,
    person: CurrentPerson,
    plan_id: int,
    action: str,
    form: CheckedForm,
) -> Response:
    with state.journal(person) as journal:
        plans.get(journal, plan_id)  # NotFound (404) if not this person's
    reason = str(form.get("reason") or "").strip()
    try:
        with state.journal(person) as journal:
            plans.act(journal, plan_id, action, reason)
    except SpeciosaError as exc:
        return _failed(request, state, person, exc, f"plan-{plan_id}", {})
    return _redirect("/plans")


# --------------------------------------------------------------------------- reading the form


def _values(form: FormData, names: tuple[str, ...]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for name in names:
        value = form.get(name)
        if isinstance(value, str) and value.strip():
            found[name] = value.strip()
    return found


def _number(values: dict[str, Any], name: str) -> float | None:
    text = values.get(name)
    if text is None:
        return None
    try:
        return float(str(text).replace(",", "."))
    except ValueError as exc:
        raise InvalidInput(name, text, "must be a number, e.g. 2.5") from exc


def _whole(values: dict[str, Any], name: str) -> int | None:
    text = values.get(name)
    if text is None:
        return None
    try:
        return int(str(text))
    except ValueError as exc:
        raise InvalidInput(name, text, "must be a whole number") from exc


def _day(values: dict[str, Any], name: str) -> date | None:
    return parse_day(values.get(name), name)
