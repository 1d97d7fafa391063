"""The person's words map to the catalogue, in any case, with synonyms (issue 12, point 12),
through one normaliser (``speciosa.journal.catalogues.Vocabulary``) that the CLI, the models
behind the web forms and API, and the red-flag rule all read.
"""

from __future__ import annotations

import json

import pytest

from speciosa.journal.catalogues import (
    SYMPTOM_SYNONYMS,
    Condition,
    HeadacheFeature,
    SubstanceClass,
    Symptom,
    class_of,
    words,
)
from speciosa.journal.models import SideEffect, entry_from_dict
from speciosa.safety.rules.red_flags import LIVER_SIGNS, OTHER_FLAGS, signs_in
from tests.conftest import Cli


@pytest.mark.parametrize(
    ("typed", "symptom"),
    [
        ("yellow eyes", "jaundice"),
        ("Yellow Skin", "jaundice"),
        ("dark urine", "dark_urine"),
        ("Dark-Urine", "dark_urine"),
        ("DIARRHEA", "diarrhoea"),  # US spelling
        ("racing heart", "rapid_heartbeat"),
    ],
)
def test_side_effects_in_the_persons_words(cli: Cli, typed: str, symptom: str) -> None:
    result = cli("log", "side-effect", typed)
    assert result.exit_code == 0, result.stderr
    [entry] = json.loads(cli("list", "--json").stdout)
    assert entry["symptom"] == symptom


def test_a_red_flag_in_the_persons_words_raises_the_urgent_alert(cli: Cli) -> None:
    assert cli("init", "--timezone", "Europe/London").exit_code == 0
    assert cli("log", "dose", "3g", "--at", "2 hours ago").exit_code == 0
    assert cli("log", "side-effect", "Yellow eyes").exit_code == 0
    alerts = json.loads(cli("check", "--json").stdout)
    flagged = [a for a in alerts if "jaundice" in json.dumps(a) or "yellow" in json.dumps(a)]
    assert flagged
    assert flagged[0]["severity"] == "urgent"


@pytest.mark.parametrize(
    ("args", "field", "value"),
    [
        (["substance", "Beer"], "substance_class", "alcohol"),
        (["substance", "home brew", "--class", "Beer"], "substance_class", "alcohol"),
        (["substance", "  Energy   Drink "], "substance_class", "stimulant"),
        (["workout", "run", "--minutes", "20", "--intensity", "HARD"], "intensity", "hard"),
    ],
)
def test_classes_and_choices_take_words(cli: Cli, args: list[str], field: str, value: str) -> None:
    result = cli("log", *args)
    assert result.exit_code == 0, result.stderr
    [entry] = json.loads(cli("list", "--json").stdout)
    assert entry[field] == value


def test_repeated_choices_take_words(cli: Cli) -> None:
    result = cli("log", "headache", "--peak", "6", "--feature", "Photophobia", "--feature", "Aura")
    assert result.exit_code == 0, result.stderr
    [entry] = json.loads(cli("list", "--json").stdout)
    assert entry["features"] == ["light_sensitivity", "aura"]
    assert cli("init", "--condition", "Chronic pain", "--condition", "fibro").exit_code == 0


def test_one_normal_form() -> None:
    assert words("  Dark-urine_ ") == "dark urine"
    assert class_of("Beer") is SubstanceClass.ALCOHOL is SubstanceClass("BEER")
    assert class_of("No-Doz") is SubstanceClass.STIMULANT
    assert Condition("Chronic-Pain") is Condition.CHRONIC_PAIN
    assert HeadacheFeature.named("one sided") is HeadacheFeature.ONE_SIDED
    assert Symptom.named("purple") is None
    with pytest.raises(ValueError, match="not a valid Symptom"):
        Symptom("purple")


def test_the_models_read_words_the_same_way() -> None:
    """What the web forms and the API store goes through the same normaliser."""
    entry = entry_from_dict(
        {
            "kind": "side_effect",
            "at": "2026-06-01T10:00:00Z",
            "zone": "Europe/London",
            "symptom": "Yellow skin",
        }
    )
    assert isinstance(entry, SideEffect)
    assert entry.symptom is Symptom.JAUNDICE


@pytest.mark.parametrize(
    "phrase",
    [
        p
        for p, s in SYMPTOM_SYNONYMS.items()
        if (s in LIVER_SIGNS or s in OTHER_FLAGS)
        and s is not Symptom.ITCHING  # itching in a note is left out on purpose
        and p not in {"yellowing"}  # "yellowing" alone does not say of what
    ],
)
def test_red_flag_synonyms_are_also_read_in_notes(phrase: str) -> None:
    """A red flag the catalogue accepts as a word is also found when written in a note."""
    assert signs_in(f"today: {phrase}"), phrase
