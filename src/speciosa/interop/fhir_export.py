"""FHIR R4 export: the journal as one ``collection`` Bundle (JSON-ready dict).

What goes in (docs/formats.md lists every code):

- one pseudonymous **Patient**: no name, no birth date, an id that is random per journal
  (derived from the first entry's uid, so repeated exports of one journal link up) and the
  security label ``PSEUDED``;
- a **Condition** per condition in the profile (self-reported);
- a **MedicationStatement** per kratom dose (``completed``, grams as UCUM ``g``), pointing
  to a **Medication** per product and batch (lot number), and one per other substance
  taken and per regular medication (``active``), coded with the substance class;
- **Observations**: pain (LOINC 72514-3), sleep (LOINC 93832-4 total sleep time in
  minutes, with onset latency, WASO, awakenings, time in bed, efficiency and quality as
  components), Bristol stool form (SNOMED CT 443172007), and fatigue, energy, soreness,
  headache episodes, side effects, workouts and questionnaire scores under the local code
  system :data:`JOURNAL_SYSTEM` (no verified standard code exists for them).

Pure: data in, a dict out. Output is deterministic (ids are UUIDv5 of the entries), and
:func:`validate_bundle` checks it with ``fhir.resources`` (R4B models, structurally R4 for
these resources).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from speciosa.instruments.questionnaires import QUESTIONNAIRES
from speciosa.interop.csv_export import sleep_metrics
from speciosa.journal import clock
from speciosa.journal.catalogues import SubstanceClass
from speciosa.journal.models import (
    Bowel,
    Dose,
    EntryBase,
    Fatigue,
    Headache,
    Pain,
    Product,
    Profile,
    Questionnaire,
    SideEffect,
    Sleep,
    Soreness,
    StoredEntry,
    Substance,
    Workout,
)

FHIR_VERSION = "4.0.1"
LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
STATEMENT_CATEGORY = "http://terminology.hl7.org/CodeSystem/medication-statement-category"
CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
SECURITY_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ObservationValue"

BASE = "https://speciosa.example/fhir/CodeSystem"
JOURNAL_SYSTEM = f"{BASE}/journal"
SUBSTANCE_CLASS_SYSTEM = f"{BASE}/substance-class"
SYMPTOM_SYSTEM = f"{BASE}/symptom"
CONDITION_SYSTEM = f"{BASE}/condition"

# Standard codes used (fact sheet C1; verified in HL7 IG sources, see docs/formats.md).
PAIN_CODE = (LOINC, "72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported")
SLEEP_DURATION_CODE = (LOINC, "93832-4", "Sleep duration")
BRISTOL_CODE = (SNOMED, "443172007", "Bristol stool form score")

# The local code system: code -> display. docs/formats.md documents each (a test checks).
JOURNAL_CODES: dict[str, str] = {
    "kratom": "Kratom (Mitragyna speciosa) product",
    "sleep-onset-latency": "Sleep onset latency (Consensus Sleep Diary item 3), minutes",
    "wake-after-sleep-onset": "Wake after sleep onset (CSD item 5), minutes",
    "number-of-awakenings": "Number of awakenings (CSD item 4)",
    "time-in-bed": "Time in bed (CSD items 1 to 7), minutes",
    "sleep-efficiency": "Sleep efficiency (total sleep time / time in bed), percent",
    "sleep-quality": "Sleep quality (CSD item 8), 1 very poor to 5 very good",
    "rested": "Feeling rested (CSD), 1 not at all to 5 very well-rested",
    "pain-interference": "Pain interference, 0-10",
    "fatigue": "Fatigue, 0-10 numeric rating",
    "energy": "Energy, 0-10 numeric rating",
    "muscle-soreness": "Muscle soreness, 0-10 numeric rating",
    "headache-episode": "Headache episode, peak intensity 0-10",
    "side-effect": "Side effect reported by the person",
    "side-effect-severity": "Side effect severity, 1 mild, 2 moderate, 3 severe",
    "workout": "Workout duration, minutes",
    "workout-intensity": "Workout intensity (light, moderate, hard)",
    "bowel-straining": "Straining during the bowel movement",
    "bowel-incomplete": "Sensation of incomplete evacuation",
    "bowel-blockage": "Sensation of anorectal blockage",
    "bowel-manual": "Manual manoeuvres needed",
    "bowel-spontaneous": "Spontaneous (no laxative or enema)",
    "sds-score": "Severity of Dependence Scale, total score (0-15)",
    "sows-score": "Subjective Opiate Withdrawal Scale, total score (0-64)",
    "fss-score": "Fatigue Severity Scale, mean item score (1-7)",
    "peg-score": "PEG pain scale, mean of 3 items (0-10)",
}
QUESTIONNAIRE_CODE = "{instrument}-score"

_NAMESPACE = uuid.UUID("6f1c8d52-3a7e-5b8f-9c61-2d4e8a9b0c17")


def export_fhir(
    *,
    profile: Profile | None,
    products: Sequence[Product],
    entries: Iterable[EntryBase | StoredEntry],
    now: datetime,
    patient_id: str | None = None,
    validate: bool = True,
) -> dict[str, Any]:
    """The journal as a FHIR R4 ``collection`` Bundle, ready for ``json.dumps``."""
    items = sorted(entries, key=lambda e: (_entry(e).at, _identity(e)))
    pid = patient_id or _patient_id(items)
    builder = _Builder(pid, {p.name: p for p in products})
    builder.patient()
    if profile is not None:
        builder.profile(profile)
    for item in items:
        builder.entry(item)
    bundle: dict[str, Any] = {
        "resourceType": "Bundle",
        "id": str(uuid.uuid5(_NAMESPACE, f"bundle:{pid}:{clock.iso_utc(now)}")),
        "meta": {"lastUpdated": _instant(now)},
        "type": "collection",
        "timestamp": _instant(now),
        "entry": [
            {"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource}
            for resource in builder.resources
        ],
    }
    if validate:
        validate_bundle(bundle)
    return bundle


def validate_bundle(bundle: dict[str, Any]) -> None:
    """Structural validation with ``fhir.resources`` (R4B); raises ValueError when invalid."""
    from fhir.resources.R4B.bundle import Bundle
    from pydantic import ValidationError

    try:
        Bundle.model_validate(bundle)
    except ValidationError as exc:
        raise ValueError(f"the FHIR export is not valid R4: {exc}") from exc


# --------------------------------------------------------------------------- building


class _Builder:
    def __init__(self, patient_id: str, products: dict[str, Product]) -> None:
        self.patient_id = patient_id
        self.products = products
        self.resources: list[dict[str, Any]] = []
        self._medications: dict[tuple[str, str | None], str] = {}

    @property
    def subject(self) -> dict[str, str]:
        return {"reference": f"urn:uuid:{self.patient_id}"}

    def patient(self) -> None:
        self.resources.append(
            {
                "resourceType": "Patient",
                "id": self.patient_id,
                "meta": {
                    "security": [
                        {"system": SECURITY_SYSTEM, "code": "PSEUDED", "display": "pseudonymized"}
                    ]
                },
                "active": True,
            }
        )

    def profile(self, profile: Profile) -> None:
        for condition in profile.conditions:
            self.resources.append(
                {
                    "resourceType": "Condition",
                    "id": self._id(f"condition:{condition.value}"),
                    "clinicalStatus": _concept(CONDITION_CLINICAL, "active", "Active"),
                    "code": _concept(
                        CONDITION_SYSTEM, condition.value, condition.value.replace("_", " ")
                    ),
                    "subject": self.subject,
                    "note": [{"text": "Self-reported in the Speciosa journal."}],
                }
            )
        for medication in profile.medications:
            self.resources.append(
                {
                    "resourceType": "MedicationStatement",
                    "id": self._id(f"medication:{medication.name}"),
                    "status": "active",
                    "category": _concept(STATEMENT_CATEGORY, "patientspecified"),
                    "medicationCodeableConcept": _substance_concept(
                        medication.name, medication.substance_class
                    ),
                    "subject": self.subject,
                    "informationSource": self.subject,
                    "note": [{"text": "A regular medication listed in the person's profile."}],
                }
            )

    def entry(self, item: EntryBase | StoredEntry) -> None:
        entry = _entry(item)
        rid = self._id(f"entry:{_identity(item)}")
        if isinstance(entry, Dose):
            resource = self._dose(rid, entry)
        elif isinstance(entry, Substance):
            resource = self._substance(rid, entry)
        else:
            built = self._observation(rid, entry)
            if built is None:
                return
            resource = built
        if isinstance(item, StoredEntry):
            identifier = _uid_identifier(item.uid)
            if identifier is not None:
                resource["identifier"] = [identifier]
            if resource["resourceType"] == "MedicationStatement":
                resource["dateAsserted"] = _when(item.created_at, entry.zone)
        if entry.note:
            resource["note"] = [{"text": entry.note}]
        self.resources.append(_ordered(resource))

    # ------------------------------------------------------------------ medications

    def _dose(self, rid: str, dose: Dose) -> dict[str, Any]:
        resource: dict[str, Any] = {
            "resourceType": "MedicationStatement",
            "id": rid,
            "status": "completed",
            "category": _concept(STATEMENT_CATEGORY, "patientspecified"),
            "subject": self.subject,
            "effectiveDateTime": _when(dose.at, dose.zone),
            "informationSource": self.subject,
        }
        if dose.product is None:
            resource["medicationCodeableConcept"] = {
                **_concept(JOURNAL_SYSTEM, "kratom", JOURNAL_CODES["kratom"]),
                "text": "Kratom (product not recorded)",
            }
        else:
            resource["medicationReference"] = {
                "reference": f"urn:uuid:{self._medication(dose.product, dose.batch)}",
                "display": dose.product,
            }
        amount = f"{dose.amount:g} {dose.unit.value}"
        dosage: dict[str, Any] = {"text": amount}
        if dose.grams is not None:
            dosage["text"] = f"{dose.grams:g} g" + (
                "" if dose.unit.value == "g" else f" ({amount})"
            )
            dosage["doseAndRate"] = [{"doseQuantity": _quantity(dose.grams, "g", "g")}]
        elif dose.unit.value == "mg":
            dosage["doseAndRate"] = [{"doseQuantity": _quantity(dose.amount, "mg", "mg")}]
        resource["dosage"] = [dosage]
        return resource

    def _medication(self, name: str, batch: str | None) -> str:
        key = (name, batch)
        if key in self._medications:
            return self._medications[key]
        mid = self._id(f"product:{name}:{batch or ''}")
        product = self.products.get(name)
        details = [] if product is None else [product.vendor, product.vein, product.form.value]
        text = name + (f" ({', '.join(d for d in details if d)})" if product is not None else "")
        medication: dict[str, Any] = {
            "resourceType": "Medication",
            "id": mid,
            "code": {**_concept(JOURNAL_SYSTEM, "kratom", JOURNAL_CODES["kratom"]), "text": text},
        }
        if product is not None:
            medication["form"] = {"text": product.form.value.replace("_", " ")}
        if batch is not None:
            medication["batch"] = {"lotNumber": batch}
        self.resources.append(medication)
        self._medications[key] = mid
        return mid

    def _substance(self, rid: str, substance: Substance) -> dict[str, Any]:
        resource: dict[str, Any] = {
            "resourceType": "MedicationStatement",
            "id": rid,
            "status": "completed",
            "category": _concept(STATEMENT_CATEGORY, "patientspecified"),
            "medicationCodeableConcept": _substance_concept(
                substance.name, substance.substance_class
            ),
            "subject": self.subject,
            "effectiveDateTime": _when(substance.at, substance.zone),
            "informationSource": self.subject,
        }
        if substance.amount:
            resource["dosage"] = [{"text": substance.amount}]
        return resource

    # ------------------------------------------------------------------ observations

    def _observation(self, rid: str, entry: EntryBase) -> dict[str, Any] | None:
        body = _observation_body(entry)
        if body is None:
            return None
        category = "activity" if isinstance(entry, Workout) else "survey"
        return {
            "resourceType": "Observation",
            "id": rid,
            "status": "final",
            "category": [_concept(OBSERVATION_CATEGORY, category)],
            "subject": self.subject,
            "performer": [self.subject],
            **body,
        }

    def _id(self, key: str) -> str:
        return str(uuid.uuid5(_NAMESPACE, f"{self.patient_id}:{key}"))


def _observation_body(entry: EntryBase) -> dict[str, Any] | None:
    when = {"effectiveDateTime": _when(entry.at, entry.zone)}
    if isinstance(entry, Pain):
        body: dict[str, Any] = {
            "code": _concept(*PAIN_CODE),
            **when,
            "valueQuantity": _score(entry.score),
        }
        if entry.sites:
            body["bodySite"] = {"text": "; ".join(entry.sites)}
        if entry.interference is not None:
            body["component"] = [
                _component("pain-interference", valueQuantity=_score(entry.interference))
            ]
        return body
    if isinstance(entry, Sleep):
        return _sleep_body(entry)
    if isinstance(entry, Bowel):
        return {
            "code": _concept(*BRISTOL_CODE),
            **when,
            "valueInteger": entry.bristol,
            "component": [
                _component(f"bowel-{name}", valueBoolean=getattr(entry, name))
                for name in ("straining", "incomplete", "blockage", "manual", "spontaneous")
            ],
        }
    if isinstance(entry, Fatigue):
        body = {"code": _local("fatigue"), **when, "valueQuantity": _score(entry.score)}
        if entry.energy is not None:
            body["component"] = [_component("energy", valueQuantity=_score(entry.energy))]
        return body
    if isinstance(entry, Soreness):
        body = {"code": _local("muscle-soreness"), **when, "valueQuantity": _score(entry.score)}
        if entry.sites:
            body["bodySite"] = {"text": "; ".join(entry.sites)}
        return body
    if isinstance(entry, Headache):
        return _headache_body(entry)
    if isinstance(entry, SideEffect):
        effect: dict[str, Any] = {
            "code": _local("side-effect"),
            **when,
            "valueCodeableConcept": _concept(
                SYMPTOM_SYSTEM, entry.symptom.value, entry.symptom.value.replace("_", " ")
            ),
        }
        if entry.severity is not None:  # FHIR arrays may not be empty: no severity, no component
            effect["component"] = [_component("side-effect-severity", valueInteger=entry.severity)]
        return effect
    if isinstance(entry, Workout):
        return {
            "code": {**_local("workout"), "text": f"Workout: {entry.activity}"},
            **when,
            "valueQuantity": _quantity(entry.minutes, "min", "min"),
            "component": [
                _component(
                    "workout-intensity", valueCodeableConcept={"text": entry.intensity.value}
                )
            ],
        }
    if isinstance(entry, Questionnaire):
        return _questionnaire_body(entry)
    return None


def _sleep_body(entry: Sleep) -> dict[str, Any] | None:
    metrics = sleep_metrics(entry)
    if metrics is None:
        return None
    components = [
        _component("sleep-onset-latency", valueQuantity=_minutes(metrics.sleep_onset_latency)),
        _component(
            "wake-after-sleep-onset", valueQuantity=_minutes(metrics.wake_after_sleep_onset)
        ),
        _component("time-in-bed", valueQuantity=_minutes(metrics.time_in_bed)),
        _component(
            "sleep-efficiency",
            valueQuantity=_quantity(round(metrics.sleep_efficiency, 1), "%", "%"),
        ),
    ]
    if metrics.awakenings is not None:  # left empty in the diary: not sent as a number
        components.insert(2, _component("number-of-awakenings", valueInteger=metrics.awakenings))
    if entry.quality is not None:
        components.append(_component("sleep-quality", valueInteger=entry.quality))
    if entry.rested is not None:
        components.append(_component("rested", valueInteger=entry.rested))
    return {
        "code": _concept(*SLEEP_DURATION_CODE),
        "effectivePeriod": {
            "start": _when(entry.at, entry.zone),
            "end": _when(entry.out_of_bed, entry.zone),
        },
        "valueQuantity": _minutes(metrics.total_sleep_time),
        "component": components,
    }


def _headache_body(entry: Headache) -> dict[str, Any]:
    body: dict[str, Any] = {"code": _local("headache-episode")}
    if entry.end is not None:
        body["effectivePeriod"] = {
            "start": _when(entry.at, entry.zone),
            "end": _when(entry.end, entry.zone),
        }
    else:
        body["effectiveDateTime"] = _when(entry.at, entry.zone)
    body["valueQuantity"] = _score(entry.peak)
    details = []
    if entry.features:
        details.append("features: " + ", ".join(f.value.replace("_", " ") for f in entry.features))
    if entry.acute_medication:
        details.append("acute medication: " + ", ".join(entry.acute_medication))
    if details:
        body["note"] = [{"text": "; ".join(details)}]
    return body


def _questionnaire_body(entry: Questionnaire) -> dict[str, Any] | None:
    score = entry.score
    instrument = QUESTIONNAIRES.get(entry.instrument)
    if score is None and instrument is not None:
        try:
            score = instrument.score(list(entry.items)).score
        except ValueError:
            score = None
    if score is None:
        return None
    code = QUESTIONNAIRE_CODE.format(instrument=entry.instrument)
    display = JOURNAL_CODES.get(code, f"{entry.instrument.upper()} score")
    return {
        "code": {**_concept(JOURNAL_SYSTEM, code, display), "text": display},
        "effectiveDateTime": _when(entry.at, entry.zone),
        "valueQuantity": _quantity(round(float(score), 2), "{score}", "{score}"),
    }


# --------------------------------------------------------------------------- helpers


def _entry(item: EntryBase | StoredEntry) -> EntryBase:
    return item.entry if isinstance(item, StoredEntry) else item


def _identity(item: EntryBase | StoredEntry) -> str:
    if isinstance(item, StoredEntry):
        return item.uid
    return json.dumps(item.model_dump(mode="json"), sort_keys=True)


def _patient_id(items: Sequence[EntryBase | StoredEntry]) -> str:
    seed = _identity(items[0]) if items else "empty journal"
    return str(uuid.uuid5(_NAMESPACE, f"patient:{seed}"))


def _uid_identifier(uid: str) -> dict[str, str] | None:
    try:
        value = uuid.UUID(uid)
    except ValueError:
        return None
    return {"system": "urn:ietf:rfc:3986", "value": f"urn:uuid:{value}"}


def _when(instant: datetime, zone: str) -> str:
    """A FHIR dateTime: the wall-clock time in the entry's zone, with its offset."""
    return clock.local(instant, zone).isoformat(timespec="seconds")


def _instant(instant: datetime) -> str:
    return clock.utc(instant).isoformat(timespec="seconds").replace("+00:00", "Z")


def _concept(system: str, code: str, display: str | None = None) -> dict[str, Any]:
    coding: dict[str, str] = {"system": system, "code": code}
    if display:
        coding["display"] = display
    return {"coding": [coding]}


def _local(code: str) -> dict[str, Any]:
    return _concept(JOURNAL_SYSTEM, code, JOURNAL_CODES[code])


def _substance_concept(name: str, substance_class: SubstanceClass) -> dict[str, Any]:
    label = substance_class.value.replace("_", " ")
    return {**_concept(SUBSTANCE_CLASS_SYSTEM, substance_class.value, label), "text": name}


def _component(code: str, **value: Any) -> dict[str, Any]:
    return {"code": _local(code), **value}


def _quantity(value: float, unit: str, code: str) -> dict[str, Any]:
    return {"value": value, "unit": unit, "system": UCUM, "code": code}


def _score(value: float) -> dict[str, Any]:
    return _quantity(value, "{score}", "{score}")


def _minutes(value: float) -> dict[str, Any]:
    return _quantity(round(value, 1), "min", "min")


_ORDER = ("resourceType", "id", "identifier", "status", "category", "code")


def _ordered(resource: dict[str, Any]) -> dict[str, Any]:
    """Familiar keys first, the rest in insertion order (easier to read the JSON)."""
    head = {k: resource[k] for k in _ORDER if k in resource}
    return {**head, **{k: v for k, v in resource.items() if k not in head}}
