"""Share links for a clinician: create, describe, open (read-only) with an audit entry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from fastapi import Request

from speciosa.errors import InvalidInput
from speciosa.journal import clock
from speciosa.store import sharing as store
from speciosa.store.journal_store import JournalStore
from speciosa.web import security
from speciosa.web.context import AppState, Journal, Person
from speciosa.web.schemas import SharePublic
from speciosa.web.summary import RangeSummary, summarise_range

DEFAULT_RANGE_DAYS = 30


@dataclass(frozen=True)
class SharedView:
    share: store.Share
    summary: RangeSummary
    zone: str


def create(
    state: AppState,
    journal: Journal,
    person: Person,
    *,
    first_day: date | None,
    last_day: date | None,
    expires_in_days: int | None,
    label: str | None,
) -> tuple[store.Share, str]:
    """A new link and its token (the token is never stored, only its hash)."""
    today = clock.journal_day(journal.now, journal.profile.timezone)
    last = last_day or today
    first = first_day or last - timedelta(days=DEFAULT_RANGE_DAYS - 1)
    if first > last:
        raise InvalidInput("first_day", first.isoformat(), "must not be after last_day")
    if last > today:
        raise InvalidInput("last_day", last.isoformat(), "must not be after today")
    days = expires_in_days or state.settings.share_days
    if not 1 <= days <= state.settings.share_max_days:
        raise InvalidInput(
            "expires_in_days", days, f"must be from 1 to {state.settings.share_max_days}"
        )
    token = security.new_token()
    created = store.create_share(
        session=journal.session,
        owner_id=person.owner_id,
        token_hash=security.token_hash(token),
        label=(label or "").strip() or None,
        first_day=first,
        last_day=last,
        now=journal.now,
        expires_at=journal.now + timedelta(days=days),
    )
    return created, token


def public(found: store.Share, *, now: datetime) -> SharePublic:
    return SharePublic(
        id=found.id,
        label=found.label,
        first_day=found.first_day,
        last_day=found.last_day,
        created_at=found.created_at,
        expires_at=found.expires_at,
        revoked_at=found.revoked_at,
        state=found.state(now),
    )


def url(request: Request, token: str) -> str:
    return str(request.url_for("shared_page", token=token))


def open_shared(state: AppState, token: str, *, request: Request, what: str) -> SharedView:
    """The summary behind a token, recording the access; refused when expired or revoked."""
    now = state.clock()
    with state.database.transaction() as session:
        found = store.resolve(session=session, token_hash=security.token_hash(token), now=now)
        store.record_access(
            session=session,
            found=found,
            what=what,
            user_agent=request.headers.get("user-agent"),
            now=now,
        )
        journal = JournalStore(session, found.owner_id)
        profile = journal.profile_or_default()
        summary = summarise_range(
            journal, profile=profile, first=found.first_day, last=found.last_day, now=now
        )
    return SharedView(found, summary, profile.timezone)
