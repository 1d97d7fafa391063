"""Products (batches and lab results), Settings (profile, limits, export, import,
backup) and Sharing (links for a clinician, and who opened them)."""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from pydantic import ValidationError
from starlette.background import BackgroundTask
from starlette.datastructures import FormData

from speciosa.errors import InvalidInput, SpeciosaError, from_validation_error
from speciosa.journal import clock
from speciosa.journal.catalogues import Condition, ProductForm
from speciosa.journal.models import Batch, LabResult, Limits, Product, Profile
from speciosa.report import DEFAULT_DAYS as REPORT_DAYS
from speciosa.store import backup as backups
from speciosa.store import sharing as shares_store
from speciosa.store.database import sqlite_path
from speciosa.web import reports
from speciosa.web import sharing as share_service
from speciosa.web.context import CurrentPerson, Person, State
from speciosa.web.rendering import CheckedForm, problem, render

router = APIRouter(include_in_schema=False)


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _text(form: FormData, name: str) -> str | None:
    value = form.get(name)
    return value.strip() or None if isinstance(value, str) else None


def _model(model: type[Any], data: dict[str, Any], prefix: str = "") -> Any:
    try:
        return model.model_validate({k: v for k, v in data.items() if v is not None})
    except ValidationError as exc:
        raise from_validation_error(exc, prefix=prefix) from exc


# --------------------------------------------------------------------------- products


@router.get("/products", name="products_page")
def products_page(request: Request, state: State, person: CurrentPerson) -> Response:
    return _products(request, state, person)


def _products(
    request: Request,
    state: State,
    person: Person,
    *,
    error: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    form_id: str = "",
) -> Response:
    with state.journal(person) as journal:
        found = journal.store.products()
    return render(
        request,
        "products.html",
        {
            "title": "Products",
            "products": found,
            "forms": [f.value for f in ProductForm],
            "error": error,
            "form_id": form_id,
            "values": values or {},
        },
        person=person,
        status=422 if error else 200,
    )


@router.post("/products")
def add_product(
    request: Request, state: State, person: CurrentPerson, form: CheckedForm
) -> Response:
    fields = (
        "name",
        "vendor",
        "vein",
        "form",
        "grams_per_capsule",
        "grams_per_teaspoon",
        "grams_per_tablespoon",
        "note",
    )
    data = {name: _text(form, name) for name in fields}
    try:
        product = _model(Product, data)
        with state.journal(person) as journal:
            journal.store.add_product(product, now=journal.now)
    except SpeciosaError as exc:
        return _products(request, state, person, error=problem(exc), values=data, form_id="new")
    return _redirect("/products")


@router.post("/products/{name}/batches")
def add_batch(
    request: Request, state: State, person: CurrentPerson, name: str, form: CheckedForm
) -> Response:
    lab_fields = ("lab", "tested_on", "mitragynine_mg_per_g", "hydroxymitragynine_mg_per_g")
    lab: dict[str, str | bool | None] = {f: _text(form, f) for f in lab_fields}
    for flag in ("heavy_metals_pass", "microbial_pass", "passed"):
        choice = _text(form, flag)
        lab[flag] = None if choice is None else choice == "yes"
    data = {"code": _text(form, "code"), "bought_on": _text(form, "bought_on")}
    with state.journal(person) as journal:
        journal.store.product(name)  # NotFound (404) for a product this person does not have
    try:
        with state.journal(person) as journal:
            product = journal.store.product(name)
            has_lab = any(v is not None for v in lab.values())
            batch = _model(
                Batch, data | {"lab": _model(LabResult, lab, "lab") if has_lab else None}
            )
            updated = product.model_copy(update={"batches": (*product.batches, batch)})
            journal.store.update_product(
                name, _model(Product, updated.model_dump()), now=journal.now
            )
    except SpeciosaError as exc:
        values = data | lab
        return _products(request, state, person, error=problem(exc), values=values, form_id=name)
    return _redirect("/products")


# --------------------------------------------------------------------------- settings


@router.get("/settings", name="settings_page")
def settings_page(request: Request, state: State, person: CurrentPerson) -> Response:
    return settings_view(request, state, person)


def settings_view(
    request: Request,
    state: State,
    person: Person,
    *,
    error: dict[str, str] | None = None,
    status: int | None = None,
) -> Response:
    with state.journal(person) as journal:
        profile, has_profile = journal.profile, journal.has_profile
    return render(
        request,
        "settings.html",
        {
            "title": "Settings",
            "profile": profile,
            "has_profile": has_profile,
            "conditions": [c.value for c in Condition],
            "error": error,
            "sqlite_backup": sqlite_path(state.database.url) is not None
            and not state.settings.multi_user,
        },
        person=person,
        status=status or (422 if error else 200),
    )


@router.post("/settings/profile")
def save_profile(
    request: Request, state: State, person: CurrentPerson, form: CheckedForm
) -> Response:
    limits = {
        "grams_per_day": _text(form, "grams_per_day"),
        "doses_per_day": _text(form, "doses_per_day"),
        "use_days_per_week": _text(form, "use_days_per_week"),
        "agreed_with_clinician": "agreed_with_clinician" in form,
    }
    try:
        with state.journal(person) as journal:
            data = journal.profile.model_dump() | {
                "timezone": _text(form, "timezone") or journal.profile.timezone,
                "bedtime": _text(form, "bedtime") or journal.profile.bedtime,
                "wake_time": _text(form, "wake_time") or journal.profile.wake_time,
                "conditions": tuple(str(c) for c in form.getlist("conditions")),
                "limits": _model(Limits, limits, "limits"),
                "pregnant_or_breastfeeding": "pregnant_or_breastfeeding" in form,
            }
            journal.store.save_profile(_model(Profile, data), now=journal.now)
    except SpeciosaError as exc:
        return settings_view(request, state, person, error=problem(exc))
    return _redirect("/settings?saved=1")


@router.get("/settings/backup.sqlite")
def sqlite_backup(state: State, person: CurrentPerson) -> Response:
    """A consistent copy of the journal file (local mode on SQLite only)."""
    if state.settings.multi_user or sqlite_path(state.database.url) is None:
        raise InvalidInput(
            "backup", "sqlite", "an SQLite copy exists in local mode only; download the JSON backup"
        )
    folder = Path(tempfile.mkdtemp(prefix="speciosa-backup-"))
    target = folder / "speciosa-journal.sqlite"
    backups.backup_sqlite(state.database, target)
    return FileResponse(
        target,
        media_type="application/vnd.sqlite3",
        filename=target.name,
        background=BackgroundTask(_remove, folder),
    )


def _remove(folder: Path) -> None:
    for child in folder.iterdir():
        child.unlink()
    folder.rmdir()


# --------------------------------------------------------------------------- sharing


@router.get("/sharing", name="sharing_page")
def sharing_page(request: Request, state: State, person: CurrentPerson) -> Response:
    return _sharing(request, state, person)


def _sharing(
    request: Request,
    state: State,
    person: Person,
    *,
    created_url: str | None = None,
    error: dict[str, str] | None = None,
    report_error: dict[str, str] | None = None,
    report_values: dict[str, str] | None = None,
) -> Response:
    with state.journal(person) as journal:
        links = [
            share_service.public(s, now=journal.now)
            for s in shares_store.shares(session=journal.session, owner_id=person.owner_id)
        ]
        log = shares_store.accesses(session=journal.session, owner_id=person.owner_id)
        zone_name = journal.profile.timezone
        today = clock.journal_day(journal.now, zone_name)
    return render(
        request,
        "sharing.html",
        {
            "title": "Share with a clinician",
            "links": links,
            "log": log,
            "zone": zone_name,
            "today": today,
            "default_first": today - timedelta(days=share_service.DEFAULT_RANGE_DAYS - 1),
            "created_url": created_url,
            "error": error,
            "report_error": report_error,
            "report_values": report_values or {},
            "report_first": today - timedelta(days=REPORT_DAYS - 1),
            "default_days": state.settings.share_days,
            "max_days": state.settings.share_max_days,
        },
        person=person,
        status=422 if error or report_error else 200,
    )


@router.get("/sharing/report.pdf", name="report_download")
def report_download(request: Request, state: State, person: CurrentPerson) -> Response:
    """The clinician report (PDF) for the form's date range; bad dates show inline."""
    first, last = request.query_params.get("from"), request.query_params.get("to")
    try:
        with state.journal(person) as journal:
            return reports.pdf_response(journal, first=first, last=last)
    except SpeciosaError as exc:
        values = {"from": first or "", "to": last or ""}
        return _sharing(request, state, person, report_error=problem(exc), report_values=values)


@router.post("/sharing")
def create_share(
    request: Request, state: State, person: CurrentPerson, form: CheckedForm
) -> Response:
    try:
        first, last = _day(form, "first_day"), _day(form, "last_day")
        days = _text(form, "expires_in_days")
        with state.journal(person) as journal:
            _, token = share_service.create(
                state,
                journal,
                person,
                first_day=first,
                last_day=last,
                expires_in_days=int(days) if days and days.isdigit() else None,
                label=_text(form, "label"),
            )
    except SpeciosaError as exc:
        return _sharing(request, state, person, error=problem(exc))
    return _sharing(request, state, person, created_url=share_service.url(request, token))


def _day(form: FormData, name: str) -> date | None:
    text = _text(form, name)
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise InvalidInput(name, text, "must be a date (YYYY-MM-DD)") from exc


@router.post("/sharing/{share_id}/revoke")
def revoke_share(state: State, person: CurrentPerson, share_id: int, form: CheckedForm) -> Response:
    with state.journal(person) as journal:
        shares_store.revoke(
            session=journal.session, owner_id=person.owner_id, share_id=share_id, now=journal.now
        )
    return _redirect("/sharing")
