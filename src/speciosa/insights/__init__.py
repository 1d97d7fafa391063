"""The daily frame and the n-of-1 analyses: "is this helping me?", answered honestly.

    frame = daily_frame(entries, profile)      # one row per journal day, gaps kept
    report = analyse(frame, profile)           # InsightReport of Effect results
    report.to_dict()                           # JSON-ready

Pure functions: no I/O, no clock reads, no printing. Plots live in ``insights.plots``.

The names below are loaded on first use (PEP 562), so ``import speciosa.insights.outcomes``
(which the plans and the CLI need at start-up) does not import pandas or statsmodels.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from speciosa.lazy import lazy_attributes

if TYPE_CHECKING:
    from speciosa.insights.analyses import analyse
    from speciosa.insights.frame import COLUMNS, daily_frame
    from speciosa.insights.results import Effect, InsightReport

__all__ = ["COLUMNS", "Effect", "InsightReport", "analyse", "daily_frame"]

_LAZY: dict[str, str] = {
    "analyse": "speciosa.insights.analyses",
    "COLUMNS": "speciosa.insights.frame",
    "daily_frame": "speciosa.insights.frame",
    "Effect": "speciosa.insights.results",
    "InsightReport": "speciosa.insights.results",
}


__getattr__ = lazy_attributes(__name__, _LAZY)


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
