"""The person's routine (reminders), the due items they dismissed, and their calendar feeds.

A calendar feed is a private subscription URL: only the SHA-256 of its random token is
stored, it can be revoked, and every fetch is recorded. Every query is scoped to the owner,
except :func:`resolve_feed`, which is how a calendar app holding the token finds its feed.
Like every store module it never commits: the caller's transaction decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session

from speciosa.errors import NotFound
from speciosa.journal import clock
from speciosa.journal.routine import Routine
from speciosa.store.tables import CalendarFeed, CalendarFeedAccess, RoutineRow


@dataclass(frozen=True)
class Feed:
    id: int
    owner_id: int
    token_hash: str
    created_at: datetime
    revoked_at: datetime | None


@dataclass(frozen=True)
class FeedAccess:
    feed_id: int
    at: datetime
    user_agent: str | None


class RoutineStore:
    """One person's routine and feeds inside one transaction."""

    def __init__(self, session: Session, owner: int) -> None:
        self.session = session
        self.owner = owner

    # ------------------------------------------------------------------ routine

    def routine(self) -> Routine | None:
        # Asked on every Today: one column on the connection, after flushing the session
        # (a read on the connection would not).
        self.session.flush()
        data = self.session.connection().execute(_ROUTINE, {"owner": self.owner}).scalar()
        return None if data is None else Routine.model_validate(data)

    def save_routine(self, routine: Routine, *, now: datetime) -> None:
        row = self._row(now)
        row.data = routine.model_dump(mode="json")
        row.updated_at = clock.utc(now)

    def dismissed(self) -> set[str]:
        # Read with the routine on Today when a reminder is on: a plain column as well, so the
        # routine's plain read is not followed by an ORM load of the same row.
        self.session.flush()
        found = self.session.connection().execute(_DISMISSED, {"owner": self.owner}).scalar()
        return set() if found is None else set(found.get("items", []))

    def dismiss(self, item_id: str, *, now: datetime, keep_from: date) -> None:
        """Hide one due item; ids of occurrences before ``keep_from`` are dropped."""
        row = self._row(now)
        kept = {i for i in row.dismissed.get("items", []) if _day_of(i) >= keep_from}
        row.dismissed = {"items": sorted(kept | {item_id})}
        row.updated_at = clock.utc(now)

    def clear(self) -> None:
        """Forget the routine and dismissals (a restore that replaces the journal)."""
        self.session.execute(delete(RoutineRow).where(RoutineRow.owner_id == self.owner))

    def _row(self, now: datetime) -> RoutineRow:
        row = self.session.get(RoutineRow, self.owner)
        if row is None:
            row = RoutineRow(
                owner_id=self.owner,
                data=Routine().model_dump(mode="json"),
                dismissed={"items": []},
                updated_at=clock.utc(now),
            )
            self.session.add(row)
        return row

    # ------------------------------------------------------------------ calendar feeds

    def create_feed(self, *, token_hash: str, now: datetime) -> Feed:
        """A new feed; any feed still open is revoked (one private URL at a time)."""
        self.revoke_feeds(now=now)
        row = CalendarFeed(
            owner_id=self.owner, token_hash=token_hash, created_at=clock.utc(now), revoked_at=None
        )
        self.session.add(row)
        self.session.flush()
        return _feed(row)

    def active_feed(self) -> Feed | None:
        row = self.session.scalar(
            select(CalendarFeed)
            .where(CalendarFeed.owner_id == self.owner, CalendarFeed.revoked_at.is_(None))
            .order_by(CalendarFeed.id.desc())
            .limit(1)
        )
        return None if row is None else _feed(row)

    def revoke_feeds(self, *, now: datetime) -> int:
        """Revoke every open feed of this person; how many there were."""
        rows = list(
            self.session.scalars(
                select(CalendarFeed).where(
                    CalendarFeed.owner_id == self.owner, CalendarFeed.revoked_at.is_(None)
                )
            )
        )
        for row in rows:
            row.revoked_at = clock.utc(now)
        self.session.flush()
        return len(rows)

    def feed_accesses(self, limit: int = 50) -> list[FeedAccess]:
        rows = self.session.scalars(
            select(CalendarFeedAccess)
            .where(CalendarFeedAccess.owner_id == self.owner)
            .order_by(CalendarFeedAccess.at.desc(), CalendarFeedAccess.id.desc())
            .limit(limit)
        )
        return [FeedAccess(r.feed_id, r.at, r.user_agent) for r in rows]


def resolve_feed(*, session: Session, token_hash: str) -> Feed:
    """The open feed with this token; NotFound (never "revoked": a URL tells nothing)."""
    row = session.scalar(
        select(CalendarFeed).where(
            CalendarFeed.token_hash == token_hash, CalendarFeed.revoked_at.is_(None)
        )
    )
    if row is None:
        raise NotFound("calendar feed", "(token)", "make a new feed URL in Settings")
    return _feed(row)


def record_feed_access(
    *, session: Session, feed: Feed, user_agent: str | None, now: datetime
) -> None:
    session.add(
        CalendarFeedAccess(
            owner_id=feed.owner_id,
            feed_id=feed.id,
            at=clock.utc(now),
            user_agent=None if user_agent is None else user_agent[:200],
        )
    )


def _feed(row: CalendarFeed) -> Feed:
    return Feed(row.id, row.owner_id, row.token_hash, row.created_at, row.revoked_at)


def _day_of(item_id: str) -> date:
    """The day of a due item's id ("morning_diary:2026-12-01"); unreadable ids are old."""
    try:
        return date.fromisoformat(item_id.rpartition(":")[2])
    except ValueError:
        return date.min


_ROUTINE = select(RoutineRow.data).where(RoutineRow.owner_id == bindparam("owner"))
_DISMISSED = select(RoutineRow.dismissed).where(RoutineRow.owner_id == bindparam("owner"))
