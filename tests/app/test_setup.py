"""The guided setup's use cases and the usual dose, on a real database (SQLite and
PostgreSQL): only what was entered is saved, typed times are understood, a refused first
dose adds no product, and the usual dose survives the native JSON round trip."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from speciosa.app import Speciosa, setup, today
from speciosa.errors import InvalidInput, NotFound
from speciosa.journal.clock import parse_wall_time
from speciosa.store.database import open_database
from tests.conftest import Cli

NOW = datetime(2026, 3, 2, 21, 20, tzinfo=UTC)


@pytest.fixture
def speciosa(database_url: str) -> Iterator[Speciosa]:
    opened = Speciosa(open_database(database_url), clock=lambda: NOW, default_zone="Etc/UTC")
    yield opened
    opened.close()


@pytest.mark.parametrize(
    ("typed", "wall"),
    [
        ("22:30", "22:30"),  # a phone's time picker
        ("10:30pm", "22:30"),
        ("10:30 PM", "22:30"),
        ("2230", "22:30"),
        ("10pm", "22:00"),
        ("12am", "00:00"),  # midnight, not noon
        ("12:15pm", "12:15"),
        ("7.05", "07:05"),
    ],
)
def test_typed_times_are_understood(typed: str, wall: str) -> None:
    assert parse_wall_time(typed, "bedtime").strftime("%H:%M") == wall


@pytest.mark.parametrize("typed", ["13pm", "2260", "25:00", "late"])
def test_wrong_times_name_the_field_and_the_forms_allowed(typed: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_wall_time(typed, "bedtime")
    assert caught.value.field == "bedtime"
    assert caught.value.value == typed


def test_a_new_journal_is_new_until_something_is_saved(speciosa: Speciosa) -> None:
    with speciosa.journal() as journal:
        assert setup.is_new(journal)
        assert not setup.save_about(journal, {"bedtime": "", "conditions": [], "medications": ""})
    # nothing given: nothing saved, still new
    with speciosa.journal() as journal:
        assert setup.is_new(journal)
        assert not journal.has_profile


def test_save_about_keeps_only_what_was_given(speciosa: Speciosa) -> None:
    with speciosa.journal() as journal:
        setup.save_zone(journal, "America/Chicago")
        setup.save_about(
            journal,
            {"bedtime": "10:30pm", "goals": ["sleep"], "medications": "tramadol\n\n"},
        )
    with speciosa.journal() as journal:
        profile = journal.profile
    assert profile.timezone == "America/Chicago"
    assert profile.bedtime == "22:30"
    assert profile.wake_time == "07:00"  # not given: the default, unchanged
    assert profile.goals == ("sleep",)
    assert profile.conditions == ()
    assert [m.name for m in profile.medications] == ["tramadol"]
    assert profile.medications[0].substance_class == "opioid"


def test_a_wrong_zone_is_named_and_nothing_saved(speciosa: Speciosa) -> None:
    with pytest.raises(InvalidInput) as caught, speciosa.journal() as journal:
        setup.save_zone(journal, "Mars/Olympus")
    assert caught.value.value == "Mars/Olympus"
    with speciosa.journal() as journal:
        assert not journal.has_profile


def test_first_product_and_dose_in_one_step(speciosa: Speciosa) -> None:
    with speciosa.journal() as journal:
        setup.save_zone(journal, "America/Chicago")
        added = setup.add_first_product(
            journal, name="Red Bali", grams_per_capsule="0.5", amount="2caps"
        )
    assert added.product.form == "capsule"
    assert added.dose is not None
    assert added.dose.entry.zone == "America/Chicago"
    assert added.dose.entry.grams == 1.0  # type: ignore[attr-defined]


def test_a_refused_first_dose_adds_no_product(speciosa: Speciosa) -> None:
    with pytest.raises(InvalidInput), speciosa.journal() as journal:
        # a teaspoon product cannot convert capsules
        setup.add_first_product(journal, name="Powder", grams_per_teaspoon="2.5", amount="2caps")
    with speciosa.journal() as journal:
        assert journal.store.products() == []


def test_usual_dose_is_saved_checked_and_cleared(speciosa: Speciosa) -> None:
    with speciosa.journal() as journal:
        setup.add_first_product(journal, name="Red", grams_per_capsule="0.5")
        with pytest.raises(NotFound):
            setup.save_usual_dose(journal, "2caps", "Green")  # not one of theirs
    with speciosa.journal() as journal:
        with pytest.raises(InvalidInput):
            setup.save_usual_dose(journal, "lots", "Red")
        usual = setup.save_usual_dose(journal, "2caps", "Red")
    assert (usual.amount, usual.product) == ("2 caps", "Red")
    with speciosa.journal() as journal:
        assert setup.usual_dose(journal) == usual
        # Today's JSON (the CLI's today --json and GET /api/v1/today) carries it too.
        assert today.today(journal).to_dict()["usual_dose"] == {
            "amount": "2 caps",
            "product": "Red",
        }
        setup.clear_usual_dose(journal)
    with speciosa.journal() as journal:
        assert setup.usual_dose(journal) is None
        assert today.today(journal).to_dict()["usual_dose"] is None


def test_usual_dose_survives_the_native_json_round_trip(cli: Cli, tmp_path: Path) -> None:
    cli("product", "add", "Red", "--grams-per-capsule", "0.5")
    done = cli(
        "init", "--timezone", "America/Chicago", "--usual-dose", "2caps", "--usual-product", "Red"
    )
    assert done.exit_code == 0, done.stderr
    first = cli("export", "--format", "json").stdout
    assert json.loads(first)["profile"]["usual_dose"] == {"amount": "2 caps", "product": "Red"}
    path = tmp_path / "journal.json"
    path.write_text(first, encoding="utf-8")
    empty = tmp_path / "empty.sqlite"
    assert cli("import", str(path), db=empty).exit_code == 0
    assert cli("export", db=empty).stdout == first


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (["--usual-dose", "lots"], "--usual-dose: 'lots'"),
        (["--usual-product", "Red"], "--usual-dose"),
        (["--usual-dose", "2caps", "--usual-product", "Nope"], "Nope"),
    ],
)
def test_init_usual_dose_errors_name_the_flag(cli: Cli, args: list[str], flag: str) -> None:
    cli("product", "add", "Red", "--grams-per-capsule", "0.5")
    result = cli("init", "--timezone", "UTC", *args)
    assert result.exit_code == 2, result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert flag in lines[0], result.stderr
