"""The clinician report: two to four A4 pages a clinician can read in two minutes.

    pdf = build_report(profile=..., products=..., entries=..., alerts=..., insights=...,
                       period_start=date(2026, 1, 1), period_end=date(2026, 3, 31), now=now)
    with speciosa.journal() as journal:                       # the CLI's and web's edge
        write_report(journal, Path("report.pdf"), first=date(2026, 1, 1))

``build_report`` is pure (data in, PDF bytes out); its inputs come from
:func:`speciosa.app.report.report_inputs` (the period's entries, the safety rules as of
its end, the insights with wearable nights, the plans). The sample in docs/ comes from a
simulated journal (``make sample-report``, which runs ``simulate/sample_report.py``).
The drawing modules load on first use (PEP 562), inside the report's own work.
"""

from typing import TYPE_CHECKING

from speciosa.lazy import lazy_attributes
from speciosa.report.collect import render_report, write_report

if TYPE_CHECKING:
    from speciosa.app.report import DEFAULT_DAYS, ReportInputs, period
    from speciosa.report.document import SECTIONS, TITLE, build_report

__all__ = [
    "DEFAULT_DAYS",
    "SECTIONS",
    "TITLE",
    "ReportInputs",
    "build_report",
    "period",
    "render_report",
    "write_report",
]

__getattr__ = lazy_attributes(
    __name__,
    dict.fromkeys(("SECTIONS", "TITLE", "build_report"), "speciosa.report.document")
    | dict.fromkeys(("DEFAULT_DAYS", "ReportInputs", "period"), "speciosa.app.report"),
)
