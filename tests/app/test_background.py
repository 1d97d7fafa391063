"""The worker's shutdown: whatever closes after it (the database) is never closed under a job.

Real threads; each wait has a generous bound that only a hung worker reaches.
"""

from __future__ import annotations

import threading

from speciosa.app.background import Background

BOUND = 60  # seconds: a hung worker, never a slow machine


def test_a_job_that_outlives_close_runs_then_itself_as_it_ends() -> None:
    started, gate, closed = threading.Event(), threading.Event(), threading.Event()

    def run(_owner: int) -> None:
        started.set()
        gate.wait(BOUND)

    worker = Background(run, settle=0)
    worker.schedule(1)
    assert started.wait(BOUND)
    worker.close(timeout=0, then=closed.set)  # gives up waiting at once: the job still runs
    assert not closed.is_set()  # nothing is closed under the running job
    gate.set()
    assert closed.wait(BOUND)  # the worker closed it as it stopped


def test_an_idle_worker_stops_and_then_has_run_once_when_close_returns() -> None:
    calls: list[int] = []
    worker = Background(lambda _owner: None, settle=0)
    worker.close(timeout=BOUND, then=lambda: calls.append(1))
    # The worker stopped within the wait, so ``then`` ran (in it or in close), once.
    assert calls == [1]
