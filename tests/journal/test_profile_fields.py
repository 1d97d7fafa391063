"""The profile's clinical fields (health conditions, birth year) are optional additions to one
JSON document: profiles written before they existed still load, with the defaults."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from speciosa.journal.catalogues import HealthCondition
from speciosa.journal.models import Profile

# A profile as Speciosa stored it before the clinical fields existed.
OLD_DOCUMENT = {
    "timezone": "Europe/London",
    "bedtime": "22:30",
    "wake_time": "06:45",
    "conditions": ["fibromyalgia"],
    "goals": ["sleep"],
    "limits": {
        "grams_per_day": 6.0,
        "doses_per_day": 3,
        "use_days_per_week": None,
        "agreed_with_clinician": False,
    },
    "medications": [{"name": "tramadol", "substance_class": "opioid"}],
    "pregnant_or_breastfeeding": False,
}


def test_an_old_profile_document_loads_with_the_defaults() -> None:
    profile = Profile.model_validate(OLD_DOCUMENT)
    assert (profile.health_conditions, profile.birth_year) == ((), None)
    assert profile.medications[0].name == "tramadol"


def test_the_new_fields_round_trip_through_json() -> None:
    profile = Profile.model_validate(
        {**OLD_DOCUMENT, "health_conditions": ["epilepsy", "sleep apnea"], "birth_year": 1958}
    )
    assert profile.health_conditions == (HealthCondition.EPILEPSY, HealthCondition.SLEEP_APNOEA)
    data = profile.model_dump(mode="json")
    assert data["health_conditions"] == ["epilepsy", "sleep_apnoea"]
    assert Profile.model_validate(data) == profile


@pytest.mark.parametrize(
    ("field", "value"),
    [("health_conditions", ["asthma"]), ("birth_year", 1899), ("birth_year", "old")],
)
def test_bad_clinical_fields_are_refused_naming_the_field(field: str, value: object) -> None:
    with pytest.raises(ValidationError) as caught:
        Profile.model_validate({**OLD_DOCUMENT, field: value})
    assert caught.value.errors()[0]["loc"][0] == field
