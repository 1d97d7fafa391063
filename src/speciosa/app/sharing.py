"""Read-only share links for a clinician: create, list, revoke, the audit log, and what a
link shows: the clinician report's own inputs for the shared days
(:func:`speciosa.app.report.report_inputs`, what the PDF is drawn from), plus a short
summary and the charts. Only a token's hash is stored; every opening is recorded.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from speciosa.errors import InvalidInput, NotFound, ShareRefused
from speciosa.journal import clock
from speciosa.journal.models import Dose
from speciosa.safety import Alert
from speciosa.store import sharing as links
from speciosa.store.sharing import Access, Share

from . import credentials
from .insights import period_charts
from .report import DEFAULT_DAYS, ReportInputs, report_inputs
from .unit import Journal, Speciosa

logger = logging.getLogger(__name__)

# One default period for a link and for the PDF, so the two show the same days.
DEFAULT_RANGE_DAYS = DEFAULT_DAYS
# As a report's (app.report.MAX_DAYS): what a link shows is computed at every opening.
MAX_RANGE_DAYS = 366

__all__ = ["Access", "LinkClosed", "Share", "ShareRefused"]


class LinkClosed(ShareRefused):
    """A known link that may no longer be used; ``state`` is "expired" or "revoked"."""

    def __init__(self, state: str) -> None:
        super().__init__(f"share link: this link has been {state}; ask for a new link")
        self.state = state


@dataclass(frozen=True)
class RangeSummary:
    first_day: date
    last_day: date
    counts: dict[str, int]
    days: int
    use_days: int
    grams_per_use_day: float | None
    doses_per_use_day: float | None
    most_grams_in_a_day: float | None
    alerts: list[Alert]
    charts: list[Any]  # speciosa.insights.charts.Chart

    def numbers(self) -> dict[str, Any]:
        return {
            "days": self.days,
            "use_days": self.use_days,
            "grams_per_use_day": self.grams_per_use_day,
            "doses_per_use_day": self.doses_per_use_day,
            "most_grams_in_a_day": self.most_grams_in_a_day,
        }


@dataclass(frozen=True)
class SharedView:
    share: Share
    summary: RangeSummary
    zone: str
    report: ReportInputs  # exactly what the PDF of these days is drawn from


def create(
    journal: Journal,
    *,
    first_day: date | None,
    last_day: date | None,
    expires_in_days: int,
    max_days: int,
    label: str | None,
) -> tuple[Share, str]:
    """A new link and its token (the token is never stored, only its hash)."""
    last = clock.check_day(last_day or journal.today, "last_day")
    first = clock.check_day(first_day or last - timedelta(days=DEFAULT_RANGE_DAYS - 1), "first_day")
    if first > last:
        raise InvalidInput("first_day", first.isoformat(), "must not be after last_day")
    if (last - first).days + 1 > MAX_RANGE_DAYS:
        raise InvalidInput(
            "first_day",
            first.isoformat(),
            f"a link shows at most {MAX_RANGE_DAYS} days; choose a first day on or after "
            f"{(last - timedelta(days=MAX_RANGE_DAYS - 1)).isoformat()}",
        )
    if last > journal.today:
        raise InvalidInput("last_day", last.isoformat(), "must not be after today")
    if not 1 <= expires_in_days <= max_days:
        raise InvalidInput("expires_in_days", expires_in_days, f"must be from 1 to {max_days}")
    token = credentials.new_token()
    created = links.create_share(
        session=journal.session,
        owner_id=journal.owner,
        token_hash=credentials.token_hash(token),
        label=(label or "").strip() or None,
        first_day=first,
        last_day=last,
        now=journal.now,
        expires_at=journal.now + timedelta(days=expires_in_days),
    )
    return created, token


def shares(journal: Journal) -> list[Share]:
    return links.shares(session=journal.session, owner_id=journal.owner)


def get(journal: Journal, share_id: int) -> Share:
    return links.share(session=journal.session, owner_id=journal.owner, share_id=share_id)


def revoke(journal: Journal, share_id: int) -> Share:
    """Revoke a link: it stops working at once."""
    return links.revoke(
        session=journal.session, owner_id=journal.owner, share_id=share_id, now=journal.now
    )


def accesses(journal: Journal) -> list[Access]:
    """Every opening of this person's links, newest first."""
    return links.accesses(session=journal.session, owner_id=journal.owner)


def open_shared(
    speciosa: Speciosa,
    token: str,
    *,
    what: str,
    user_agent: str | None,
    client: str | None = None,
) -> SharedView:
    """The summary behind a token, recording the access; refused when expired or revoked.

    A refused attempt on a known link (expired, revoked) is recorded in its owner's audit
    log too; every refusal, an unknown token's included, is logged with ``client``, the
    caller's coarse address (a /24 or /48 network, never the token).
    """
    now = speciosa.clock()
    with speciosa.transaction() as session:
        found = links.find(session=session, token_hash=credentials.token_hash(token))
        state = "unknown" if found is None else found.state(now)
        if found is not None and state != "active":
            links.record_access(
                session=session,
                found=found,
                what=f"{what}: refused, {state}",
                user_agent=user_agent,
                now=now,
                client_net=client,
            )
    if found is None or state != "active":
        logger.warning(
            "share link refused: %s link%s, from %s",
            state,
            "" if found is None else f" {found.id}",
            client or "an unknown address",
        )
        if found is None:
            raise NotFound("share link", "(token)", "ask for a new link")
        raise LinkClosed(state)
    with speciosa.journal(found.owner_id) as journal:
        report = report_inputs(journal, first=found.first_day, last=found.last_day)
        summary = summarise_range(journal, report)
    # Logged once the summary exists: an opening that failed showed nothing.
    with speciosa.transaction() as session:
        links.record_access(session=session, found=found, what=what, user_agent=user_agent, now=now)
    return SharedView(found, summary, journal.zone, report)


def summarise_range(journal: Journal, report: ReportInputs) -> RangeSummary:
    """The report's period in short: use per day, its alerts (as of the end), charts."""
    first, last, entries = report.period_start, report.period_end, report.entries
    grams_by_day: dict[date, float] = defaultdict(float)
    doses_by_day: Counter[date] = Counter()
    for stored in entries:
        if isinstance(stored.entry, Dose):
            day = clock.journal_day(stored.entry.at, stored.entry.zone)
            grams_by_day[day] += stored.entry.grams or 0
            doses_by_day[day] += 1
    use_days = len(doses_by_day)
    return RangeSummary(
        first_day=first,
        last_day=last,
        counts=dict(Counter(s.entry.kind for s in entries)),
        days=(last - first).days + 1,
        use_days=use_days,
        grams_per_use_day=round(sum(grams_by_day.values()) / use_days, 2) if use_days else None,
        doses_per_use_day=round(sum(doses_by_day.values()) / use_days, 2) if use_days else None,
        most_grams_in_a_day=round(max(grams_by_day.values()), 2) if use_days else None,
        alerts=report.alerts,
        charts=period_charts(journal, entries, first, last),
    )
