"""Product checks for products used recently: concentrated 7-OH, and missing or failed
lab results (certificates of analysis).

7-OH is a trace alkaloid in natural leaf but is sold concentrated; Oklahoma's Kratom
Consumer Protection Act bars products whose 7-OH exceeds 2% of the alkaloid fraction.
Commercial products vary more than ten-fold in mitragynine and some carried lead, nickel
or microbes (Prozialeck 2020; FDA 2019; CDC 2018), and there is no federal COA standard.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from speciosa.journal.catalogues import ProductForm
from speciosa.journal.models import Batch, Dose, LabResult, Product
from speciosa.knowledge.thresholds import SEVEN_OH_ALKALOID_SHARE
from speciosa.safety.alerts import Alert, Severity
from speciosa.safety.rules.base import Rule, from_interaction, interaction_sources, plural
from speciosa.safety.thresholds import RECENT_USE_DAYS
from speciosa.safety.window import JournalWindow, Stored, ids, latest

LAB_SOURCES: tuple[str, ...] = (
    "prozialeck-2020",
    "fda-2019-heavy-metals",
    "cdc-2018-salmonella",
    "oklahoma-kcpa",
)


def seven_oh_share(lab: LabResult | None) -> float | None:
    """7-OH as a percent of mitragynine + 7-OH, when the lab reported both."""
    if lab is None or lab.mitragynine_mg_per_g is None or lab.hydroxymitragynine_mg_per_g is None:
        return None
    total = lab.mitragynine_mg_per_g + lab.hydroxymitragynine_mg_per_g
    return None if total <= 0 else lab.hydroxymitragynine_mg_per_g / total * 100


def _batch_of(product: Product, dose: Dose) -> Batch | None:
    if dose.batch is None:
        return None
    return next((b for b in product.batches if b.code.casefold() == dose.batch.casefold()), None)


def _batches(product: Product, dose: Dose) -> list[Batch]:
    """The batch a dose names; without one, every batch of the product (any may be it)."""
    named = _batch_of(product, dose)
    if named is not None:
        return [named]
    return [] if dose.batch is not None else list(product.batches)


def _used(window: JournalWindow, now: datetime) -> dict[str, tuple[Product, list[Stored[Dose]]]]:
    """Products with a dose in the recent window, keyed by name, with those doses."""
    found: dict[str, tuple[Product, list[Stored[Dose]]]] = {}
    grouped: dict[str, list[Stored[Dose]]] = defaultdict(list)
    for dose in window.doses(now=now, since=now - timedelta(days=RECENT_USE_DAYS.value)):
        product = window.product(dose.entry.product)
        if product is not None:
            grouped[product.name].append(dose)
            found[product.name] = (product, grouped[product.name])
    return dict(sorted(found.items()))


# --- concentrated 7-OH --------------------------------------------------------------------


def _too_much_7oh(batch: Batch) -> bool:
    share = seven_oh_share(batch.lab)
    return share is not None and SEVEN_OH_ALKALOID_SHARE.reached(share)


def _seven_oh_reason(product: Product, doses: list[Stored[Dose]]) -> str | None:
    if product.form is ProductForm.CONCENTRATE_7OH:
        return f"{product.name!r} is recorded as a concentrated 7-OH product."
    flagged = sorted(
        {b.code for d in doses for b in _batches(product, d.entry) if _too_much_7oh(b)}
    )
    if not flagged:
        return None
    shares = ", ".join(
        f"{b.code}: {seven_oh_share(b.lab):.1f}%" for b in product.batches if b.code in flagged
    )
    return (
        f"The lab result for {product.name!r} puts 7-OH above "
        f"{SEVEN_OH_ALKALOID_SHARE.value:g}% of mitragynine plus 7-OH ({shares}), the limit "
        "in state Kratom Consumer Protection Acts; natural leaf has only a trace."
    )


def check_seven_oh(window: JournalWindow, now: datetime) -> list[Alert]:
    """A warning for each recently used product that is, or tests as, a 7-OH concentrate."""
    alerts = []
    for product, doses in _used(window, now).values():
        reason = _seven_oh_reason(product, doses)
        if reason is not None:
            finding = f"{reason} You logged {plural(len(doses), 'dose')} of it recently."
            alerts.append(
                from_interaction(
                    "seven_oh_product",
                    "concentrated_7oh",
                    finding,
                    doses,
                    now=now,
                    extra_sources=SEVEN_OH_ALKALOID_SHARE.source_ids,
                )
            )
    return alerts


# --- lab results --------------------------------------------------------------------------


def _failed(lab: LabResult) -> list[str]:
    checks = {
        "overall": lab.passed,
        "heavy metals": lab.heavy_metals_pass,
        "microbes": lab.microbial_pass,
    }
    return [name for name, passed in checks.items() if passed is False]


def _failures(product: Product, doses: list[Stored[Dose]]) -> dict[str, list[str]]:
    """Batch code -> failed checks, for the batches these doses may have come from."""
    out: dict[str, list[str]] = {}
    for dose in doses:
        for batch in _batches(product, dose.entry):
            if batch.lab is not None and _failed(batch.lab):
                out[batch.code] = _failed(batch.lab)
    return dict(sorted(out.items()))


def _untested(product: Product, doses: list[Stored[Dose]]) -> list[Stored[Dose]]:
    """Doses with no lab result behind them (no batch, unknown batch, or batch untested)."""
    return [d for d in doses if not any(b.lab is not None for b in _batches(product, d.entry))]


def check_lab_failed(window: JournalWindow, now: datetime) -> list[Alert]:
    """A warning for each recently used product whose lab result failed a check."""
    alerts = []
    for product, doses in _used(window, now).values():
        failures = _failures(product, doses)
        if not failures:
            continue
        listed = "; ".join(f"batch {code}: {', '.join(why)}" for code, why in failures.items())
        alerts.append(
            Alert(
                rule_id="product_lab_failed",
                severity=Severity.WARNING,
                title=f"Failed lab test: {product.name}",
                explanation=(
                    f"The lab result you recorded for {product.name!r} failed ({listed}). Tests "
                    "of commercial kratom have found lead, nickel and microbes, and a 2018 "
                    "Salmonella outbreak was linked to kratom products."
                ),
                what_to_do=(
                    "Stop using the failed batch and keep it aside in case it needs reporting; "
                    "ask the seller for an explanation. Report illness after using it to a "
                    "doctor or poison centre."
                ),
                source_ids=LAB_SOURCES,
                entry_ids=ids(doses),
                at=latest(doses, now),
            )
        )
    return alerts


def check_lab_missing(window: JournalWindow, now: datetime) -> list[Alert]:
    """A note for each recently used product whose doses have no lab result behind them."""
    alerts = []
    for product, doses in _used(window, now).values():
        untested = _untested(product, doses)
        if not untested:
            continue
        alerts.append(
            Alert(
                rule_id="product_lab_missing",
                severity=Severity.INFO,
                title=f"No lab result: {product.name}",
                explanation=(
                    f"{plural(len(untested), 'dose')} of {product.name!r} in the last "
                    f"{RECENT_USE_DAYS.value:g} days came from a batch without a recorded lab "
                    "result (certificate of analysis). Mitragynine content varies more than "
                    "ten-fold between products, some contained lead, nickel or microbes, and "
                    "there is no federal testing standard."
                ),
                what_to_do=(
                    "Ask the seller for the batch's certificate of analysis (alkaloids, heavy "
                    "metals, microbes) and record it with the batch, so Speciosa can check it."
                ),
                source_ids=LAB_SOURCES,
                entry_ids=ids(untested),
                at=latest(untested, now),
            )
        )
    return alerts


SEVEN_OH_RULE = Rule(
    id="seven_oh_product",
    concern="a concentrated 7-OH product, by form or by lab result",
    check=check_seven_oh,
    source_ids=(*interaction_sources("concentrated_7oh"), *SEVEN_OH_ALKALOID_SHARE.source_ids),
)
LAB_FAILED_RULE = Rule(
    id="product_lab_failed",
    concern="a product whose lab result failed",
    check=check_lab_failed,
    source_ids=LAB_SOURCES,
)
LAB_MISSING_RULE = Rule(
    id="product_lab_missing",
    concern="a product used without a lab result",
    check=check_lab_missing,
    source_ids=LAB_SOURCES,
)
