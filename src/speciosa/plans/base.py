"""What every plan shares: the frozen model base, history events, pauses, and measures.

Plans are documents: pydantic models that round-trip through JSON, so the store can keep
every version of a plan exactly as it was shown. Nothing here reads a clock; every
function that needs "today" or "now" takes it as an argument.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from speciosa.errors import Conflict, InvalidInput
from speciosa.journal.models import Product
from speciosa.journal.units import Unit
from speciosa.plans.constants import DEFAULT_GRAM_STEP

# Arithmetic on grams is done in floats; amounts within this of a measure count as on it.
EPSILON = 1e-9

Action = Literal["created", "paused", "resumed", "changed", "ended"]


class PlanModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class HistoryEvent(PlanModel):
    """One thing that happened to a plan; the history is append-only."""

    at: datetime
    day: date
    action: Action
    detail: str
    version: int


class Pause(PlanModel):
    """Days on which a plan stands still: from ``start`` up to (not including) ``end``."""

    start: date
    end: date | None = None
    reason: str = ""

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


def is_paused(pauses: Sequence[Pause], day: date) -> bool:
    return any(p.covers(day) for p in pauses)


def open_pause(pauses: Sequence[Pause]) -> Pause | None:
    return next((p for p in pauses if p.end is None), None)


def add_pause(pauses: Sequence[Pause], day: date, reason: str) -> tuple[Pause, ...]:
    """The pauses with a new open one from ``day``; refused if one is already open."""
    current = open_pause(pauses)
    if current is not None:
        raise Conflict(
            f"plan: already paused since {current.start.isoformat()}; resume it first "
            "(speciosa plan resume ID)"
        )
    if pauses and max(p.end or p.start for p in pauses) > day:
        raise InvalidInput("day", day.isoformat(), "must not be before the end of the last pause")
    return (*pauses, Pause(start=day, reason=reason))


def close_pause(pauses: Sequence[Pause], day: date) -> tuple[Pause, ...]:
    """The pauses with the open one ended on ``day``; refused if none is open."""
    current = open_pause(pauses)
    if current is None:
        raise Conflict("plan: it is not paused, so there is nothing to resume")
    if day < current.start:
        raise InvalidInput(
            "day", day.isoformat(), f"must not be before the pause began ({current.start})"
        )
    return tuple(p if p is not current else p.model_copy(update={"end": day}) for p in pauses)


class Measure(PlanModel):
    """What a person can actually measure: grams on a scale, capsules or spoons of a product.

    ``step`` is the smallest count of ``unit`` the person measures (0.5 g on a kitchen
    scale, 1 capsule, half a teaspoon). ``grams_per_unit`` comes from the product.
    """

    unit: Unit
    grams_per_unit: Annotated[float, Field(gt=0)]
    step: Annotated[float, Field(gt=0)]
    product: str | None = None

    @property
    def grams_per_step(self) -> float:
        return self.grams_per_unit * self.step

    def round_up(self, grams: float) -> float:
        """``grams`` rounded up to the next amount that can be measured."""
        if grams <= EPSILON:
            return 0.0
        steps = math.ceil(grams / self.grams_per_step - EPSILON)
        return round(steps * self.grams_per_step, 6)

    def units(self, grams: float) -> float:
        return round(grams / self.grams_per_unit, 6)

    def describe(self, grams: float) -> str:
        """'6 caps of Red Bali (3 g)', '1.5 tsp of Green (3.75 g)' or '2.5 g'."""
        if grams <= EPSILON:
            return "none"
        if self.unit is Unit.GRAM:
            return f"{grams:g} g"
        of = f" of {self.product}" if self.product else ""
        return f"{self.units(grams):g} {self.unit.value}{of} ({grams:g} g)"

    def label(self) -> str:
        if self.unit is Unit.GRAM:
            return f"steps of {self.step:g} g"
        of = f" of {self.product}" if self.product else ""
        return f"steps of {self.step:g} {self.unit.value}{of} ({self.grams_per_step:g} g)"


def measure_for(unit: Unit, product: Product | None, step: float | None = None) -> Measure:
    """The measure for ``unit``; capsules and spoons need the product's own weight."""
    if unit is Unit.MILLIGRAM:
        raise InvalidInput("unit", unit.value, "round to g, caps, tsp or tbsp (a measurable unit)")
    if step is not None and not 0 < step <= 100:
        raise InvalidInput("step_units", step, "must be more than 0 and at most 100")
    if unit is Unit.GRAM:
        return Measure(
            unit=unit,
            grams_per_unit=1.0,
            step=step or DEFAULT_GRAM_STEP,
            product=None if product is None else product.name,
        )
    if product is None:
        raise InvalidInput(
            "product", None, f"rounding to {unit.value} needs the product they are of (--product)"
        )
    per_unit = {
        Unit.CAPSULE: product.grams_per_capsule,
        Unit.TEASPOON: product.grams_per_teaspoon,
        Unit.TABLESPOON: product.grams_per_tablespoon
        or (None if product.grams_per_teaspoon is None else product.grams_per_teaspoon * 3),
    }[unit]
    if per_unit is None:
        raise InvalidInput(
            "product",
            product.name,
            f"does not say how many grams one {unit.value} holds; set it with "
            "'speciosa product edit' or round to g",
        )
    return Measure(unit=unit, grams_per_unit=per_unit, step=step or 1.0, product=product.name)


def new_event(
    *, now: datetime, day: date, action: Action, detail: str, version: int
) -> HistoryEvent:
    return HistoryEvent(at=now, day=day, action=action, detail=detail, version=version)
