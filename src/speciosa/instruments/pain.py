"""Change in pain against a baseline, read with Farrar 2001's clinically important difference.

On a 0–10 numeric rating scale, a reduction of about 2 points or about 30% matched patients'
own sense of being "much improved" (Farrar et al. 2001). Percent change is more consistent
across baselines, but it is undefined when the baseline is 0, so it is then ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass

from speciosa.instruments.errors import InstrumentInputError
from speciosa.knowledge.thresholds import PAIN_MCID_PERCENT, PAIN_MCID_POINTS

SOURCE_IDS: tuple[str, ...] = ("farrar-2001",)
ZERO_BASELINE_NOTE = "Percent change is undefined because the baseline was 0 (no pain)."


@dataclass(frozen=True, slots=True)
class PainChange:
    """Pain now against a baseline. Negative changes are improvements (less pain)."""

    baseline: float
    current: float
    change_points: float
    change_percent: float | None
    important_by_points: bool  # reduction of at least 2 points
    important_by_percent: bool | None  # reduction of at least 30%; None when undefined
    text: str
    source_ids: tuple[str, ...] = SOURCE_IDS


def percent_change(baseline: float, current: float) -> float | None:
    """(current − baseline) / baseline × 100, or None when the baseline is 0.

    Rounded to 9 decimals so that an exact boundary (6 → 4.2 is −30%) is not lost to
    binary floating point (which gives −29.999999999999993).
    """
    if baseline == 0:
        return None
    return round((current - baseline) / baseline * 100, 9)


def pain_change(baseline: float, current: float) -> PainChange:
    """Compare two 0–10 pain scores (e.g. a baseline week's mean and this week's mean)."""
    for field, value in (("baseline", baseline), ("current", current)):
        if isinstance(value, bool) or not 0 <= value <= 10:
            raise InstrumentInputError(field, value, "must be a pain score from 0 to 10")
    points = current - baseline
    percent = percent_change(baseline, current)
    by_points = PAIN_MCID_POINTS.reached(-points)
    by_percent = None if percent is None else PAIN_MCID_PERCENT.reached(-percent)
    return PainChange(
        baseline=baseline,
        current=current,
        change_points=points,
        change_percent=percent,
        important_by_points=by_points,
        important_by_percent=by_percent,
        text=_text(points, percent, by_points, by_percent),
    )


def _text(points: float, percent: float | None, by_points: bool, by_percent: bool | None) -> str:
    if points == 0:
        text = "Pain is the same as the baseline."
    else:
        share = "" if percent is None else f" ({abs(percent):.0f}%)"
        direction = "lower" if points < 0 else "higher"
        text = f"Pain is {abs(points):.1f} points{share} {direction} than the baseline."
    if percent is None:
        text += f" {ZERO_BASELINE_NOTE}"
    if by_points or by_percent:
        text += (
            " That reduction reaches the size (about 2 points or 30%) that people in pain "
            "trials called much improved (Farrar 2001)."
        )
    elif points < 0:
        text += (
            " That is smaller than the change of about 2 points or 30% that trials found "
            "clinically important."
        )
    return text
