"""The first run's guided setup (time zone, about you, a first product and dose), the
usual dose, and the home-screen shortcuts' pages.

Each step saves only what the person entered: "Skip" is a link (a GET that stores
nothing), and the zone the device reports is saved only when they press Continue. A GET
never logs: the "Log my usual dose" shortcut opens Today with that dose ready and the
Log button focused, so one tap logs it (and Today's Undo takes it back).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from speciosa.app import journal_settings, setup
from speciosa.errors import SpeciosaError
from speciosa.journal.catalogues import Condition, Goal
from speciosa.web.context import CurrentPerson, Person, State
from speciosa.web.journal_pages import _today as today_page
from speciosa.web.rendering import CheckedForm, problem, render

router = APIRouter(include_in_schema=False)

# Set by the last "Skip": Today stops offering the setup in this browser (nothing is
# written to the journal, so an all-skipped setup leaves it as empty as it was).
LATER_COOKIE = "speciosa_setup"
STEPS = ("zone", "about", "product")
STEP_TITLES = {
    "zone": "Your time zone",
    "about": "About you",
    "product": "Your first product",
    "usual": "Your usual dose",
}


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _text(form: FormData, name: str) -> str | None:
    value = form.get(name)
    return value.strip() or None if isinstance(value, str) else None


def _page(
    request: Request,
    state: State,
    person: Person,
    step: str,
    *,
    values: dict[str, Any] | None = None,
    error: dict[str, str] | None = None,
) -> Response:
    with state.journal(person) as journal:
        profile, products = journal.profile, journal_settings.product_names(journal)
    usual = profile.usual_dose
    return render(
        request,
        "setup.html",
        {
            "title": STEP_TITLES[step],
            "step": step,
            "number": STEPS.index(step) + 1 if step in STEPS else None,
            "steps": len(STEPS),
            "v": values or {},
            "error": error,
            "conditions": [c.value for c in Condition],
            "goals": [g.value for g in Goal],
            "products": products,
            "usual": usual,
            "saved": bool(request.query_params.get("saved")),
        },
        person=person,
        status=422 if error else 200,
    )


# --------------------------------------------------------------------------- the steps


@router.get("/setup", name="setup_page")
def setup_start(request: Request, state: State, person: CurrentPerson) -> Response:
    return _page(request, state, person, "zone")


@router.post("/setup/zone")
def setup_zone(
    request: Request, state: State, person: CurrentPerson, form: CheckedForm
) -> Response:
    zone = _text(form, "timezone")
    if zone is None:  # an empty field is a skip: nothing is saved
        return _redirect("/setup/about")
    try:
        with state.journal(person) as journal:
            setup.save_zone(journal, zone)
    except SpeciosaError as exc:
        error = problem(exc) | {"field": "timezone"}
        return _page(request, state, person, "zone", values={"timezone": zone}, error=error)
    return _redirect("/setup/about")


@router.get("/setup/about")
def setup_about_page(request: Request, state: State, person: CurrentPerson) -> Response:
    return _page(request, state, person, "about")


@router.post("/setup/about")
def setup_about(
    request: Request, state: State, person: CurrentPerson, form: CheckedForm
) -> Response:
    given: dict[str, Any] = {
        "conditions": [str(c) for c in form.getlist("conditions")],
        "goals": [str(g) for g in form.getlist("goals")],
        "bedtime": _text(form, "bedtime"),
        "wake_time": _text(form, "wake_time"),
        "medications": str(form.get("medications") or ""),
    }
    try:
        with state.journal(person) as journal:
            setup.save_about(journal, given)
    except SpeciosaError as exc:
        return _page(request, state, person, "about", values=given, error=problem(exc))
    return _redirect("/setup/product")


@router.get("/setup/product")
def setup_product_page(
    request: Request,
    state: State,
    person: CurrentPerson,
    amount: str | None = None,
    back: str | None = None,
) -> Response:
    values = {"amount": amount or "", "back": "dose" if back == "dose" else ""}
    return _page(request, state, person, "product", values=values)


@router.post("/setup/product")
def setup_product(
    request: Request, state: State, person: CurrentPerson, form: CheckedForm
) -> Response:
    """Add the product, and log the first dose if an amount was given; from a dose that
    needed a product (``back=dose``) go back to that dose, ready to log, instead."""
    names = ("name", "grams_per_capsule", "grams_per_teaspoon", "amount", "back")
    values = {name: _text(form, name) or "" for name in names}
    back_to_dose = values["back"] == "dose"
    try:
        with state.journal(person) as journal:
            added = setup.add_first_product(
                journal,
                name=values["name"] or None,
                grams_per_capsule=values["grams_per_capsule"] or None,
                grams_per_teaspoon=values["grams_per_teaspoon"] or None,
                amount=None if back_to_dose else values["amount"] or None,
            )
    except SpeciosaError as exc:
        return _page(request, state, person, "product", values=values, error=problem(exc))
    if back_to_dose:
        query = urlencode({"amount": values["amount"], "product": added.product.name})
        return _redirect(f"/ready?{query}")
    if added.dose is not None:
        return _redirect(f"/?logged={added.dose.id}")
    return _redirect("/")


@router.get("/setup/done")
def setup_later() -> Response:
    """The last "Skip": back to Today, which stops offering the setup in this browser."""
    response = _redirect("/")
    response.set_cookie(
        LATER_COOKIE, "later", max_age=365 * 86400, httponly=True, samesite="lax", path="/"
    )
    return response


# --------------------------------------------------------------------------- usual dose


@router.get("/setup/usual", name="usual_dose_page")
def usual_page(request: Request, state: State, person: CurrentPerson) -> Response:
    return _page(request, state, person, "usual")


@router.post("/setup/usual")
def save_usual(
    request: Request, state: State, person: CurrentPerson, form: CheckedForm
) -> Response:
    values = {"amount": _text(form, "amount") or "", "product": _text(form, "product") or ""}
    try:
        with state.journal(person) as journal:
            if "clear" in form:
                setup.clear_usual_dose(journal)
            else:
                setup.save_usual_dose(journal, values["amount"] or None, values["product"])
    except SpeciosaError as exc:
        error = problem(exc)
        error["field"] = error["field"].removeprefix("usual_dose.") or "amount"
        if error["field"] == "usual_dose":
            error["field"] = "amount"
        return _page(request, state, person, "usual", values=values, error=error)
    return _redirect("/setup/usual?saved=1")


@router.get("/usual")
def usual_ready(request: Request, state: State, person: CurrentPerson) -> Response:
    """The "Log my usual dose" shortcut: Today with the usual dose ready (logs nothing)."""
    with state.journal(person) as journal:
        usual = setup.usual_dose(journal)
    if usual is None:
        return _redirect("/setup/usual")
    values = {"amount": usual.amount, "product": usual.product or "", "ready": "usual"}
    return today_page(request, state, person, values=values)


@router.get("/ready")
def dose_ready(
    request: Request,
    state: State,
    person: CurrentPerson,
    amount: str = "",
    product: str = "",
) -> Response:
    """Today with a dose filled in and its Log button focused (after adding its product)."""
    values = {"amount": amount[:50], "product": product[:200], "ready": "dose"}
    return today_page(request, state, person, values=values)
