"""The account page in real Chromium at phone size: screenshots, and changing the password
in three taps (the page, the two fields, the button: Account link, fill, fill, tap)."""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path

from tests.web.chromium import launch, phone_page, serve, shot
from tests.web.conftest import PASSWORD


def multi_user_server(database: Path) -> AbstractContextManager[str]:
    return serve(
        database,
        multi_user=True,
        dev=True,  # plain-HTTP cookies on loopback, for the browser
        allow_signup=True,
        allowed_hosts=("127.0.0.1",),
    )


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
