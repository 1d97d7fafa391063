"""Work done for a person after their journal changed, off the request that changed it.

The web server starts one worker thread (:meth:`speciosa.app.Speciosa.start_background`);
a transaction that wrote to a journal schedules its owner, and the worker, after a short
pause that lets a burst of writes settle, opens that journal and runs every registered job
(the insights, by default), each of which stores its answer in the result cache under the
journal's new version. A page then reads the stored answer instead of computing it.

The command line never starts the worker: each command computes what it shows in-line.

    background = Background(run=lambda owner: ...)   # run(owner) does the jobs
    background.schedule(owner)                        # after a commit that wrote
    background.close()                                # on shutdown
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Engine, event
from sqlalchemy.orm import Session

log = logging.getLogger("speciosa.background")

# Seconds to wait after the last write before computing: logging three entries in a row
# costs one computation, not three.
SETTLE_SECONDS = 0.15
# At most one run per person in this long: someone logging several things in a minute (or
# a script) costs a computation every so often, not one per write; a page in between shows
# the answers from a moment before, marked as updating. The web server's default is
# WebSettings.insights_every_seconds; this one is for other callers.
SPACING_SECONDS = 2.0
# Set on a connection's info when a statement on it changed rows (read by wrote_in).
_WROTE = "speciosa.wrote"
# Set as well when such a statement named the entries table (read by wrote_entries_in).
_WROTE_ENTRIES = "speciosa.wrote_entries"
_ENTRIES_TABLE = re.compile(r"\bentries\b", re.IGNORECASE)


def watch_writes(engine: Engine) -> None:
    """Mark each connection that runs an INSERT, UPDATE or DELETE, whichever route the
    statement took (the ORM's flush, a Core statement, a statement on the connection)."""
    if not event.contains(engine, "after_cursor_execute", _mark_write):
        event.listen(engine, "after_cursor_execute", _mark_write)


def _mark_write(
    conn: Connection, cursor: Any, statement: str, parameters: Any, context: Any, many: bool
) -> None:
    compiled = context is not None and (context.isinsert or context.isupdate or context.isdelete)
    if compiled or statement.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE"):
        conn.info[_WROTE] = True
        if _ENTRIES_TABLE.search(statement):
            conn.info[_WROTE_ENTRIES] = True


def has_written(session: Session) -> bool:
    """True if this transaction has changed a row so far (the mark stays)."""
    return bool(session.connection().info.get(_WROTE, False))


def wrote_in(session: Session) -> bool:
    """True if this transaction changed any row (clears the marks for the next one)."""
    info = session.connection().info
    info.pop(_WROTE_ENTRIES, None)
    return bool(info.pop(_WROTE, False))


def wrote_entries_in(session: Session) -> bool:
    """True if this transaction ran a write naming the entries table (the mark stays until
    :func:`wrote_in` clears it). A false "yes" only costs a full refresh somewhere."""
    return bool(session.connection().info.get(_WROTE_ENTRIES, False))


class Background:
    """One daemon thread running ``run(owner)`` for each scheduled owner, once per burst."""

    def __init__(
        self,
        run: Callable[[int], None],
        *,
        settle: float = SETTLE_SECONDS,
        spacing: float = SPACING_SECONDS,
        prepare: Callable[[], object] | None = None,
        preparing_for: int | None = None,
    ) -> None:
        self._run = run
        self._prepare = prepare
        self._settle = settle
        self._spacing = spacing
        self._due: dict[int, float] = {}  # owner -> monotonic time its job may start
        self._started: dict[int, float] = {}  # owner -> when its last run started
        self._wake = threading.Condition()
        self._closed = False
        self._stopped = False  # the worker has left its loop
        self._then: Callable[[], object] | None = None  # run once stopped (see close)
        # The owner whose jobs run now (``preparing_for`` while ``prepare`` runs).
        self._running: int | None = preparing_for
        self._thread = threading.Thread(target=self._loop, name="speciosa-background", daemon=True)
        self._thread.start()

    @property
    def spacing(self) -> float:
        """Seconds between two runs for one person while writes keep coming."""
        return self._spacing

    def schedule(self, owner: int) -> None:
        """Run the jobs for ``owner`` soon (again, if they are running now)."""
        with self._wake:
            soonest = self._started.get(owner, -self._spacing) + self._spacing
            self._due[owner] = max(time.monotonic() + self._settle, soonest)
            self._wake.notify()

    def due_in(self, owner: int) -> float | None:
        """Seconds until ``owner``'s scheduled run may start (0 if running or overdue);
        None when none is scheduled."""
        with self._wake:
            if owner == self._running:
                return 0.0
            due = self._due.get(owner)
            return None if due is None else max(0.0, due - time.monotonic())

    def ensure(self, owner: int) -> None:
        """Run the jobs for ``owner`` unless they are due or running already (a page that
        finds a result out of date: the write may have come from another process)."""
        with self._wake:
            if owner in self._due or owner == self._running:
                return
            self._due[owner] = time.monotonic()
            self._wake.notify()

    def busy_with(self, owner: int) -> bool:
        """True while the worker is computing for ``owner`` (wait for it, do not repeat it)."""
        with self._wake:
            return self._running == owner

    def close(self, timeout: float = 5.0, *, then: Callable[[], object] | None = None) -> None:
        """Stop the worker (a job in progress finishes first, up to ``timeout`` seconds), then
        run ``then`` (closing the database): here if the worker stopped in time, else in the
        worker once its job ends, so that nothing is closed under a running job."""
        with self._wake:
            self._closed = True
            self._due.clear()
            self._then = then
            self._wake.notify()
        self._thread.join(timeout)
        self._finish(worker=False)

    def _finish(self, *, worker: bool) -> None:
        """Run ``then`` once, in whichever of close() and the stopping worker comes last."""
        with self._wake:
            if worker:
                self._stopped = True
            elif not self._stopped:
                return  # still running a job: the worker runs ``then`` as it stops
            then, self._then = self._then, None
        if then is not None:
            then()

    def _next(self) -> int | None:
        """The next owner whose settle time has passed, waiting for one; None once closed."""
        with self._wake:
            while not self._closed:
                if not self._due:
                    self._wake.wait()
                    continue
                owner, due = min(self._due.items(), key=lambda item: item[1])
                delay = due - time.monotonic()
                if delay <= 0:
                    del self._due[owner]
                    self._running = owner
                    self._started[owner] = time.monotonic()
                    return owner
                self._wake.wait(delay)
            return None

    def _loop(self) -> None:
        try:
            self._work()
        finally:
            self._finish(worker=True)

    def _work(self) -> None:
        if self._prepare is not None:  # e.g. import pandas before the first view needs it
            try:
                self._prepare()
            except Exception as exc:
                log.warning("background preparation failed: %s", type(exc).__name__)
            finally:
                with self._wake:
                    self._running = None
        while (owner := self._next()) is not None:
            try:
                self._run(owner)
            except Exception as exc:  # a busy or damaged journal: the page computes in-line
                # The exception's type only: its text could quote journal data.
                log.warning("background refresh failed: %s", type(exc).__name__)
            finally:
                with self._wake:
                    self._running = None
