"""The clinician report: two to four A4 pages a clinician can read in two minutes.

    pdf = build_report(profile=..., products=..., entries=..., alerts=..., insights=...,
                       period_start=date(2026, 1, 1), period_end=date(2026, 3, 31), now=now)
    write_report(store, Path("report.pdf"), now=now)          # the CLI's and web's edge

``build_report`` is pure (data in, PDF bytes out); ``collect`` reads a journal and runs the
safety checks and insights; ``python -m speciosa.report.sample docs/`` writes the sample.
"""

from speciosa.report.collect import (
    DEFAULT_DAYS,
    ReportInputs,
    collect,
    default_period,
    render_report,
    write_report,
)
from speciosa.report.document import SECTIONS, TITLE, build_report

__all__ = [
    "DEFAULT_DAYS",
    "SECTIONS",
    "TITLE",
    "ReportInputs",
    "build_report",
    "collect",
    "default_period",
    "render_report",
    "write_report",
]
