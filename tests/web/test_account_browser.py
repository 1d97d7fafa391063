"""The account page in real Chromium at phone size: screenshots, and changing the password
in three taps (the page, the two fields, the button: Account link, fill, fill, tap)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn

from speciosa.web import WebSettings, create_app
from tests.web.chromium import free_port, launch, phone_page, shot
from tests.web.conftest import PASSWORD


@contextmanager
def multi_user_server(database: Path) -> Iterator[str]:
    settings = WebSettings(
        database_url=str(database),
        multi_user=True,
        dev=True,  # plain-HTTP cookies on loopback, for the browser
        allow_signup=True,
        allowed_hosts=("127.0.0.1",),
    )
    app = create_app(settings)
    config = uvicorn.Config(app, host="127.0.0.1", port=free_port(), log_level="warning")
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


def test_account_page_on_a_phone(tmp_path: Path) -> None:
    with multi_user_server(tmp_path / "j.sqlite") as base, launch() as browser:
        for scheme in ("light", "dark"):
            with phone_page(browser, base, color_scheme=scheme) as page:
                page.goto("/signup")
                page.fill("#username", f"alice-{scheme}")
                page.fill("#password", PASSWORD)
                page.click("button[type=submit]")
                page.goto("/account")
                assert page.locator("h1").inner_text() == "Account"
                shot(page, f"account-{scheme}")
                # taps: Account link (1), current (2), new (3), Change password (4)
                page.fill("#pw-current", "not my password")
                page.fill("#pw-new", "a brand new walrus lantern")
                page.click("text=Change password >> nth=-1")
                assert page.locator("#current_password-error").is_visible()
                shot(page, f"account-wrong-password-{scheme}")
                page.fill("#pw-current", PASSWORD)
                page.fill("#pw-new", "a brand new walrus lantern")
                page.locator("form[action='/account/password'] button").click()
                page.wait_for_url("**/account?done=password")
                assert "Password changed" in page.content()
