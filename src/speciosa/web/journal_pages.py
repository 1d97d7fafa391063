"""The journal pages: Today, the entry forms, History (edit, delete, undo), Insights,
Safety and Evidence. Handlers stay short: read the form, call :mod:`speciosa.app` in one
unit of work, render."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from speciosa.app import Journal, entries, insights, journal_settings, plausibility
from speciosa.app import alerts as safety_alerts
from speciosa.app import today as today_view
from speciosa.errors import NotFound, SpeciosaError, detail_of
from speciosa.insights.summary import summarise
from speciosa.instruments.questionnaires import QUESTIONNAIRES
from speciosa.journal import clock
from speciosa.journal.models import KINDS, StoredEntry
from speciosa.knowledge import load_knowledge
from speciosa.safety import LOOKBACK
from speciosa.web import forms
from speciosa.web.charts import chart_svg, table_rows
from speciosa.web.context import CurrentPerson, Person, State
from speciosa.web.rendering import CheckedForm, problem, render

router = APIRouter(include_in_schema=False)

HISTORY_DAYS = 7
CHART_RANGES = (30, 90, 365)


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


# --------------------------------------------------------------------------- Today


@router.get("/", name="today_page")
def today_page(
    request: Request,
    state: State,
    person: CurrentPerson,
    logged: int | None = None,
    seen: int | None = None,
) -> Response:
    return _today(request, state, person, logged=logged, seen_notice=bool(seen))


def _today(
    request: Request,
    state: State,
    person: Person,
    *,
    logged: int | None = None,
    error: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    seen_notice: bool = False,
) -> Response:
    with state.journal(person) as journal:
        view = today_view.today(journal)
        flash = entries.find(journal, logged)
    quick = values or {"amount": view.last_amount, "product": view.last_product or ""}
    return render(
        request,
        "today.html",
        {
            "title": "Today",
            "view": view,
            "flash": flash,
            "seen_notice": seen_notice,
            "quick": quick,
            "error": error,
            "kinds": [k for k in KINDS if k != "dose"],
            "sources": load_knowledge().sources,
        },
        person=person,
        status=422 if error else 200,
    )


@router.post("/log/quick-dose")
def quick_dose(
    request: Request, state: State, person: CurrentPerson, form: CheckedForm
) -> Response:
    """One tap from Today: the amount and product shown (the last ones, prefilled). An
    amount to confirm opens the dose form with the question beside the amount."""
    values = {"amount": str(form.get("amount", "")), "product": str(form.get("product", ""))}
    data = {"kind": "dose", "amount": form.get("amount"), "product": form.get("product") or None}
    try:
        outcome = _save(state, person, "dose", data, confirmed=False, write=entries.log)
    except SpeciosaError as exc:
        return _today(request, state, person, error=problem(exc), values=values)
    if isinstance(outcome, Refusal):
        products = _products(state, person)
        return _form(request, person, "dose", values, products, refusal=outcome, action="/log/dose")
    return _redirect(f"/?logged={outcome.id}")


@dataclass
class Refusal:
    """Why a form was not saved: messages by form field, one not tied to a field, or an
    amount to confirm (``check``)."""

    problems: dict[str, str] = field(default_factory=dict)
    error: dict[str, str] | None = None
    check: plausibility.AmountCheck | None = None


Write = Callable[[Journal, dict[str, Any]], StoredEntry]


def _save(
    state: State,
    person: Person,
    kind: str,
    data: dict[str, Any],
    *,
    confirmed: bool,
    write: Write,
    base: dict[str, Any] | None = None,
) -> StoredEntry | Refusal:
    """Write the entry, unless an answer is missing or an amount needs confirming.

    A SpeciosaError about this form's fields becomes a Refusal; others propagate."""
    found = forms.problems(kind, data)
    if found:
        return Refusal(problems=found)
    try:
        with state.journal(person) as journal:
            if not confirmed:
                built = entries.build_entry(journal, {**(base or {}), **data})
                check = plausibility.check_dose(journal, built)
                if check is not None:
                    return Refusal(check=check)
            return write(journal, data)
    except SpeciosaError as exc:
        placed = forms.problem_of(kind, detail_of(exc))
        if placed is None:
            return Refusal(error=problem(exc))
        return Refusal(problems=dict([placed]))


def _confirmed(form: FormData, data: dict[str, Any]) -> bool:
    """Whether the person answered "did you mean ...?" (a button carries the amount chosen).

    The answer counts only while the amount field still shows what was asked about: an
    amount edited after the question is checked again."""
    chosen = str(form.get("use_amount", "")).strip()
    asked = str(form.get("checked_amount", "")).strip()
    if not chosen or str(data.get("amount", "")) != asked:
        return False
    data["amount"] = chosen
    return True


def _products(state: State, person: Person) -> list[str]:
    with state.journal(person) as journal:
        return journal_settings.product_names(journal)


# --------------------------------------------------------------------------- entry forms


def _kind(kind: str) -> str:
    normalised = kind.replace("-", "_")
    if normalised not in forms.FORMS:
        raise NotFound("entry kind", kind, f"one of {', '.join(KINDS)}")
    return normalised


@router.get("/log/{kind}", name="log_page")
def log_page(request: Request, state: State, person: CurrentPerson, kind: str) -> Response:
    kind = _kind(kind)
    with state.journal(person) as journal:
        values = _defaults(kind, journal, dict(request.query_params))
        products = journal_settings.product_names(journal)
    return _form(request, person, kind, values, products, action=f"/log/{kind}")


def _defaults(kind: str, journal: Journal, given: dict[str, str]) -> dict[str, Any]:
    """Helpful starting values: last night's usual times for the sleep diary."""
    values: dict[str, Any] = {}
    if kind == "sleep":
        profile = journal.profile
        night = journal.today - timedelta(days=1)
        bed = clock.parse_wall_time(profile.bedtime, "bedtime")
        wake = clock.parse_wall_time(profile.wake_time, "wake_time")
        wake_day = night if wake > bed else night + timedelta(days=1)
        values["at"] = f"{night.isoformat()}T{bed.strftime('%H:%M')}"
        values["final_awakening"] = f"{wake_day.isoformat()}T{wake.strftime('%H:%M')}"
    names = {f.name for f in forms.fields_of(kind)}
    values.update({k: v for k, v in given.items() if k in names})
    if kind == "questionnaire" and str(values.get("instrument", "")).lower() not in QUESTIONNAIRES:
        values.pop("instrument", None)  # an unknown one: the page offers the list instead
    return values


def _form(
    request: Request,
    person: Person,
    kind: str,
    values: dict[str, Any],
    products: list[str],
    *,
    action: str,
    refusal: Refusal | None = None,
    entry: StoredEntry | None = None,
) -> Response:
    title, _ = forms.FORMS[kind]
    refused = refusal or Refusal()
    instrument = str(values.get("instrument", "")).lower()
    return render(
        request,
        "entry_form.html",
        {
            "title": f"Edit {title.lower()}" if entry else f"Log {title.lower()}",
            "kind": kind,
            "fields": forms.fields_of(kind),
            "values": values,
            "products": products,
            "problems": refused.problems,
            "first_problem": next(iter(refused.problems), None),
            "error": refused.error,
            "check": refused.check,
            "action": action,
            "entry": entry,
            "text_value": forms.text_value,
            "item_name": forms.item_name,
            "questionnaire": QUESTIONNAIRES.get(instrument),
            "questionnaires": list(QUESTIONNAIRES.values()),
        },
        person=person,
        # A question is not an error: "did you mean ...?" answers 200 with the form kept.
        status=422 if refused.problems or refused.error else 200,
    )


@router.post("/log/{kind}")
def log_entry(
    request: Request, state: State, person: CurrentPerson, kind: str, form: CheckedForm
) -> Response:
    kind = _kind(kind)
    data = forms.read_form(kind, form)
    confirmed = _confirmed(form, data)
    outcome = _save(state, person, kind, data, confirmed=confirmed, write=entries.log)
    if isinstance(outcome, Refusal):
        products = _products(state, person)
        return _form(request, person, kind, data, products, refusal=outcome, action=f"/log/{kind}")
    return _redirect(f"/?logged={outcome.id}")


# --------------------------------------------------------------------------- history


@router.get("/history", name="history_page")
def history_page(
    request: Request,
    state: State,
    person: CurrentPerson,
    until: Annotated[date | None, Query()] = None,
    deleted: int | None = None,
    kind: str | None = None,
) -> Response:
    with state.journal(person) as journal:
        days = entries.timeline(journal, until=until, days=HISTORY_DAYS, kind=kind or None)
        last = until or journal.today
        removed = entries.find(journal, deleted)
    return render(
        request,
        "history.html",
        {
            "title": "History",
            "days": days,
            "older": last - timedelta(days=HISTORY_DAYS),
            "newer": None if until is None else until + timedelta(days=HISTORY_DAYS),
            "removed": removed,
            "kind": kind or None,
            "kinds": KINDS,
        },
        person=person,
    )


@router.get("/entries/{entry_id}/edit")
def edit_page(request: Request, state: State, person: CurrentPerson, entry_id: int) -> Response:
    with state.journal(person) as journal:
        stored = entries.get(journal, entry_id)
        products = journal_settings.product_names(journal)
    values = forms.values_of(stored.entry)
    return _form(
        request,
        person,
        stored.entry.kind,
        values,
        products,
        action=f"/entries/{entry_id}/edit",
        entry=stored,
    )


@router.post("/entries/{entry_id}/edit")
def edit_entry(
    request: Request, state: State, person: CurrentPerson, entry_id: int, form: CheckedForm
) -> Response:
    with state.journal(person) as journal:
        stored = entries.get(journal, entry_id)
        products = journal_settings.product_names(journal)
    kind = stored.entry.kind
    data = forms.read_form(kind, form)
    outcome = _save(
        state,
        person,
        kind,
        data,
        confirmed=_confirmed(form, data),
        write=lambda journal, given: entries.replace(journal, entry_id, given),
        base={"zone": stored.entry.zone},
    )
    if isinstance(outcome, Refusal):
        return _form(
            request,
            person,
            kind,
            data,
            products,
            refusal=outcome,
            action=f"/entries/{entry_id}/edit",
            entry=stored,
        )
    entry = outcome.entry
    day = clock.journal_day(entry.at, entry.zone)
    return _redirect(f"/history?until={day.isoformat()}#entry-{entry_id}")


@router.post("/entries/{entry_id}/delete")
def delete_entry(state: State, person: CurrentPerson, entry_id: int, form: CheckedForm) -> Response:
    with state.journal(person) as journal:
        entries.delete(journal, entry_id)
    return _redirect(f"/history?deleted={entry_id}")


@router.post("/history/undo")
def undo(state: State, person: CurrentPerson, form: CheckedForm) -> Response:
    with state.journal(person) as journal:
        restored = entries.undo_delete(journal)
    day = clock.journal_day(restored.entry.at, restored.entry.zone)
    return _redirect(f"/history?until={day.isoformat()}#entry-{restored.id}")


# --------------------------------------------------------------------------- insights, safety


@router.get("/insights", name="insights_page")
def insights_page(
    request: Request,
    state: State,
    person: CurrentPerson,
    days: Annotated[int, Query(ge=7, le=3660)] = 90,
) -> Response:
    with state.journal(person) as journal:
        # The stored answers; while the worker recomputes them after a write, the last
        # ones with an "updating" note (never a wait over the 1 s cold target).
        found = insights.insights(journal, last_days=days, stale_ok=True)
    return render(
        request,
        "insights.html",
        {
            "title": "Insights",
            "updating": found.updating,
            "report": found.report,
            "summary": summarise(found.report),
            "charts": [(c, chart_svg(c), table_rows(c)) for c in found.charts],
            "days": days,
            "ranges": CHART_RANGES,
            "sources": load_knowledge().sources,
        },
        person=person,
    )


@router.get("/safety", name="safety_page")
def safety_page(request: Request, state: State, person: CurrentPerson) -> Response:
    with state.journal(person) as journal:
        found = safety_alerts.open_alerts(journal)
    knowledge = load_knowledge()
    return render(
        request,
        "safety.html",
        {
            "title": "Safety",
            "alerts": found,
            "lookback_days": LOOKBACK.days,
            "interactions": sorted(knowledge.interactions.values(), key=lambda i: i.title),
            "sources": knowledge.sources,
        },
        person=person,
    )


@router.get("/evidence", name="evidence_page")
def evidence_page(request: Request, state: State, person: CurrentPerson) -> Response:
    with state.journal(person) as journal:
        mine = [str(c) for c in journal.profile.conditions]
    knowledge = load_knowledge()
    protocols = sorted(
        knowledge.protocols.values(), key=lambda p: (p.condition not in mine, p.title)
    )
    return render(
        request,
        "evidence.html",
        {
            "title": "Evidence",
            "protocols": protocols,
            "mine": mine,
            "claims": list(knowledge.claims.values()),
            "claims_by_id": knowledge.claims,
            "sources": knowledge.sources,
        },
        person=person,
    )
