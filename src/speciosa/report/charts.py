"""The report's figures, drawn with matplotlib (no pyplot, no display) as pixels.

Speed (issue 16; profile in bench/RESULTS.md): a day's bar is one rectangle of one
collection, not one Patch artist per day (a year of days as Patches took most of the
report's time to lay out and draw); and a figure goes to the PDF as the Agg canvas's
pixels (:func:`pixels`), not through a PNG file that reportlab would decode again.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PolyCollection
from matplotlib.dates import AutoDateLocator, DateFormatter, date2num
from matplotlib.figure import Figure
from PIL import Image as PILImage

from speciosa.journal.models import Limits
from speciosa.report.summary import Series, UseSummary

DPI = 150
ROLLING_DAYS = 7
GREY = "0.55"
BLUE = "#1f5f8b"
RED = "#b03a2e"


def png(figure: Figure) -> bytes:
    """The figure as PNG bytes (Agg canvas; nothing global touched)."""
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def pixels(figure: Figure) -> PILImage.Image:
    """The figure drawn at :data:`DPI` as an RGB image: the pixels of :func:`png`, without
    encoding them (the figure is opaque, so dropping alpha loses nothing)."""
    canvas = FigureCanvasAgg(figure)
    figure.set_dpi(DPI)
    canvas.draw()
    return PILImage.fromarray(np.asarray(canvas.buffer_rgba())[..., :3])


def _days(start: date, end: date) -> pd.DatetimeIndex:
    return pd.date_range(pd.Timestamp(start), pd.Timestamp(end), freq="D")


def usage_figure(use: UseSummary, limits: Limits, start: date, end: date) -> Figure:
    """Grams per day and doses per day (bars), 7-day means, and the person's own limits."""
    index = _days(start, end)
    logged = np.array([d.date() in use.logged for d in index])
    grams = np.array([use.grams_by_day.get(d.date(), 0.0) for d in index], dtype=float)
    doses = np.array([use.doses_by_day.get(d.date(), 0) for d in index], dtype=float)
    grams[~logged] = np.nan
    doses[~logged] = np.nan
    figure = Figure(figsize=(7.2, 3.3), layout="constrained")
    top, bottom = figure.subplots(2, 1, sharex=True)
    for axes, values, label, limit in (
        (top, grams, "grams per day", limits.grams_per_day),
        (bottom, doses, "doses per day", limits.doses_per_day),
    ):
        rolling = pd.Series(values, index=index).rolling(ROLLING_DAYS, min_periods=4).mean()
        axes.plot(index, rolling, color=BLUE, linewidth=1.6, label=f"{ROLLING_DAYS}-day mean")
        if limit is not None:
            axes.axhline(limit, color=RED, linestyle="--", linewidth=1, label="own limit")
        _bars(axes, index, np.nan_to_num(values), width=0.85, color="#9ec5e0", label="per day")
        axes.set_ylabel(label, fontsize=8)
        axes.tick_params(labelsize=7)
        axes.grid(axis="y", color="0.9")
        axes.set_axisbelow(True)
    top.legend(loc="upper left", fontsize=7, ncols=3, frameon=False)
    if not logged.all():
        bottom.set_xlabel("days with no entry at all are left blank", fontsize=7, color=GREY)
    figure.autofmt_xdate(rotation=0, ha="center")
    return figure


def _bars(
    axes: Axes,
    index: pd.DatetimeIndex,
    heights: np.ndarray,
    *,
    width: float,
    color: str,
    label: str,
) -> None:
    """Bars centred on each day, as ``axes.bar`` draws them, in one PolyCollection."""
    centre = date2num(index.to_pydatetime())
    left, right = centre - width / 2, centre + width / 2
    base = np.zeros_like(heights)
    corners = np.stack(
        [
            np.column_stack([left, base]),
            np.column_stack([left, heights]),
            np.column_stack([right, heights]),
            np.column_stack([right, base]),
        ],
        axis=1,
    )
    bars = PolyCollection(list(corners), facecolors=color, edgecolors="none", label=label)
    bars.sticky_edges.y.append(0)  # like bar(): the axis starts at 0, no margin below
    axes.add_collection(bars, autolim=True)
    axes.autoscale_view()


def outcomes_figure(
    series: Sequence[Series],
    bristol: dict[int, int],
    headache_days: set[date],
    logged: frozenset[date],
    start: date,
    end: date,
) -> Figure | None:
    """One small panel per outcome with data; None when there is nothing to draw."""
    panels: list[str] = [s.key for s in series]
    if not panels:
        return None
    by_key = {s.key: s for s in series}
    columns = 2
    rows = (len(panels) + columns - 1) // columns
    figure = Figure(figsize=(7.2, 1.9 * rows + 0.2), layout="constrained")
    grid = figure.subplots(rows, columns, squeeze=False)
    index = _days(start, end)
    for n, key in enumerate(panels):
        axes = grid[n // columns][n % columns]
        if key == "bristol":
            _bristol_panel(axes, bristol)
        elif key == "headache":
            _headache_panel(axes, headache_days, logged, start, end)
        else:
            _daily_panel(axes, by_key[key], index)
        axes.tick_params(labelsize=7)
    for n in range(len(panels), rows * columns):
        grid[n // columns][n % columns].set_axis_off()
    return figure


def _daily_panel(axes: Axes, series: Series, index: pd.DatetimeIndex) -> None:
    values = pd.Series(
        [series.values.get(d.date(), np.nan) for d in index], index=index, dtype=float
    )
    axes.plot(index, values, "o", markersize=2, color=GREY, label="daily")
    rolling = values.rolling(ROLLING_DAYS, min_periods=3).mean()
    axes.plot(index, rolling, color=BLUE, linewidth=1.6, label=f"{ROLLING_DAYS}-day mean")
    direction = "lower is better" if series.lower_is_better else "higher is better"
    axes.set_title(f"{series.title} ({direction})", fontsize=8)
    axes.set_ylabel(series.unit, fontsize=7)
    axes.grid(axis="y", color="0.9")
    axes.xaxis.set_major_locator(_month_locator())
    axes.xaxis.set_major_formatter(_month_formatter())


def _headache_panel(
    axes: Axes, days: set[date], logged: frozenset[date], start: date, end: date
) -> None:
    weeks: list[date] = []
    counts = []
    week = start
    while week <= end:
        span = [week + timedelta(days=i) for i in range(7) if week + timedelta(days=i) <= end]
        weeks.append(week)
        counts.append(sum(1 for d in span if d in days))
        week += timedelta(days=7)
    axes.bar(pd.to_datetime(weeks), counts, width=5.5, color="#c7a1d6", align="edge")
    axes.set_title(f"Headache days per week ({len(days)} in the period)", fontsize=8)
    axes.set_ylabel("days", fontsize=7)
    axes.set_ylim(0, 7)
    axes.xaxis.set_major_locator(_month_locator())
    axes.xaxis.set_major_formatter(_month_formatter())


def _bristol_panel(axes: Axes, counts: dict[int, int]) -> None:
    types = list(range(1, 8))
    colours = [RED if t <= 2 else ("#d4a017" if t >= 6 else "#7aa974") for t in types]
    axes.bar(types, [counts.get(t, 0) for t in types], color=colours)
    total = sum(counts.values())
    hard = counts.get(1, 0) + counts.get(2, 0)
    share = f", {hard / total:.0%} hard (types 1-2)" if total else ""
    axes.set_title(f"Bristol stool types ({total} movements{share})", fontsize=8)
    axes.set_xticks(types)
    axes.set_ylabel("count", fontsize=7)


class _OncePerViewLocator(AutoDateLocator):
    """An AutoDateLocator that works its ticks out once per view of the axis.

    The constrained layout asks every axis for its ticks on each pass, hundreds of times a
    report, and each answer was an rrule over the period: a sixth of drawing the outcomes
    (issue 16). The ticks depend only on the view, so the same view gets the same ticks.
    """

    _view: tuple[float, float] | None = None
    _ticks: Any = None

    def __call__(self) -> Any:
        if self.axis is None:
            return super().__call__()
        low, high = self.axis.get_view_interval()
        view = (float(low), float(high))
        if view != self._view:
            self._view, self._ticks = view, super().__call__()
        return self._ticks


def _month_locator() -> AutoDateLocator:
    return _OncePerViewLocator(minticks=2, maxticks=5)


def _month_formatter() -> DateFormatter:
    return DateFormatter("%d %b")
