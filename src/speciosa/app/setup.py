"""First run and the usual dose: the guided setup's steps, each saving only what the person
entered (a skipped step, or an empty field, stores nothing), and the dose one tap logs.

    setup.save_zone(journal, "America/Chicago")              # step 1: the device's zone, confirmed
    setup.save_about(journal, {"bedtime": "10:30pm", "conditions": ("migraine",)})
    setup.add_first_product(journal, name="Red", grams_per_capsule="0.5", amount="2caps")
    setup.save_usual_dose(journal, "2caps", "Red")            # Today and the shortcut log it
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from speciosa.journal.clock import zone
from speciosa.journal.models import Product, StoredEntry, UsualDose
from speciosa.journal.units import parse_amount

from . import entries
from .journal_settings import add_product, medication, update_profile, validated
from .unit import Journal

ABOUT_FIELDS = ("conditions", "goals", "bedtime", "wake_time", "medications")


def is_new(journal: Journal) -> bool:
    """No profile and no product yet: Today offers the guided setup."""
    return not journal.has_profile and not journal.store.products()


def save_zone(journal: Journal, zone_name: str) -> None:
    """The time zone the person confirmed (their device's, or one they picked)."""
    zone(zone_name.strip())  # InvalidInput names the zone and shows an example
    update_profile(journal, {"timezone": zone_name.strip()})


def save_about(journal: Journal, given: Mapping[str, Any]) -> bool:
    """Conditions, goals, bedtime, wake time and regular medicines: only those given (a
    time as '22:30', '10:30pm' or '2230'; medicines one per line, NAME or NAME:CLASS).
    Returns whether anything was saved."""
    changes: dict[str, Any] = {}
    for name in ("bedtime", "wake_time"):
        text = str(given.get(name) or "").strip()
        if text:
            changes[name] = text
    for name in ("conditions", "goals"):
        chosen = tuple(str(v) for v in given.get(name) or () if str(v).strip())
        if chosen:
            changes[name] = chosen
    lines = [line for line in str(given.get("medications") or "").splitlines() if line.strip()]
    if lines:
        changes["medications"] = tuple(medication(line) for line in lines)
    if changes:
        update_profile(journal, changes)
    return bool(changes)


@dataclass(frozen=True)
class FirstProduct:
    product: Product
    dose: StoredEntry | None  # the first dose, when an amount was given


def add_first_product(
    journal: Journal,
    *,
    name: str | None,
    grams_per_capsule: str | None = None,
    grams_per_teaspoon: str | None = None,
    amount: str | None = None,
) -> FirstProduct:
    """A product from a name and a capsule weight or teaspoon grams (a capsule weight alone
    makes it a capsule product), and the first dose with it if an amount was given.
    One unit of work: a refused dose adds no product either."""
    product: Product = validated(
        Product,
        {
            "name": name,
            "form": "capsule" if grams_per_capsule and not grams_per_teaspoon else None,
            "grams_per_capsule": grams_per_capsule or None,
            "grams_per_teaspoon": grams_per_teaspoon or None,
        },
    )
    if amount:
        parse_amount(amount)  # a typo in the amount is named before anything is added
    added = add_product(journal, product)
    dose = None
    if amount:
        dose = entries.log(journal, {"kind": "dose", "amount": amount, "product": added.name})
    return FirstProduct(added, dose)


def save_usual_dose(journal: Journal, amount: str | None, product: str | None) -> UsualDose:
    """Remember the dose one tap logs; the product must be one of the person's."""
    usual: UsualDose = validated(
        UsualDose, {"amount": amount, "product": product or None}, "usual_dose"
    )
    if usual.product is not None:
        journal.store.product(usual.product)  # NotFound lists the person's products
    update_profile(journal, {"usual_dose": usual})
    return usual


def clear_usual_dose(journal: Journal) -> None:
    update_profile(journal, {"usual_dose": None})


def usual_dose(journal: Journal) -> UsualDose | None:
    return journal.profile.usual_dose
