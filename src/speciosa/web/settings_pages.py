"""Products (batches and lab results), Settings (profile, limits, export, import,
backup) and Sharing (links for a clinician, and who opened them)."""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from starlette.background import BackgroundTask
from starlette.datastructures import FormData

from speciosa.app import data, journal_settings, sharing
from speciosa.app.journal_settings import validated
from speciosa.errors import InvalidInput, SpeciosaError
from speciosa.journal.catalogues import Condition, HealthCondition, ProductForm
from speciosa.journal.clock import parse_day
from speciosa.journal.models import Batch, LabResult, Limits, Product
from speciosa.report import DEFAULT_DAYS as REPORT_DAYS
from speciosa.web import sharing as share_links
from speciosa.web.context import CurrentPerson, Person, State
from speciosa.web.rendering import CheckedForm, pdf_download, problem, render
from speciosa.web.schemas import SharePublic

router = APIRouter(include_in_schema=False)


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _text(form: FormData, name: str) -> str | None:
    value = form.get(name)
    return value.strip() or None if isinstance(value, str) else None


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
        found = journal_settings.products(journal)
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
    values = {name: _text(form, name) for name in fields}
    try:
        product = validated(Product, values)
        with state.journal(person) as journal:
            journal_settings.add_product(journal, product)
    except SpeciosaError as exc:
        return _products(request, state, person, error=problem(exc), values=values, form_id="new")
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
    given = {"code": _text(form, "code"), "bought_on": _text(form, "bought_on")}
    with state.journal(person) as journal:
        journal_settings.product(journal, name)  # NotFound (404): not this person's product
    try:
        has_lab = any(v is not None for v in lab.values())
        batch = validated(
            Batch, given | {"lab": validated(LabResult, lab, "lab") if has_lab else None}
        )
        with state.journal(person) as journal:
            journal_settings.save_batch(journal, name, batch)
    except SpeciosaError as exc:
        values = given | lab
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
            "health_conditions": HEALTH_LABELS,
            "error": error,
            "sqlite_backup": data.can_copy_file(state.speciosa) and not state.settings.multi_user,
        },
        person=person,
        status=status or (422 if error else 200),
    )


HEALTH_LABELS: dict[str, str] = {
    HealthCondition.EPILEPSY: "Epilepsy or another seizure disorder",
    HealthCondition.SLEEP_APNOEA: "Sleep apnoea",
    HealthCondition.COPD: "COPD or another lung disease",
    HealthCondition.LIVER_DISEASE: "Liver disease",
}


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
        changes = {
            "timezone": _text(form, "timezone"),
            "bedtime": _text(form, "bedtime"),
            "wake_time": _text(form, "wake_time"),
            "conditions": tuple(str(c) for c in form.getlist("conditions")),
            "limits": validated(Limits, limits, "limits"),
            "pregnant_or_breastfeeding": "pregnant_or_breastfeeding" in form,
            "health_conditions": tuple(str(h) for h in form.getlist("health_conditions")),
        }
        # An empty time field keeps what the profile has; an empty birth year or medicine
        # list clears it (when the form has the field at all).
        kept: dict[str, Any] = {k: v for k, v in changes.items() if v is not None}
        if "birth_year" in form:
            kept["birth_year"] = _text(form, "birth_year")
        if "medications" in form:
            lines = str(form.get("medications") or "").splitlines()
            kept["medications"] = tuple(
                journal_settings.medication(line) for line in lines if line.strip()
            )
        with state.journal(person) as journal:
            journal_settings.update_profile(journal, kept)
    except SpeciosaError as exc:
        return settings_view(request, state, person, error=problem(exc))
    return _redirect("/settings?saved=1")


@router.get("/settings/backup.sqlite")
def sqlite_backup(state: State, person: CurrentPerson) -> Response:
    """A consistent copy of the journal file (local mode on SQLite only)."""
    if state.settings.multi_user or not data.can_copy_file(state.speciosa):
        raise InvalidInput(
            "backup", "sqlite", "an SQLite copy exists in local mode only; download the JSON backup"
        )
    folder = Path(tempfile.mkdtemp(prefix="speciosa-backup-"))
    target = data.backup_sqlite(state.speciosa, folder / "speciosa-journal.sqlite")
    return FileResponse(
        target,
        media_type="application/vnd.sqlite3",
        filename=target.name,
        background=BackgroundTask(_remove, folder),
    )


@router.post("/settings/backup", name="encrypted_backup")
def encrypted_backup(
    request: Request, state: State, person: CurrentPerson, form: CheckedForm
) -> Response:
    """An age-encrypted backup (JSON, or the SQLite file in local mode) for a passphrase."""
    # Passphrases are taken as typed: spaces are part of them.
    passphrase, again = form.get("passphrase"), form.get("passphrase_again")
    try:
        lock = data.passphrase_lock(
            passphrase if isinstance(passphrase, str) else None,
            again if isinstance(again, str) else None,
        )
        name, payload = data.backup_download(
            state.speciosa,
            _text(form, "backup_format") or "json",
            lock=lock,
            owner=person.owner_id,
            sqlite_allowed=not state.settings.multi_user,
        )
    except SpeciosaError as exc:
        return settings_view(request, state, person, error=problem(exc))
    return Response(
        payload,
        media_type="application/octet-stream",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
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
        links = [SharePublic.of(s, now=journal.now) for s in sharing.shares(journal)]
        log = sharing.accesses(journal)
        zone_name, today = journal.zone, journal.today
    return render(
        request,
        "sharing.html",
        {
            "title": "Share with a clinician",
            "links": links,
            "log": log,
            "zone": zone_name,
            "today": today,
            "default_first": today - timedelta(days=sharing.DEFAULT_RANGE_DAYS - 1),
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
        days = parse_day(first, "from"), parse_day(last, "to")
        with state.journal(person) as journal:
            return pdf_download(journal, first=days[0], last=days[1])
    except SpeciosaError as exc:
        values = {"from": first or "", "to": last or ""}
        return _sharing(request, state, person, report_error=problem(exc), report_values=values)


@router.post("/sharing")
def create_share(
    request: Request, state: State, person: CurrentPerson, form: CheckedForm
) -> Response:
    try:
        first = parse_day(_text(form, "first_day"), "first_day")
        last = parse_day(_text(form, "last_day"), "last_day")
        with state.journal(person) as journal:
            _, token = sharing.create(
                journal,
                first_day=first,
                last_day=last,
                expires_in_days=_days(form, state.settings.share_days),
                max_days=state.settings.share_max_days,
                label=_text(form, "label"),
            )
    except SpeciosaError as exc:
        return _sharing(request, state, person, error=problem(exc))
    return _sharing(request, state, person, created_url=share_links.url(request, token))


def _days(form: FormData, default: int) -> int:
    text = _text(form, "expires_in_days")
    if text is None:
        return default
    if not text.isdigit():
        raise InvalidInput("expires_in_days", text, "must be a whole number of days")
    return int(text)


@router.post("/sharing/{share_id}/revoke")
def revoke_share(state: State, person: CurrentPerson, share_id: int, form: CheckedForm) -> Response:
    with state.journal(person) as journal:
        sharing.revoke(journal, share_id)
    return _redirect("/sharing")
