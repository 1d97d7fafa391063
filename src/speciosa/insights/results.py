"""Typed results of the insights: one :class:`Effect` per question, gathered in a report."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from speciosa.insights.constants import INTERVAL_LEVEL

Question = Literal[
    "dose_vs_none",
    "dose_band",
    "dose_response",
    "timing",
    "product",
    "tolerance",
    "side_effect",
]


def level_percent(level: float = INTERVAL_LEVEL) -> str:
    """An interval level as people read it: '96%', with one decimal only when needed."""
    percent = 100 * level
    whole = round(percent)
    return f"{whole}%" if abs(percent - whole) < 1e-6 else f"{percent:.1f}%"


def times_in_100(level: float = INTERVAL_LEVEL) -> str:
    """'96 times in 100': what an interval's level promises, in words."""
    return f"{level_percent(level).removesuffix('%')} times in 100"


@dataclass(frozen=True, slots=True)
class Effect:
    """One answer: an estimate with its interval, the counts behind it and a plain sentence.

    ``estimate``, ``ci_low`` and ``ci_high`` are None when ``enough_data`` is False
    (``reason`` then says what is missing). ``clinically_important`` is True when the
    whole interval reaches a published minimal important difference, False when none of
    it does, and None when it straddles the threshold or no threshold exists.
    """

    question: Question
    outcome: str
    exposure: str
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    unit: str
    n_exposed: int
    n_unexposed: int
    method: str
    sentence: str
    enough_data: bool
    reason: str | None = None
    clinically_important: bool | None = None
    caveats: tuple[str, ...] = ()
    label: str = ""
    ci_level: float = INTERVAL_LEVEL
    source_ids: tuple[str, ...] = ()
    withheld: bool = False
    """Held back because the question failed calibration (``reason`` says so), not for
    want of data: more days will not bring it back."""

    @property
    def ci_percent(self) -> str:
        """'96%', or '98.7%' for a Bonferroni-widened product interval."""
        return level_percent(self.ci_level)

    @property
    def claimed(self) -> bool:
        """Whether the interval excludes no effect (what the report calls a finding)."""
        if not self.enough_data or self.ci_low is None or self.ci_high is None:
            return False
        return self.ci_low > 0 or self.ci_high < 0

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["claimed"] = self.claimed
        data["caveats"] = list(self.caveats)
        data["source_ids"] = list(self.source_ids)
        for key in ("estimate", "ci_low", "ci_high"):
            value = data[key]
            data[key] = None if value is None or not math.isfinite(value) else round(value, 6)
        return data


@dataclass(frozen=True, slots=True)
class InsightReport:
    """All answers for one journal, plus what the frame covered."""

    effects: tuple[Effect, ...]
    first_day: str | None
    last_day: str | None
    days: int
    logged_days: int
    outcomes: tuple[str, ...]
    notes: tuple[str, ...] = field(default=())

    def by_question(self, question: Question) -> list[Effect]:
        return [e for e in self.effects if e.question == question]

    def find(self, question: Question, outcome: str, exposure: str | None = None) -> Effect | None:
        """The first effect for ``question`` and ``outcome`` (and ``exposure`` if given)."""
        for effect in self.effects:
            if (
                effect.question == question
                and effect.outcome == outcome
                and (exposure is None or effect.exposure == exposure)
            ):
                return effect
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "first_day": self.first_day,
            "last_day": self.last_day,
            "days": self.days,
            "logged_days": self.logged_days,
            "outcomes": list(self.outcomes),
            "notes": list(self.notes),
            "effects": [e.to_dict() for e in self.effects],
        }
