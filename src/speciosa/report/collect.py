"""The report's edge: a journal's report inputs (from :mod:`speciosa.app.report`) drawn as
PDF bytes, or written to a file whole. The CLI (``speciosa report``) and the web app's
download call these inside their unit of work.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from speciosa.app import Journal
from speciosa.app.report import DEFAULT_DAYS, ReportInputs, period, report_inputs
from speciosa.report.document import build_report, write_pdf

__all__ = ["DEFAULT_DAYS", "ReportInputs", "period", "render_report", "write_report"]


def render_report(
    journal: Journal, *, first: date | None = None, last: date | None = None
) -> bytes:
    """The report for ``journal`` over [first, last] (default: the last 90 days) as PDF bytes."""
    return build_report(**report_inputs(journal, first=first, last=last).as_kwargs())


def write_report(
    journal: Journal, path: Path, *, first: date | None = None, last: date | None = None
) -> Path:
    """Write the report to ``path`` (never half-written); returns ``path``."""
    return write_pdf(render_report(journal, first=first, last=last), path)
