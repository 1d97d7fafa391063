"""The application and its unit of work.

    speciosa = Speciosa.open("journal.sqlite")          # or a postgresql:// URL
    with speciosa.journal() as journal:                 # the local person's journal
        entries.log(journal, {"kind": "pain", "score": 4})
    with speciosa.journal(owner_id) as journal: ...     # one account's (multi-user server)

A :class:`Journal` is one transaction on one person's journal: every use case in
:mod:`speciosa.app` reads and writes through it, so a command or a request lands whole
or not at all, and every query is scoped to that person.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cached_property
from typing import TYPE_CHECKING

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from speciosa.journal import clock
from speciosa.journal.models import Profile
from speciosa.store import accounts
from speciosa.store.database import Database, open_database
from speciosa.store.journal_store import LOCAL_OWNER, JournalStore, owner_id

from .background import has_written, watch_writes, wrote_entries_in, wrote_in
from .cache import ResultCache
from .window_cache import WINDOWS, window_key

if TYPE_CHECKING:
    from speciosa.store.device_store import DeviceStore
    from speciosa.store.plan_store import PlanStore
    from speciosa.store.seen_alerts import SeenAlerts

    from .background import Background


def current_time() -> datetime:
    # Whole seconds: what a person can see and type back is what is stored.
    return datetime.now(UTC).replace(microsecond=0)


def _clock() -> datetime:
    # Looked up at each call, so that a test can fix the time of every front end at once.
    return current_time()


def local_zone() -> str:
    """This device's IANA zone, for a journal that has no profile yet (UTC if unknown)."""
    from tzlocal import get_localzone_name

    try:
        name = get_localzone_name()
    except Exception:  # tzlocal raises several kinds on misconfigured hosts
        return "UTC"
    return name or "UTC"


@dataclass
class Journal:
    """One transaction on one person's journal: its stores, the profile and the clock."""

    session: Session
    owner: int
    profile: Profile
    has_profile: bool
    now: datetime
    results: ResultCache
    # The web server's worker that recomputes results after a write (None: compute in-line).
    background: Background | None = None
    # The journal's revision, read with the profile as the transaction opened (None: not
    # read). Reading it once is enough: whatever this transaction reads later is at least
    # as new, and a result is never kept under a newer revision than the data it read.
    opened_revision: str | None = None

    @cached_property
    def store(self) -> JournalStore:
        return JournalStore(self.session, self.owner)

    @cached_property
    def devices(self) -> DeviceStore:
        # Imported on first use, like the plans' store: logging one entry needs neither.
        from speciosa.store.device_store import DeviceStore

        return DeviceStore(self.session, self.owner)

    @cached_property
    def plans(self) -> PlanStore:
        from speciosa.store.plan_store import PlanStore

        return PlanStore(self.session, self.owner)

    @cached_property
    def seen_alerts(self) -> SeenAlerts:
        from speciosa.store.seen_alerts import SeenAlerts

        return SeenAlerts(self.session, self.owner)

    @property
    def zone(self) -> str:
        return self.profile.timezone

    @property
    def today(self) -> date:
        """The person's journal day now (days start at 04:00 in their zone)."""
        return clock.journal_day(self.now, self.profile.timezone)

    def revision(self) -> str | None:
        """The journal's committed revision; None once this transaction has written (its
        writes are not committed and may still roll back)."""
        if has_written(self.session):
            return None
        return str(self._committed_revision())

    def _committed_revision(self) -> object:
        if self.opened_revision is not None:
            return self.opened_revision
        return accounts.journal_version(session=self.session, owner_id=self.owner)[0]

    def entries_written(self) -> set[int] | None:
        """The entries this transaction wrote (empty: none); None when it wrote entries it
        cannot name (a bulk insert, a product renamed, a write outside the store)."""
        store = self.__dict__.get("store")  # the cached_property, when it was used
        named = store.entries_written if isinstance(store, JournalStore) else set()
        if named is None:
            return None  # e.g. a renamed product: no entry row changed, but what they show
        if not wrote_entries_in(self.session):
            return set()
        return set(named) if store is not None else None

    def version(self) -> tuple[object, ...]:
        """What changes whenever this journal changes (the key of cached results)."""
        # This process's count of writes to the journal comes first: it changes even when
        # two changes fall in the same clock second (the database's times are whole seconds).
        if has_written(self.session):
            # Worked out from writes not committed yet (which may still roll back): a key
            # that is never met again, so nothing computed from them is reused.
            return (self.results.generation(self.owner), "uncommitted", secrets.token_hex(8))
        return (self.results.generation(self.owner), self._committed_revision())


@dataclass
class Speciosa:
    """The application: one database, one clock, and results cached per journal version."""

    database: Database
    clock: Callable[[], datetime] = _clock
    default_zone: str = field(default_factory=local_zone)
    results: ResultCache = field(default_factory=ResultCache)
    background: Background | None = None
    # Run by the background worker on a journal after it changed (see start_background).
    after_write: list[Callable[[Journal], None]] = field(default_factory=list)

    def __post_init__(self) -> None:
        watch_writes(self.database.engine)

    @classmethod
    def open(
        cls,
        url_or_path: str | None = None,
        *,
        clock: Callable[[], datetime] | None = None,
        busy_timeout: float | None = None,
    ) -> Speciosa:
        """Open (creating and migrating when needed) the journal database.

        ``busy_timeout``: seconds to wait for another writer before JournalBusy (default
        $SPECIOSA_BUSY_TIMEOUT, else 30). Every transaction below raises the Faults of
        ``store.faults`` (busy, disk full, damaged) instead of the driver's errors.
        """
        return cls(open_database(url_or_path, timeout=busy_timeout), clock=clock or _clock)

    @contextmanager
    def journal(self, owner: int | None = None) -> Iterator[Journal]:
        """One transaction on ``owner``'s journal (default: the local person's)."""
        now = self.clock()
        with self.database.transaction() as session:
            wrote_in(session)  # clear a mark left by a rolled-back transaction
            person = owner if owner is not None else owner_id(session, LOCAL_OWNER, now=now)
            profile, revision = JournalStore(session, person).opening()
            journal = Journal(
                session=session,
                owner=person,
                profile=profile or Profile(timezone=self.default_zone),
                has_profile=profile is not None,
                now=now,
                results=self.results,
                background=self.background,
                opened_revision=None if has_written(session) else revision,
            )
            yield journal
            written = journal.entries_written()  # before wrote_in clears the marks
            wrote = wrote_in(session)
            if wrote:  # committed with the write, or not at all
                revisions = accounts.new_journal_revision(session=session, owner_id=person)
        if wrote:  # committed: results computed before now are out of date
            self.results.changed(person)
            WINDOWS.changed(window_key(self.database.engine, person), *revisions, written)
            if self.background is not None:  # recompute off this request
                self.background.schedule(person)

    def start_background(
        self, *, warm_owner: int | None = None, spacing: float | None = None
    ) -> None:
        """Recompute derived results in a worker thread after each write (the web server).

        Jobs in ``after_write`` run on the changed journal; the insights are always one.
        The worker starts by importing the analyses (pandas, scipy: seconds on a busy
        machine) and, for ``warm_owner`` (a local journal's person), working out their
        insights, so that the first view after start reads a stored answer. ``spacing``:
        at most one run per person in this many seconds while writes keep coming.
        """
        if self.background is not None:
            return
        from .background import SPACING_SECONDS, Background
        from .insights import refresh

        self.after_write.insert(0, refresh)
        self.background = Background(
            self._run_after_write,
            spacing=SPACING_SECONDS if spacing is None else spacing,
            prepare=lambda: self._warm(warm_owner),
            preparing_for=warm_owner,
        )

    def _warm(self, owner: int | None) -> None:
        from .insights import load_modules, warm

        load_modules()
        if owner is not None:
            with self.journal(owner) as journal:
                warm(journal)

    def _run_after_write(self, owner: int) -> None:
        with self.journal(owner) as journal:
            for job in self.after_write:
                job(journal)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A transaction that is no one's journal (accounts, share links): app/ only."""
        with self.database.transaction() as session:
            yield session

    @contextmanager
    def statements(self) -> Iterator[Connection]:
        """Statements that each commit on their own (the session check): app/ only."""
        with self.database.statements() as connection:
            yield connection

    def local_owner(self) -> int:
        """The id of the person a local (single-user) journal belongs to."""
        with self.database.transaction() as session:
            return owner_id(session, LOCAL_OWNER, now=self.clock())

    def close(self) -> None:
        background, self.background = self.background, None
        if background is None:
            self.database.close()
        else:  # a job still running closes the database as it ends, never under it
            background.close(then=self.database.close)
