"""Charts drawn for the browser: an accessible SVG (with a text summary) and the table of
values under each chart. The data is :mod:`speciosa.insights.charts`'s.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from html import escape
from typing import Any

from speciosa.insights.charts import Chart, Series

__all__ = ["Chart", "chart_svg", "table_rows"]


# Drawn for a phone: 480 units across a ~366 px screen keep 15-unit labels at ~11 px
# (the page caps the chart's width on larger screens). The right margin leaves room
# for the last day's label, which ends at the last day rather than centring on it.
WIDTH, HEIGHT = 480, 210
LEFT, RIGHT, TOP, BOTTOM = 40, 16, 12, 30


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
        last = len(chart.days) - 1
        for i in sorted({0, last // 2, last}):
            anchor = "start" if i == 0 else "end" if i == last else "middle"
            place = LEFT if i == 0 else WIDTH - RIGHT if i == last else x(i)
            parts.append(
                f'<text class="tick" x="{place:.1f}" y="{HEIGHT - 8}" text-anchor="{anchor}">'
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
    values = series.values
    return [
        f'<circle class="pt{" solo" if _alone(values, i) else ""}" cx="{x(i):.1f}" '
        f'cy="{y(v):.1f}" r="3" data-label="{escape(_point_label(chart, series, i, v))}"></circle>'
        for i, v in enumerate(values)
        if v is not None
    ]


def _alone(values: Sequence[float | None], i: int) -> bool:
    """A value with no neighbour draws no line: its point must show on its own."""
    before = i > 0 and values[i - 1] is not None
    after = i + 1 < len(values) and values[i + 1] is not None
    return not (before or after)


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


def table_rows(chart: Chart, *, limit: int = 60) -> Sequence[tuple[date, list[float | None]]]:
    """The newest ``limit`` days as rows, for the table under each chart."""
    rows = [(day, [s.values[i] for s in chart.series]) for i, day in enumerate(chart.days)]
    return rows[-limit:][::-1]
