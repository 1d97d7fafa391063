"""Accounts on a multi-user server: sign up, sign in, sign out, and who a session is.

The front end decides what a caller may try (rate limits, whether sign-up is open); this
module checks credentials and keeps sessions, each stored only as its token's hash.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session

from speciosa.errors import Conflict, InvalidInput, SignInFailed
from speciosa.journal import clock
from speciosa.journal.models import Profile
from speciosa.store import accounts
from speciosa.store.journal_store import JournalStore

from . import credentials
from .unit import Speciosa

USERNAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{2,39}$")
RESERVED = frozenset({"local", "admin", "root"})


@dataclass(frozen=True)
class SignedIn:
    """A person with a new session; ``token`` goes in their cookie and nowhere else."""

    owner_id: int
    username: str
    token: str


@dataclass(frozen=True)
class Person:
    owner_id: int
    username: str


def sign_in(speciosa: Speciosa, username: str, password: str, *, days: int) -> SignedIn:
    """A new session of ``days`` days for these credentials; :class:`SignInFailed` if wrong."""
    with speciosa.transaction() as session:
        account = accounts.find_account(session=session, username=username.strip().lower())
        stored = None if account is None else account.password_hash
        if not credentials.verify_password(stored, password) or account is None:
            raise SignInFailed("password: the username or password is wrong")
        if stored and credentials.needs_rehash(stored):
            accounts.set_password_hash(
                session=session,
                owner_id=account.id,
                password_hash=credentials.hash_password(password),
            )
        token = _start(speciosa, session, account.id, days)
    return SignedIn(account.id, account.username, token)


def sign_up(
    speciosa: Speciosa, username: str, password: str, timezone: str | None, *, days: int
) -> SignedIn:
    """A new account (with a profile in ``timezone``) and its first session."""
    name = username.strip().lower()
    if not USERNAME.match(name):
        raise InvalidInput(
            "username",
            username,
            "use 3-40 letters, digits, '.', '_' or '-', starting with a letter or digit",
        )
    # Hashed first, so that a taken name costs the same time as a free one.
    password_hash = credentials.hash_password(password)
    zone_name = timezone or "UTC"
    clock.zone(zone_name)
    now = speciosa.clock()
    with speciosa.transaction() as session:
        if name in RESERVED:
            raise _unavailable(username)
        try:
            account = accounts.create_account(
                session=session, username=name, password_hash=password_hash, now=now
            )
        except Conflict:
            raise _unavailable(username) from None
        JournalStore(session, account.id).save_profile(Profile(timezone=zone_name), now=now)
        token = _start(speciosa, session, account.id, days)
    return SignedIn(account.id, account.username, token)


def _unavailable(username: str) -> InvalidInput:
    # One answer for reserved and taken names: sign-up says no more than that it cannot
    # use this name (the same words, status and time whichever it is).
    return InvalidInput("username", username, "choose another name")


def sign_out(speciosa: Speciosa, token: str) -> None:
    with speciosa.transaction() as session:
        accounts.end_session(session=session, token_hash=credentials.token_hash(token))


def person_for(speciosa: Speciosa, token: str) -> Person | None:
    """Whose unexpired session this token is (None when none)."""
    with speciosa.transaction() as session:
        account = accounts.session_account(
            session=session, token_hash=credentials.token_hash(token), now=speciosa.clock()
        )
    return None if account is None else Person(account.id, account.username)


def _start(speciosa: Speciosa, session: Session, owner_id: int, days: int) -> str:
    token = credentials.new_token()
    now = speciosa.clock()
    accounts.start_session(
        session=session,
        owner_id=owner_id,
        token_hash=credentials.token_hash(token),
        now=now,
        expires_at=now + timedelta(days=days),
    )
    return token
