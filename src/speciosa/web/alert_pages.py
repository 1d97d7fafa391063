"""Marking an alert as seen on Today, and showing it again (the undo)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import RedirectResponse, Response

from speciosa.app import seen_alerts
from speciosa.web.context import CurrentPerson, State
from speciosa.web.rendering import CheckedForm

router = APIRouter(include_in_schema=False)


@router.post("/alerts/seen")
def mark_seen(state: State, person: CurrentPerson, form: CheckedForm) -> Response:
    with state.journal(person) as journal:
        seen_alerts.mark_seen(journal, str(form.get("key", "")))
    return RedirectResponse("/?seen=1#today-alerts", status_code=303)


@router.post("/alerts/unseen")
def show_again(state: State, person: CurrentPerson, form: CheckedForm) -> Response:
    with state.journal(person) as journal:
        seen_alerts.unmark_seen(journal, str(form.get("key", "")))
    return RedirectResponse("/#today-alerts", status_code=303)
