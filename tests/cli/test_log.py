"""``speciosa log``: every kind through the real command line and a real SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Cli, row_counts


@pytest.fixture
def journal(cli: Cli) -> Cli:
    assert (
        cli(
            "init",
            "--timezone",
            "Europe/London",
            "--bedtime",
            "22:30",
            "--condition",
            "fibromyalgia",
        ).exit_code
        == 0
    )
    assert (
        cli(
            "product",
            "add",
            "Red Bali",
            "--grams-per-capsule",
            "0.5",
            "--grams-per-teaspoon",
            "2.5",
        ).exit_code
        == 0
    )
    assert cli("product", "add", "Bare powder").exit_code == 0
    return cli


VALID = [
    ["dose", "3g", "--at", "2 hours ago"],
    ["dose", "4caps", "--product", "Red Bali", "--at", "90 min ago"],
    ["dose", "1tsp", "--product", "Red Bali", "--at", "80 min ago"],
    ["dose", "500mg", "--at", "70 min ago"],
    ["pain", "6", "--site", "back", "--interference", "4"],
    ["fatigue", "5", "--energy", "3"],
    ["soreness", "4"],
    ["bowel", "--bristol", "2", "--straining", "--incomplete"],
    ["substance", "gabapentin", "--amount", "300 mg"],
    ["substance", "chamomile", "--class", "other"],
    ["side-effect", "nausea", "--severity", "2"],
    ["workout", "run", "--minutes", "30", "--intensity", "hard"],
    ["headache", "--peak", "7", "--at", "3 hours ago", "--end", "1 hour ago", "--feature", "aura"],
    ["questionnaire", "sds", "--items", "1,0,2,1,0"],
    [
        "sleep",
        "--night",
        "2026-01-10",
        "--bed",
        "23:10",
        "--tried",
        "23:30",
        "--latency",
        "25",
        "--awakenings",
        "2",
        "--awake",
        "20",
        "--woke",
        "06:40",
        "--up",
        "07:05",
        "--quality",
        "3",
    ],
]


@pytest.mark.parametrize("args", VALID, ids=lambda a: " ".join(a[:2]))
def test_valid_entries_are_stored_and_listed(journal: Cli, cli_db: Path, args: list[str]) -> None:
    result = journal("log", *args)
    assert result.exit_code == 0, result.stderr
    kind = args[0].replace("-", "_")
    assert row_counts(cli_db)["entries"] == 1
    listed = journal("list", "--kind", kind, "--json")
    assert f'"kind": "{kind}"' in listed.stdout


def test_capsules_convert_through_the_product(journal: Cli) -> None:
    journal("log", "dose", "4caps", "--product", "Red Bali", "--at", "10 min ago")
    assert '"grams": 2.0' in journal("list", "--json").stdout  # 4 x 0.5 g


def test_sleep_night_crosses_midnight(journal: Cli) -> None:
    journal(
        "log",
        "sleep",
        "--night",
        "2026-01-10",
        "--bed",
        "23:10",
        "--latency",
        "20",
        "--woke",
        "06:30",
    )
    listed = journal("list", "--json").stdout
    assert '"at": "2026-01-10T23:10:00Z"' in listed  # London is on GMT in January
    assert '"final_awakening": "2026-01-11T06:30:00Z"' in listed


INVALID = [
    (["bowel", "--bristol", "8"], "bristol"),
    (["pain", "11"], "score"),
    (["dose", "--", "-3g"], "amount"),
    (["dose", "0g"], "amount"),
    (
        [
            "sleep",
            "--night",
            "2026-01-10",
            "--bed",
            "23:00",
            "--latency",
            "10",
            "--woke",
            "23:30",
            "--up",
            "23:20",
        ],
        "--up",
    ),
    (
        ["sleep", "--night", "2026-01-10", "--bed", "23:00", "--latency", "500", "--woke", "06:00"],
        "--latency",  # 500 minutes to fall asleep alone outlast the night
    ),
    (["pain", "3", "--at", "in a while"], "at"),
    (["pain", "3", "--at", "2099-01-01 10:00"], "at"),  # more than 5 minutes in the future
    (["dose", "3g", "--product", "Green Mystery"], "product"),  # unknown product
    (["dose", "2caps", "--product", "Bare powder"], "--product"),  # no grams per capsule
    (["dose", "2caps"], "product"),
    (["side-effect", "nausea", "--severity", "4"], "severity"),
    (["fatigue", "3", "--energy", "11"], "energy"),
    (["pain", "3", "--zone", "Mars/Base"], "zone"),
    (["questionnaire", "sds", "--items", "1,x"], "items"),
]


@pytest.mark.parametrize(
    ("args", "field"), INVALID, ids=lambda v: " ".join(v) if isinstance(v, list) else v
)
def test_invalid_input_is_refused_and_nothing_is_written(
    journal: Cli, cli_db: Path, args: list[str], field: str
) -> None:
    before = row_counts(cli_db)
    result = journal("log", *args)
    assert result.exit_code == 2
    assert field in result.stderr
    assert "error:" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert row_counts(cli_db) == before


def test_missing_value_without_a_terminal_names_the_field(journal: Cli) -> None:
    result = journal("log", "pain")
    assert result.exit_code == 2
    assert "score" in result.stderr
    assert "required" in result.stderr


def test_unknown_substance_gets_class_other_and_a_hint(journal: Cli) -> None:
    result = journal("log", "substance", "mystery tea")
    assert result.exit_code == 0
    assert "--class" in result.stdout
    assert '"substance_class": "other"' in journal("list", "--json").stdout


def test_known_substance_class_is_looked_up(journal: Cli) -> None:
    journal("log", "substance", "Xanax")
    assert '"substance_class": "benzodiazepine"' in journal("list", "--json").stdout
