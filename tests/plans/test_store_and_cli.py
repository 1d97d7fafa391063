"""Plans in the real database (every version kept) and the ``speciosa plan`` commands."""

from __future__ import annotations

from datetime import timedelta

import pytest

from speciosa.errors import Conflict, NotFound
from speciosa.journal.units import Unit
from speciosa.knowledge.language import recommends_amount
from speciosa.plans.base import measure_for
from speciosa.plans.taper import TaperChange, TaperRequest, TaperTarget, change, design_taper, pause
from speciosa.plans.usage import recent_use
from speciosa.store.database import Database
from speciosa.store.journal_store import owner_id
from speciosa.store.plan_store import PlanStore
from tests.conftest import Cli, row_counts

from .conftest import NOW, TODAY, daily_doses


def _plan():  # type: ignore[no-untyped-def]
    use = recent_use(daily_doses(30), today=TODAY, journal_start=TODAY - timedelta(days=30))
    return design_taper(
        TaperRequest(target=TaperTarget(kind="amount", grams_per_day=3), every_days=7),
        use=use,
        measure=measure_for(Unit.GRAM, None),
        today=TODAY,
        now=NOW,
        clinician_consulted=True,
    )


def test_plans_keep_every_version(database: Database) -> None:
    plan = _plan()
    with database.transaction() as session:
        store = PlanStore(session, owner_id(session, now=NOW))
        stored = store.add(plan, now=NOW)
        paused = pause(plan, day=TODAY + timedelta(days=3), now=NOW)
        store.save(stored.id, paused, action="paused", now=NOW + timedelta(days=3))
        changed = change(plan, TaperChange(every_days=21), day=TODAY + timedelta(days=8), now=NOW)
        store.save(stored.id, changed, action="changed", now=NOW + timedelta(days=8))
    with database.transaction() as session:
        store = PlanStore(session, owner_id(session, now=NOW))
        again = store.get(stored.id)
        assert again.plan == changed
        versions = store.versions(stored.id)
        assert [v.action for v in versions] == ["created", "paused", "changed"]
        assert versions[0].plan == plan
        assert versions[1].plan == paused
        assert [p.id for p in store.running()] == [stored.id]
        with pytest.raises(Conflict):
            store.add(plan, now=NOW)  # two running plans would confound each other
        with pytest.raises(NotFound):
            store.get(stored.id + 100)


def test_plans_are_scoped_to_their_owner(database: Database) -> None:
    with database.transaction() as session:
        mine = PlanStore(session, owner_id(session, now=NOW)).add(_plan(), now=NOW)
        other = PlanStore(session, owner_id(session, "someone-else", now=NOW))
        assert other.all() == []
        with pytest.raises(NotFound):
            other.get(mine.id)


def _log_week_of_doses(cli: Cli, days: int = 20) -> None:
    for n in range(1, days + 1):
        for hour in ("08:00", "20:00"):
            result = cli("log", "dose", "2g", "--at", f"{_day(n)} {hour}")
            assert result.exit_code == 0, result.stderr


def _day(n: int) -> str:
    from speciosa.app import current_time, local_zone
    from speciosa.journal.clock import journal_day

    return (journal_day(current_time(), local_zone()) - timedelta(days=n)).isoformat()


def test_cli_taper_lifecycle(cli: Cli, cli_db) -> None:  # type: ignore[no-untyped-def]
    _log_week_of_doses(cli)
    refused = cli("plan", "taper", "--target", "stop")
    assert refused.exit_code == 2
    assert "--clinician-consulted" in refused.stderr
    # Daily use for an unknown time (the log began with it): any taper asks for a clinician.
    refused = cli("plan", "taper", "--target", "amount", "--grams", "2")
    assert refused.exit_code == 2
    assert "--clinician-consulted" in refused.stderr
    consulted = "--clinician-consulted"
    dry = cli("plan", "taper", "--target", "amount", "--grams", "2", consulted, "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert "plans" not in row_counts(cli_db) or row_counts(cli_db)["plans"] == 0
    made = cli("plan", "taper", "--target", "amount", "--grams", "2", "--every", "7", consulted)
    assert made.exit_code == 0, made.stderr
    assert "Taper plan #1" in made.stdout
    assert "by analogy" in made.stdout
    outputs = [dry.stdout, made.stdout]
    for args in (
        ("plan", "today"),
        ("plan", "status"),
        ("plan", "pause", "1", "--reason", "flu"),
        ("plan", "resume", "1"),
        ("plan", "change", "1", "--every", "14", "--reason", "slower"),
        ("plan", "show", "1", "--history"),
        ("plan", "list"),
    ):
        result = cli(*args)
        assert result.exit_code == 0, (args, result.stderr)
        outputs.append(result.stdout)
    assert "saved state 4: changed" in outputs[-2]
    assert row_counts(cli_db)["plan_versions"] == 4
    # A bedtime on/off experiment asks a daily user for a clinician too.
    clash = cli("plan", "experiment", "--compare", "bedtime", "--seed", "1", consulted)
    assert clash.exit_code == 2
    assert "still running" in clash.stderr
    assert cli("plan", "end", "1").exit_code == 0
    refused = cli("plan", "experiment", "--compare", "bedtime", "--seed", "1")
    assert refused.exit_code == 2
    assert refused.stderr.startswith("error: --clinician-consulted")
    made = cli("plan", "experiment", "--compare", "bedtime", "--seed", "1", consulted)
    assert made.exit_code == 0, made.stderr
    outputs.append(made.stdout)
    changed = cli("plan", "change", "2", "--every", "3")
    assert changed.exit_code == 2
    assert "randomisation" in changed.stderr
    for text in outputs:
        for line in text.splitlines():
            assert recommends_amount(line) is None, line


def test_cli_refusals_name_the_field(cli: Cli) -> None:
    _log_week_of_doses(cli, 10)
    consulted = "--clinician-consulted"
    cases = [
        # Each names the flag as typed (issue 12), never the model's field.
        (("plan", "experiment", "--compare", "nap"), "--compare"),
        (("plan", "experiment", "--compare", "bedtime"), "--clinician-consulted"),
        (
            ("plan", "experiment", "--compare", "bedtime", consulted, "--washout-days", "2"),
            "--washout-days",
        ),
        (
            ("plan", "experiment", "--compare", "bedtime", consulted, "--end", "2000-01-01"),
            "--end",
        ),
        (("plan", "taper", "--target", "amount"), "--grams"),
        (("plan", "taper", "--target", "stop", "--unit", "caps"), "--product"),
        (("plan", "show", "99"), "plan"),
    ]
    for args, field in cases:
        result = cli(*args)
        assert result.exit_code == 2, args
        assert result.stderr.startswith(f"error: {field}"), (args, result.stderr)


def test_cli_experiment_seed_reproduces(cli: Cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    a = cli("plan", "experiment", "--compare", "bedtime", "--seed", "42", "--dry-run")
    b = cli(
        "plan",
        "experiment",
        "--compare",
        "bedtime",
        "--seed",
        "42",
        "--dry-run",
        db=tmp_path / "other.sqlite",
    )
    assert a.exit_code == b.exit_code == 0
    blocks = [line for line in a.stdout.splitlines() if line.lstrip().startswith("block ")]
    assert blocks == [line for line in b.stdout.splitlines() if line.lstrip().startswith("block ")]
    assert len(blocks) == 8


def test_running_plans_include_a_plan_added_earlier_in_the_same_transaction(
    database: Database,
) -> None:
    # running() reads plain rows on the connection (Today asks on every view): what the
    # session wrote earlier in the transaction must be there.
    with database.transaction() as session:
        store = PlanStore(session, owner_id(session, now=NOW))
        assert store.running() == []
        stored = store.add(_plan(), now=NOW)
        assert [p.id for p in store.running()] == [stored.id]
