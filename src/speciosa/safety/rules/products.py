"""Product checks for products used recently: concentrated 7-OH, extracts, and missing or
failed lab results (certificates of analysis).

7-OH is a trace alkaloid in natural leaf but is sold concentrated. A product counts as 7-OH
when its form says so, when its name or description says so ("7-OH tablets", "7OH",
"7-hydroxymitragynine"; a dose naming an unlisted product counts by its name too), or when
its lab result puts 7-OH above 2% of mitragynine plus 7-OH. Oklahoma's Kratom Consumer
Protection Act bars products whose 7-OH is more than 2% of the product's *total* alkaloids;
certificates usually list only mitragynine and 7-OH, and the share of those two is an upper
bound on the share of total alkaloids, so the alert says the product *may* be over the limit.
A 7-OH product used with a depressant (within the co-use window, on a dose night, or as a
regular medicine) is urgent. Extracts get their own caution: they concentrate the leaf's
alkaloids and their strength is not standardised. Commercial products vary more than
ten-fold in mitragynine and some carried lead, nickel or microbes (Prozialeck 2020; FDA
2019; CDC 2018), and there is no federal COA standard.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from datetime import datetime, timedelta

from speciosa.journal.catalogues import ProductForm
from speciosa.journal.models import Batch, Dose, LabResult, Product
from speciosa.knowledge.thresholds import SEVEN_OH_ALKALOID_SHARE
from speciosa.safety.alerts import Alert, Severity
from speciosa.safety.rules import co_use
from speciosa.safety.rules.base import (
    Rule,
    from_interaction,
    interaction,
    interaction_sources,
    local_date,
    plural,
)
from speciosa.safety.thresholds import CO_USE_WINDOW_HOURS, RECENT_USE_DAYS
from speciosa.safety.window import Identified, JournalWindow, Stored, ids, latest

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


def _used(
    window: JournalWindow, now: datetime, *, unlisted: bool = False
) -> dict[str, tuple[Product, list[Stored[Dose]]]]:
    """Products with a dose in the recent window, keyed by name, with those doses.

    With ``unlisted``, a dose naming a product that is not in the product list counts too,
    as a bare product of that name (so its name can still be read).
    """
    # Four rules ask this of the same window: worked out once per window.
    return window.remembered(
        ("products.used", now, unlisted), lambda: _grouped(window, now, unlisted)
    )


def _grouped(
    window: JournalWindow, now: datetime, unlisted: bool
) -> dict[str, tuple[Product, list[Stored[Dose]]]]:
    found: dict[str, tuple[Product, list[Stored[Dose]]]] = {}
    grouped: dict[str, list[Stored[Dose]]] = defaultdict(list)
    for dose in window.doses(now=now, since=now - timedelta(days=RECENT_USE_DAYS.value)):
        product = window.product(dose.entry.product)
        if product is None and unlisted and dose.entry.product is not None:
            product = Product(name=dose.entry.product)
        if product is not None:
            key = product.name.casefold()
            grouped[key].append(dose)
            found[key] = (found.get(key, (product, []))[0], grouped[key])
    return dict(sorted(found.items()))


# --- concentrated 7-OH and extracts -------------------------------------------------------

# "7-OH", "7OH", "7 oh", "7-hydroxy", "7-hydroxymitragynine", any case; not "17-OH".
SEVEN_OH_WORDS = re.compile(r"(?<![\w.])7\s*[-‐‑–]?\s*(?:oh\b|hydroxy)", re.IGNORECASE)
EXTRACT_WORDS = re.compile(r"\bextracts?\b", re.IGNORECASE)
EXTRACT_SOURCES: tuple[str, ...] = ("prozialeck-2020", "lydecker-2016")


def _described(product: Product) -> str:
    """What a person wrote about a product: its name, label and description."""
    return " ".join(part for part in (product.name, product.vein, product.note) if part)


def named_seven_oh(product: Product) -> bool:
    """Whether a product is recorded, named or described as a 7-OH product."""
    return product.form is ProductForm.CONCENTRATE_7OH or bool(
        SEVEN_OH_WORDS.search(_described(product))
    )


def is_seven_oh_dose(window: JournalWindow, dose: Dose) -> bool:
    """Whether a dose came from a 7-OH product (by form, name, description or lab share)."""
    product = window.product(dose.product)
    if product is None:
        return dose.product is not None and bool(SEVEN_OH_WORDS.search(dose.product))
    return named_seven_oh(product) or any(_too_much_7oh(b) for b in _batches(product, dose))


def _too_much_7oh(batch: Batch) -> bool:
    share = seven_oh_share(batch.lab)
    return share is not None and SEVEN_OH_ALKALOID_SHARE.reached(share)


def _seven_oh_reason(product: Product, doses: list[Stored[Dose]]) -> str | None:
    if product.form is ProductForm.CONCENTRATE_7OH:
        return f"{product.name!r} is recorded as a concentrated 7-OH product."
    if SEVEN_OH_WORDS.search(_described(product)):
        return (
            f"{product.name!r} is named or described as a 7-OH product, so Speciosa treats it "
            "as a concentrate whatever form is recorded."
        )
    flagged = sorted(
        {b.code for d in doses for b in _batches(product, d.entry) if _too_much_7oh(b)}
    )
    if not flagged:
        return None
    shares = ", ".join(
        f"{b.code}: {seven_oh_share(b.lab):.1f}%" for b in product.batches if b.code in flagged
    )
    return (
        f"The lab result for {product.name!r} gives 7-OH as more than "
        f"{SEVEN_OH_ALKALOID_SHARE.value:g}% of mitragynine plus 7-OH ({shares}). Oklahoma's "
        f"Kratom Consumer Protection Act bars products whose 7-OH is more than "
        f"{SEVEN_OH_ALKALOID_SHARE.value:g}% of the product's total alkaloids. The certificate "
        "does not list the other alkaloids, so the share of total alkaloids is at most the "
        "figure above: the product may be over that limit, and it is far above natural leaf, "
        "which has only a trace of 7-OH."
    )


def _with_depressants(
    window: JournalWindow, doses: list[Stored[Dose]], now: datetime
) -> tuple[str, list[Identified]] | None:
    """Depressants used with these doses: near them, on their nights, or as regular medicines."""
    events, partners = co_use.near_doses(window, doses, now)
    used = [cls for cls in co_use.DEPRESSANTS if events[cls]]
    parts = [co_use.describe(cls, events[cls]) for cls in used]
    regular = sorted(
        m.name for m in window.profile.medications if m.substance_class in co_use.DEPRESSANTS
    )
    if regular:
        parts.append(f"{', '.join(regular)} (a regular medicine in your profile)")
    if not parts:
        return None
    triggers: list[Identified] = [e for cls in used for e in (*events[cls], *partners[cls])]
    last = max((e.at for cls in used for e in events[cls]), default=None)
    when = f", most recently on {local_date(last, window.profile.timezone)}" if last else ""
    finding = (
        f"Your journal also shows it used with {'; '.join(parts)}{when} (logged within "
        f"{CO_USE_WINDOW_HOURS.value:g} hours of a dose or on the same night, Speciosa's "
        "convention)."
    )
    return finding, triggers


_URGENT_WHAT_TO_DO = (
    "Do not use a 7-OH product together with alcohol, sleeping pills, benzodiazepines, "
    "gabapentin or pregabalin, opioids or other sedating medicines: this combination can stop "
    "breathing. Do not use alone; keep naloxone at hand and make sure someone nearby knows how "
    "to use it. Call emergency services for slow or shallow breathing, blue lips or if someone "
    "cannot be woken, and tell the prescriber of the other medicine about the 7-OH product."
)
_URGENT_SOURCES: tuple[str, ...] = ("fda-2016-opioid-benzo", *CO_USE_WINDOW_HOURS.source_ids)


def check_seven_oh(window: JournalWindow, now: datetime) -> list[Alert]:
    """A warning for each recently used product that is, or tests as, a 7-OH concentrate;
    urgent when it was used with a depressant."""
    alerts = []
    for product, doses in _used(window, now, unlisted=True).values():
        reason = _seven_oh_reason(product, doses)
        if reason is None:
            continue
        finding = f"{reason} You logged {plural(len(doses), 'dose')} of it recently."
        alert = from_interaction(
            "seven_oh_product",
            "concentrated_7oh",
            finding,
            doses,
            now=now,
            extra_sources=SEVEN_OH_ALKALOID_SHARE.source_ids,
        )
        combined = _with_depressants(window, doses, now)
        if combined is not None:
            extra, triggers = combined
            alert = dataclasses.replace(
                alert,
                severity=Severity.URGENT,
                title="7-OH product used with a depressant",
                explanation=f"{finding} {extra} {interaction('concentrated_7oh').explanation}",
                what_to_do=_URGENT_WHAT_TO_DO,
                source_ids=tuple(dict.fromkeys((*alert.source_ids, *_URGENT_SOURCES))),
                entry_ids=ids([*doses, *triggers]),
                at=latest([*doses, *triggers], now),
            )
        alerts.append(alert)
    return alerts


def check_extract(window: JournalWindow, now: datetime) -> list[Alert]:
    """A caution for each recently used extract (by form, name or description), unless it is
    already flagged as a 7-OH product."""
    alerts = []
    for product, doses in _used(window, now, unlisted=True).values():
        is_extract = product.form is ProductForm.EXTRACT or EXTRACT_WORDS.search(
            _described(product)
        )
        if not is_extract or _seven_oh_reason(product, doses) is not None:
            continue
        alerts.append(
            Alert(
                rule_id="extract_product",
                severity=Severity.CAUTION,
                title=f"Kratom extract: {product.name}",
                explanation=(
                    f"{product.name!r} is recorded as an extract, and you logged "
                    f"{plural(len(doses), 'dose')} of it in the last "
                    f"{RECENT_USE_DAYS.value:g} days. Extracts concentrate the leaf's "
                    "alkaloids, so a gram of extract is not comparable with a gram of leaf, and "
                    "their strength is not standardised: tested kratom products varied more "
                    "than ten-fold in mitragynine, and some commercial products had far more "
                    "7-OH than natural leaf."
                ),
                what_to_do=(
                    "Your experience with leaf does not tell you how strong an extract is. Check "
                    "the label and the batch's certificate of analysis for mitragynine and 7-OH "
                    "and record them with the batch, so Speciosa can check the 7-OH share. Do "
                    "not combine extracts with alcohol or other sedating drugs, and seek "
                    "emergency help for slow breathing or if someone cannot be woken."
                ),
                source_ids=EXTRACT_SOURCES,
                entry_ids=ids(doses),
                at=latest(doses, now),
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
    concern="a concentrated 7-OH product, by form, name, description or lab result; urgent "
    "with a depressant",
    check=check_seven_oh,
    source_ids=tuple(
        dict.fromkeys(
            (
                *interaction_sources("concentrated_7oh"),
                *SEVEN_OH_ALKALOID_SHARE.source_ids,
                *_URGENT_SOURCES,
            )
        )
    ),
)
EXTRACT_RULE = Rule(
    id="extract_product",
    concern="a kratom extract (concentrated, strength not standardised)",
    check=check_extract,
    source_ids=EXTRACT_SOURCES,
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
