"""Every rule fires in some hand-made journal; every source id it cites exists; no alert
text recommends an amount of kratom; every safety threshold cites known sources."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from speciosa.journal.catalogues import Symptom
from speciosa.journal.models import Batch, LabResult, Limits, Medication, Product, SideEffect
from speciosa.knowledge import Threshold, load_knowledge, recommends_amount
from speciosa.safety import NO_ALERTS_NOTE, RULES, Alert, evaluate
from speciosa.safety.thresholds import ALL_SAFETY_THRESHOLDS

from .builders import NOW, ZONE, Journal, at, profile


def _risky() -> Journal:
    """Daily heavy use with nearly every risk: co-use, products, limits, profile findings."""
    meds = tuple(
        Medication(name=name, substance_class=cls)
        for name, cls in [
            ("tramadol", "opioid"),
            ("simvastatin", "other"),
            ("baclofen", "muscle_relaxant"),
            ("doxylamine", "sedating_antihistamine"),
            ("carbamazepine", "other"),  # changes CYP3A, so how much 7-OH forms
            ("paracetamol", "paracetamol"),
            ("sertraline", "serotonergic"),
        ]
    )
    products = [
        Product(name="Tabs", form="7oh_concentrate"),
        Product(
            name="Leaf",
            batches=(
                Batch(
                    code="L1",
                    lab=LabResult(
                        mitragynine_mg_per_g=10,
                        hydroxymitragynine_mg_per_g=1,
                        heavy_metals_pass=False,
                        passed=False,
                    ),
                ),
            ),
        ),
    ]
    journal = Journal(
        profile=profile(
            conditions=("migraine",),
            goals=("sleep",),
            medications=meds,
            pregnant_or_breastfeeding=True,
            health_conditions=("epilepsy", "copd", "sleep_apnoea", "liver_disease"),
            birth_year=1950,
            limits=Limits(grams_per_day=4, doses_per_day=2, use_days_per_week=5),
        ),
        products=products,
    )
    for d in range(125, 0, -1):
        journal.dose(d, "08:00", round(1 + 0.04 * (125 - d), 2), product="Leaf", batch="L1")
        journal.dose(d, "01:30", 1.0, product="Tabs")
    journal.dose(0, "08:00", 4.0, product="Leaf", batch="L1")
    journal.dose(0, "12:00", 1.0)
    for name in ("xanax", "zolpidem", "gabapentin", "quetiapine", "wine"):
        journal.substance(1, "10:00", name)
    journal.sleep(2, alcohol_drinks=1, sleep_aids=("melatonin",))
    for d in range(120, 0, 4):
        journal.headache(d, "14:00", hours=60)
    journal.side_effect(1, "12:00", Symptom.JAUNDICE)
    journal.side_effect(1, "13:00", Symptom.SEIZURE)
    return journal


def _gap_and_bowel(hard_after: int) -> Journal:
    """Regular use, then a gap with symptoms; a bowel diary that turns hard."""
    journal = Journal()
    journal.daily(range(56, 28, -1), grams=2.0)
    journal.daily(range(28, 3, -1), grams=4.0)
    journal.side_effect(2, "10:00", Symptom.RESTLESSNESS)
    journal.sows(2, "11:00", (2,) * 16)
    journal.side_effect(1, "09:00", Symptom.ITCHING)
    for d in range(56):
        hard = d < hard_after
        journal.bowel(d, "07:30", 2 if hard else 4, straining=hard, incomplete=hard)
    return journal


def _limits_near() -> Journal:
    journal = Journal(
        profile=profile(
            limits=Limits(grams_per_day=5, doses_per_day=5, use_days_per_week=7),
            conditions=("migraine",),
        )
    )
    for d in range(120, -1, -1):
        if d % 3:  # two days in three: 80 use days, no long streak
            journal.dose(d, "08:00", 1.0)
    for offset in range(2):
        journal.dose(0, f"1{offset}:00", 1.5)
    for d in range(0, 120, 2):
        journal.headache(d, "15:00", hours=3)
    return journal


def _break_and_return() -> Journal:
    """Regular use, a week's break with withdrawal signs, then a return with an extract, a
    7-OH product next to a benzodiazepine, a stimulant, headaches and red flags in notes."""
    journal = Journal(products=[Product(name="Gold", form="extract"), Product(name="7-OH tabs")])
    journal.daily(range(30, 9, -1))
    journal.side_effect(9, "10:00", Symptom.MUSCLE_ACHES)
    journal.side_effect(8, "10:00", Symptom.GOOSEBUMPS)
    journal.dose(3, "09:00", 2.0, product="Gold")
    journal.dose(2, "21:00", 0.5, product="7-OH tabs")
    journal.substance(2, "22:00", "alprazolam")
    journal.dose(1, "09:00", 2.0, product="Gold")
    journal.substance(1, "10:00", "adderall")
    for d in (20, 12, 5):
        journal.headache(d, "14:00", hours=3)
    journal.add(SideEffect(at=at(1, "18:00"), zone=ZONE, symptom=Symptom.OTHER, note="dark urine"))
    return journal


SCENARIOS = {
    "risky": _risky,
    "gap_and_bowel": lambda: _gap_and_bowel(12),
    "near": _limits_near,
    "break_and_return": _break_and_return,
}


def _all_alerts() -> Iterator[Alert]:
    for build in SCENARIOS.values():
        yield from evaluate(build().window(), now=NOW)
    yield from evaluate(_gap_and_bowel(56).window(), now=NOW)  # hard throughout: plain pattern


ALERTS = list(_all_alerts())


def _belongs(alert_rule_id: str, rule_id: str) -> bool:
    """Alert ids are the rule id, or the rule id with a dotted detail ("co_use.alcohol")."""
    return alert_rule_id == rule_id or alert_rule_id.startswith(rule_id + ".")


def test_every_rule_fires_in_some_scenario() -> None:
    fired = {alert.rule_id for alert in ALERTS}
    for rule in RULES:
        assert any(_belongs(r, rule.id) for r in fired), rule.id


def test_texts_cover_every_severity() -> None:
    assert {a.severity.value for a in ALERTS} == {"info", "caution", "warning", "urgent"}


@pytest.mark.parametrize("alert", ALERTS, ids=lambda a: a.rule_id)
def test_no_alert_text_recommends_an_amount(alert: Alert) -> None:
    for text in alert.texts():
        assert recommends_amount(text) is None, text


def test_every_cited_and_declared_source_exists() -> None:
    sources = load_knowledge().sources
    cited = {s for a in ALERTS for s in a.source_ids}
    declared = {s for rule in RULES for s in rule.source_ids}
    assert sorted((cited | declared) - set(sources)) == []
    assert all(a.source_ids and a.entry_ids for a in ALERTS)


def test_every_rule_declares_the_sources_its_alerts_cite() -> None:
    for alert in ALERTS:
        rule = next(r for r in RULES if _belongs(alert.rule_id, r.id))
        assert set(alert.source_ids) <= set(rule.source_ids), (alert.rule_id, rule.id)


@pytest.mark.parametrize(("name", "threshold"), sorted(ALL_SAFETY_THRESHOLDS.items()))
def test_safety_thresholds_cite_known_sources(name: str, threshold: Threshold) -> None:
    sources = load_knowledge().sources
    assert threshold.source_ids, name
    assert set(threshold.source_ids) <= set(sources), name
    assert recommends_amount(threshold.note) is None
    # every safety-only number is a convention, and says so (published ones are reused)
    assert "Speciosa's convention; no published cut-off." in threshold.note


def test_the_no_alerts_note_passes_the_checker() -> None:
    assert recommends_amount(NO_ALERTS_NOTE) is None
