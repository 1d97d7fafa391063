"""Charts of the journal: pure data, drawn as SVG for the browser or as a matplotlib
figure for the PDF report, from the same :class:`Chart` so the two never disagree.

    frame = daily_frame(entries, profile)
    charts = journal_charts(frame, profile, last_days=90)
    svg = chart_svg(charts[0])            # interactive in the page (static/app.js)
    figure = chart_figure(charts[0])      # static image (PNG/SVG/PDF)

Missing days stay missing (a gap in the line), never zero.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import Any, Literal

import numpy as np
import pandas as pd

from speciosa.journal.models import Profile

ROLLING_DAYS = 7


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    style: Literal["bar", "line"]
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    unit: str
    days: tuple[date, ...]
    series: tuple[Series, ...]
    limit: float | None = None
    limit_label: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "unit": self.unit,
            "days": [d.isoformat() for d in self.days],
            "series": [
                {"key": s.key, "label": s.label, "style": s.style, "values": list(s.values)}
                for s in self.series
            ],
            "limit": self.limit,
            "limit_label": self.limit_label,
        }


# (chart id, title, unit, [(frame column, label)]) for the outcome charts.
_OUTCOME_CHARTS: tuple[tuple[str, str, str, tuple[tuple[str, str], ...]], ...] = (
    (
        "symptoms",
        "Pain, fatigue and soreness",
        "0-10",
        (("pain", "pain"), ("fatigue", "fatigue"), ("soreness", "soreness")),
    ),
    ("sleep", "Sleep", "minutes", (("sol", "minutes to fall asleep"), ("waso", "minutes awake"))),
    ("sleep_hours", "Total sleep", "hours", (("tst", "hours asleep"),)),
)


def journal_charts(frame: pd.DataFrame, profile: Profile, *, last_days: int | None) -> list[Chart]:
    """The charts for the last ``last_days`` rows of a daily frame (all rows when None)."""
    if frame.empty:
        return []
    rows = frame if last_days is None else frame.iloc[-last_days:]
    days = tuple(pd.Timestamp(d).date() for d in rows.index)
    charts = [_use_chart(rows, days, profile)]
    for chart_id, title, unit, columns in _OUTCOME_CHARTS:
        series = [
            Series(column, label, "line", _values(rows[column], scale=_scale(column)))
            for column, label in columns
            if column in rows and rows[column].notna().any()
        ]
        if series:
            charts.append(Chart(chart_id, title, unit, days, tuple(series)))
    return charts


def _use_chart(rows: pd.DataFrame, days: tuple[date, ...], profile: Profile) -> Chart:
    grams = rows["grams"] if "grams" in rows else pd.Series(dtype=float)
    mean = grams.rolling(ROLLING_DAYS, min_periods=4).mean()
    limit = profile.limits.grams_per_day
    return Chart(
        "use",
        "Kratom per day",
        "g",
        days,
        (
            Series("grams", "grams", "bar", _values(grams)),
            Series("grams_7d_mean", f"{ROLLING_DAYS}-day mean", "line", _values(mean)),
        ),
        limit=limit,
        limit_label="" if limit is None else f"your limit {limit:g} g",
    )


def _scale(column: str) -> float:
    return 1 / 60 if column == "tst" else 1.0


def _values(column: pd.Series, *, scale: float = 1.0) -> tuple[float | None, ...]:
    return tuple(
        None
        if v is None or (isinstance(v, float) and math.isnan(v))
        else round(float(v) * scale, 2)
        for v in column.tolist()
    )


# --------------------------------------------------------------------------- drawing

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 10, 12, 28


def chart_svg(chart: Chart) -> str:
    """The chart as an accessible inline SVG; ``static/app.js`` adds tooltips and toggles."""
    top = _top(chart)
    n = max(1, len(chart.days))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / n

    def x(i: int) -> float:
        return LEFT + step * (i + 0.5)

    def y(v: float) -> float:
        return TOP + plot_h * (1 - v / top)

    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart.id}-title" data-chart="{chart.id}" focusable="false">',
        f'<title id="{chart.id}-title">{escape(_summary(chart))}</title>',
    ]
    parts += _axes(chart, top, x, y, plot_w)
    for index, series in enumerate(chart.series):
        parts.append(f'<g class="series s{index}" data-series="{escape(series.key)}">')
        parts += _bars(series, x, y, step) if series.style == "bar" else _line(series, x, y)
        parts += _points(chart, series, x, y)
        parts.append("</g>")
    if chart.limit is not None:
        parts.append(
            f'<line class="limit" x1="{LEFT}" x2="{WIDTH - RIGHT}" '
            f'y1="{y(chart.limit):.1f}" y2="{y(chart.limit):.1f}"/>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _top(chart: Chart) -> float:
    values = [v for s in chart.series for v in s.values if v is not None]
    top = max([*values, chart.limit or 0, 1.0])
    if chart.unit == "0-10":
        return 10.0
    magnitude = 10 ** math.floor(math.log10(top))
    return math.ceil(top / magnitude * 2) / 2 * magnitude


def _axes(chart: Chart, top: float, x: Any, y: Any, plot_w: float) -> list[str]:
    parts = []
    for tick in (0, top / 2, top):
        parts.append(
            f'<line class="grid" x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y(tick):.1f}" '
            f'y2="{y(tick):.1f}"/><text class="tick" x="{LEFT - 6}" y="{y(tick) + 4:.1f}" '
            f'text-anchor="end">{tick:g}</text>'
        )
    if chart.days:
        for i in sorted({0, len(chart.days) // 2, len(chart.days) - 1}):
            parts.append(
                f'<text class="tick" x="{x(i):.1f}" y="{HEIGHT - 8}" text-anchor="middle">'
                f"{chart.days[i].strftime('%d %b')}</text>"
            )
    return parts


def _bars(series: Series, x: Any, y: Any, step: float) -> list[str]:
    width = max(1.0, step * 0.7)
    return [
        f'<rect x="{x(i) - width / 2:.1f}" y="{y(v):.1f}" width="{width:.1f}" '
        f'height="{max(0.0, y(0) - y(v)):.1f}"/>'
        for i, v in enumerate(series.values)
        if v is not None
    ]


def _line(series: Series, x: Any, y: Any) -> list[str]:
    path, pen_down = [], False
    for i, v in enumerate(series.values):
        if v is None:
            pen_down = False  # a missing day breaks the line rather than joining across it
            continue
        path.append(f"{'L' if pen_down else 'M'}{x(i):.1f},{y(v):.1f}")
        pen_down = True
    return [f'<path d="{" ".join(path)}"/>'] if path else []


def _points(chart: Chart, series: Series, x: Any, y: Any) -> list[str]:
    if len(chart.days) > 120 and series.style == "bar":
        return []
    return [
        f'<circle class="pt" cx="{x(i):.1f}" cy="{y(v):.1f}" r="2.5" '
        f'data-label="{escape(_point_label(chart, series, i, v))}"></circle>'
        for i, v in enumerate(series.values)
        if v is not None
    ]


def _point_label(chart: Chart, series: Series, i: int, v: float) -> str:
    return f"{chart.days[i].strftime('%a %d %b %Y')}: {series.label} {v:g} {chart.unit}"


def _summary(chart: Chart) -> str:
    if not chart.days:
        return chart.title
    pieces = []
    for series in chart.series:
        known = [v for v in series.values if v is not None]
        if known:
            mean = sum(known) / len(known)
            pieces.append(f"{series.label}: mean {mean:.1f} over {len(known)} days")
    span = f"{chart.days[0]:%d %b %Y} to {chart.days[-1]:%d %b %Y}"
    return f"{chart.title}, {span}. " + "; ".join(pieces)


def chart_figure(chart: Chart) -> Any:
    """The same chart as a matplotlib Figure (no pyplot state), for static images."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8, 2.8), layout="constrained")
    axes = figure.add_subplot()
    days = np.array(chart.days, dtype="datetime64[D]")
    for index, series in enumerate(chart.series):
        values = [math.nan if v is None else v for v in series.values]
        if series.style == "bar":
            axes.bar(days, values, color=f"C{index}", label=series.label, width=0.8)
        else:
            axes.plot(days, values, color=f"C{index}", label=series.label, linewidth=1.4)
    if chart.limit is not None:
        axes.axhline(chart.limit, color="C3", linestyle="--", label=chart.limit_label)
    axes.set_title(chart.title)
    axes.set_ylabel(chart.unit)
    axes.legend(loc="upper left", fontsize="small", frameon=False, ncols=3)
    return figure


def table_rows(chart: Chart, *, limit: int = 60) -> Sequence[tuple[date, list[float | None]]]:
    """The newest ``limit`` days as rows, for the table under each chart."""
    rows = [(day, [s.values[i] for s in chart.series]) for i, day in enumerate(chart.days)]
    return rows[-limit:][::-1]
