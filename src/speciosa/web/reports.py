"""The clinician report as a download, for the Sharing page's button and the API.

    response = pdf_response(journal, first="2026-01-01", last="2026-03-31")

Dates are journal days (YYYY-MM-DD); empty means the report's default, the last 90 days.
The PDF is :func:`speciosa.report.render_report`'s, made inside the request's transaction.
"""

from __future__ import annotations

from datetime import date

from fastapi.responses import Response

from speciosa.errors import InvalidInput
from speciosa.report import default_period, render_report
from speciosa.web.context import Journal


def parse_day(text: str | None, field: str) -> date | None:
    """A form or query date; empty means the default."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise InvalidInput(field, text, "must be a date (YYYY-MM-DD)") from exc


def period(journal: Journal, first: str | None, last: str | None) -> tuple[date, date]:
    """The report's [first, last] days, checked before any PDF is drawn."""
    start, end = parse_day(first, "from"), parse_day(last, "to")
    today = default_period(journal.profile, journal.now)[1]
    if start is not None and start > (end or today):
        raise InvalidInput(
            "from", start.isoformat(), f"must not be after the last day ({end or today})"
        )
    return default_period(journal.profile, journal.now, start, end)


def pdf_response(journal: Journal, *, first: str | None, last: str | None) -> Response:
    start, end = period(journal, first, last)
    data = render_report(journal.store, now=journal.now, period_start=start, period_end=end)
    name = f"speciosa-report-{start.isoformat()}-to-{end.isoformat()}.pdf"
    return Response(
        data,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
