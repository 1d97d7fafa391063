"""What the importers and exporters need from a journal: three small typing protocols.

interop turns bytes into models and back; it never opens or queries a database. The importers
write through a ``JournalSink`` (entries, products, the profile), a ``DeviceSink`` (wearable
samples) or a ``PlanSink`` (plans with their history), and the JSON export reads through all
three. ``store.journal_store.JournalStore``, ``store.device_store.DeviceStore`` and
``store.plan_store.PlanStore`` satisfy them structurally (mypy checks it where the call sites
pass them in); the caller owns the transaction.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Protocol

from speciosa.journal.device import DeviceSample
from speciosa.journal.models import EntryBase, Product, Profile, StoredEntry
from speciosa.journal.routine import Routine
from speciosa.plans.kinds import Plan, PlanVersion, StoredPlan


class JournalSink(Protocol):
    """One person's journal, as native JSON and the other apps' importers use it."""

    def profile(self) -> Profile | None: ...

    def save_profile(self, profile: Profile, *, now: datetime) -> None: ...

    def products(self) -> Sequence[Product]: ...

    def product_uid(self, name: str) -> str: ...

    def add_product(self, product: Product, *, now: datetime, uid: str | None = None) -> Product:
        """Add a product; ``uid`` keeps the one an export gave it."""
        ...

    def entries(self, *, include_deleted: bool = False) -> Sequence[StoredEntry]:
        """Every entry (deleted ones too when asked), in time order."""
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
        deleted_at: datetime | None = None,
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

    def night_records(
        self, sources: Collection[str], *, since: datetime, until: datetime
    ) -> Sequence[DeviceSample]:
        """Stored in-bed intervals and stage totals of these sources that start in
        [since, until): what an import compares its nights with."""
        ...

    def samples(self) -> Sequence[DeviceSample]:
        """Every stored sample, oldest first."""
        ...


class PlanSink(Protocol):
    """One person's taper plans and experiments, each with every version it has had."""

    def all(self) -> Sequence[StoredPlan]: ...

    def versions(self, plan_id: int) -> Sequence[PlanVersion]:
        """Every saved state of the plan, oldest first."""
        ...

    def has_uid(self, uid: str) -> bool: ...

    def import_plan(
        self,
        *,
        uid: str,
        status: str,
        plan: Plan,
        created_at: datetime,
        updated_at: datetime,
        versions: Sequence[PlanVersion],
    ) -> StoredPlan:
        """Store a plan from an export with its uid, times and history as they were."""
        ...


class RoutineSink(Protocol):
    """The person's reminder settings (``store.routine_store.RoutineStore``)."""

    def routine(self) -> Routine | None: ...

    def save_routine(self, routine: Routine, *, now: datetime) -> None: ...
