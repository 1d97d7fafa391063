"""The pipeline every importer shares: parse the whole file, check it, then write.

A format module turns a file into a :class:`ParsedFile` (entries with stable keys,
products the entries need, notes about what was left out) without touching the store.
:func:`run_import` then checks every record against the journal (no future times, products
known, amounts convertible to grams), and only when all of them pass writes the new ones.
The caller's transaction makes the write all-or-nothing.

Re-importing adds nothing: each record carries a ``source_key`` derived from the fields
that identify it in the other app, and the store keeps (owner, source, source_key) unique.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from speciosa.errors import InvalidInput, NotFound, from_validation_error
from speciosa.interop.native_json import ImportSummary
from speciosa.interop.sinks import JournalSink
from speciosa.journal import clock
from speciosa.journal.models import Dose, EntryBase, Product, entry_from_dict
from speciosa.journal.units import Amount, to_grams

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Record:
    """One entry read from a file, the key that identifies it there, and where it was.

    ``aliases``: keys earlier versions of the importer gave the same record; a record
    stored under one of them is already present.
    """

    entry: EntryBase
    key: str
    where: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParsedFile:
    """A whole file, read and validated, before anything is written."""

    source: str
    records: list[Record]
    products: list[Product] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ImportResult(ImportSummary):
    """What an import added, with a count per entry kind and notes on what was left out."""

    format: str = ""
    added_by_kind: dict[str, int] = field(default_factory=dict)
    notes: tuple[str, ...] = ()


def stable_key(*parts: Any) -> str:
    """A short, stable hash of the fields that identify a record in its own app."""
    text = json.dumps(parts, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def make_entry(data: dict[str, Any], where: str) -> EntryBase:
    """Validate an entry dict; the error names the record it came from."""
    try:
        return entry_from_dict(data)
    except ValidationError as exc:
        raise from_validation_error(exc, prefix=where) from exc


def run_import(
    store: JournalSink,
    parsed: ParsedFile,
    *,
    fmt: str,
    now: datetime,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Check every record, then add those the journal does not have yet."""
    known = {p.name: p for p in store.products()}
    new_products = [p for p in _unique_products(parsed.products) if p.name not in known]
    catalogue = {**known, **{p.name: p for p in new_products}}
    for record in parsed.records:
        _check(record, catalogue, now)
    keyed = _disambiguate(parsed.records)
    total = len(keyed)
    if not dry_run:
        for product in new_products:
            store.add_product(product, now=now)
    fresh: list[Record] = []
    for index, (record, key, aliases) in enumerate(keyed):
        if not any(store.has_source_key(parsed.source, k) for k in (key, *aliases)):
            fresh.append(record)
            if not dry_run:
                store.add_entry(record.entry, now=now, source=parsed.source, source_key=key)
        if progress is not None:
            progress(index + 1, total)
    by_kind = Counter(record.entry.kind for record in fresh)
    return ImportResult(
        added=len(fresh),
        skipped=total - len(fresh),
        products_added=len(new_products),
        profile_set=False,
        format=fmt,
        added_by_kind=dict(sorted(by_kind.items())),
        notes=tuple(parsed.notes),
    )


def _unique_products(products: Iterable[Product]) -> list[Product]:
    seen: dict[str, Product] = {}
    for product in products:
        seen.setdefault(product.name, product)
    return list(seen.values())


def _check(record: Record, products: dict[str, Product], now: datetime) -> None:
    entry = record.entry
    try:
        clock.check_not_future(entry.at, now, field=f"{record.where}.time")
    except InvalidInput as exc:
        raise InvalidInput(exc.field, exc.value, exc.allowed) from None
    if isinstance(entry, Dose):
        product = None
        if entry.product is not None:
            product = products.get(entry.product)
            if product is None:
                known = ", ".join(sorted(products)) or "none yet"
                raise NotFound(
                    f"{record.where}.product",
                    entry.product,
                    f"known products: {known} (add it with 'speciosa product add' first)",
                )
        try:
            to_grams(Amount(entry.amount, entry.unit), product)
        except InvalidInput as exc:
            raise InvalidInput(f"{record.where}.{exc.field}", exc.value, exc.allowed) from None


def _disambiguate(records: list[Record]) -> list[tuple[Record, str, tuple[str, ...]]]:
    """Two identical records in one file stay two entries: the second gets '#2'."""
    seen: Counter[str] = Counter()
    keyed = []
    for record in records:
        seen[record.key] += 1
        count = seen[record.key]
        suffix = "" if count == 1 else f"#{count}"
        aliases = tuple(f"{alias}{suffix}" for alias in record.aliases)
        keyed.append((record, f"{record.key}{suffix}", aliases))
    return keyed


def parse_iso_time(text: str, *, zone: str, field: str) -> datetime:
    """An ISO 8601 time; without an offset it is wall-clock time in ``zone``."""
    cleaned = text.strip()
    try:
        parsed = datetime.fromisoformat(cleaned.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError as exc:
        raise InvalidInput(
            field,
            text,
            "must be an ISO 8601 time such as '2026-03-08T22:15:00+01:00', or "
            "'2026-03-08 22:15' (local time in your journal's zone)",
        ) from exc
    if parsed.tzinfo is None:
        try:
            return clock.at_local(parsed.date(), parsed.time(), zone)
        except InvalidInput as exc:
            raise InvalidInput(field, text, exc.allowed) from None
    return clock.utc(parsed)
