"""Read-only share links for a clinician, and the audit log of their use.

A link covers a range of journal days, expires, and can be revoked. Only the SHA-256 of
its random token is stored. Every query is scoped to the owner, except :func:`resolve`,
which is how a visitor holding the token finds the one link it names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from speciosa.errors import NotFound, ShareRefused
from speciosa.journal import clock
from speciosa.store.tables import ShareAccess, ShareLink


@dataclass(frozen=True)
class Share:
    id: int
    owner_id: int
    label: str | None
    first_day: date
    last_day: date
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None

    def state(self, now: datetime) -> str:
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if clock.utc(now) >= self.expires_at else "active"


@dataclass(frozen=True)
class Access:
    share_id: int
    label: str | None
    at: datetime
    what: str
    user_agent: str | None
    client_net: str | None = None  # a refused attempt's coarse network (/24 or /48)


def create_share(
    *,
    session: Session,
    owner_id: int,
    token_hash: str,
    label: str | None,
    first_day: date,
    last_day: date,
    now: datetime,
    expires_at: datetime,
) -> Share:
    row = ShareLink(
        owner_id=owner_id,
        token_hash=token_hash,
        label=label,
        first_day=first_day.isoformat(),
        last_day=last_day.isoformat(),
        created_at=clock.utc(now),
        expires_at=clock.utc(expires_at),
        revoked_at=None,
    )
    session.add(row)
    session.flush()
    return _share(row)


def shares(*, session: Session, owner_id: int) -> list[Share]:
    rows = session.scalars(
        select(ShareLink)
        .where(ShareLink.owner_id == owner_id)
        .order_by(ShareLink.created_at.desc(), ShareLink.id.desc())
    )
    return [_share(row) for row in rows]


def share(*, session: Session, owner_id: int, share_id: int) -> Share:
    return _share(_row(session, owner_id, share_id))


def revoke(*, session: Session, owner_id: int, share_id: int, now: datetime) -> Share:
    row = _row(session, owner_id, share_id)
    if row.revoked_at is None:
        row.revoked_at = clock.utc(now)
        session.flush()
    return _share(row)


def find(*, session: Session, token_hash: str) -> Share | None:
    """The link with this token, whatever its state (None when there is none)."""
    row = session.scalar(select(ShareLink).where(ShareLink.token_hash == token_hash))
    return None if row is None else _share(row)


def resolve(*, session: Session, token_hash: str, now: datetime) -> Share:
    """The usable link with this token; NotFound or ShareRefused otherwise."""
    row = session.scalar(select(ShareLink).where(ShareLink.token_hash == token_hash))
    if row is None:
        raise NotFound("share link", "(token)", "ask for a new link")
    found = _share(row)
    state = found.state(now)
    if state != "active":
        raise ShareRefused(f"share link: this link has been {state}; ask for a new link")
    return found


def record_access(
    *,
    session: Session,
    found: Share,
    what: str,
    user_agent: str | None,
    now: datetime,
    client_net: str | None = None,
) -> None:
    session.add(
        ShareAccess(
            owner_id=found.owner_id,
            share_id=found.id,
            at=clock.utc(now),
            what=what[:40],
            user_agent=None if user_agent is None else user_agent[:200],
            client_net=None if client_net is None else client_net[:50],
        )
    )


def accesses(*, session: Session, owner_id: int, limit: int = 200) -> list[Access]:
    """The newest openings of this person's links, newest first."""
    rows = session.execute(
        select(ShareAccess, ShareLink.label)
        .join(ShareLink, ShareLink.id == ShareAccess.share_id)
        .where(ShareAccess.owner_id == owner_id)
        .order_by(ShareAccess.at.desc(), ShareAccess.id.desc())
        .limit(limit)
    )
    return [
        Access(access.share_id, label, access.at, access.what, access.user_agent, access.client_net)
        for access, label in rows.all()
    ]


def _row(session: Session, owner_id: int, share_id: int) -> ShareLink:
    row = session.scalar(
        select(ShareLink).where(ShareLink.owner_id == owner_id, ShareLink.id == share_id)
    )
    if row is None:
        raise NotFound("share link", share_id, "see your list of links")
    return row


def _share(row: ShareLink) -> Share:
    return Share(
        id=row.id,
        owner_id=row.owner_id,
        label=row.label,
        first_day=date.fromisoformat(row.first_day),
        last_day=date.fromisoformat(row.last_day),
        created_at=row.created_at,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
    )
