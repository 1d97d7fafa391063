"""Import jobs live in the database (SQLite and PostgreSQL): two application instances on
one database (two workers) see the same job, its end and its error; the cap on running
imports and the one-import-a-person rule hold across both; a job whose worker went silent
is shown as interrupted and no longer holds a place; finished jobs are forgotten."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from speciosa.app import Speciosa
from speciosa.app.import_jobs import KEEP, STALE_AFTER, ImportJobs, ImportsBusy, Progress
from speciosa.errors import InvalidInput, NotFound
from speciosa.store.database import open_database
from speciosa.store.journal_store import owner_id

NOW = datetime(2026, 6, 1, 20, 0, tzinfo=UTC)


class Clock:
    now = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def workers(database_url: str, clock: Clock) -> Iterator[tuple[ImportJobs, ImportJobs]]:
    """Two instances of the application on one database, as two server processes."""
    one = Speciosa(open_database(database_url), clock=clock, default_zone="UTC")
    other = Speciosa(open_database(database_url), clock=clock, default_zone="UTC")
    jobs = ImportJobs(one, max_running=1), ImportJobs(other, max_running=1)
    yield jobs
    for each in jobs:
        each.join(timeout=10)
    one.close()
    other.close()


def _people(jobs: ImportJobs, *names: str) -> list[int]:
    with jobs.speciosa.transaction() as session:
        return [owner_id(session, name, now=NOW) for name in names]


class Gate:
    """Work that reports progress, then waits until the test lets it finish."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.open = threading.Event()

    def __call__(self, progress: Progress) -> dict[str, Any]:
        progress(5, 10)
        self.started.set()
        assert self.open.wait(timeout=30)
        return {"added": 3}


def test_a_job_run_by_one_worker_is_seen_by_the_other_to_its_end(
    workers: tuple[ImportJobs, ImportJobs],
) -> None:
    one, other = workers
    sam, alex = _people(one, "sam", "alex")
    gate = Gate()
    cleaned = threading.Event()
    job = one.start(sam, "export.zip", dry_run=False, work=gate, cleanup=cleaned.set)
    assert gate.started.wait(timeout=30)
    seen = other.get(sam, job.id)
    assert (seen.state, seen.filename) == ("running", "export.zip")
    assert one.get(sam, job.id).done == 5  # the running worker knows its progress exactly
    with pytest.raises(NotFound):
        other.get(alex, job.id)  # another person's job is not found
    # One import at a time on the whole server, and one a person, whichever worker asks.
    with pytest.raises(ImportsBusy, match="already running 1 import"):
        other.start(alex, "other.zip", dry_run=False, work=Gate())
    with pytest.raises(ImportsBusy, match="one of your imports is still running"):
        other.start(sam, "again.zip", dry_run=False, work=Gate())
    gate.open.set()
    one.join(timeout=30)
    assert cleaned.is_set()  # the uploaded file is removed when the job ends
    ended = other.get(sam, job.id)
    assert (ended.state, ended.summary, ended.done, ended.total) == ("done", {"added": 3}, 10, 10)
    # Its place is free again.
    later = other.start(alex, "other.zip", dry_run=True, work=lambda progress: {"added": 0})
    other.join(timeout=30)
    assert one.get(alex, later.id).state == "done"


def test_an_error_is_kept_in_the_row_without_the_temporary_path(
    workers: tuple[ImportJobs, ImportJobs],
) -> None:
    one, other = workers
    (sam,) = _people(one, "sam")

    def bad(progress: Progress) -> dict[str, Any]:
        raise InvalidInput("file", "/tmp/speciosa-import-x/export.zip", "is not an export")

    job = one.start(
        sam,
        "export.zip",
        dry_run=False,
        work=bad,
        aliases={"/tmp/speciosa-import-x/export.zip": "export.zip"},
    )
    one.join(timeout=30)
    ended = other.get(sam, job.id)
    assert ended.state == "error"
    assert ended.error is not None
    assert ended.error["field"] == "file"
    assert "/tmp/" not in ended.error["full"]
    assert "export.zip" in ended.error["full"]


def test_a_silent_job_is_shown_interrupted_and_frees_its_place(
    workers: tuple[ImportJobs, ImportJobs], clock: Clock
) -> None:
    one, other = workers
    sam, alex = _people(one, "sam", "alex")
    gate = Gate()
    job = one.start(sam, "export.zip", dry_run=False, work=gate)
    assert gate.started.wait(timeout=30)
    # Its worker stops being heard from (as when a server is killed mid-import).
    clock.now = NOW + STALE_AFTER + timedelta(seconds=1)
    interrupted = other.get(sam, job.id)
    assert interrupted.state == "error"
    assert interrupted.error is not None
    assert "interrupted" in interrupted.error["message"]
    other.start(alex, "other.zip", dry_run=False, work=lambda progress: {"added": 0})
    other.join(timeout=30)
    gate.open.set()


def test_finished_jobs_are_forgotten_after_a_few_hours(
    workers: tuple[ImportJobs, ImportJobs], clock: Clock
) -> None:
    one, other = workers
    sam, alex = _people(one, "sam", "alex")
    old = one.start(sam, "old.zip", dry_run=False, work=lambda progress: {"added": 1})
    one.join(timeout=30)
    assert other.get(sam, old.id).state == "done"
    clock.now = NOW + KEEP + timedelta(minutes=1)
    other.start(alex, "new.zip", dry_run=False, work=lambda progress: {"added": 1})
    other.join(timeout=30)
    with pytest.raises(NotFound):
        one.get(sam, old.id)
