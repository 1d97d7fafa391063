"""What each outcome means, how it is worded, and which conditions and goals make it relevant."""

from __future__ import annotations

from dataclasses import dataclass

from speciosa.insights.constants import (
    PAIN_MCID_PERCENT_VALUE,
    PAIN_MCID_POINTS_VALUE,
    SOURCE_CARNEY_2012_CSD,
    SOURCE_FARRAR_2001,
)
from speciosa.journal.catalogues import Condition, Goal
from speciosa.journal.models import Profile


@dataclass(frozen=True, slots=True)
class Outcome:
    """An outcome column with its wording; ``scale`` multiplies it for display (0/1 -> %)."""

    column: str
    label: str
    unit: str
    lower_is_better: bool
    night: bool
    better: str  # word for a change in the good direction ("shorter", "lower")
    worse: str
    scale: float = 1.0
    mcid_points: float | None = None
    mcid_percent: float | None = None
    source_ids: tuple[str, ...] = ()

    @property
    def period(self) -> str:
        return "nights" if self.night else "days"


OUTCOMES: dict[str, Outcome] = {
    o.column: o
    for o in (
        Outcome(
            "sol",
            "time to fall asleep",
            "min",
            True,
            True,
            "shorter",
            "longer",
            source_ids=(SOURCE_CARNEY_2012_CSD,),
        ),
        Outcome(
            "waso",
            "time awake in the night",
            "min",
            True,
            True,
            "shorter",
            "longer",
            source_ids=(SOURCE_CARNEY_2012_CSD,),
        ),
        Outcome(
            "tst",
            "total sleep time",
            "min",
            False,
            True,
            "longer",
            "shorter",
            source_ids=(SOURCE_CARNEY_2012_CSD,),
        ),
        Outcome(
            "se",
            "sleep efficiency",
            "percentage points",
            False,
            True,
            "higher",
            "lower",
            source_ids=(SOURCE_CARNEY_2012_CSD,),
        ),
        Outcome(
            "sleep_quality",
            "sleep quality",
            "points (1–5)",
            False,
            True,
            "higher",
            "lower",
            source_ids=(SOURCE_CARNEY_2012_CSD,),
        ),
        Outcome(
            "pain",
            "pain",
            "points (0–10)",
            True,
            False,
            "lower",
            "higher",
            mcid_points=PAIN_MCID_POINTS_VALUE,
            mcid_percent=PAIN_MCID_PERCENT_VALUE,
            source_ids=(SOURCE_FARRAR_2001,),
        ),
        Outcome("fatigue", "fatigue", "points (0–10)", True, False, "lower", "higher"),
        Outcome("energy", "energy", "points (0–10)", False, False, "higher", "lower"),
        Outcome("soreness", "muscle soreness", "points (0–10)", True, False, "lower", "higher"),
        Outcome(
            "headache",
            "chance of a headache",
            "percentage points",
            True,
            False,
            "lower",
            "higher",
            scale=100.0,
        ),
        Outcome("headache_peak", "headache peak", "points (0–10)", True, False, "lower", "higher"),
    )
}

_SLEEP = ("sol", "waso", "tst", "se", "sleep_quality")
BY_CONDITION: dict[Condition, tuple[str, ...]] = {
    Condition.FIBROMYALGIA: ("pain", "fatigue", "sol", "tst", "sleep_quality"),
    Condition.CHRONIC_PAIN: ("pain", "sol", "tst", "sleep_quality"),
    Condition.MIGRAINE: ("headache", "headache_peak", "sol", "sleep_quality"),
    Condition.MUSCLE_SORENESS: ("soreness", "pain", "sol"),
    Condition.CHRONIC_FATIGUE: ("fatigue", "energy", "tst", "sleep_quality"),
}
BY_GOAL: dict[Goal, tuple[str, ...]] = {
    Goal.SLEEP: _SLEEP,
    Goal.PAIN: ("pain",),
    Goal.ENERGY: ("fatigue", "energy"),
    Goal.RECOVERY: ("soreness",),
    Goal.HEADACHE: ("headache", "headache_peak"),
}


def relevant_outcomes(profile: Profile) -> tuple[str, ...]:
    """Outcomes the person's conditions and goals make relevant (all of them if none given)."""
    chosen: list[str] = []
    for condition in profile.conditions:
        chosen.extend(BY_CONDITION.get(condition, ()))
    for goal in profile.goals:
        chosen.extend(BY_GOAL.get(goal, ()))
    if not chosen:
        chosen = list(OUTCOMES)
    return tuple(column for column in OUTCOMES if column in set(chosen))
