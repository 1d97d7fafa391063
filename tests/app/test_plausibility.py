"""Amounts that look like typing slips (issue 12 point 3): the rule in
``app/plausibility.py``, checked on real journals (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from speciosa.app import Speciosa, entries, journal_settings, plausibility
from speciosa.store.database import open_database
from tests.factories import RED

NOW = datetime(2026, 6, 1, 20, 0, tzinfo=UTC)


@pytest.fixture
def app(database_url: str) -> Iterator[Speciosa]:
    speciosa = Speciosa(open_database(database_url), clock=lambda: NOW, default_zone="UTC")
    with speciosa.journal() as journal:
        journal_settings.add_product(journal, RED)  # 0.5 g a capsule
    yield speciosa
    speciosa.close()


def _check(app: Speciosa, data: dict[str, str]) -> plausibility.AmountCheck | None:
    with app.journal() as journal:
        return plausibility.check_dose(journal, entries.build_entry(journal, data))


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("25g", None),  # the top of the largest band reported: no question
        ("25.5g", ("25.5 g", "2.55 g", "0.255 g")),  # just above it: asked
        ("300g", ("300 g", "3 g", "0.3 g")),  # 30 g is still too much, so not offered
        ("300mg", None),  # 0.3 g
        ("9000mg", None),  # 9 g
        ("3000g", ("3000 g", "3 g")),  # 300 g and 30 g would still be asked about
    ],
)
def test_without_a_limit_the_largest_reported_dose_decides(
    app: Speciosa, amount: str, expected: tuple[str, ...] | None
) -> None:
    found = _check(app, {"kind": "dose", "amount": amount})
    if expected is None:
        assert found is None
        return
    assert found is not None
    assert (found.amount, *found.suggestions) == expected
    assert "more than 25 g" in found.reason
    assert "emcdda-kratom" in found.source_ids


def test_ten_times_the_own_limit_asks_even_below_25_g(app: Speciosa) -> None:
    with app.journal() as journal:
        journal_settings.update_profile(journal, {"limits": {"grams_per_day": 1.5}})
    assert _check(app, {"kind": "dose", "amount": "14g"}) is None  # 9.3 times: no question
    found = _check(app, {"kind": "dose", "amount": "15g"})
    assert found is not None
    assert found.question == (
        "15 g in one dose is ten times or more your own limit of 1.5 g a day. "
        "Did you mean 1.5 g or 0.15 g?"
    )


def test_capsules_are_counted_in_grams_and_offered_whole(app: Speciosa) -> None:
    found = _check(app, {"kind": "dose", "amount": "120caps", "product": "Red Bali"})
    assert found is not None
    assert found.grams == 60
    assert found.suggestions == ("12 caps",)  # 1.2 caps is not a dose anyone takes


def test_other_kinds_and_unknown_products_are_not_checked(app: Speciosa) -> None:
    assert _check(app, {"kind": "pain", "score": "9"}) is None
    assert _check(app, {"kind": "dose", "amount": "300caps", "product": "Nope"}) is None
