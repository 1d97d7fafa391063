"""The journal's version (the key of cached results) is one revision per person, replaced by
every committed write, whoever writes (SQLite and PostgreSQL): reads leave it, another
application on the same database sees a change at once, a rolled-back write changes nothing
and leaves no result computed from it, and one person's writes never touch another's."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from speciosa.app import Speciosa, entries
from speciosa.store.database import open_database
from speciosa.store.journal_store import owner_id


@pytest.fixture
def two(database_url: str) -> Iterator[tuple[Speciosa, Speciosa]]:
    """Two applications on one database: the web app and a CLI command, say."""
    one = Speciosa(open_database(database_url), default_zone="UTC")
    other = Speciosa(open_database(database_url), default_zone="UTC")
    one.local_owner()  # the local person exists before the tests read their journal
    yield one, other
    one.close()
    other.close()


def _stored_version(speciosa: Speciosa, owner: int | None = None) -> tuple[object, ...]:
    with speciosa.journal(owner) as journal:
        return journal.version()[1:]  # less this process's own write count


def _fail_after_a_write(speciosa: Speciosa) -> list[tuple[object, ...]]:
    """Log an entry, read the version twice, then fail: the transaction rolls back."""
    seen: list[tuple[object, ...]] = []

    def request() -> None:
        with speciosa.journal() as journal:
            entries.log(journal, {"kind": "pain", "score": 6})
            seen.extend([journal.version(), journal.version()])
            raise RuntimeError("the request failed after its write")

    with pytest.raises(RuntimeError):
        request()
    return seen


def test_every_committed_write_and_only_that_changes_the_revision(
    two: tuple[Speciosa, Speciosa],
) -> None:
    one, other = two
    start = _stored_version(one)
    assert _stored_version(one) == start  # a read changes nothing
    with other.journal() as journal:
        entries.log(journal, {"kind": "pain", "score": 4})
    after_log = _stored_version(one)
    assert after_log != start  # seen by the other application at once
    with other.journal() as journal:
        journal.store.products()
    assert _stored_version(one) == after_log
    _fail_after_a_write(other)
    assert _stored_version(one) == after_log  # rolled back: the same journal as before


def test_results_from_an_uncommitted_write_are_never_reused(
    two: tuple[Speciosa, Speciosa],
) -> None:
    one, _ = two
    with one.journal() as journal:
        clean = journal.version()
        assert journal.version() == clean  # a read-only transaction keeps its key
    during = _fail_after_a_write(one)
    assert during[0] != clean
    assert during[0] != during[1]  # each ask gets a key no cache entry has
    with one.journal() as journal:
        assert journal.version() == clean


def test_one_persons_write_leaves_anothers_revision(two: tuple[Speciosa, Speciosa]) -> None:
    one, other = two
    with one.transaction() as session:
        alice = owner_id(session, "alice", now=one.clock())
        bob = owner_id(session, "bob", now=one.clock())
    bobs = _stored_version(one, bob)
    assert _stored_version(one, alice) != bobs  # each person starts with a revision of their own
    with other.journal(alice) as journal:
        entries.log(journal, {"kind": "pain", "score": 2})
    assert _stored_version(one, bob) == bobs
