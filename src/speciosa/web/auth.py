"""Signing in, signing up and signing out (multi-user mode), shared by API and pages."""

from __future__ import annotations

import re

from fastapi import Request, Response
from sqlalchemy.orm import Session

from speciosa.errors import Conflict, InvalidInput
from speciosa.journal import clock
from speciosa.journal.models import Profile
from speciosa.store import accounts
from speciosa.store.journal_store import JournalStore
from speciosa.web import security
from speciosa.web.context import AppState, Person
from speciosa.web.errors import Refused

USERNAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{2,39}$")
RESERVED = frozenset({"local", "admin", "root"})


def require_multi_user(state: AppState) -> None:
    if not state.settings.multi_user:
        raise Conflict("mode: this server runs in local mode, which has no accounts")


def client_key(request: Request, username: str) -> str:
    host = request.client.host if request.client else "unknown"
    return f"{host}|{username.lower()}"


def sign_in(state: AppState, request: Request, username: str, password: str) -> Person:
    """The account for these credentials, with a new session; refused after too many tries."""
    require_multi_user(state)
    key = client_key(request, username)
    wait = state.limiter.retry_after(key)
    if wait:
        raise Refused(429, f"too many failed sign-ins; try again in {wait} s", retry_after=wait)
    with state.database.transaction() as session:
        account = accounts.find_account(session=session, username=username.lower())
        stored = None if account is None else account.password_hash
        if account is None or not security.verify_password(stored, password):
            state.limiter.failed(key)
            raise Refused(401, "username or password is wrong", field="password")
        if stored and security.needs_rehash(stored):
            accounts.set_password_hash(
                session=session, owner_id=account.id, password_hash=security.hash_password(password)
            )
        token = _start(state, session, account.id)
    state.limiter.succeeded(key)
    return Person(account.id, account.username, token)


def sign_up(state: AppState, username: str, password: str, timezone: str | None) -> Person:
    require_multi_user(state)
    if not state.settings.allow_signup:
        raise Refused(403, "sign-up is closed on this server; ask its administrator")
    name = username.strip().lower()
    if not USERNAME.match(name) or name in RESERVED:
        raise InvalidInput(
            "username",
            username,
            "use 3-40 letters, digits, '.', '_' or '-', starting with a letter or digit",
        )
    password_hash = security.hash_password(password)
    zone_name = timezone or "UTC"
    clock.zone(zone_name)
    now = state.clock()
    with state.database.transaction() as session:
        account = accounts.create_account(
            session=session, username=name, password_hash=password_hash, now=now
        )
        JournalStore(session, account.id).save_profile(Profile(timezone=zone_name), now=now)
        token = _start(state, session, account.id)
    return Person(account.id, account.username, token)


def _start(state: AppState, session: Session, owner_id: int) -> str:
    token = security.new_token()
    now = state.clock()
    accounts.start_session(
        session=session,
        owner_id=owner_id,
        token_hash=security.token_hash(token),
        now=now,
        expires_at=state.session_expiry(now),
    )
    return token


def sign_out(state: AppState, request: Request, response: Response) -> None:
    token = request.cookies.get(state.session_cookie)
    if token:
        with state.database.transaction() as session:
            accounts.end_session(session=session, token_hash=security.token_hash(token))
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
