"""Dose amounts and the only conversion to grams."""

from __future__ import annotations

import pytest

from speciosa.errors import InvalidInput
from speciosa.journal.models import Product
from speciosa.journal.units import Amount, Unit, parse_amount, to_grams

CAPS = Product(name="Caps", grams_per_capsule=0.5)
POWDER = Product(name="Powder", grams_per_teaspoon=2.5)
BARE = Product(name="Bare")


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("3g", Amount(3, Unit.GRAM)),
        ("2.5 g", Amount(2.5, Unit.GRAM)),
        ("1,5g", Amount(1.5, Unit.GRAM)),  # decimal comma
        ("500mg", Amount(500, Unit.MILLIGRAM)),
        ("4caps", Amount(4, Unit.CAPSULE)),
        ("1 tsp", Amount(1, Unit.TEASPOON)),
        ("2 tablespoons", Amount(2, Unit.TABLESPOON)),
    ],
)
def test_parse_amount(text: str, amount: Amount) -> None:
    assert parse_amount(text) == amount


@pytest.mark.parametrize("text", ["3", "g", "three grams", "0g", "3 cups"])
def test_unreadable_amounts_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        parse_amount(text)
    assert raised.value.field == "amount"


@pytest.mark.parametrize(
    ("amount", "product", "grams"),
    [
        (Amount(3, Unit.GRAM), None, 3.0),
        (Amount(750, Unit.MILLIGRAM), None, 0.75),
        (Amount(4, Unit.CAPSULE), CAPS, 2.0),  # 4 x 0.5 g
        (Amount(1.5, Unit.TEASPOON), POWDER, 3.75),  # 1.5 x 2.5 g
        (Amount(1, Unit.TABLESPOON), POWDER, 7.5),  # 1 tbsp = 3 tsp = 3 x 2.5 g
    ],
)
def test_to_grams(amount: Amount, product: Product | None, grams: float) -> None:
    assert to_grams(amount, product) == pytest.approx(grams)


def test_capsules_without_grams_per_capsule_are_refused_not_guessed() -> None:
    with pytest.raises(InvalidInput, match="grams per capsule") as raised:
        to_grams(Amount(2, Unit.CAPSULE), BARE)
    assert raised.value.field == "product.grams_per_capsule"


def test_spoons_without_a_product_are_refused() -> None:
    with pytest.raises(InvalidInput) as raised:
        to_grams(Amount(1, Unit.TEASPOON), None)
    assert raised.value.field == "product"
