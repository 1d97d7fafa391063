"""The background worker runs a person's jobs at most once per spacing: a burst of writes
right after a run waits for the spacing to pass and then costs one run, not one per write,
and a page can ask how long until that run to show the earlier answers meanwhile."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

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


def test_the_servers_setting_spaces_the_insights(tmp_path: Path) -> None:
    """``SPECIOSA_INSIGHTS_EVERY_SECONDS`` (WebSettings.insights_every_seconds) is the
    spacing of the served app's worker; 30 s unless set."""
    from speciosa.web.app import create_app
    from speciosa.web.settings import WebSettings

    assert WebSettings.model_fields["insights_every_seconds"].default == 30.0
    url = f"sqlite:///{tmp_path / 'journal.sqlite'}"
    app = create_app(WebSettings(database_url=url, insights_every_seconds=7.5))

    async def served() -> float | None:
        async with app.router.lifespan_context(app):  # what uvicorn runs: starts the worker
            background = app.state.speciosa.speciosa.background
            return None if background is None else background.spacing

    assert asyncio.run(served()) == 7.5
