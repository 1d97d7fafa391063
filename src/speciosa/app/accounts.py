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
    password_hash = credentials.hash_password(password, about=(name,))
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


def person_for(speciosa: Speciosa, token: str, *, idle_minutes: int | None = None) -> Person | None:
    """Whose unexpired session this token is (None when none, or when it has gone unused
    for ``idle_minutes``: that session is ended)."""
    idle = None if idle_minutes is None else timedelta(minutes=idle_minutes)
    # Every signed-in request asks: one read (and at most a minute's last-seen mark or an
    # idle session's end, each a statement of its own) without a transaction around it.
    with speciosa.statements() as connection:
        account = accounts.session_account(
            session=connection,
            token_hash=credentials.token_hash(token),
            now=speciosa.clock(),
            idle=idle,
        )
    return None if account is None else Person(account.id, account.username)


def change_password(
    speciosa: Speciosa, owner_id: int, current: str, new: str, *, keep_token: str
) -> int:
    """Set a new password (checked like sign-up's) after checking the current one; every
    other session of this person ends. How many sessions were ended."""
    with speciosa.transaction() as session:
        _check_current(session, owner_id, current)
        account_name = _username(session, owner_id)
        accounts.set_password_hash(
            session=session,
            owner_id=owner_id,
            password_hash=credentials.hash_password(new, about=(account_name,)),
        )
        return accounts.end_sessions(
            session=session, owner_id=owner_id, keep_token_hash=credentials.token_hash(keep_token)
        )


def sign_out_everywhere(speciosa: Speciosa, owner_id: int) -> int:
    """End every session of this person, this one included; how many."""
    with speciosa.transaction() as session:
        return accounts.end_sessions(session=session, owner_id=owner_id)


def delete_account(speciosa: Speciosa, owner_id: int, password: str) -> None:
    """Remove the person and every row they own, after checking their password."""
    with speciosa.transaction() as session:
        _check_current(session, owner_id, password)
        accounts.delete_owner(session=session, owner_id=owner_id)


def _check_current(session: Session, owner_id: int, password: str) -> None:
    stored = accounts.password_hash_of(session=session, owner_id=owner_id)
    if not credentials.verify_password(stored, password):
        raise InvalidInput(
            "current_password",
            "(hidden)",
            "Not your current password; type the one you sign in with",
        )


def _username(session: Session, owner_id: int) -> str:
    return accounts.username_of(session=session, owner_id=owner_id) or ""


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
