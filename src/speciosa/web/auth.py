"""Signing in, signing up and signing out (multi-user mode), shared by API and pages.

The accounts themselves are :mod:`speciosa.app.accounts`'s; the web decides who may try
(the mode, whether sign-up is open, the sign-in rate limit) and keeps the cookie.
"""

from __future__ import annotations

from fastapi import Request, Response

from speciosa.app import accounts
from speciosa.errors import Conflict, InvalidInput, SignInFailed
from speciosa.web.context import AppState, Person
from speciosa.web.errors import Refused


def require_multi_user(state: AppState) -> None:
    if not state.settings.multi_user:
        raise Conflict("mode: this server runs in local mode, which has no accounts")


def require_signup_open(state: AppState) -> None:
    require_multi_user(state)
    if not state.settings.allow_signup:
        raise Refused(403, "sign-up is closed on this server; ask its administrator")


def client_address(request: Request) -> str | None:
    """The caller's address: the peer's, or the one a trusted proxy forwarded
    (``forwarded_allow_ips``; uvicorn's ProxyHeadersMiddleware sets it)."""
    return request.client.host if request.client else None


def sign_in(state: AppState, request: Request, username: str, password: str) -> Person:
    """The account for these credentials, with a new session; refused after too many tries.

    Wrong credentials raise :class:`SignInFailed` (401) and count against the limit.
    """
    require_multi_user(state)
    address = client_address(request)
    wait = state.limiter.retry_after(username, address)
    if wait:
        raise Refused(429, f"too many failed sign-ins; try again in {wait} s", retry_after=wait)
    try:
        signed = accounts.sign_in(
            state.speciosa, username, password, days=state.settings.session_days
        )
    except SignInFailed:
        state.limiter.failed(username, address)
        raise
    state.limiter.succeeded(username)
    return Person(signed.owner_id, signed.username, signed.token)


def sign_up(
    state: AppState, request: Request, username: str, password: str, timezone: str | None
) -> Person:
    """A new account and its first session. Every try counts against the address's limit,
    a name that cannot be used included, except a password refused as too weak: choosing a
    strong one can take a person several tries, and it tells nothing about other accounts."""
    require_signup_open(state)
    address = client_address(request)
    wait = state.limiter.signup_retry_after(address)
    if wait:
        raise Refused(429, f"too many sign-ups from here; try again in {wait} s", retry_after=wait)
    try:
        signed = accounts.sign_up(
            state.speciosa, username, password, timezone, days=state.settings.session_days
        )
    except InvalidInput as refused:
        if refused.field != "password":
            state.limiter.signup_tried(address)
        raise
    state.limiter.signup_tried(address)
    return Person(signed.owner_id, signed.username, signed.token)


def sign_out(state: AppState, request: Request, response: Response) -> None:
    token = request.cookies.get(state.session_cookie)
    if token:
        accounts.sign_out(state.speciosa, token)
    response.delete_cookie(state.session_cookie, path="/", secure=state.settings.cookies_secure)


def set_session_cookie(state: AppState, response: Response, token: str) -> None:
    response.set_cookie(
        state.session_cookie,
        token,
        max_age=state.settings.session_days * 86400,
        path="/",
        httponly=True,
        samesite="lax",
        secure=state.settings.cookies_secure,
    )
