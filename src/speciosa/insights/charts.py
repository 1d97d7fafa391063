"""The journal's charts as data: kratom per day (with the person's own limit) and the
outcomes, one point per journal day from the daily frame. Missing days stay missing (a gap
in the line), never zero. The web app draws them as SVG (``speciosa.web.charts``).

    charts = journal_charts(daily_frame(entries, profile), profile, last_days=90)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

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
