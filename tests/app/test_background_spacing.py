"""The background worker runs a person's jobs at most once per spacing: a burst of writes
right after a run waits for the spacing to pass and then costs one run, not one per write,
and a page can ask how long until that run to show the earlier answers meanwhile."""

from __future__ import annotations

import threading
import time

from speciosa.app.background import Background


def test_writes_after_a_run_wait_for_the_spacing_and_cost_one_run() -> None:
    started: list[float] = []
    ran = threading.Event()

    def run(owner: int) -> None:
        started.append(time.monotonic())
        ran.set()

    worker = Background(run, settle=0.01, spacing=0.5)
    try:
        worker.schedule(7)
        assert ran.wait(timeout=30)
        ran.clear()
        for _ in range(3):  # a burst of writes just after the first run
            worker.schedule(7)
        waiting = worker.due_in(7)
        assert waiting is not None
        assert waiting > 0.2  # the page may show the earlier answers instead of waiting
        assert ran.wait(timeout=30)
        time.sleep(0.6)  # nothing more is due: no third run comes
        assert len(started) == 2
        assert started[1] - started[0] >= 0.5
        assert worker.due_in(7) is None
    finally:
        worker.close()
