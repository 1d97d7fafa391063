"""What each outcome means, how it is worded, and which conditions and goals make it relevant."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from speciosa.insights.constants import (
    PAIN_MCID_PERCENT_VALUE,
    PAIN_MCID_POINTS_VALUE,
    SOURCE_CARNEY_2012_CSD,
    SOURCE_FARRAR_2001,
)
from speciosa.journal.catalogues import Condition, Goal

if TYPE_CHECKING:  # the CLI reads OUTCOMES at start-up; the models (pydantic) are not needed
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

# A wearable's view of the same nights (``daily_frame(..., device=...)``). Not in OUTCOMES:
# the diary stays the primary record, plans cannot pick them, and they are answered only
# when the journal has device nights and the profile is about sleep.
DEVICE_OUTCOMES: dict[str, Outcome] = {
    o.column: o
    for o in (
        Outcome(
            "device_tst",
            "total sleep time (wearable)",
            "min",
            False,
            True,
            "longer",
            "shorter",
        ),
        Outcome(
            "device_sol",
            "time to fall asleep (wearable)",
            "min",
            True,
            True,
            "shorter",
            "longer",
        ),
    )
}
DEVICE_NOTE = (
    "A wearable estimates sleep from movement and heart rate; your sleep diary stays the "
    "primary record, and the two can disagree."
)

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


def relevant_device_outcomes(profile: Profile) -> tuple[str, ...]:
    """Device outcomes to answer: both when any relevant outcome is a night's sleep."""
    if any(OUTCOMES[column].night for column in relevant_outcomes(profile)):
        return tuple(DEVICE_OUTCOMES)
    return ()


def outcome_for(column: str) -> Outcome:
    """The :class:`Outcome` of a diary or device column (KeyError if it is neither)."""
    return OUTCOMES[column] if column in OUTCOMES else DEVICE_OUTCOMES[column]
