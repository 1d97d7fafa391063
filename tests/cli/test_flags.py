"""Every command-line error is one line naming the flag the person typed (issue 12, point 10).

Two halves: a walk over every command, checking that each field a command validates has a
flag (``speciosa.cli.flags.FIELD_PARAMS``), and the errors themselves through the real
command line and a real SQLite file: exit 2, one stderr line, the flag, no internal name,
no usage block, no box, no traceback.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import BaseModel
from typer._click.core import Command
from typer.main import get_command

from speciosa.app.plans import ExperimentForm, TaperEdit, TaperForm
from speciosa.cli.app import app
from speciosa.cli.flags import flag_for
from speciosa.journal.catalogues import Vocabulary
from speciosa.journal.models import (
    Batch,
    Bowel,
    Dose,
    Fatigue,
    Headache,
    LabResult,
    Limits,
    Pain,
    Product,
    Profile,
    Questionnaire,
    SideEffect,
    Sleep,
    Soreness,
    Substance,
    Workout,
)
from tests.conftest import Cli, row_counts


def command(*path: str) -> Command:
    found: Any = get_command(app)
    for name in path:
        found = found.commands[name]
    assert isinstance(found, Command)
    return found


def every_command(group: Any = None, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    group = get_command(app) if group is None else group
    for name in list(group.commands):
        found = group.commands[name]
        if hasattr(found, "commands"):
            yield from every_command(found, (*path, name))
        else:
            yield (*path, name)


def fields_of(model: Any, prefix: str = "") -> Iterator[str]:
    """A model's fields, nested models as ``limits.grams_per_day``."""
    if dataclasses.is_dataclass(model):
        yield from (prefix + f.name for f in dataclasses.fields(model))
        return
    assert issubclass(model, BaseModel)
    for name in model.model_fields:
        yield prefix + name
        nested = NESTED.get((model, name))
        if nested is not None:
            yield from fields_of(nested, f"{prefix}{name}.")


NESTED: dict[tuple[Any, str], Any] = {(Profile, "limits"): Limits, (Batch, "lab"): LabResult}

# command -> the model (or form) its options are validated as
VALIDATES: dict[tuple[str, ...], Any] = {
    ("log", "dose"): Dose,
    ("log", "pain"): Pain,
    ("log", "fatigue"): Fatigue,
    ("log", "soreness"): Soreness,
    ("log", "bowel"): Bowel,
    ("log", "substance"): Substance,
    ("log", "side-effect"): SideEffect,
    ("log", "workout"): Workout,
    ("log", "headache"): Headache,
    ("log", "sleep"): Sleep,
    ("log", "questionnaire"): Questionnaire,
    ("plan", "taper"): TaperForm,
    ("plan", "experiment"): ExperimentForm,
    ("plan", "change"): TaperEdit,
    ("init",): Profile,
    ("product", "add"): Product,
    ("product", "batch"): Batch,
}

# Fields a command sets itself, never typed: each with the reason.
NOT_TYPED = {
    "kind",  # the command chooses it
    "batches",  # product add: batches come with 'speciosa product batch'
    "lab",  # product batch: the options below it are the lab's fields
    "limits",  # init: the limits are the four options below it
    "lab.passed_checks",
}


@pytest.mark.parametrize("path", list(VALIDATES), ids=" ".join)
def test_every_validated_field_has_a_flag(path: tuple[str, ...]) -> None:
    found = command(*path)
    missing = [
        field
        for field in fields_of(VALIDATES[path])
        if field not in NOT_TYPED
        and (field.split(".")[-1] != "zone" or path[0] != "init")
        and flag_for(found, field) is None
    ]
    assert not missing, f"{' '.join(path)}: no flag for {missing} (add a row to FIELD_PARAMS)"


def test_every_command_is_walked_and_the_table_names_real_parameters() -> None:
    """FIELD_PARAMS rows name parameters that exist somewhere, so none is a typo."""
    from speciosa.cli.flags import FIELD_PARAMS

    paths = list(every_command())
    assert ("log", "sleep") in paths
    assert ("bowel",) in paths
    names = {p.name for path in paths for p in command(*path).params}
    unknown = {alias for aliases in FIELD_PARAMS.values() for alias in aliases} - names
    assert not unknown


@pytest.mark.parametrize("path", list(every_command()), ids=" ".join)
def test_every_catalogue_choice_takes_the_persons_words(path: tuple[str, ...]) -> None:
    """A choice from a journal catalogue is read by the catalogue ("Chronic pain", "HARD"),
    not by typer's exact, case-sensitive match."""
    for param in command(*path).params:
        choices = param.type_descriptor.choices or ()  # type: ignore[attr-defined]
        if any(isinstance(choice, Vocabulary) for choice in choices):
            assert param.type_descriptor.parameter_info.parser is not None, param.name  # type: ignore[attr-defined]


def test_sleep_fields_map_to_the_flags_people_type() -> None:
    sleep = command("log", "sleep")
    assert flag_for(sleep, "minutes_to_fall_asleep") == "--latency"
    assert flag_for(sleep, "minutes_awake_in_night") == "--awake"
    assert flag_for(sleep, "at") == "--bed"
    assert flag_for(command("log", "pain"), "at") == "--at"
    assert flag_for(command("plan", "taper"), "target_grams") == "--grams"
    assert (
        flag_for(
            command(
                "init",
            ),
            "limits.use_days_per_week",
        )
        == "--limit-days"
    )
    assert flag_for(command("product", "add"), "product.grams_per_capsule") == (
        "--grams-per-capsule"
    )
    assert (
        flag_for(
            command(
                "edit",
            ),
            "score",
        )
        == "--set score"
    )


@pytest.fixture
def journal(cli: Cli) -> Cli:
    assert cli("init", "--timezone", "Europe/London").exit_code == 0
    assert cli("product", "add", "Bare powder").exit_code == 0
    assert cli("log", "pain", "3").exit_code == 0  # entry 1, for edit
    return cli


SLEEP = ["log", "sleep", "--night", "2026-01-10", "--bed", "23:00", "--woke", "07:00"]

# (command line, what the line must name, internal names it must not show)
MESSAGES = [
    # the examples
    ([*SLEEP, "--latency", "600"], "--latency: 600", "minutes_"),
    ([*SLEEP, "--latency", "20", "--awake", "470"], "--awake: 470", "minutes_"),
    (["log", "pain", "6.5"], "score: '6.5'", "Input should"),
    (["log", "side-effect", "purple"], "symptom: 'purple'", "input should"),
    (["plan", "taper", "--dry-run"], "--target", "Missing option"),
    # the same rule for every command: typed values, cross-field rules, unknown options
    ([*SLEEP, "--latency", "10", "--up", "06:00"], "--up", "out_of_bed"),
    (["log", "dose", "2caps", "--product", "Bare powder"], "--product", "grams_per_capsule"),
    (["log", "dose", "0g"], "amount: '0g'", "input should"),
    (["log", "workout", "run", "--minutes", "20", "--intensity", "extreme"], "--intensity", "╭"),
    (["log", "pain", "3", "--interference", "lots"], "--interference: 'lots'", "Input should"),
    (["log", "pain", "3", "--bogus"], "--bogus: no such option", "Usage"),
    (["log", "pain", "3", "--at"], "--at: needs a value", "Usage"),
    (["init", "--limit-days", "9"], "--limit-days: 9", "use_days_per_week"),
    (["product", "batch", "Bare powder", "B1", "--7oh", "-2"], "--7oh", "hydroxymitragynine"),
    (["plan", "taper", "--target", "amount", "--grams", "two"], "--grams: 'two'", "float"),
    (["nights", "--days", "0"], "--days", "Usage"),
    (["bowel", "--days", "3"], "--days: 3", "Usage"),
    (["report", "--from", "2026-13-01", "--pdf", "r.pdf"], "--from: '2026-13-01'", "Usage"),
    (["edit", "1", "--set", "score"], "--set: 'score'", "Usage"),
    (["edit", "1", "--set", "score=11"], "--set score: '11'", "Usage"),
    (["edit", "99", "--set", "score=4"], "error: entry: 99 not found", "--set"),
    (["log", "sleep"], "--bed: (missing)", "Usage"),  # no terminal to ask in
]


@pytest.mark.parametrize(
    ("args", "named", "hidden"), MESSAGES, ids=[" ".join(m[0][:3]) for m in MESSAGES]
)
def test_each_error_is_one_line_naming_the_flag(
    journal: Cli, cli_db: Any, args: list[str], named: str, hidden: str
) -> None:
    before = row_counts(cli_db)
    result = journal(*args)
    assert result.exit_code == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    assert named in lines[0]
    for never in (hidden, "Traceback", "Usage:", "╭", "Try '"):
        assert never not in lines[0]
    assert row_counts(cli_db) == before  # nothing written


def test_an_unknown_command_is_one_line(cli: Cli) -> None:
    result = cli("lgo")
    assert (result.exit_code, len(result.stderr.splitlines())) == (2, 1)
    assert "'log'" in result.stderr  # the suggestion survives


def test_a_group_without_a_command_still_shows_its_help(cli: Cli) -> None:
    result = cli("log")
    assert result.exit_code == 2
    assert "Commands:" in result.stdout + result.stderr


def test_severity_left_out_is_not_invented(journal: Cli) -> None:
    assert journal("log", "side-effect", "nausea").exit_code == 0
    listed = journal("list", "--json").stdout
    assert '"severity": null' in listed
