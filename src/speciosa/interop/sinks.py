"""What the importers and exporters need from a journal: two small typing protocols.

interop turns bytes into models and back; it never opens or queries a database. The importers
write through a ``JournalSink`` (entries, products, the profile) or a ``DeviceSink`` (wearable
samples), and the JSON export reads through a ``JournalSink``. ``store.journal_store.JournalStore``
and ``store.device_store.DeviceStore`` satisfy them structurally (mypy checks it where the
call sites pass them in); the caller owns the transaction.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from speciosa.journal.device import DeviceSample
from speciosa.journal.models import EntryBase, Product, Profile, StoredEntry


class JournalSink(Protocol):
    """One person's journal, as native JSON and the other apps' importers use it."""

    def profile(self) -> Profile | None: ...

    def save_profile(self, profile: Profile, *, now: datetime) -> None: ...

    def products(self) -> Sequence[Product]: ...

    def product_uid(self, name: str) -> str: ...

    def add_product(self, product: Product, *, now: datetime, uid: str | None = None) -> Product:
        """Add a product; ``uid`` keeps the one an export gave it."""
        ...

    def entries(self) -> Sequence[StoredEntry]:
        """Every entry, in time order."""
        ...

    def add_entry(
        self,
        entry: EntryBase,
        *,
        now: datetime,
        source: str,
        source_key: str | None = None,
        uid: str | None = None,
        created_at: datetime | None = None,
        updated_at: datetime | None = None,
        keep_grams: bool = False,
    ) -> StoredEntry: ...

    def has_uid(self, uid: str) -> bool: ...

    def has_source_key(self, source: str, source_key: str) -> bool: ...


class DeviceSink(Protocol):
    """One person's device samples, as ``import_wearable`` writes them (deduplicated)."""

    def add(self, samples: Sequence[DeviceSample]) -> Counter[str]:
        """Store the samples not stored yet; the kinds of those added, counted."""
        ...

    def new_keys(self, samples: Sequence[DeviceSample]) -> dict[int, DeviceSample]:
        """The samples (by dedup key) that ``add`` would store, without storing them."""
        ...
