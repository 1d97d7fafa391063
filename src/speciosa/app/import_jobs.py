"""File imports in the background, recorded in the database so that every worker of a
server (and the same server after a restart) shows the same jobs and enforces one cap.

    jobs = ImportJobs(speciosa, max_running=2)
    job = jobs.start(owner_id, "export.zip", dry_run=False, work=lambda progress: ...)
    jobs.get(owner_id, job.id).public()   # {"state": "running", "done": 10, "total": 99, ...}

The worker that received the file runs the import in a thread of its own (the file is on
its disk); ``work`` gets a ``progress(done, total)`` callback and returns the summary. A
:class:`~speciosa.errors.SpeciosaError` ends the job in the ``error`` state with its
message, and its transaction (opened by ``work``) is rolled back: nothing is half-written.

The running worker knows its job's progress exactly; it writes it to the row at most once
a second on PostgreSQL, where the other workers read it. (A SQLite journal is served by one
process, and a second writer would wait for the import's own write lock.) A job whose row
has not moved for ``stale_after`` was interrupted: its server stopped mid-way, and its one
transaction was rolled back with it.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from speciosa.errors import Fault, NotFound, SpeciosaError, detail_of
from speciosa.store import import_jobs as rows
from speciosa.store.tables import ImportJobRow

from .unit import Speciosa

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
Work = Callable[[Progress], dict[str, Any]]
# Finished jobs are kept this long for their status page, and at most this many a person.
KEEP = timedelta(hours=6)
MAX_JOBS_PER_PERSON = 20
# Two imports use both cores of a small server; more would only slow every page down.
MAX_RUNNING = 2
# A running job's row moves at least this often while its worker lives (progress and
# heartbeat); one silent for longer belongs to a server that stopped.
HEARTBEAT_SECONDS = 1.0
STALE_AFTER = timedelta(minutes=2)
INTERRUPTED = (
    "this import was interrupted (the server stopped); nothing from it was written; "
    "import the file again"
)


class ImportsBusy(Fault):
    """The server runs as many imports as it allows; a later try will be let in."""

    retry_after = 30  # seconds: the web's Retry-After

    def __init__(self, message: str) -> None:
        self.field = "file"
        self.value = None
        super().__init__(f"file: {message}; nothing was imported; try again in a minute")


@dataclass(frozen=True)
class ImportJob:
    id: str
    owner_id: int
    filename: str
    dry_run: bool
    created: datetime
    state: str = "queued"
    done: int = 0
    total: int = 0
    summary: dict[str, Any] | None = None
    error: dict[str, Any] | None = None

    @property
    def finished(self) -> bool:
        return self.state in ("done", "error")

    def public(self) -> dict[str, Any]:
        """The status the page polls (never the owner or the file's location)."""
        return {
            "id": self.id,
            "filename": self.filename,
            "dry_run": self.dry_run,
            "state": self.state,
            "done": self.done,
            "total": self.total,
            "summary": self.summary,
            "error": self.error,
        }

    @classmethod
    def of(cls, row: ImportJobRow) -> ImportJob:
        return cls(
            id=row.id,
            owner_id=row.owner_id,
            filename=row.filename,
            dry_run=row.dry_run,
            created=row.created_at,
            state=row.state,
            done=row.done,
            total=row.total,
            summary=row.summary,
            error=row.error,
        )


class ImportJobs:
    """Every person's recent import jobs; a job id from another person is not found."""

    def __init__(
        self,
        speciosa: Speciosa,
        *,
        max_running: int = MAX_RUNNING,
        stale_after: timedelta = STALE_AFTER,
    ) -> None:
        self.speciosa = speciosa
        self.max_running = max_running
        self.stale_after = stale_after
        # Only PostgreSQL lets the progress row change while the import holds its writes.
        self.shares_progress = speciosa.database.engine.dialect.name != "sqlite"
        self._live: dict[str, ImportJob] = {}  # the jobs this process runs, as they stand
        self._threads: dict[str, threading.Thread] = {}
        self._lock = threading.Lock()

    def start(
        self,
        owner_id: int,
        filename: str,
        *,
        dry_run: bool,
        work: Work,
        cleanup: Callable[[], None] = lambda: None,
        aliases: dict[str, str] | None = None,
    ) -> ImportJob:
        """Run ``work`` in a thread; ``aliases`` replace text (a temporary path) in errors.

        Raises :class:`ImportsBusy` (and runs ``cleanup``) when the person already has an
        import running or the server runs ``max_running``."""
        now = self.speciosa.clock()
        job = ImportJob(secrets.token_urlsafe(16), owner_id, filename[:200], dry_run, now)
        try:
            self._admit(job, now)
        except BaseException:
            cleanup()
            raise
        thread = threading.Thread(
            target=self._run,
            args=(job.id, work, cleanup, aliases or {}),
            name=f"import-{job.id}",
            daemon=True,
        )
        with self._lock:
            self._live[job.id] = job
            self._threads[job.id] = thread
        thread.start()
        return job

    def get(self, owner_id: int, job_id: str) -> ImportJob:
        with self._lock:
            job = self._live.get(job_id)
        if job is None:
            with self.speciosa.transaction() as session:
                row = rows.get(session=session, owner_id=owner_id, job_id=job_id)
                job = None if row is None else self._as_seen_from_here(row)
        if job is None or job.owner_id != owner_id:
            raise NotFound("import", job_id, "import jobs are kept for a few hours")
        return job

    def join(self, timeout: float | None = None) -> None:
        """Wait for every worker (the app's shutdown, and tests that stop a server)."""
        with self._lock:
            threads = list(self._threads.values())
        for thread in threads:
            thread.join(timeout)

    def _admit(self, job: ImportJob, now: datetime) -> None:
        with self._lock, self.speciosa.transaction() as session:
            rows.serialise_starts(session)
            rows.forget_finished(
                session=session,
                owner_id=job.owner_id,
                created_before=now - KEEP,
                keep=MAX_JOBS_PER_PERSON - 1,
            )
            heard = rows.running(session=session, heard_since=now - self.stale_after)
            # This process's own jobs count even when their rows are quiet (SQLite).
            running = {row.id: row.owner_id for row in heard}
            running.update({live.id: live.owner_id for live in self._live.values()})
            if job.owner_id in running.values():
                raise ImportsBusy("one of your imports is still running; wait for it to finish")
            if len(running) >= self.max_running:
                raise ImportsBusy(f"the server is already running {len(running)} imports")
            rows.add(session=session, row=_new_row(job, now))

    def _as_seen_from_here(self, row: ImportJobRow) -> ImportJob:
        """A job run elsewhere (or before a restart), with a silent one shown as ended."""
        job = ImportJob.of(row)
        if not job.finished and row.updated_at < self.speciosa.clock() - self.stale_after:
            error = {"field": "file", "message": INTERRUPTED, "full": f"file: {INTERRUPTED}"}
            return replace(job, state="error", error=error)
        return job

    def _run(
        self, job_id: str, work: Work, cleanup: Callable[[], None], aliases: dict[str, str]
    ) -> None:
        shared_at = -HEARTBEAT_SECONDS  # the first progress is shared at once

        def progress(done: int, total: int) -> None:
            nonlocal shared_at
            job = self._update(job_id, done=max(int(done), 0), total=max(int(total or 0), 0))
            if self.shares_progress and time.monotonic() - shared_at >= HEARTBEAT_SECONDS:
                shared_at = time.monotonic()
                self._save(job)

        try:
            self._save(self._update(job_id, state="running"))
            summary = work(progress)
        except SpeciosaError as exc:
            self._finish(job_id, state="error", error=_error(exc, aliases))
        except Exception:  # a worker must always end its job; the log keeps the trace
            logger.exception("import %s failed", job_id)
            message = "the import failed unexpectedly; nothing was written"
            error = {"field": "file", "message": message, "full": message}
            self._finish(job_id, state="error", error=error)
        else:
            with self._lock:
                job = self._live[job_id]
            total = job.total or job.done or 1
            self._finish(job_id, state="done", summary=summary, done=total, total=total)
        finally:
            cleanup()

    def _update(self, job_id: str, **changes: Any) -> ImportJob:
        with self._lock:
            job = self._live[job_id] = replace(self._live[job_id], **changes)
        return job

    def _finish(self, job_id: str, **changes: Any) -> None:
        job = self._update(job_id, **changes)
        try:
            self._save(job)
        except SpeciosaError:  # the journal is written (or not) already; say so in the log
            logger.warning("import %s ended but its status could not be saved", job_id)
        with self._lock:
            self._live.pop(job_id, None)
            self._threads.pop(job_id, None)

    def _save(self, job: ImportJob) -> None:
        changes = {
            "state": job.state,
            "done": job.done,
            "total": job.total,
            "summary": job.summary,
            "error": job.error,
            "updated_at": self.speciosa.clock(),
        }
        with self.speciosa.transaction() as session:
            rows.change(session=session, job_id=job.id, changes=changes)


def _new_row(job: ImportJob, now: datetime) -> ImportJobRow:
    return ImportJobRow(
        id=job.id,
        owner_id=job.owner_id,
        filename=job.filename,
        dry_run=job.dry_run,
        state=job.state,
        done=0,
        total=0,
        created_at=now,
        updated_at=now,
    )


def _error(exc: SpeciosaError, aliases: dict[str, str]) -> dict[str, Any]:
    """The error as a form shows it (``rendering.problem``'s keys), without temporary paths."""
    detail = detail_of(exc)
    message, full = detail.message, detail.full
    for text, shown in aliases.items():
        message, full = message.replace(text, shown), full.replace(text, shown)
    return {"field": detail.field or "file", "message": message, "full": full}
