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
from speciosa.journal.models import Batch, LabResult, Limits, Medication, Product, Profile
from speciosa.web import forms
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
    values: dict[str, Any] | None = None,
    problems: dict[str, str] | None = None,
) -> Response:
    """The Settings page; ``values`` (what was posted) replace the stored profile's, so
    that a refused form keeps every edit, with ``problems`` beside their fields."""
    with state.journal(person) as journal:
        profile, has_profile = journal.profile, journal.has_profile
    return render(
        request,
        "settings.html",
        {
            "title": "Settings",
            "profile": profile,
            "has_profile": has_profile,
            "v": values or _profile_values(profile),
            "problems": problems or {},
            "first_problem": next(iter(problems or {}), None),
            "conditions": [c.value for c in Condition],
            "health_conditions": HEALTH_LABELS,
            "error": error,
            "sqlite_backup": data.can_copy_file(state.speciosa) and not state.settings.multi_user,
        },
        person=person,
        status=status or (422 if error or problems else 200),
    )


# The profile form's fields as labelled on the page (messages name them so).
PROFILE_LABELS: dict[str, str] = {
    "timezone": "Time zone",
    "bedtime": "Usual bedtime",
    "wake_time": "Usual wake time",
    "conditions": "Conditions",
    "grams_per_day": "Grams per day",
    "doses_per_day": "Doses per day",
    "use_days_per_week": "Use days per week",
    "agreed_with_clinician": "Agreed with a clinician",
    "pregnant_or_breastfeeding": "Pregnant or breastfeeding",
    "health_conditions": "Health conditions",
    "birth_year": "Year of birth",
    "medications": "Regular medicines",
}
LIMIT_FIELDS = ("grams_per_day", "doses_per_day", "use_days_per_week")
TEXT_FIELDS = ("timezone", "bedtime", "wake_time", *LIMIT_FIELDS, "birth_year", "medications")


def _profile_values(profile: Profile) -> dict[str, Any]:
    """The stored profile as the form shows it."""
    limits = profile.limits
    return {
        "timezone": profile.timezone,
        "bedtime": profile.bedtime,
        "wake_time": profile.wake_time,
        "conditions": [str(c) for c in profile.conditions],
        "grams_per_day": "" if limits.grams_per_day is None else f"{limits.grams_per_day:g}",
        "doses_per_day": "" if limits.doses_per_day is None else str(limits.doses_per_day),
        "use_days_per_week": ""
        if limits.use_days_per_week is None
        else str(limits.use_days_per_week),
        "agreed_with_clinician": limits.agreed_with_clinician,
        "pregnant_or_breastfeeding": profile.pregnant_or_breastfeeding,
        "health_conditions": [str(h) for h in profile.health_conditions],
        "birth_year": "" if profile.birth_year is None else str(profile.birth_year),
        "medications": "".join(
            f"{m.name}:{m.substance_class.value}\n" for m in profile.medications
        ),
    }


def _posted_values(form: FormData) -> dict[str, Any]:
    """What the person posted, as the form shows it (kept when something is refused)."""
    values: dict[str, Any] = {name: str(form.get(name) or "") for name in TEXT_FIELDS}
    values["conditions"] = [str(c) for c in form.getlist("conditions")]
    values["health_conditions"] = [str(h) for h in form.getlist("health_conditions")]
    for flag in ("agreed_with_clinician", "pregnant_or_breastfeeding"):
        values[flag] = flag in form
    return values


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
    """Save the profile, or keep every edit on the page with a message beside each field
    that is wrong (nothing is saved until all are right)."""
    problems: dict[str, str] = {}
    limits: dict[str, Any] = {"agreed_with_clinician": "agreed_with_clinician" in form}
    for name in LIMIT_FIELDS:  # each limit checked alone, so every wrong one is named
        limits[name] = _text(form, name)
        try:
            validated(Limits, {name: limits[name]}, "limits")
        except InvalidInput as exc:
            problems[name] = _worded(exc)
    changes: dict[str, Any] = {
        "timezone": _text(form, "timezone"),
        "bedtime": _text(form, "bedtime"),
        "wake_time": _text(form, "wake_time"),
        "conditions": tuple(str(c) for c in form.getlist("conditions")),
        "pregnant_or_breastfeeding": "pregnant_or_breastfeeding" in form,
        "health_conditions": tuple(str(h) for h in form.getlist("health_conditions")),
    }
    if not problems:
        changes["limits"] = validated(Limits, limits, "limits")
    # An empty time field keeps what the profile has; an empty birth year or medicine
    # list clears it (when the form has the field at all).
    kept: dict[str, Any] = {k: v for k, v in changes.items() if v is not None}
    if "birth_year" in form:
        kept["birth_year"] = _text(form, "birth_year")
    if "medications" in form:
        try:
            kept["medications"] = _medications(str(form.get("medications") or ""))
        except InvalidInput as exc:
            problems["medications"] = _worded(exc)
    with state.journal(person) as journal:
        for wrong in journal_settings.change_problems(journal, kept):
            problems.setdefault(_input_of(wrong.field), _worded(wrong))
        if not problems:
            journal_settings.update_profile(journal, kept)
    if problems:
        ordered = {k: problems[k] for k in PROFILE_LABELS if k in problems}
        values = _posted_values(form)
        return settings_view(request, state, person, values=values, problems=ordered)
    return _redirect("/settings?saved=1")


def _medications(text: str) -> tuple[Medication, ...]:
    return tuple(journal_settings.medication(line) for line in text.splitlines() if line.strip())


def _input_of(path: str) -> str:
    """The form's input for an error's field ("limits.grams_per_day" -> "grams_per_day")."""
    parts = path.split(".")
    return parts[1] if parts[0] == "limits" and len(parts) > 1 else parts[0]


def _worded(exc: InvalidInput) -> str:
    """The error in plain words naming the field as labelled ("Use days per week must ...")."""
    name = _input_of(exc.field)
    return forms.worded(PROFILE_LABELS.get(name, name.replace("_", " ").capitalize()), exc.allowed)


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
    revoked = request.query_params.get("revoked", "")
    return _sharing(request, state, person, revoked=int(revoked) if revoked.isdigit() else None)


def _sharing(
    request: Request,
    state: State,
    person: Person,
    *,
    created_url: str | None = None,
    error: dict[str, str] | None = None,
    report_error: dict[str, str] | None = None,
    report_values: dict[str, str] | None = None,
    revoked: int | None = None,
) -> Response:
    with state.journal(person) as journal:
        links = [SharePublic.of(s, now=journal.now) for s in sharing.shares(journal)]
        log = share_links.log_rows(sharing.accesses(journal))
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
            "revoked": next((s for s in links if s.id == revoked and s.state == "revoked"), None),
            "error": error,
            "report_error": report_error,
            "report_values": report_values or {},
            "report_first": today - timedelta(days=sharing.DEFAULT_RANGE_DAYS - 1),
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
    # Back to the same page, which says which link stopped working.
    return _redirect(f"/sharing?revoked={share_id}")
