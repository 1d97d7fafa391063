"""Figures for the insights: outcome over time and effect estimates.

Each function returns a :class:`matplotlib.figure.Figure` (built without pyplot, so no
global state and no display); :func:`save` writes it as PNG and SVG (``speciosa insights
--plots``). The PDF report draws its own figures (``report.charts``). Nothing here computes
statistics.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from speciosa.insights.outcomes import outcome_for
from speciosa.insights.results import Effect, InsightReport, level_percent

FORMATS: tuple[str, ...] = ("png", "svg")
ROLLING_DAYS = 7


def outcome_over_time(frame: pd.DataFrame, outcome: str) -> Figure:
    """The outcome day by day (gaps left empty), a 7-day mean, and dose days marked."""
    meta = outcome_for(outcome)
    exposure = "bedtime_dose" if meta.night else "dose_any"
    values = frame[outcome] * meta.scale
    figure = Figure(figsize=(9, 3.2), layout="constrained")
    axes = figure.add_subplot()
    axes.plot(frame.index, values, color="0.6", linewidth=0.8, label=f"{meta.label} (daily)")
    rolling = values.rolling(ROLLING_DAYS, min_periods=4).mean()
    axes.plot(frame.index, rolling, color="C0", linewidth=1.8, label=f"{ROLLING_DAYS}-day mean")
    dosed = frame[exposure] == 1
    axes.scatter(
        frame.index[dosed],
        values[dosed],
        s=9,
        color="C3",
        zorder=3,
        label="bedtime-dose nights" if meta.night else "dose days",
    )
    axes.set_ylabel(f"{meta.label} ({meta.unit})")
    axes.set_title(f"{meta.label.capitalize()} over time")
    axes.legend(loc="upper left", fontsize="small", ncols=3, frameon=False)
    return figure


def effect_estimates(effects: Sequence[Effect]) -> Figure:
    """Each answered effect as a point with its interval, one panel per outcome and unit."""
    answered = [e for e in effects if e.enough_data and e.estimate is not None]
    groups: dict[tuple[str, str], list[Effect]] = {}
    for effect in answered:
        groups.setdefault((effect.label or effect.outcome, effect.unit), []).append(effect)
    rows = max(1, len(groups))
    heights = [max(1, len(g)) for g in groups.values()] or [1]
    figure = Figure(figsize=(8, 0.55 * sum(heights) + 0.9 * rows), layout="constrained")
    if not groups:
        axes = figure.add_subplot()
        axes.text(0.5, 0.5, "not enough data yet for any estimate", ha="center", va="center")
        axes.set_axis_off()
        return figure
    grid = figure.add_gridspec(rows, 1, height_ratios=heights)
    for row, ((label, unit), group) in enumerate(groups.items()):
        axes = figure.add_subplot(grid[row])
        y = np.arange(len(group))[::-1]
        estimates = np.array([e.estimate for e in group], dtype=float)
        lows = np.array([e.ci_low for e in group], dtype=float)
        highs = np.array([e.ci_high for e in group], dtype=float)
        colours = ["C3" if e.claimed else "0.4" for e in group]
        axes.hlines(y, lows, highs, colors=colours, linewidth=2)
        axes.scatter(estimates, y, color=colours, zorder=3)
        axes.axvline(0, color="0.2", linewidth=0.8)
        axes.set_yticks(y, [_effect_name(e) for e in group], fontsize="small")
        axes.set_xlabel(f"{label}: {unit}", fontsize="small")
    figure.suptitle(
        f"Estimates with {level_percent()} intervals (red: interval excludes no difference)",
        fontsize="medium",
    )
    return figure


def _effect_name(effect: Effect) -> str:
    names = {
        "dose_vs_none": "with vs without a dose",
        "dose_band": effect.exposure.split(": ")[-1],
        "dose_response": "per gram",
        "timing": "per 30 min earlier",
        "product": effect.exposure,
        "tolerance": "change in the gap per month",
        "side_effect": "per 10 g/week",
    }
    return names.get(effect.question, effect.question)


def save(figure: Figure, directory: Path, name: str) -> list[Path]:
    """Write ``figure`` as ``name``.png and ``name``.svg in ``directory``; return the paths."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for extension in FORMATS:
        path = directory / f"{name}.{extension}"
        figure.savefig(path, dpi=120, metadata={"Date": None} if extension == "svg" else None)
        paths.append(path)
    return paths


def write_all(frame: pd.DataFrame, report: InsightReport, directory: Path) -> list[Path]:
    """Outcome-over-time plots for the report's outcomes with data, and the estimates plot."""
    paths: list[Path] = []
    for outcome in report.outcomes:
        if frame[outcome].notna().any():
            paths += save(outcome_over_time(frame, outcome), directory, f"over-time-{outcome}")
    paths += save(effect_estimates(report.effects), directory, "estimates")
    return paths
