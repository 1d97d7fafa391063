"""The two kinds of plan, and what every plan answers whatever its kind."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from speciosa.plans import experiment as experiments
from speciosa.plans import taper as tapers
from speciosa.plans.experiment import Experiment
from speciosa.plans.taper import TaperPlan

Plan = TaperPlan | Experiment
Action = Literal["pause", "resume", "end"]
ACTIONS: tuple[Action, ...] = ("pause", "resume", "end")
# How each action reads in a plan's history.
PAST = {"pause": "paused", "resume": "resumed", "end": "ended"}


@dataclass(frozen=True)
class StoredPlan:
    """A plan as the store keeps it: its document as it is now, with id, uid and times."""

    id: int
    uid: str
    kind: str
    status: str  # "running" or "ended"
    plan: Plan
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class PlanVersion:
    """One saved state of a plan: the whole document after a create, pause, change..."""

    sequence: int
    action: str
    plan: Plan
    created_at: datetime


def title_of(plan: Plan) -> str:
    if isinstance(plan, TaperPlan):
        settings = plan.current.settings
        return f"Taper plan to {tapers.target_text(settings.target, settings.measure)}"
    return f"Experiment: {plan.design.label_a} vs {plan.design.label_b}"


def status_on(plan: Plan, day: date) -> str:
    """The plan's state on ``day`` as its own module words it (e.g. "running", "paused")."""
    if isinstance(plan, TaperPlan):
        return tapers.planned_on(plan, day).status
    return experiments.assignment_on(plan, day).status


def apply(plan: Plan, action: Action, *, day: date, now: datetime, reason: str) -> Plan:
    """Pause, resume or end ``plan`` from ``day``."""
    if isinstance(plan, TaperPlan):
        return getattr(tapers, action)(plan, day=day, now=now, reason=reason)
    return getattr(experiments, action)(plan, day=day, now=now, reason=reason)
