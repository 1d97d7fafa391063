"""``speciosa init`` records what a clinician asks about: health conditions, the birth year
and regular medicines; the safety check uses them."""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import Cli


def _profile(cli: Cli) -> dict[str, Any]:
    exported = cli("export", "--format", "json")
    assert exported.exit_code == 0, exported.stderr
    profile: dict[str, Any] = json.loads(exported.stdout)["profile"]
    return profile


def test_init_takes_health_conditions_birth_year_and_medicines(cli: Cli) -> None:
    result = cli(
        "init",
        "--timezone",
        "Europe/London",
        "--health",
        "epilepsy",
        "--health",
        "sleep_apnoea",
        "--health",
        "liver_disease",
        "--health",
        "COPD",
        "--birth-year",
        "1950",
        "--medication",
        "tramadol",
        "--medication",
        "sertraline",
        "--medication",
        "acetaminophen",
        "--medication",
        "carbamazepine",
    )
    assert result.exit_code == 0, result.stderr
    assert "health: epilepsy, sleep_apnoea, liver_disease, copd" in result.stdout
    profile = _profile(cli)
    assert profile["health_conditions"] == ["epilepsy", "sleep_apnoea", "liver_disease", "copd"]
    assert profile["birth_year"] == 1950
    assert [(m["name"], m["substance_class"]) for m in profile["medications"]] == [
        ("tramadol", "opioid"),
        ("sertraline", "serotonergic"),
        ("acetaminophen", "paracetamol"),
        ("carbamazepine", "other"),
    ]

    # a later init without the options keeps them
    assert cli("init", "--bedtime", "22:00").exit_code == 0
    kept = _profile(cli)
    assert (kept["health_conditions"], kept["birth_year"]) == (profile["health_conditions"], 1950)

    assert cli("log", "dose", "3g", "--at", "1 hour ago").exit_code == 0
    alerts = {a["rule_id"]: a for a in json.loads(cli("check", "--json").stdout)}
    expected = {
        "epilepsy": ["trakulsrichai-2013", "post-2019"],
        "breathing_risk": ["fda-2019-gabapentinoids", "hill-2022-bjp", "fda-2016-opioid-benzo"],
        "liver_disease": ["schimmel-dart-2020", "livertox-kratom", "fda-2015-acetaminophen-liver"],
        "seizure_medicine": ["trakulsrichai-2013", "post-2019"],
        "serotonergic_medicine": ["fda-2016-opioid-serotonin", "post-2019"],
        "cyp2d6_medicine": ["tanna-2021-jpet", "tanna-2023-ddi"],
        "seven_oh_formation": ["kruegel-2019", "hill-2022-bjp"],
    }
    for rule_id, sources in expected.items():
        assert alerts[rule_id]["source_ids"] == sources, rule_id
    # tramadol (an opioid) with COPD, sleep apnoea and age 65+: a warning, not a caution
    assert alerts["breathing_risk"]["severity"] == "warning"


def test_init_refuses_an_unknown_condition_and_a_future_birth_year(cli: Cli) -> None:
    unknown = cli("init", "--health", "asthma")
    assert unknown.exit_code == 2
    assert "asthma" in unknown.stderr
    future = cli("init", "--birth-year", "2099")
    assert future.exit_code == 2
    assert "--birth-year" in future.stderr
