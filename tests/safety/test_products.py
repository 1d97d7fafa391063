"""Product checks: concentrated 7-OH (form or lab share), failed and missing lab results."""

from __future__ import annotations

import pytest

from speciosa.journal.models import Batch, LabResult, Product
from speciosa.safety.rules.products import seven_oh_share

from .builders import Journal
from .helpers import alerts_for, only

PASS = LabResult(
    mitragynine_mg_per_g=15,
    hydroxymitragynine_mg_per_g=0.1,
    heavy_metals_pass=True,
    microbial_pass=True,
    passed=True,
)


def _journal(product: Product, batch: str | None = None, day: int = 2) -> tuple[Journal, int]:
    journal = Journal(products=[product])
    return journal, journal.dose(day, product=product.name, batch=batch)


def test_a_7oh_concentrate_form_raises_the_catalogue_warning() -> None:
    tablets = Product(name="Blue tabs", form="7oh_concentrate")
    journal, dose = _journal(tablets)
    alert = only(journal.window(), "seven_oh_product")
    assert alert.severity.value == "warning"
    assert alert.entry_ids == (dose,)
    assert "fda-2025-7oh" in alert.source_ids
    assert "oklahoma-kcpa" in alert.source_ids


@pytest.mark.parametrize(
    ("mg", "seven_oh", "fires"),
    [
        (49.0, 1.0, False),  # 1 / (49 + 1) = exactly 2%: the KCPA bars *more than* 2%
        (48.0, 2.0, True),  # 2 / 50 = 4%
        (15.0, None, False),  # no 7-OH figure: no share to judge
    ],
)
def test_lab_share_of_7oh_against_the_2_percent_limit(
    mg: float, seven_oh: float | None, fires: bool
) -> None:
    lab = LabResult(mitragynine_mg_per_g=mg, hydroxymitragynine_mg_per_g=seven_oh, passed=True)
    leaf = Product(name="Leaf", batches=(Batch(code="A1", lab=lab),))
    journal, _ = _journal(leaf, batch="A1")
    assert bool(alerts_for(journal.window(), "seven_oh_product")) is fires


def test_seven_oh_share_is_percent_of_mitragynine_plus_7oh() -> None:
    assert seven_oh_share(LabResult(mitragynine_mg_per_g=49, hydroxymitragynine_mg_per_g=1)) == 2.0
    assert seven_oh_share(LabResult(mitragynine_mg_per_g=0, hydroxymitragynine_mg_per_g=0)) is None
    assert seven_oh_share(None) is None


def test_failed_lab_result_warns_for_the_batch_used() -> None:
    failed = LabResult(heavy_metals_pass=False, microbial_pass=True, passed=False)
    product = Product(
        name="Red", batches=(Batch(code="OK1", lab=PASS), Batch(code="BAD", lab=failed))
    )
    journal, dose = _journal(product, batch="BAD")
    alert = only(journal.window(), "product_lab_failed")
    assert alert.severity.value == "warning"
    assert "batch BAD: overall, heavy metals" in alert.explanation
    assert alert.entry_ids == (dose,)
    # the passing batch, named on the dose, is fine
    journal2, _ = _journal(product, batch="OK1")
    assert alerts_for(journal2.window(), "product_lab_failed") == []


def test_missing_lab_result_is_a_note_and_a_tested_batch_is_silent() -> None:
    untested = Product(name="Stall powder")
    journal, dose = _journal(untested)
    alert = only(journal.window(), "product_lab_missing")
    assert alert.severity.value == "info"
    assert alert.entry_ids == (dose,)
    tested = Product(name="Tested", batches=(Batch(code="T1", lab=PASS),))
    journal2, _ = _journal(tested, batch="T1")
    assert evaluate_ids(journal2) == set()


def test_products_not_used_in_the_last_30_days_are_not_checked() -> None:
    journal, _ = _journal(Product(name="Old", form="7oh_concentrate"), day=31)
    assert evaluate_ids(journal) == set()


def evaluate_ids(journal: Journal) -> set[str]:
    from speciosa.safety import evaluate

    from .builders import NOW

    return {a.rule_id for a in evaluate(journal.window(), now=NOW)}
