"""Validated journal entries from the planned days: doses, sleep diaries, ratings, drinks.

Each builder walks the journal days and constructs the real models, so every simulated
entry passes the same validation as one a person types.
"""

from __future__ import annotations

from datetime import date, datetime

import numpy as np

from speciosa.journal.catalogues import SubstanceClass
from speciosa.journal.models import (
    Dose,
    EntryBase,
    Fatigue,
    Pain,
    Product,
    Sleep,
    Soreness,
    Substance,
    Workout,
)
from speciosa.journal.units import Amount, to_grams
from speciosa.simulate.days import BEDTIME, UNITS
from speciosa.simulate.habits import ACTIVITIES, DRINKS, INTENSITIES
from speciosa.simulate.persona import Persona
from speciosa.simulate.placing import minutes
from speciosa.simulate.plan import Plan

PAIN_SITES = ("neck", "shoulders", "upper back", "lower back", "hips", "knees", "arms")
SORE_SITES = ("quads", "hamstrings", "calves", "shoulders", "back", "chest")


def doses(plan: Plan) -> list[EntryBase]:
    """Every planned dose, in the unit the person measured it in."""
    out: list[EntryBase] = []
    d = plan.dosing
    for day in plan.journal_days:
        product = plan.persona.products[d.product[day]]
        batch = _batch_code(plan.persona, product, plan.cal.dates[day])
        for slot in np.flatnonzero(d.taken[day]):
            at = (
                plan.bedtime_dose_at(day)
                if slot == BEDTIME
                else plan.placer.at(day, d.minute[day, slot])
            )
            amount = Amount(float(d.amount[day, slot]), UNITS[d.unit[day, slot]])
            out.append(
                Dose(
                    at=at,
                    zone=plan.zone,
                    amount=amount.value,
                    unit=amount.unit,
                    product=product.name,
                    batch=batch,
                    grams=to_grams(amount, product),
                )
            )
    return out


def _batch_code(persona: Persona, product: Product, day: date) -> str | None:
    if not product.batches:
        return None
    switch = persona.batch_switch.get(product.name)
    later = switch is not None and day >= switch and len(product.batches) > 1
    return product.batches[1 if later else 0].code


def sleep_diaries(plan: Plan) -> list[EntryBase]:
    """One CSD diary per logged night (the night of the day it is keyed to)."""
    return [_sleep(plan, day) for day in plan.journal_days if plan.logged.sleep[day]]


def _sleep(plan: Plan, day: int) -> Sleep:
    n, t = plan.nights, plan.timing
    into_bed = plan.into_bed(day)
    tried = plan.tried_to_sleep(day)
    final = plan.placer.at(day, 1440 + t.final[day])
    window = int((final - tried).total_seconds() // 60)
    sol = int(min(n.sol[day], window - 1))
    waso = int(min(n.waso[day], window - sol))
    return Sleep(
        at=into_bed,
        zone=plan.zone,
        tried_to_sleep=tried,
        minutes_to_fall_asleep=sol,
        awakenings=int(n.awakenings[day]) if waso else 0,
        minutes_awake_in_night=waso,
        final_awakening=final,
        out_of_bed=final + minutes(t.rise[day]),
        quality=int(n.quality[day]),
        rested=int(n.rested[day]),
        naps=int(n.naps[day]),
        nap_minutes=int(n.nap_minutes[day]),
        alcohol_drinks=int(plan.alcohol.drinks[day]),
        caffeine_drinks=int(plan.caffeine.cups[day]),
        sleep_aids=("melatonin",) if n.sleep_aid[day] else (),
    )


def ratings(plan: Plan, rng: np.random.Generator) -> list[EntryBase]:
    """Evening ratings of the day: pain, fatigue with energy, soreness (as the condition logs)."""
    n = plan.cal.n
    minute = np.minimum(np.round(rng.uniform(18 * 60 + 30, 21 * 60 + 30, n)), plan.timing.bed - 10)
    site_draws = rng.random((n, len(PAIN_SITES) + 1))  # the last one sets interference
    out: list[EntryBase] = []
    for day in plan.journal_days:
        at = plan.placer.at(day, minute[day])
        out.extend(_ratings_of_day(plan, day, at, site_draws[day]))
    return out


def _ratings_of_day(plan: Plan, day: int, at: datetime, draws: np.ndarray) -> list[EntryBase]:
    r, logged, zone = plan.ratings, plan.logged, plan.zone
    out: list[EntryBase] = []
    if logged.pain[day]:
        sites = tuple(s for s, u in zip(PAIN_SITES, draws, strict=False) if u < 0.3)
        interference = int(np.clip(r.pain[day] + round(float(draws[-1] * 2 - 1)), 0, 10))
        out.append(
            Pain(at=at, zone=zone, score=int(r.pain[day]), sites=sites, interference=interference)
        )
    if logged.fatigue[day]:
        out.append(Fatigue(at=at, zone=zone, score=int(r.fatigue[day]), energy=int(r.energy[day])))
    if logged.soreness[day]:
        sites = tuple(s for s, u in zip(SORE_SITES, draws, strict=False) if u < 0.35)
        out.append(Soreness(at=at, zone=zone, score=int(r.soreness[day]), sites=sites))
    return out


def workouts(plan: Plan) -> list[EntryBase]:
    w = plan.workouts
    return [
        Workout(
            at=plan.placer.at(day, w.minute[day]),
            zone=plan.zone,
            activity=ACTIVITIES[w.activity[day]],
            minutes=int(w.minutes[day]),
            intensity=INTENSITIES[w.intensity[day]],
        )
        for day in plan.journal_days
        if w.done[day]
    ]


def substances(plan: Plan) -> list[EntryBase]:
    """Logged drinks and coffee; the sleep diary's counts agree with these."""
    out: list[EntryBase] = []
    a, c = plan.alcohol, plan.caffeine
    for day in plan.journal_days:
        if a.drinks[day]:
            out.append(
                Substance(
                    at=_drink_at(plan, day),
                    zone=plan.zone,
                    name=DRINKS[a.name[day]],
                    substance_class=SubstanceClass.ALCOHOL,
                    amount=_count(int(a.drinks[day]), "drink"),
                )
            )
        for cup in range(int(c.cups[day])):
            minute = c.first[day] if cup == 0 else c.second[day]
            out.append(
                Substance(
                    at=plan.placer.at(day, minute),
                    zone=plan.zone,
                    name="coffee",
                    substance_class=SubstanceClass.STIMULANT,
                    amount="1 cup",
                )
            )
    return out


def _drink_at(plan: Plan, day: int) -> datetime:
    if plan.alcohol.planted[day]:
        return plan.bedtime_dose_at(day) + minutes(plan.alcohol.offset[day])
    return plan.placer.at(day, plan.alcohol.minute[day])


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
