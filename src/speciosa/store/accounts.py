"""Accounts and signed-in sessions for the multi-user web app.

An account is an :class:`~speciosa.store.tables.Owner` row with a password hash (the web
layer hashes with argon2id; this module never sees a password). A session is kept as the
SHA-256 of its random cookie token, so the table alone cannot be used to sign in.
Like every store module it never commits: the caller's transaction decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, CursorResult, bindparam, delete, select, update
from sqlalchemy.orm import Session

from speciosa.errors import Conflict
from speciosa.journal import clock
from speciosa.store.tables import Base, Owner, WebSession, new_revision

SEEN_EVERY = timedelta(minutes=1)


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


def session_account(
    *, session: Session | Connection, token_hash: str, now: datetime, idle: timedelta | None = None
) -> Account | None:
    """The account signed in with this token, unless the session has expired or (with
    ``idle``) gone unused that long; a used session is marked as seen ``now``."""
    instant = clock.utc(now)
    found = session.execute(_SESSION_ACCOUNT, {"token": token_hash, "now": instant}).first()
    if found is None:
        return None
    session_id, owner_id, username, created_at, last_seen_at = found
    last = last_seen_at or created_at
    if idle is not None and last <= instant - idle:
        # Idle too long: this token never works again.
        session.execute(delete(WebSession).where(WebSession.id == session_id))
        return None
    # Written at most once a minute, so a busy page does not write on every request.
    if instant - last >= SEEN_EVERY:
        session.execute(
            update(WebSession).where(WebSession.id == session_id).values(last_seen_at=instant)
        )
    return Account(owner_id, username, None)


# Checked on every signed-in request: plain columns (no ORM object), built once.
_SESSION_ACCOUNT = (
    select(
        WebSession.id,
        WebSession.owner_id,
        Owner.username,
        WebSession.created_at,
        WebSession.last_seen_at,
    )
    .join(Owner, WebSession.owner_id == Owner.id)
    .where(WebSession.token_hash == bindparam("token"), WebSession.expires_at > bindparam("now"))
)


def end_session(*, session: Session, token_hash: str) -> None:
    session.execute(delete(WebSession).where(WebSession.token_hash == token_hash))


def end_sessions(*, session: Session, owner_id: int, keep_token_hash: str | None = None) -> int:
    """End every session of this person (but the one ``keep_token_hash`` names); how many."""
    query = delete(WebSession).where(WebSession.owner_id == owner_id)
    if keep_token_hash is not None:
        query = query.where(WebSession.token_hash != keep_token_hash)
    result: CursorResult[Any] = session.execute(query)  # type: ignore[assignment]
    return result.rowcount or 0


def username_of(*, session: Session, owner_id: int) -> str | None:
    row = session.get(Owner, owner_id)
    return None if row is None else row.username


def password_hash_of(*, session: Session, owner_id: int) -> str | None:
    row = session.get(Owner, owner_id)
    return None if row is None else row.password_hash


def delete_owner(*, session: Session, owner_id: int) -> None:
    """Every row this person owns, then the person: tables are emptied child-first (the
    reverse of the metadata's dependency order), so no foreign key is left dangling and a
    table added later is covered as soon as it has an ``owner_id`` column."""
    for table in reversed(Base.metadata.sorted_tables):
        if "owner_id" in table.c:
            session.execute(table.delete().where(table.c.owner_id == owner_id))
    session.execute(delete(Owner).where(Owner.id == owner_id))


def journal_version(*, session: Session, owner_id: int) -> tuple[object, ...]:
    """What changes whenever this person's journal, products or profile change: the
    revision every journal write replaces (:func:`new_journal_revision`), whoever wrote
    (the web app, or the CLI on the same file). One primary-key read, so cheap enough to
    check on every request."""
    revision = session.execute(_REVISION, {"owner": owner_id}).scalar()
    return (revision,)


def new_journal_revision(*, session: Session, owner_id: int) -> tuple[str | None, str]:
    """Mark this person's journal as changed, in the transaction that changed it.

    Returns (the revision this transaction's writes apply to, the new one). The old one is
    read under the owner row's lock (PostgreSQL) or the database's write lock (SQLite), so
    no other write can land between the two: the journal at the new revision is the one at
    the old revision plus this transaction's changes.
    """
    # On the session's connection, without the ORM's per-statement work (every write pays
    # it): the revision is only ever read by statements, never from an Owner object.
    connection = session.connection()
    before = connection.execute(_REVISION_FOR_UPDATE, {"owner": owner_id}).scalar()
    after = new_revision()
    connection.execute(_SET_REVISION, {"owner": owner_id, "revision": after})
    return before, after


# Read or written on every request that reads or writes a journal: built once.
_REVISION = select(Owner.journal_revision).where(Owner.id == bindparam("owner"))
_REVISION_FOR_UPDATE = _REVISION.with_for_update()
_SET_REVISION = (
    update(Owner)
    .where(Owner.id == bindparam("owner"))
    .values(journal_revision=bindparam("revision"))
)
