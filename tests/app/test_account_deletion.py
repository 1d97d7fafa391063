"""Deleting an account removes every row the person owns, in every table of the schema.

The tables are read from the SQLAlchemy metadata, so a table added later is counted
without changing this test; the fill must then reach it too (the test says which it misses).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from speciosa.app import Speciosa, accounts, reminders, sharing
from speciosa.app.import_jobs import ImportJobs
from speciosa.errors import InvalidInput
from speciosa.store.tables import Base
from tests.app.full_journal import fill, open_app

PASSWORD = "correct horse battery"
# Not anyone's: failures are counted by hashed name or address (see test_sign_in_limits).
UNOWNED = {"sign_in_failures"}


def _counts(speciosa: Speciosa) -> dict[str, int]:
    with speciosa.transaction() as session:
        return {
            name: session.scalar(select(func.count()).select_from(table)) or 0
            for name, table in Base.metadata.tables.items()
        }


def _person(speciosa: Speciosa, name: str) -> int:
    """An account holding one of everything: journal, plans, routine, links and their logs."""
    owner = accounts.sign_up(speciosa, name, PASSWORD, "Europe/London", days=14).owner_id
    fill(speciosa, owner)
    with speciosa.journal(owner) as journal:
        _, token = sharing.create(
            journal,
            first_day=journal.today - timedelta(days=6),
            last_day=journal.today,
            expires_in_days=7,
            max_days=90,
            label="Dr",
        )
        feed = reminders.create_feed(journal)
        journal.seen_alerts.mark(f"test-alert-{name}", journal.now)
    sharing.open_shared(speciosa, token, what="page", user_agent="test")
    reminders.open_feed(speciosa, feed, user_agent="test")
    imports = ImportJobs(speciosa)
    imports.start(owner, "export.zip", dry_run=True, work=lambda progress: {"added": 0})
    imports.join(timeout=30)
    return owner


def test_deleting_an_account_leaves_no_row_of_it(database_url: str) -> None:
    speciosa = open_app(database_url)
    try:
        _person(speciosa, "bob")
        before = _counts(speciosa)
        alice = _person(speciosa, "alice")
        filled = _counts(speciosa)
        missed = {t for t in filled if filled[t] == before[t]} - UNOWNED
        assert missed == set(), f"the fill never wrote to {sorted(missed)}: extend _person"
        with pytest.raises(InvalidInput, match="current_password"):
            accounts.delete_account(speciosa, alice, "not the password")
        assert _counts(speciosa) == filled  # a wrong password deletes nothing
        accounts.delete_account(speciosa, alice, PASSWORD)
        after = _counts(speciosa)
        # table by table: exactly bob's rows are left, none of alice's
        assert after == before
        assert after["owners"] == 1
        assert after["entries"] > 0
    finally:
        speciosa.close()
