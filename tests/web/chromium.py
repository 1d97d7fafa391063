"""Real Debian Chromium on the real app: the plumbing every browser test shares.

``serve(database)`` runs the app under uvicorn on a loopback port; ``launch()`` starts
headless Chromium through Playwright; ``phone_page`` opens a 390x844 touch page. Tests skip
with the reason when Chromium or axe-core is missing, and fail instead when
SPECIOSA_REQUIRE_BROWSER=1 (CI).
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from speciosa.web import WebSettings, create_app

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
AXE_DEFAULT = ROOT / "tests" / "assets" / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def missing(what: str) -> None:
    if os.environ.get("SPECIOSA_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{what} (SPECIOSA_REQUIRE_BROWSER=1: browser tests must run)")
    pytest.skip(what)


def chromium_path() -> str:
    path = os.environ.get("SPECIOSA_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        missing("Debian's Chromium is not installed (apt-get install chromium)")
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(database: Path, **settings: Any) -> Iterator[str]:
    """The real app under uvicorn on a loopback port; yields its base URL. ``settings`` add
    to the app's (multi_user=True and the like)."""
    app = create_app(WebSettings(database_url=str(database), **settings))
    config = uvicorn.Config(
        app, host="127.0.0.1", port=free_port(), log_level="warning", lifespan="off"
    )
    runner = uvicorn.Server(config)
    thread = threading.Thread(target=runner.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not runner.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{config.port}"
    finally:
        runner.should_exit = True
        thread.join(timeout=10)
        app.state.speciosa.speciosa.close()


@contextmanager
def launch() -> Iterator[Any]:
    """Headless Chromium, through Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path(), args=FLAGS)
        try:
            yield launched
        finally:
            launched.close()


@contextmanager
def phone_page(browser: Any, base_url: str, **options: Any) -> Iterator[Any]:
    """A 390x844 touch page; ``options`` override or add (color_scheme="dark", viewport=...)."""
    settings = {
        "viewport": PHONE,
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
        "base_url": base_url,
    }
    context = browser.new_context(**(settings | options))
    try:
        yield context.new_page()
    finally:
        context.close()


def shot(page: Any, name: str, *, full_page: bool = True) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)
