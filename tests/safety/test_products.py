"""Product checks: concentrated 7-OH (form, name, description or lab share; urgent with a
depressant), extracts, failed and missing lab results."""

from __future__ import annotations

import pytest

from speciosa.journal.models import Batch, LabResult, Medication, Product
from speciosa.knowledge import recommends_amount
from speciosa.knowledge.thresholds import SEVEN_OH_ALKALOID_SHARE
from speciosa.safety import evaluate, pauses_plans
from speciosa.safety.rules.products import seven_oh_share

from .builders import NOW, Journal, profile
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
    return {a.rule_id for a in evaluate(journal.window(), now=NOW)}


# --- 7-OH by name or description, extracts, 7-OH with depressants ------------------------------


@pytest.mark.parametrize(
    ("name", "note"),
    [
        ("7-OH tablet", None),
        ("Blue 7OH", None),
        ("7 oh shots", None),
        ("7-Hydroxy gummies", None),
        ("Relief tabs", "7-hydroxymitragynine 15 mg per tablet"),
        ("Relief tabs", "contains 7‑OH"),
    ],
)
def test_a_product_named_or_described_as_7oh_is_flagged_whatever_its_form(
    name: str, note: str | None
) -> None:
    product = Product(name=name, form="powder", note=note)  # form left as powder
    journal, dose = _journal(product)
    alert = only(journal.window(), "seven_oh_product")
    assert alert.severity.value == "warning"
    assert alert.entry_ids == (dose,)
    assert "named or described as a 7-OH product" in alert.explanation


def test_a_dose_naming_an_unlisted_7oh_product_is_flagged() -> None:
    journal = Journal()
    dose = journal.dose(2, product="7OH shot")
    assert only(journal.window(), "seven_oh_product").entry_ids == (dose,)


@pytest.mark.parametrize("name", ["17-OH progesterone", "Red Bali", "Maeng Da 7 day pack"])
def test_other_names_are_not_7oh(name: str) -> None:
    journal, _ = _journal(Product(name=name))
    assert alerts_for(journal.window(), "seven_oh_product") == []


def test_the_lab_share_text_states_the_oklahoma_limit_on_total_alkaloids() -> None:
    lab = LabResult(mitragynine_mg_per_g=48, hydroxymitragynine_mg_per_g=2, passed=True)
    journal, _ = _journal(Product(name="Leaf", batches=(Batch(code="A1", lab=lab),)), batch="A1")
    alert = only(journal.window(), "seven_oh_product")
    assert "more than 2% of the product's total alkaloids" in alert.explanation
    assert "A1: 4.0%" in alert.explanation
    assert "may be over that limit" in alert.explanation
    assert "alkaloid fraction" not in alert.explanation
    assert "total alkaloids" in SEVEN_OH_ALKALOID_SHARE.unit


@pytest.mark.parametrize(
    "product",
    [
        Product(name="Gold", form="extract"),
        Product(name="Kratom Extract 50x"),
        Product(name="Resin", note="full-spectrum extract"),
    ],
    ids=["form", "name", "note"],
)
def test_an_extract_gets_its_own_caution(product: Product) -> None:
    journal, dose = _journal(product)
    alert = only(journal.window(), "extract_product")
    assert alert.severity.value == "caution"
    assert alert.entry_ids == (dose,)
    assert set(alert.source_ids) == {"prozialeck-2020", "lydecker-2016"}
    for text in alert.texts():
        assert recommends_amount(text) is None, text


def test_a_7oh_extract_is_reported_once_as_7oh() -> None:
    journal, _ = _journal(Product(name="7-OH extract", form="extract"))
    assert {a.rule_id for a in evaluate(journal.window(), now=NOW)} >= {"seven_oh_product"}
    assert alerts_for(journal.window(), "extract_product") == []


def test_a_7oh_product_with_a_depressant_near_a_dose_is_urgent() -> None:
    journal = Journal(products=[Product(name="7-OH tablet")])
    dose = journal.dose(2, "21:00", product="7-OH tablet")
    pill = journal.substance(2, "22:30", "xanax")
    alert = only(journal.window(), "seven_oh_product")
    assert alert.severity.value == "urgent"
    assert alert.title == "7-OH product used with a depressant"
    assert alert.entry_ids == (dose, pill)
    assert "a benzodiazepine (xanax)" in alert.explanation
    assert "naloxone" in alert.what_to_do
    assert "fda-2016-opioid-benzo" in alert.source_ids
    assert pauses_plans(evaluate(journal.window(), now=NOW))
    for text in alert.texts():
        assert recommends_amount(text) is None, text


def test_a_7oh_product_with_a_regular_depressant_medicine_is_urgent() -> None:
    meds = (Medication(name="gabapentin", substance_class="gabapentinoid"),)
    tabs = Product(name="Tabs", form="7oh_concentrate")
    journal = Journal(profile=profile(medications=meds), products=[tabs])
    journal.dose(2, product="Tabs")
    alert = only(journal.window(), "seven_oh_product")
    assert alert.severity.value == "urgent"
    assert "gabapentin (a regular medicine in your profile)" in alert.explanation


def test_a_7oh_product_with_a_depressant_far_from_its_doses_stays_a_warning() -> None:
    journal = Journal(products=[Product(name="7-OH tablet")])
    journal.dose(2, "09:00", product="7-OH tablet")
    journal.substance(2, "16:00", "xanax")  # 7 h later: outside the co-use window
    assert only(journal.window(), "seven_oh_product").severity.value == "warning"
