"""Decoded journal entries kept between requests, so that a new entry costs one decode.

The safety rules read the last 127 days (``safety.LOOKBACK``): on a long journal that is
hundreds of entries, and turning their rows back into validated entries cost more than
running every rule. Here each person's window is kept decoded; a refresh asks the store
for every entry's fingerprint (all its stored fields as undecoded text, one cheap query)
and decodes only the ids that are new or whose fingerprint changed. Entries that were
deleted, moved out of the window or dropped by a restore simply stop being listed.

Exact by construction: an entry is reused only when every stored field is the same text
as when it was decoded, so the window equals a fresh read whoever wrote to the database
(this process, another worker, the CLI) and whatever their clocks say. The key (database
and owner) decides only what can be reused, never what is read. Bounded: the windows of
the ``JOURNALS`` most recently seen people.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import datetime
from typing import Any

from speciosa.journal.models import StoredEntry
from speciosa.store.journal_store import JournalStore

# A few dozen people's windows (each a few hundred entries, well under a megabyte).
JOURNALS = 64

Fingerprint = tuple[Any, ...]
Kept = dict[int, tuple[Fingerprint, StoredEntry]]


class WindowCache:
    """Per (database, owner): entry id -> (fingerprint, decoded entry)."""

    def __init__(self, journals: int = JOURNALS) -> None:
        self._journals = journals
        self._kept: OrderedDict[tuple[str, int], Kept] = OrderedDict()
        self._lock = threading.Lock()
        self.decoded = 0  # entries decoded so far: what a refresh cost, for tests and benches

    def entries(
        self, store: JournalStore, key: tuple[str, int], *, since: datetime, until: datetime
    ) -> list[StoredEntry]:
        """``store.entries(since=since, until=until)``, decoding only what changed."""
        with self._lock:
            kept = self._kept.get(key)
        if kept is None:  # a person not seen yet (or forgotten): one read of everything
            fresh = store.printed_entries(since=since, until=until)
            self._count(len(fresh))
            self._keep(key, fresh)
            return [entry for _printed, entry in fresh.values()]
        prints = store.entry_fingerprints(since=since, until=until)
        stale = [i for i, printed in prints if i not in kept or kept[i][0] != printed]
        fresh = store.printed_entries(since=since, until=until, ids=stale) if stale else {}
        self._count(len(fresh))
        reread = set(stale)
        now_kept: Kept = {}
        for entry_id, _printed in prints:
            # A row read again carries the print of what was decoded (same query), so a
            # write landing between the two reads is caught at the next refresh; a row
            # deleted or moved out of the window in between is simply not there.
            pair = fresh.get(entry_id) if entry_id in reread else kept[entry_id]
            if pair is not None:
                now_kept[entry_id] = pair
        self._keep(key, now_kept)
        return [entry for _printed, entry in now_kept.values()]

    def _count(self, decoded: int) -> None:
        with self._lock:
            self.decoded += decoded

    def _keep(self, key: tuple[str, int], kept: Kept) -> None:
        # Each window is replaced whole, never changed in place: a reader in another
        # thread keeps a consistent one.
        with self._lock:
            self._kept[key] = kept
            self._kept.move_to_end(key)
            while len(self._kept) > self._journals:
                self._kept.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()
