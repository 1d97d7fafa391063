"""Amounts of kratom as people measure them, and the only conversion to grams.

Capsules and spoons convert through the product's own measured weight; when the
product does not say how much a capsule or spoon holds, the conversion is refused,
never guessed (powders differ several-fold in density and capsule fill).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from speciosa.errors import InvalidInput


class Unit(StrEnum):
    GRAM = "g"
    MILLIGRAM = "mg"
    CAPSULE = "caps"
    TEASPOON = "tsp"
    TABLESPOON = "tbsp"


_ALIASES: dict[str, Unit] = {
    "g": Unit.GRAM,
    "gram": Unit.GRAM,
    "grams": Unit.GRAM,
    "gr": Unit.GRAM,
    "mg": Unit.MILLIGRAM,
    "milligram": Unit.MILLIGRAM,
    "milligrams": Unit.MILLIGRAM,
    "cap": Unit.CAPSULE,
    "caps": Unit.CAPSULE,
    "capsule": Unit.CAPSULE,
    "capsules": Unit.CAPSULE,
    "tsp": Unit.TEASPOON,
    "teaspoon": Unit.TEASPOON,
    "teaspoons": Unit.TEASPOON,
    "tbsp": Unit.TABLESPOON,
    "tablespoon": Unit.TABLESPOON,
    "tablespoons": Unit.TABLESPOON,
}

# A tablespoon is three teaspoons by definition (a volume identity, not a density guess).
TEASPOONS_PER_TABLESPOON = 3

_AMOUNT = re.compile(r"^\s*(?P<n>\d+(?:[.,]\d+)?)\s*(?P<u>[a-z]+)\s*$")

AMOUNT_HELP = "write a number and a unit: g, mg, caps, tsp or tbsp (e.g. '3g', '2caps', '1tsp')"


class Measures(Protocol):
    """What a product knows about its own capsules and spoons."""

    @property
    def name(self) -> str: ...
    @property
    def grams_per_capsule(self) -> float | None: ...
    @property
    def grams_per_teaspoon(self) -> float | None: ...
    @property
    def grams_per_tablespoon(self) -> float | None: ...


@dataclass(frozen=True)
class Amount:
    value: float
    unit: Unit

    def __str__(self) -> str:
        return f"{self.value:g} {self.unit.value}"


def parse_amount(text: str, field: str = "amount") -> Amount:
    """Read '3g', '2 caps', '1.5tsp'; anything else is refused with the allowed forms."""
    match = _AMOUNT.match(text.lower())
    if not match or match["u"] not in _ALIASES:
        raise InvalidInput(field, text, AMOUNT_HELP)
    value = float(match["n"].replace(",", "."))
    if value <= 0:
        raise InvalidInput(field, text, "must be more than zero")
    return Amount(value, _ALIASES[match["u"]])


def unit_named(text: str, field: str = "unit") -> Unit:
    unit = _ALIASES.get(text.strip().lower())
    if unit is None:
        raise InvalidInput(field, text, "must be one of g, mg, caps, tsp, tbsp")
    return unit


def to_grams(amount: Amount, product: Measures | None) -> float:
    """Grams of product in ``amount``; refuses conversions the product cannot support."""
    if amount.unit is Unit.GRAM:
        return amount.value
    if amount.unit is Unit.MILLIGRAM:
        return amount.value / 1000
    if product is None:
        raise InvalidInput(
            "product",
            None,
            f"a dose in {amount.unit.value} needs a product that says how much one weighs",
        )
    per_unit = _grams_per_unit(amount.unit, product)
    if per_unit is None:
        what = {
            "caps": "grams per capsule",
            "tsp": "grams per teaspoon",
            "tbsp": "grams per tablespoon or teaspoon",
        }
        raise InvalidInput(
            f"product.{_measure_field(amount.unit)}",
            None,
            f"product {product.name!r} does not say its {what[amount.unit.value]}; "
            f"set it (speciosa product edit) or log the dose in grams",
        )
    return round(amount.value * per_unit, 4)


def _grams_per_unit(unit: Unit, product: Measures) -> float | None:
    if unit is Unit.CAPSULE:
        return product.grams_per_capsule
    if unit is Unit.TEASPOON:
        return product.grams_per_teaspoon
    if product.grams_per_tablespoon is not None:
        return product.grams_per_tablespoon
    if product.grams_per_teaspoon is not None:
        return product.grams_per_teaspoon * TEASPOONS_PER_TABLESPOON
    return None


def _measure_field(unit: Unit) -> str:
    return {
        Unit.CAPSULE: "grams_per_capsule",
        Unit.TEASPOON: "grams_per_teaspoon",
        Unit.TABLESPOON: "grams_per_tablespoon",
    }.get(unit, "grams")
