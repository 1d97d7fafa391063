"""Decoded journal entries kept between requests, so that a new entry costs one decode.

The safety rules read the last 127 days (``safety.LOOKBACK``): on a long journal that is
hundreds of entries, and turning their rows back into validated entries cost more than
running every rule. Here each person's window is kept decoded, from its start to the end
of time (an entry dated ahead enters the rules' window as the clock reaches it), and
brought up to date in one of two ways:

* **By the journal's changes.** Every transaction that writes to a journal replaces its
  revision and tells this cache (:meth:`WindowCache.changed`) which revision its writes
  apply to, the new one, and which entries it wrote (or that it cannot say: a bulk import,
  a product renamed). When every change since the kept window's revision is known, only
  those entries are read again, by id: logging a dose reads one row.
* **By fingerprints**, when a change is not known here (another process or worker wrote,
  this process restarted, a change could not name its entries): the store lists every
  entry's fingerprint (its stamp, which each write replaces, and its product's name) and
  only the ids that are new or whose fingerprint changed are decoded.

Exact by construction: a window is tagged with the revision read *before* its entries
(reading again what is already there is harmless, so a window may hold more than its tag
says, never less), changes are replayed only along an unbroken chain of revisions that
are never reused, and an entry is otherwise reused only when its fingerprint is the same.
A transaction with writes of its own not yet committed tags nothing (they may roll back).
The key (database and owner) decides only what can be reused, never what is read.
Bounded: the windows of the ``JOURNALS`` most recently seen people, and the last
``CHANGES`` changes.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine

from speciosa.journal.models import EntryBase, StoredEntry
from speciosa.safety.window import Stored
from speciosa.store.journal_store import JournalStore

# A few dozen people's windows (each a few hundred entries, well under a megabyte).
JOURNALS = 64
# Changes remembered (revision -> next revision and the entries written): enough for every
# kept window to catch up after a busy minute; an older window falls back to fingerprints.
CHANGES = 4096

# A kept window starts where it was first read and is cut to the rules' start once it
# holds this much more (cutting on every request would cost a pass over the window).
TRIM_AFTER = timedelta(days=1)

Fingerprint = tuple[Any, ...]
# Entries are kept as the rules read them (``Stored``): each works out its journal day once
# and keeps it for as long as it is kept.
Kept = dict[int, tuple[Fingerprint, Stored[EntryBase]]]
Key = tuple[str, int]


@dataclass(frozen=True)
class _Window:
    revision: str | None  # read before the entries; None: not known to be committed
    since: datetime  # entries from here on (to the end of time) are held
    kept: Kept  # in the store's order: by time, then id


@dataclass(frozen=True)
class _Change:
    after: str
    entries: frozenset[int] | None  # None: the change could not name the entries it wrote


def _between(
    ordered: list[Stored[EntryBase]], since: datetime, until: datetime
) -> list[Stored[EntryBase]]:
    """The entries of ``ordered`` (by time) in [since, until): a kept window starts at most
    a day before ``since`` and rarely holds one dated ahead, so only its ends are looked at."""
    start, end = 0, len(ordered)
    while start < end and ordered[start].entry.at < since:
        start += 1
    while end > start and ordered[end - 1].entry.at >= until:
        end -= 1
    return ordered[start:end]


def _order(item: tuple[int, tuple[Fingerprint, Stored[EntryBase]]]) -> tuple[datetime, int]:
    """The store's order: by time, then id."""
    return item[1][1].entry.at, item[0]


def window_key(engine: Engine, owner: int) -> Key:
    """The database's URL (password hidden) and the person: one kept window each."""
    return str(engine.url), owner


class WindowCache:
    """Per (database, owner): entry id -> (fingerprint, decoded entry)."""

    def __init__(self, journals: int = JOURNALS, changes: int = CHANGES) -> None:
        self._journals = journals
        self._limit = changes
        self._kept: OrderedDict[Key, _Window] = OrderedDict()
        self._changes: OrderedDict[tuple[Key, str], _Change] = OrderedDict()
        self._lock = threading.Lock()
        self.decoded = 0  # entries decoded so far: what a refresh cost, for tests and benches
        self.scans = 0  # refreshes that listed every fingerprint (no known chain of changes)

    def changed(
        self, key: Key, before: str | None, after: str, entries: Collection[int] | None
    ) -> None:
        """A committed transaction moved ``key``'s journal from revision ``before`` to
        ``after``, writing ``entries`` (ids; None when it cannot say which)."""
        if before is None:
            return
        written = None if entries is None else frozenset(entries)
        with self._lock:
            self._changes[(key, before)] = _Change(after, written)
            while len(self._changes) > self._limit:
                self._changes.popitem(last=False)

    def entries(
        self,
        store: JournalStore,
        key: Key,
        *,
        since: datetime,
        until: datetime,
        revision: str | None = None,
    ) -> list[Stored[EntryBase]]:
        """``store.entries(since=since, until=until)`` as the rules read them (by time, then
        id), decoding only what changed.

        ``revision``: the journal's committed revision, read in this transaction before
        any entry (None when the transaction has written, or it is not known).
        """
        with self._lock:
            window = self._kept.get(key)
        if window is None or since < window.since:  # not seen yet, or the clock went back
            start, kept = since, self._read_all(store, since)
        else:
            written = self._written_since(key, window.revision, revision)
            if written is None:
                kept = self._rescan(store, window)
            else:
                kept = self._patch(store, window, written)
            start = window.since
            if since - start > TRIM_AFTER:  # let go of the days the rules no longer read
                start, kept = since, {i: p for i, p in kept.items() if p[1].entry.at >= since}
        if revision is not None or window is None:
            # A window read with uncommitted writes of its own is not kept over one that
            # is known: those writes may roll back, and once committed they are a change.
            self._keep(key, _Window(revision, start, kept))
        return _between([entry for _print, entry in kept.values()], since, until)

    def _written_since(self, key: Key, start: str | None, end: str | None) -> frozenset[int] | None:
        """Every entry written from revision ``start`` to ``end``; None without an unbroken
        chain of known changes between them (or when one could not name its entries)."""
        if start is None or end is None:
            return None
        written: set[int] = set()
        at = start
        with self._lock:
            for _ in range(self._limit):
                if at == end:
                    return frozenset(written)
                change = self._changes.get((key, at))
                if change is None or change.entries is None:
                    return None
                written |= change.entries
                at = change.after
        return None

    def _read_all(self, store: JournalStore, since: datetime) -> Kept:
        return self._decoded(store.printed_entries(since=since))

    def _patch(self, store: JournalStore, window: _Window, written: frozenset[int]) -> Kept:
        if not written:
            return window.kept
        fresh = self._decoded(store.printed_entries(since=window.since, ids=sorted(written)))
        kept = {i: pair for i, pair in window.kept.items() if i not in written}
        # A written entry not read again was deleted or moved out. New entries usually
        # come last (a dose logged now): then they are appended, else everything is sorted.
        last = _order(next(reversed(kept.items()))) if kept else None
        added = sorted(fresh.items(), key=_order)
        kept.update(added)
        if added and last is not None and _order(added[0]) < last:
            return dict(sorted(kept.items(), key=_order))
        return kept

    def _rescan(self, store: JournalStore, window: _Window) -> Kept:
        kept = window.kept
        with self._lock:
            self.scans += 1
        prints = store.entry_fingerprints(since=window.since)
        stale = [i for i, printed in prints if i not in kept or kept[i][0] != printed]
        fresh = self._decoded(store.printed_entries(since=window.since, ids=stale)) if stale else {}
        reread = set(stale)
        now_kept: Kept = {}
        for entry_id, _printed in prints:
            # A row read again carries the print of what was decoded (same query), so a
            # write landing between the two reads is caught at the next refresh; a row
            # deleted or moved out of the window in between is simply not there.
            pair = fresh.get(entry_id) if entry_id in reread else kept[entry_id]
            if pair is not None:
                now_kept[entry_id] = pair
        return now_kept

    def _decoded(self, fresh: dict[int, tuple[Fingerprint, StoredEntry]]) -> Kept:
        """Entries just read, wrapped as the rules read them (and counted)."""
        with self._lock:
            self.decoded += len(fresh)
        return {i: (printed, Stored(s.id, s.entry)) for i, (printed, s) in fresh.items()}

    def _keep(self, key: Key, window: _Window) -> None:
        # Each window is replaced whole, never changed in place: a reader in another
        # thread keeps a consistent one.
        with self._lock:
            self._kept[key] = window
            self._kept.move_to_end(key)
            while len(self._kept) > self._journals:
                self._kept.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()
            self._changes.clear()


# Each person's decoded window, shared by every app in this process (see above: what it
# hands back never depends on which app or request filled it).
WINDOWS = WindowCache()
