"""Routine and reminders in the web: the settings page (reminders on/off, times, the private
calendar feed and who fetched it), dismissing a due item on Today, and the feed itself
(``/calendar/{token}.ics``: the token is the key, so it needs no sign-in; unknown or revoked
tokens are 404). The schedule and the feed are :mod:`speciosa.app.reminders`'s."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from speciosa.app import reminders
from speciosa.errors import SpeciosaError
from speciosa.journal.routine import (
    DEFAULT_TITLES,
    KEYS,
    PROFILE_TIMED,
    REPEATS,
    SOURCES,
    WEEKDAYS,
    time_of,
)
from speciosa.knowledge import load_knowledge
from speciosa.web.context import CurrentPerson, Person, State
from speciosa.web.rendering import CheckedForm, problem, render

router = APIRouter(include_in_schema=False)
# The feed: registered on the app by itself (not a page: a calendar app fetches it).
feed_router = APIRouter(include_in_schema=False)

LABELS: dict[str, tuple[str, str]] = {
    "morning_diary": ("Morning sleep diary", "each morning, until last night's diary is logged"),
    "wind_down": ("Wind down for bed", "each evening, before your usual bedtime"),
    "peg": ("PEG questionnaire", "weekly: pain, enjoyment of life, general activity"),
    "sds": ("SDS questionnaire", "monthly; suggested if you use kratom daily"),
    "sows": ("SOWS questionnaire", "daily in a taper step's first week, as your plan asks"),
    "taper_steps": ("Taper step days", "the day each step of a running taper starts"),
    "experiment_nights": ("Experiment nights", "each night of a running personal experiment"),
}


@router.get("/settings/routine", name="routine_page")
def routine_page(request: Request, state: State, person: CurrentPerson) -> Response:
    return _routine(request, state, person, saved=bool(request.query_params.get("saved")))


def _routine(
    request: Request,
    state: State,
    person: Person,
    *,
    error: dict[str, str] | None = None,
    feed_url: str | None = None,
    saved: bool = False,
) -> Response:
    with state.journal(person) as journal:
        routine = reminders.routine(journal)
        status = reminders.feed_status(journal)
        times = {k: time_of(routine, k, journal.profile).strftime("%H:%M") for k in KEYS}
        zone = journal.zone
    rows = [
        {
            "key": key,
            "label": LABELS[key][0],
            "when": LABELS[key][1],
            "repeat": REPEATS[key],
            "reminder": routine.reminder(key),
            "time": times[key],
            "default_title": DEFAULT_TITLES[key],
            "sources": [s for s in SOURCES[key] if s in load_knowledge().sources],
        }
        for key in KEYS
    ]
    return render(
        request,
        "routine.html",
        {
            "title": "Routine and reminders",
            "rows": rows,
            "weekdays": WEEKDAYS,
            "profile_keys": PROFILE_TIMED,
            "feed": status.feed,
            "accesses": status.accesses,
            "feed_url": feed_url,
            "zone": zone,
            "error": error,
            "saved": saved,
            "sources": load_knowledge().sources,
        },
        person=person,
        status=422 if error else 200,
    )


@router.post("/settings/routine")
def save_routine(
    request: Request, state: State, person: CurrentPerson, form: CheckedForm
) -> Response:
    try:
        given = {key: _reminder_fields(form, key) for key in KEYS}
        with state.journal(person) as journal:
            reminders.replace_routine(journal, given)
    except SpeciosaError as exc:
        return _routine(request, state, person, error=problem(exc))
    return RedirectResponse("/settings/routine?saved=1", status_code=303)


def _reminder_fields(form: FormData, key: str) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "on": f"{key}_on" in form,
        "at": _text(form, f"{key}_at"),
        "title": _text(form, f"{key}_title"),
    }
    if key == "peg" and _text(form, "peg_weekday") is not None:
        fields["weekday"] = _text(form, "peg_weekday")
    if key == "sds" and _text(form, "sds_day") is not None:
        fields["day"] = _text(form, "sds_day")
    return fields


def _text(form: FormData, name: str) -> str | None:
    value = form.get(name)
    return value.strip() or None if isinstance(value, str) else None


@router.post("/settings/routine/feed")
def create_feed(
    request: Request, state: State, person: CurrentPerson, form: CheckedForm
) -> Response:
    with state.journal(person) as journal:
        token = reminders.create_feed(journal)
    url = str(request.url_for("calendar_feed", token=token))
    return _routine(request, state, person, feed_url=url)


@router.post("/settings/routine/feed/revoke")
def revoke_feed(state: State, person: CurrentPerson, form: CheckedForm) -> Response:
    with state.journal(person) as journal:
        reminders.revoke_feed(journal)
    return RedirectResponse("/settings/routine", status_code=303)


@router.post("/reminders/dismiss")
def dismiss(state: State, person: CurrentPerson, form: CheckedForm) -> Response:
    """Hide one due item on Today (this occurrence; the next one comes back)."""
    with state.journal(person) as journal:
        reminders.dismiss(journal, _text(form, "item") or "")
    return RedirectResponse("/", status_code=303)


@feed_router.get("/calendar/{token}.ics", name="calendar_feed")
def calendar_feed(request: Request, state: State, token: str) -> Response:
    body = reminders.open_feed(state.speciosa, token, user_agent=request.headers.get("user-agent"))
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'inline; filename="speciosa.ics"'},
    )
