"""The daily frame and the n-of-1 analyses: "is this helping me?", answered honestly.

    frame = daily_frame(entries, profile)      # one row per journal day, gaps kept
    report = analyse(frame, profile)           # InsightReport of Effect results
    report.to_dict()                           # JSON-ready

Pure functions: no I/O, no clock reads, no printing. Plots live in ``insights.plots``.
"""

from speciosa.insights.analyses import analyse
from speciosa.insights.frame import COLUMNS, daily_frame
from speciosa.insights.results import Effect, InsightReport

__all__ = ["COLUMNS", "Effect", "InsightReport", "analyse", "daily_frame"]
