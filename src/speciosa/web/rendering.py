"""Rendering pages, forms' errors and downloads, and checking forms: every form carries a
CSRF token, and every POST handler takes ``CheckedForm``, which refuses a form without a
valid one."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from speciosa.app import Journal
from speciosa.errors import SpeciosaError, detail_of
from speciosa.report import period, render_report
from speciosa.web import security
from speciosa.web.context import CSRF_FIELD, Person, browser_id, csrf_for, state_of
from speciosa.web.errors import Refused

MAX_UPLOAD_BYTES = 64 * 1024 * 1024  # a 10-year journal export is a few tens of MB

NAV: tuple[tuple[str, str], ...] = (
    ("/", "Today"),
    ("/history", "History"),
    ("/insights", "Insights"),
    ("/plans", "Plans"),
    ("/safety", "Safety"),
    ("/evidence", "Evidence"),
    ("/products", "Products"),
    ("/sharing", "Sharing"),
    ("/settings", "Settings"),
)


def render(
    request: Request,
    template: str,
    context: dict[str, Any],
    *,
    person: Person | None = None,
    status: int = 200,
) -> Response:
    state = state_of(request)
    base = {
        "csrf": csrf_for(request),
        "csrf_field": CSRF_FIELD,
        "multi_user": state.settings.multi_user,
        "person": person,
        "nav": NAV,
        "path": request.url.path,
    }
    return state.templates.TemplateResponse(request, template, base | context, status_code=status)


async def checked_form(request: Request) -> FormData:
    """The posted form, once its CSRF token is shown to belong to this browser."""
    form = await request.form(max_part_size=MAX_UPLOAD_BYTES)
    state = state_of(request)
    given = form.get(CSRF_FIELD)
    if not security.csrf_valid(
        state.settings.signing_key(),
        browser_id(request),
        request.cookies.get(state.session_cookie),
        given if isinstance(given, str) else None,
    ):
        raise Refused(
            403,
            "this form has expired or came from another site; reload the page and try again",
            field=CSRF_FIELD,
        )
    return form


CheckedForm = Annotated[FormData, Depends(checked_form)]


def problem(exc: SpeciosaError | Refused) -> dict[str, str]:
    """An error as ``{"field", "message", "full"}`` for the inline message of a form.

    ``field`` is the form's own field ("limits" for "limits.grams_per_day").
    """
    detail = exc.detail if isinstance(exc, Refused) else detail_of(exc)
    return {
        "field": (detail.field or "").split(".")[0],
        "message": detail.message,
        "full": detail.full,
    }


def pdf_download(journal: Journal, *, first: date | None, last: date | None) -> Response:
    """The clinician report for [first, last] (default: the last 90 days) as a download."""
    start, end = period(journal, first, last)
    name = f"speciosa-report-{start.isoformat()}-to-{end.isoformat()}.pdf"
    return Response(
        render_report(journal, first=start, last=end),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
