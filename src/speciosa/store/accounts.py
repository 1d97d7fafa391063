"""Accounts and signed-in sessions for the multi-user web app.

An account is an :class:`~speciosa.store.tables.Owner` row with a password hash (the web
layer hashes with argon2id; this module never sees a password). A session is kept as the
SHA-256 of its random cookie token, so the table alone cannot be used to sign in.
Like every store module it never commits: the caller's transaction decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from speciosa.errors import Conflict
from speciosa.journal import clock
from speciosa.store.tables import EntryRow, Owner, ProductRow, ProfileRow, WebSession


@dataclass(frozen=True)
class Account:
    id: int
    username: str
    password_hash: str | None


def create_account(
    *, session: Session, username: str, password_hash: str, now: datetime
) -> Account:
    """A new owner with a password; Conflict when the name is taken."""
    if find_account(session=session, username=username) is not None:
        raise Conflict(f"username: {username!r} is taken; choose another")
    row = Owner(username=username, password_hash=password_hash, created_at=clock.utc(now))
    session.add(row)
    session.flush()
    return Account(row.id, row.username, row.password_hash)


def find_account(*, session: Session, username: str) -> Account | None:
    row = session.scalar(select(Owner).where(Owner.username == username))
    return None if row is None else Account(row.id, row.username, row.password_hash)


def set_password_hash(*, session: Session, owner_id: int, password_hash: str) -> None:
    """Replace the stored hash (after a rehash with stronger parameters)."""
    row = session.get(Owner, owner_id)
    if row is not None:
        row.password_hash = password_hash


def start_session(
    *, session: Session, owner_id: int, token_hash: str, now: datetime, expires_at: datetime
) -> None:
    session.add(
        WebSession(
            owner_id=owner_id,
            token_hash=token_hash,
            created_at=clock.utc(now),
            expires_at=clock.utc(expires_at),
        )
    )
    # Expired sessions are swept on sign-in, so the table never grows without bound.
    session.execute(
        delete(WebSession).where(
            WebSession.owner_id == owner_id, WebSession.expires_at < clock.utc(now)
        )
    )


def session_account(*, session: Session, token_hash: str, now: datetime) -> Account | None:
    """The account signed in with this token, unless the session has expired."""
    row = session.execute(
        select(Owner.id, Owner.username)
        .join(WebSession, WebSession.owner_id == Owner.id)
        .where(WebSession.token_hash == token_hash, WebSession.expires_at > clock.utc(now))
    ).first()
    return None if row is None else Account(row.id, row.username, None)


def end_session(*, session: Session, token_hash: str) -> None:
    session.execute(delete(WebSession).where(WebSession.token_hash == token_hash))


def journal_version(*, session: Session, owner_id: int) -> tuple[object, ...]:
    """What changes whenever this person's journal, products or profile change.

    One indexed aggregate per table: cheap enough to check on every request, so the web
    app can keep derived results (safety alerts) until the journal actually changes,
    whoever changed it (the web app, or the CLI on the same file).
    """
    entries = session.execute(
        select(
            func.count(EntryRow.id),
            func.max(EntryRow.id),
            func.max(EntryRow.updated_at),
            func.max(EntryRow.deleted_at),
        ).where(EntryRow.owner_id == owner_id)
    ).one()
    products = session.execute(
        select(func.count(ProductRow.id), func.max(ProductRow.updated_at)).where(
            ProductRow.owner_id == owner_id
        )
    ).one()
    profile = session.scalar(select(ProfileRow.updated_at).where(ProfileRow.owner_id == owner_id))
    return (*entries, *products, profile)
