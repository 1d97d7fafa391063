"""``list``, ``edit``, ``delete --undo``, ``today``, ``product`` and ``init``."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from speciosa.app import Speciosa, unit
from speciosa.app.today import today
from tests.conftest import Cli, row_counts


def _ids(cli: Cli) -> list[int]:
    return [e["id"] for e in json.loads(cli("list", "--json").stdout)]


def test_edit_revalidates_and_delete_can_be_undone(cli: Cli, cli_db: Path) -> None:
    cli("log", "pain", "5", "--at", "1 hour ago")
    [entry_id] = _ids(cli)
    assert cli("edit", str(entry_id), "--set", "score=3", "--note", "after a walk").exit_code == 0
    [edited] = json.loads(cli("list", "--json").stdout)
    assert (edited["score"], edited["note"]) == (3, "after a walk")

    refused = cli("edit", str(entry_id), "--set", "score=12")
    assert refused.exit_code == 2
    assert "score" in refused.stderr
    assert json.loads(cli("list", "--json").stdout)[0]["score"] == 3

    assert cli("edit", str(entry_id), "--set", "colour=red").exit_code == 2
    assert cli("delete", str(entry_id)).exit_code == 0
    assert _ids(cli) == []
    assert row_counts(cli_db)["entries"] == 1  # kept so that undo can bring it back
    assert cli("delete", "--undo").exit_code == 0
    assert _ids(cli) == [entry_id]
    nothing = cli("delete", "--undo")
    assert nothing.exit_code == 2
    assert "nothing has been deleted" in nothing.stderr


def test_edit_of_dose_amount_recomputes_grams(cli: Cli) -> None:
    cli("product", "add", "Caps", "--grams-per-capsule", "0.5")
    cli("log", "dose", "2caps", "--product", "Caps", "--at", "5 min ago")
    [entry_id] = _ids(cli)
    assert cli("edit", str(entry_id), "--set", "amount=6caps").exit_code == 0
    assert json.loads(cli("list", "--json").stdout)[0]["grams"] == 3.0  # 6 x 0.5 g
    assert cli("edit", str(entry_id), "--set", "amount=2g").exit_code == 0
    [edited] = json.loads(cli("list", "--json").stdout)
    assert (edited["amount"], edited["unit"], edited["grams"]) == (2.0, "g", 2.0)


def test_edit_of_dose_amount_as_a_bare_number_keeps_the_unit(cli: Cli) -> None:
    cli("product", "add", "Caps", "--grams-per-capsule", "0.5")
    cli("log", "dose", "2caps", "--product", "Caps", "--at", "5 min ago")
    [entry_id] = _ids(cli)
    cli("edit", str(entry_id), "--set", "amount=6")
    assert json.loads(cli("list", "--json").stdout)[0]["grams"] == 3.0  # 6 x 0.5 g


def test_set_needs_field_equals_value_and_a_known_field(cli: Cli) -> None:
    cli("log", "pain", "5", "--at", "1 hour ago")
    [entry_id] = _ids(cli)
    no_equals = cli("edit", str(entry_id), "--set", "score")
    assert no_equals.exit_code == 2
    assert no_equals.stderr.startswith("error: --set: 'score' is not allowed")
    assert "interference" in no_equals.stderr  # the fields that can be set are listed
    unknown = cli("edit", str(entry_id), "--set", "colour=red")
    assert unknown.exit_code == 2
    assert "colour" in unknown.stderr
    assert "one of: " in unknown.stderr
    assert "score" in unknown.stderr.split("one of: ")[1]
    assert json.loads(cli("list", "--json").stdout)[0]["score"] == 5


def test_list_filters_by_kind_and_time_and_limits(cli: Cli) -> None:
    cli("log", "pain", "5", "--at", "3 hours ago")
    cli("log", "fatigue", "4", "--at", "2 hours ago")
    cli("log", "pain", "2", "--at", "1 hour ago")
    listed = json.loads(cli("list", "--kind", "pain", "--json").stdout)
    assert [e["score"] for e in listed] == [5, 2]
    recent = json.loads(cli("list", "--since", "150 min ago", "--json").stdout)
    assert [e["kind"] for e in recent] == ["fatigue", "pain"]
    assert [e["kind"] for e in json.loads(cli("list", "--limit", "1", "--json").stdout)] == ["pain"]
    bad = cli("list", "--kind", "mood")
    assert bad.exit_code == 2
    assert "kind" in bad.stderr


def test_unknown_ids_are_refused(cli: Cli) -> None:
    for args in (["edit", "99", "--note", "x"], ["delete", "99"]):
        result = cli(*args)
        assert result.exit_code == 2
        assert "entry: 99 not found" in result.stderr


def test_today_counts_against_personal_limits(cli: Cli) -> None:
    cli("init", "--timezone", "UTC", "--limit-grams", "5", "--limit-doses", "2")
    cli("log", "dose", "3g", "--at", "2 min ago")
    cli("log", "dose", "2g", "--at", "1 min ago")
    out = cli("today").stdout
    assert "5 g of your limit 5 g" in out
    assert "limit reached" in out
    assert "2 of your limit 2" in out
    assert "last dose:          2 g, 1 min ago" in out


def test_today_json_is_the_apps_today_view(
    cli: Cli, cli_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Noon in Paris: "2 hours ago" stays in today's journal day (days start at 04:00), at
    # whatever hour the suite runs.
    monkeypatch.setattr(unit, "current_time", lambda: datetime(2026, 6, 15, 10, 0, tzinfo=UTC))
    cli("init", "--timezone", "Europe/Paris", "--limit-grams", "4")
    cli("log", "dose", "3g", "--at", "2 hours ago")
    cli("log", "substance", "beer", "--at", "1 hour ago")
    result = cli("today", "--json")
    assert result.exit_code == 0, result.stderr
    shown = json.loads(result.stdout)
    speciosa = Speciosa.open(str(cli_db))
    try:
        with speciosa.journal() as journal:
            expected = json.loads(json.dumps(today(journal).to_dict()))
    finally:
        speciosa.close()
    # The only thing that moves between the two reads is the clock.
    minutes = shown.pop("minutes_since_last_dose"), expected.pop("minutes_since_last_dose")
    assert 120 <= minutes[0] <= minutes[1] <= minutes[0] + 1
    assert shown == expected
    assert shown["grams"] == {"used": 3.0, "limit": 4.0, "reached": False}
    assert [a["rule_id"] for a in shown["alerts"]] == ["co_use.alcohol"]
    assert shown["has_profile"] is True


def test_init_refuses_bad_profile_values(cli: Cli, cli_db: Path) -> None:
    result = cli("init", "--timezone", "Nowhere/Land")
    assert result.exit_code == 2
    assert "timezone" in result.stderr
    result = cli("init", "--bedtime", "25:00")
    assert result.exit_code == 2
    assert "bedtime" in result.stderr
    assert row_counts(cli_db).get("profiles", 0) == 0


def test_product_batch_with_lab_results(cli: Cli) -> None:
    cli("product", "add", "Green", "--vein", "green")
    assert (
        cli(
            "product",
            "batch",
            "Green",
            "L-1",
            "--mitragynine",
            "15.1",
            "--7oh",
            "0.3",
            "--heavy-metals",
            "pass",
            "--result",
            "pass",
        ).exit_code
        == 0
    )
    bad = cli("product", "batch", "Green", "L-2", "--microbial", "maybe")
    assert bad.exit_code == 2
    assert "microbial" in bad.stderr
    assert "pass" in cli("product", "list").stdout
