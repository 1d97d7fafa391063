"""The report's edge: a journal's report inputs (from :mod:`speciosa.app.report`) drawn as
PDF bytes, or written to a file whole. The CLI (``speciosa report``) and the web app's
download call these inside their unit of work.

The drawing modules (matplotlib, reportlab) load on the first report, not when a front end
imports this, and the whole report runs with the cycle collector paused: its imports, the
period's entries and the layout build hundreds of thousands of objects that all outlive
their step, and the collections over them were a sixth of ``speciosa report`` (issue 16).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from speciosa.gc_pause import collector_paused

if TYPE_CHECKING:
    from speciosa.app import Journal

__all__ = ["render_report", "write_report"]


def render_report(
    journal: Journal, *, first: date | None = None, last: date | None = None
) -> bytes:
    """The report for ``journal`` over [first, last] (default: the last 90 days) as PDF bytes."""
    with collector_paused():
        from speciosa.app.report import report_inputs
        from speciosa.report.document import build_report

        return build_report(**report_inputs(journal, first=first, last=last).as_kwargs())


def write_report(
    journal: Journal, path: Path, *, first: date | None = None, last: date | None = None
) -> Path:
    """Write the report to ``path`` (never half-written); returns ``path``."""
    from speciosa.report.document import write_pdf

    return write_pdf(render_report(journal, first=first, last=last), path)
