"""Imports in the background: an uploaded file of any format the CLI reads, one worker
thread and one transaction per file, and a small in-memory registry of jobs per person.
The import itself is :func:`speciosa.app.data.import_any`'s.

    job = jobs.start(owner_id, "export.zip", dry_run=False, work=lambda progress: ...)
    jobs.get(owner_id, job.id).public()   # {"state": "running", "done": 10, "total": 99, ...}

``work`` gets a ``progress(done, total)`` callback and returns the summary; a
:class:`~speciosa.errors.SpeciosaError` ends the job in the ``error`` state with its
message, and its transaction (opened by ``work``) is rolled back: nothing is half-written.
Jobs live in memory only: a restart forgets them (the journal keeps what was imported).
"""

from __future__ import annotations

import logging
import secrets
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from speciosa.errors import NotFound, SpeciosaError, detail_of

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
Work = Callable[[Progress], dict[str, Any]]
# Finished jobs are kept this long for their status page, and at most this many a person.
KEEP = timedelta(hours=6)
MAX_JOBS_PER_PERSON = 20
STATES = ("queued", "running", "done", "error")


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


@dataclass
class ImportJobs:
    """Every person's recent import jobs; a job id from another person is not found."""

    _jobs: dict[str, ImportJob] = field(default_factory=dict)
    _threads: dict[str, threading.Thread] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

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
        """Run ``work`` in a thread; ``aliases`` replace text (a temporary path) in errors."""
        now = datetime.now(UTC)
        job = ImportJob(secrets.token_urlsafe(16), owner_id, filename, dry_run, now)
        with self._lock:
            self._forget_old(owner_id, now)
            self._jobs[job.id] = job
        thread = threading.Thread(
            target=self._run,
            args=(job.id, work, cleanup, aliases or {}),
            name=f"import-{job.id}",
            daemon=True,
        )
        with self._lock:
            self._threads[job.id] = thread
        thread.start()
        return job

    def get(self, owner_id: int, job_id: str) -> ImportJob:
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None or job.owner_id != owner_id:
            raise NotFound("import", job_id, "import jobs are kept for a few hours")
        return job

    def join(self, timeout: float | None = None) -> None:
        """Wait for every worker (the app's shutdown, and tests that stop a server)."""
        with self._lock:
            threads = list(self._threads.values())
        for thread in threads:
            thread.join(timeout)

    def _update(self, job_id: str, **changes: Any) -> None:
        with self._lock:
            self._jobs[job_id] = replace(self._jobs[job_id], **changes)

    def _run(
        self, job_id: str, work: Work, cleanup: Callable[[], None], aliases: dict[str, str]
    ) -> None:
        def progress(done: int, total: int) -> None:
            self._update(job_id, done=max(int(done), 0), total=max(int(total or 0), 0))

        try:
            self._update(job_id, state="running")
            summary = work(progress)
        except SpeciosaError as exc:
            self._update(job_id, state="error", error=_error(exc, aliases))
        except Exception:  # a worker must always end its job; the log keeps the trace
            logger.exception("import %s failed", job_id)
            message = "the import failed unexpectedly; nothing was written"
            self._update(
                job_id, state="error", error={"field": "file", "message": message, "full": message}
            )
        else:
            with self._lock:
                job = self._jobs[job_id]
            total = job.total or job.done or 1
            self._update(job_id, state="done", summary=summary, done=total, total=total)
        finally:
            cleanup()
            with self._lock:
                self._threads.pop(job_id, None)

    def _forget_old(self, owner_id: int, now: datetime) -> None:
        for job_id, job in list(self._jobs.items()):
            if job.finished and now - job.created > KEEP:
                del self._jobs[job_id]
        mine = sorted(
            (j for j in self._jobs.values() if j.owner_id == owner_id and j.finished),
            key=lambda j: j.created,
        )
        for job in mine[: max(0, len(mine) - MAX_JOBS_PER_PERSON + 1)]:
            del self._jobs[job.id]


def _error(exc: SpeciosaError, aliases: dict[str, str]) -> dict[str, Any]:
    """The error as a form shows it (``rendering.problem``'s keys), without temporary paths."""
    detail = detail_of(exc)
    message, full = detail.message, detail.full
    for text, shown in aliases.items():
        message, full = message.replace(text, shown), full.replace(text, shown)
    return {"field": detail.field or "file", "message": message, "full": full}


def upload_folder() -> Path:
    import tempfile

    return Path(tempfile.mkdtemp(prefix="speciosa-import-"))


def remove_folder(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


def safe_name(filename: str) -> str:
    """The upload's own base name, reduced to safe characters (formats are sniffed)."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    kept = "".join(c if c.isalnum() or c in "._-" else "_" for c in base).lstrip(".")
    return kept[:100] or "upload"
