"""Who the simulated person is: profile, products and the habits behind their days.

Numbers here describe a plausible person from the literature (fact sheet A3-A6, A11), not
advice: grams per dose sit in the commonly reported 1-5 g band (most US users report 1-3 g
per dose, 2-3 doses a day, often within an hour of waking), and sleep, pain and fatigue
baselines reflect each condition. Product and vendor names are invented and say so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from speciosa.journal.catalogues import (
    Condition,
    Goal,
    ProductForm,
    SubstanceClass,
    class_of,
)
from speciosa.journal.models import Batch, LabResult, Limits, Medication, Product, Profile


@dataclass(frozen=True)
class Traits:
    """What a condition makes typical: goals, baselines and which ratings get logged."""

    goals: tuple[Goal, ...]
    pain: float
    fatigue: float
    soreness: float
    sol_minutes: float
    awakenings: float
    pain_rate: float
    """Share of days with a pain rating (before missed days)."""
    fatigue_rate: float
    soreness_rate: float
    workout_rate: float
    headache_rate: float
    """Chance per day that a headache episode starts."""
    nap_rate: float
    medications: tuple[tuple[str, float], ...]
    """(name, chance the person takes it regularly)."""


TRAITS: dict[Condition, Traits] = {
    Condition.FIBROMYALGIA: Traits(
        goals=(Goal.SLEEP, Goal.PAIN),
        pain=5.8,
        fatigue=6.5,
        soreness=4.0,
        sol_minutes=32,
        awakenings=2.2,
        pain_rate=1.0,
        fatigue_rate=0.9,
        soreness_rate=0.0,
        workout_rate=0.0,
        headache_rate=0.0,
        nap_rate=0.15,
        medications=(("duloxetine", 0.4), ("pregabalin", 0.25)),
    ),
    Condition.CHRONIC_PAIN: Traits(
        goals=(Goal.PAIN, Goal.SLEEP),
        pain=6.2,
        fatigue=5.0,
        soreness=3.0,
        sol_minutes=28,
        awakenings=1.8,
        pain_rate=1.0,
        fatigue_rate=0.3,
        soreness_rate=0.0,
        workout_rate=0.0,
        headache_rate=0.0,
        nap_rate=0.08,
        medications=(("ibuprofen", 0.5), ("gabapentin", 0.2)),
    ),
    Condition.MIGRAINE: Traits(
        goals=(Goal.HEADACHE,),
        pain=2.5,
        fatigue=4.5,
        soreness=2.0,
        sol_minutes=20,
        awakenings=1.0,
        pain_rate=0.0,
        fatigue_rate=0.3,
        soreness_rate=0.0,
        workout_rate=0.0,
        headache_rate=0.18,
        nap_rate=0.05,
        medications=(("topiramate", 0.3),),
    ),
    Condition.MUSCLE_SORENESS: Traits(
        goals=(Goal.RECOVERY, Goal.SLEEP),
        pain=3.0,
        fatigue=3.5,
        soreness=3.2,
        sol_minutes=16,
        awakenings=0.8,
        pain_rate=0.3,
        fatigue_rate=0.0,
        soreness_rate=1.0,
        workout_rate=0.55,
        headache_rate=0.0,
        nap_rate=0.05,
        medications=(),
    ),
    Condition.CHRONIC_FATIGUE: Traits(
        goals=(Goal.ENERGY,),
        pain=3.5,
        fatigue=7.0,
        soreness=3.0,
        sol_minutes=25,
        awakenings=1.5,
        pain_rate=0.3,
        fatigue_rate=1.0,
        soreness_rate=0.0,
        workout_rate=0.0,
        headache_rate=0.0,
        nap_rate=0.25,
        medications=(("vitamin d", 0.4),),
    ),
}


MAX_MEDICATIONS = 2


@dataclass(frozen=True)
class Persona:
    """The simulated person: profile, products and the parameters of their days."""

    condition: Condition
    traits: Traits
    profile: Profile
    products: tuple[Product, ...]
    product_weights: tuple[float, ...]
    bedtime_minute: int
    wake_minute: int
    daytime_use_probability: float
    daytime_dose_weights: tuple[float, float, float]
    grams_per_dose: float
    sol_minutes: float
    pain: float
    fatigue: float
    soreness: float
    phi: float
    hard_stool_probability: float
    alcohol_probability: float
    caffeine_probability: float
    sleep_aid_probability: float
    omit_probability: float
    batch_switch: dict[str, date] = field(default_factory=dict)
    """Product name -> first day of its second batch (products with two batches only)."""


def draw_persona(
    condition: Condition, zone: str, first_day: date, last_day: date, rng: np.random.Generator
) -> Persona:
    """A person with ``condition`` living in ``zone``, drawn from ``rng``."""
    traits = TRAITS[condition]
    bedtime = int(rng.choice(np.arange(22 * 60, 23 * 60 + 46, 15)))
    wake = int(rng.choice(np.arange(6 * 60, 7 * 60 + 46, 15)))
    grams = float(rng.uniform(1.5, 4.0))
    products, weights, switches = _products(rng, first_day, last_day)
    jitter = rng.uniform(0.9, 1.1, size=4)
    return Persona(
        condition=condition,
        traits=traits,
        profile=_profile(condition, traits, zone, bedtime, wake, grams, rng),
        products=products,
        product_weights=weights,
        bedtime_minute=bedtime,
        wake_minute=wake,
        daytime_use_probability=float(rng.uniform(0.65, 0.9)),
        daytime_dose_weights=(float(rng.uniform(0.2, 0.4)), 0.45, float(rng.uniform(0.1, 0.3))),
        grams_per_dose=round(grams, 2),
        sol_minutes=round(traits.sol_minutes * float(jitter[0]), 1),
        pain=round(traits.pain * float(jitter[1]), 2),
        fatigue=round(traits.fatigue * float(jitter[2]), 2),
        soreness=round(traits.soreness * float(jitter[3]), 2),
        phi=round(float(rng.uniform(0.3, 0.5)), 2),
        hard_stool_probability=round(float(rng.uniform(0.06, 0.14)), 3),
        alcohol_probability=float(rng.uniform(0.03, 0.15)),
        caffeine_probability=float(rng.uniform(0.2, 0.8)),
        sleep_aid_probability=float(rng.choice([0.0, 0.0, 0.05, 0.1])),
        omit_probability=float(rng.uniform(0.05, 0.12)),
        batch_switch=switches,
    )


def _hhmm(minute: int) -> str:
    return f"{minute // 60 % 24:02d}:{minute % 60:02d}"


def _profile(
    condition: Condition,
    traits: Traits,
    zone: str,
    bedtime: int,
    wake: int,
    grams: float,
    rng: np.random.Generator,
) -> Profile:
    draws = rng.random(MAX_MEDICATIONS)  # as many draws for every condition: same seed, same habits
    medications = tuple(
        Medication(name=name, substance_class=class_of(name) or SubstanceClass.OTHER)
        for (name, chance), u in zip(traits.medications, draws, strict=False)
        if u < chance
    )
    return Profile(
        timezone=zone,
        bedtime=_hhmm(bedtime),
        wake_time=_hhmm(wake),
        conditions=(condition,),
        goals=traits.goals,
        limits=_limits(grams, rng),
        medications=medications,
    )


def _limits(grams: float, rng: np.random.Generator) -> Limits:
    """Personal limits for about half of the people; their own numbers, not advice."""
    draws = rng.random(3)
    if draws[0] < 0.5:
        return Limits()
    return Limits(
        grams_per_day=float(np.ceil(grams * 3.0 * 1.2 * 2) / 2),
        doses_per_day=3,
        use_days_per_week=int(rng.choice([5, 6, 7])) if draws[1] < 0.6 else None,
        agreed_with_clinician=bool(draws[2] < 0.3),
    )


# (name, vendor, vein, form, grams per capsule, grams per teaspoon)
_TEMPLATES = (
    ("Red Bali powder", "Simulated Botanicals", "red", ProductForm.POWDER, None, 2.5),
    ("Green Maeng Da capsules", "Example Leaf Co.", "green", ProductForm.CAPSULE, 0.5, None),
    ("White Borneo powder", "Unnamed market stall", "white", ProductForm.POWDER, None, None),
)


def _products(
    rng: np.random.Generator, first_day: date, last_day: date
) -> tuple[tuple[Product, ...], tuple[float, ...], dict[str, date]]:
    """1-3 products; the first is lab-tested, and with two or more the last one is not."""
    count = int(rng.integers(1, 4))
    order = [int(i) for i in rng.permutation(2)] + [2]
    if count == 2:
        order = [order[0], 2]
    products: list[Product] = []
    switches: dict[str, date] = {}
    for position, template in enumerate(order[:count]):
        tested = position == 0 or (count == 3 and position == 1)
        product, switch = _product(_TEMPLATES[template], tested, rng, first_day, last_day)
        products.append(product)
        if switch is not None:
            switches[product.name] = switch
    weights = tuple(float(w) for w in rng.dirichlet(np.full(count, 3.0)))
    return tuple(products), weights, switches


def _product(
    template: tuple[str, str, str, ProductForm, float | None, float | None],
    tested: bool,
    rng: np.random.Generator,
    first_day: date,
    last_day: date,
) -> tuple[Product, date | None]:
    name, vendor, vein, form, per_capsule, per_teaspoon = template
    if per_teaspoon is not None:
        per_teaspoon = float(rng.choice([2.2, 2.5, 2.8, 3.0]))
    bought = first_day - timedelta(days=int(rng.integers(3, 30)))
    second = first_day + timedelta(days=int(rng.integers(40, 120)))
    batches = [_batch(name, 1, bought, tested, rng)]
    two_batches = bool(rng.random() < 0.6) and tested and second <= last_day
    if two_batches:
        batches.append(_batch(name, 2, second, tested, rng))
    product = Product(
        name=name,
        vendor=vendor,
        vein=vein,
        form=form,
        grams_per_capsule=per_capsule,
        grams_per_teaspoon=per_teaspoon,
        batches=tuple(batches),
        note="simulated product for demo and calibration data",
    )
    return product, second if two_batches else None


def _batch(name: str, number: int, bought: date, tested: bool, rng: np.random.Generator) -> Batch:
    code = f"{''.join(w[0] for w in name.split()).upper()}-{bought:%y%m}-{number}"
    if not tested:
        return Batch(code=code, bought_on=bought.isoformat())
    lab = LabResult(
        lab="Simulated Analytical Lab",
        tested_on=(bought - timedelta(days=int(rng.integers(10, 60)))).isoformat(),
        # about 1-2% mitragynine in leaf and little 7-OH (fact sheet A2, A10)
        mitragynine_mg_per_g=round(float(rng.uniform(10.0, 20.0)), 1),
        hydroxymitragynine_mg_per_g=round(float(rng.uniform(0.05, 0.3)), 2),
        heavy_metals_pass=True,
        microbial_pass=True,
        passed=True,
    )
    return Batch(code=code, bought_on=bought.isoformat(), lab=lab)
