"""Reading and writing one person's journal. Every query is scoped to the owner.

The store turns validated journal models into rows and back; it resolves product
names, converts dose amounts to grams through the product, and refuses entries dated
in the future. It never commits: the caller's transaction decides (one per command).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, Select, bindparam, delete, func, insert, select
from sqlalchemy.orm import Session

from speciosa.errors import Conflict, InvalidInput, NotFound
from speciosa.gc_pause import collector_paused
from speciosa.journal import clock
from speciosa.journal.models import (
    KINDS,
    Batch,
    Dose,
    EntryBase,
    Product,
    Profile,
    Questionnaire,
    StoredEntry,
    entry_from_dict,
)
from speciosa.journal.units import Amount, to_grams
from speciosa.store.tables import (
    BatchRow,
    DeviceSampleRow,
    EntryRow,
    Owner,
    PlanRow,
    ProductRow,
    ProfileRow,
    RoutineRow,
    ShareLink,
)

LOCAL_OWNER = "local"
MANUAL = "manual"

# Compiled once and cached by SQLAlchemy; parameters are bound per call.
_INSERT_ENTRY = insert(EntryRow).returning(EntryRow.id)
_PRODUCTS = (
    select(ProductRow.__table__)
    .where(ProductRow.owner_id == bindparam("owner"))
    .order_by(ProductRow.name)
)
_BATCHES = (
    select(BatchRow.__table__).where(BatchRow.owner_id == bindparam("owner")).order_by(BatchRow.id)
)
_SELECT_PROFILE = select(ProfileRow.data).where(ProfileRow.owner_id == bindparam("owner"))
# The journal's revision with the profile: every journal transaction opens with both.
_OPENING = (
    select(Owner.journal_revision, ProfileRow.data)
    .select_from(Owner)
    .outerjoin(ProfileRow, ProfileRow.owner_id == Owner.id)
    .where(Owner.id == bindparam("owner"))
)

# Fields every entry has; the rest of an entry is its kind's payload (the data column).
_ENVELOPE = {"kind", "at", "zone", "note", "product", "grams"}
# What an entry is rebuilt from. Whole journals are read as plain rows, not ORM objects:
# for the insights' 12,000 entries the ORM's identity map and per-object state cost as much
# as decoding the entries themselves (issue 16).
_ENTRY_COLUMNS = (
    EntryRow.id,
    EntryRow.uid,
    EntryRow.kind,
    EntryRow.at,
    EntryRow.zone,
    EntryRow.note,
    EntryRow.product_id,
    EntryRow.grams,
    EntryRow.data,
    EntryRow.source,
    EntryRow.source_key,
    EntryRow.created_at,
    EntryRow.updated_at,
    EntryRow.deleted_at,
)


def new_uid() -> str:
    return str(uuid.uuid4())


def owner_id(
    session: Session, username: str = LOCAL_OWNER, *, now: datetime, create: bool = True
) -> int:
    """The id of ``username``, creating the owner row on first use when ``create``."""
    found = session.scalar(select(Owner.id).where(Owner.username == username))
    if found is not None:
        return found
    if not create:
        raise NotFound("person", username)
    row = Owner(username=username, created_at=clock.utc(now))
    session.add(row)
    session.flush()
    return row.id


def holdings(session: Session, owner: int | None = None) -> dict[str, int]:
    """The rows that make a journal not empty, counted by what they are (zeros left out).

    Deleted entries count (undo can still bring them back), and so do device samples, products,
    the profile, plans and reminder settings. ``owner=None`` counts every person in the
    database (what replacing the whole file would lose), with accounts that can sign in and
    share links.
    """
    tables: dict[str, Any] = {
        "entries": EntryRow,
        "device samples": DeviceSampleRow,
        "products": ProductRow,
        "profile": ProfileRow,
        "plans": PlanRow,
        "reminder settings": RoutineRow,
    }
    if owner is None:
        tables["share links"] = ShareLink
    counts: dict[str, int] = {}
    for name, table in tables.items():
        query = select(func.count()).select_from(table)
        if owner is not None:
            query = query.where(table.owner_id == owner)
        counts[name] = session.scalar(query) or 0
    if owner is None:
        counts["accounts"] = (
            session.scalar(
                select(func.count()).select_from(Owner).where(Owner.password_hash.is_not(None))
            )
            or 0
        )
    return {name: count for name, count in counts.items() if count}


class JournalStore:
    """One person's journal inside one transaction."""

    def __init__(self, session: Session, owner: int) -> None:
        self.session = session
        self.owner = owner
        self._product_names: dict[int, str] | None = None
        # The ids of the entries this store wrote in this transaction; None once it wrote
        # entries it cannot name (a bulk insert, a renamed product that they all show).
        self.entries_written: set[int] | None = set()
        # The decoded products, kept for this transaction until this store changes one:
        # Today and the safety rules each list them on every request.
        self._products: list[Product] | None = None

    # ------------------------------------------------------------------ profile

    def profile(self) -> Profile | None:
        # A column select, not an ORM load: every command and request reads the profile.
        data = self.session.connection().execute(_SELECT_PROFILE, {"owner": self.owner}).scalar()
        return None if data is None else Profile.model_validate(data)

    def opening(self) -> tuple[Profile | None, str | None]:
        """The profile (None: not set) and the journal's committed revision, in one read."""
        row = self.session.connection().execute(_OPENING, {"owner": self.owner}).first()
        if row is None:
            return None, None
        revision, data = row
        return (None if data is None else Profile.model_validate(data)), revision

    def profile_or_default(self) -> Profile:
        return self.profile() or Profile()

    def save_profile(self, profile: Profile, *, now: datetime) -> None:
        row = self.session.get(ProfileRow, self.owner)
        data = profile.model_dump(mode="json")
        if row is None:
            self.session.add(ProfileRow(owner_id=self.owner, data=data, updated_at=clock.utc(now)))
        else:
            row.data = data
            row.updated_at = clock.utc(now)

    # ------------------------------------------------------------------ products

    def products(self) -> list[Product]:
        if self._products is None:
            self._products = self._read_products()
        return list(self._products)

    def _read_products(self) -> list[Product]:
        # Today and the safety rules list the products on every request: plain rows on the
        # connection (no ORM objects), every product's batches in one query. A read on the
        # connection does not flush what the session holds, so that is done first.
        self.session.flush()
        connection = self.session.connection()
        rows = connection.execute(_PRODUCTS, {"owner": self.owner}).all()
        batches: dict[int, list[Row[Any]]] = {}
        if rows:
            for batch in connection.execute(_BATCHES, {"owner": self.owner}):
                batches.setdefault(batch.product_id, []).append(batch)
        return [_product_of(row, batches.get(row.id, ())) for row in rows]

    def product(self, name: str) -> Product:
        return self._product(self._product_row(name))

    def product_uid(self, name: str) -> str:
        return self._product_row(name).uid

    def add_product(self, product: Product, *, now: datetime, uid: str | None = None) -> Product:
        if self._find_product_row(product.name) is not None:
            raise Conflict(f"product: {product.name!r} already exists; edit it instead")
        stamp = clock.utc(now)
        row = ProductRow(
            owner_id=self.owner,
            uid=uid or new_uid(),
            created_at=stamp,
            updated_at=stamp,
            **_product_columns(product),
        )
        self.session.add(row)
        self.session.flush()
        self._replace_batches(row, product.batches)
        self._product_names = self._products = None
        return self._product(row)

    def update_product(self, name: str, product: Product, *, now: datetime) -> Product:
        row = self._product_row(name)
        if product.name != name and self._find_product_row(product.name) is not None:
            raise Conflict(f"product: {product.name!r} already exists")
        for column, value in _product_columns(product).items():
            setattr(row, column, value)
        row.updated_at = clock.utc(now)
        self._replace_batches(row, product.batches)
        self._product_names = self._products = None
        if product.name != name:  # every entry of the product shows its new name
            self.entries_written = None
        return self._product(row)

    def _replace_batches(self, row: ProductRow, batches: Sequence[Batch]) -> None:
        existing = self.session.scalars(select(BatchRow).where(BatchRow.product_id == row.id))
        for old in existing:
            self.session.delete(old)
        self.session.flush()
        for batch in batches:
            lab = None if batch.lab is None else batch.lab.model_dump(mode="json")
            self.session.add(
                BatchRow(
                    owner_id=self.owner,
                    product_id=row.id,
                    code=batch.code,
                    bought_on=batch.bought_on,
                    lab=lab,
                    passed=None if batch.lab is None else batch.lab.passed,
                )
            )
        self.session.flush()

    def _find_product_row(self, name: str) -> ProductRow | None:
        return self.session.scalar(
            select(ProductRow).where(ProductRow.owner_id == self.owner, ProductRow.name == name)
        )

    def _product_row(self, name: str) -> ProductRow:
        row = self._find_product_row(name)
        if row is None:
            known = ", ".join(p.name for p in self.products()) or "none yet"
            raise NotFound(
                "product", name, f"known products: {known} (add one with 'speciosa product add')"
            )
        return row

    def _product(self, row: ProductRow) -> Product:
        batches = self.session.scalars(
            select(BatchRow).where(BatchRow.product_id == row.id).order_by(BatchRow.id)
        )
        return _product_of(row, batches)

    def _names_by_id(self) -> dict[int, str]:
        if self._product_names is None:
            rows = self.session.execute(
                select(ProductRow.id, ProductRow.name).where(ProductRow.owner_id == self.owner)
            )
            self._product_names = dict(rows.all())
        return self._product_names

    # ------------------------------------------------------------------ entries

    def add_entry(
        self,
        entry: EntryBase,
        *,
        now: datetime,
        source: str = MANUAL,
        source_key: str | None = None,
        uid: str | None = None,
        created_at: datetime | None = None,
        updated_at: datetime | None = None,
        keep_grams: bool = False,
        deleted_at: datetime | None = None,
    ) -> StoredEntry:
        """Store a validated entry; doses get their grams from the product.

        ``keep_grams`` keeps a dose's recorded grams (restoring an export, where the
        product's measures may have changed since the dose was logged); ``deleted_at``
        restores an exported deleted entry, which undo can still bring back.
        """
        clock.check_not_future(entry.at, now)
        entry, product_id = self._resolve(entry, keep_grams=keep_grams)
        uid = uid or new_uid()
        stamp = clock.utc(now)
        created = created_at or stamp
        updated = updated_at or created
        # A Core INSERT ... RETURNING rather than an ORM flush: logging a dose is the hot
        # path, and the entry is already validated, so it is returned as it was stored.
        values = {
            "owner_id": self.owner,
            "uid": uid,
            "source": source,
            "source_key": source_key or uid,
            "created_at": created,
            "updated_at": updated,
            "deleted_at": None if deleted_at is None else clock.utc(deleted_at),
            "product_id": product_id,
            **_entry_columns(entry),
        }
        entry_id = self.session.connection().execute(_INSERT_ENTRY, values).scalar_one()
        self._wrote(entry_id)
        return StoredEntry(
            id=entry_id,
            uid=uid,
            source=source,
            source_key=source_key or uid,
            created_at=created,
            updated_at=updated,
            entry=entry,
            deleted_at=None if deleted_at is None else clock.utc(deleted_at),
        )

    def add_entries(
        self, entries: Iterable[EntryBase], *, now: datetime, source: str, batch_size: int = 2000
    ) -> int:
        """Bulk insert for simulated or imported journals (same checks, fewer round trips)."""
        count = 0
        stamp = clock.utc(now)
        pending: list[dict[str, Any]] = []
        for entry in entries:
            clock.check_not_future(entry.at, now)
            resolved, product_id = self._resolve(entry)
            uid = new_uid()
            pending.append(
                {
                    "owner_id": self.owner,
                    "uid": uid,
                    "source": source,
                    "source_key": uid,
                    "created_at": stamp,
                    "updated_at": stamp,
                    "deleted_at": None,
                    "product_id": product_id,
                    **_entry_columns(resolved),
                }
            )
            if len(pending) >= batch_size:
                count += self._insert(pending)
        return count + self._insert(pending)

    def _insert(self, pending: list[dict[str, Any]]) -> int:
        if pending:
            self.session.execute(insert(EntryRow), pending)
            self.entries_written = None  # many rows, ids not returned
        count = len(pending)
        pending.clear()
        return count

    def has_uid(self, uid: str) -> bool:
        return (
            self.session.scalar(
                select(EntryRow.id).where(EntryRow.owner_id == self.owner, EntryRow.uid == uid)
            )
            is not None
        )

    def entry_by_source_key(self, source: str, source_key: str) -> StoredEntry | None:
        """The entry stored under (source, source_key), deleted or not; None if none."""
        row = self.session.scalar(
            select(EntryRow).where(
                EntryRow.owner_id == self.owner,
                EntryRow.source == source,
                EntryRow.source_key == source_key,
            )
        )
        return None if row is None else self._stored(row)

    def has_source_key(self, source: str, source_key: str) -> bool:
        return (
            self.session.scalar(
                select(EntryRow.id).where(
                    EntryRow.owner_id == self.owner,
                    EntryRow.source == source,
                    EntryRow.source_key == source_key,
                )
            )
            is not None
        )

    def _resolve(
        self, entry: EntryBase, *, keep_grams: bool = False
    ) -> tuple[EntryBase, int | None]:
        if not isinstance(entry, Dose):
            return entry, None
        row = None if entry.product is None else self._product_row(entry.product)
        product = None if row is None else self._product(row)
        if keep_grams and entry.grams is not None:
            grams = entry.grams
        else:
            grams = to_grams(Amount(entry.amount, entry.unit), product)
        if entry.batch is not None and product is not None:
            codes = {b.code for b in product.batches}
            if entry.batch not in codes:
                raise InvalidInput(
                    "batch",
                    entry.batch,
                    f"must be a batch of {product.name!r}: "
                    f"{', '.join(sorted(codes)) or 'none recorded'}",
                )
        return entry.model_copy(update={"grams": grams}), None if row is None else row.id

    def entries(
        self,
        *,
        kinds: Sequence[str] | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        include_deleted: bool = False,
    ) -> list[StoredEntry]:
        """Entries in time order, optionally of some kinds and within [since, until)."""
        query = select(*_ENTRY_COLUMNS).where(EntryRow.owner_id == self.owner)
        if kinds:
            _check_kinds(kinds)
            query = query.where(EntryRow.kind.in_(list(kinds)))
        if since is not None:
            query = query.where(EntryRow.at >= clock.utc(since))
        if until is not None:
            query = query.where(EntryRow.at < clock.utc(until))
        if not include_deleted:
            query = query.where(EntryRow.deleted_at.is_(None))
        with collector_paused():
            # Through the connection: the ORM's row handling is not needed for plain
            # columns; flushing first keeps what this transaction changed visible.
            self.session.flush()
            ordered = query.order_by(EntryRow.at, EntryRow.id)
            rows = self.session.connection().execute(ordered).all()
            names = self._names_by_id() if any(row.product_id for row in rows) else {}
            return [_decoded(row, names) for row in rows]

    def entry_fingerprints(
        self, *, since: datetime, until: datetime | None = None
    ) -> list[tuple[int, tuple[Any, ...]]]:
        """Each live entry in [since, until) as (id, fingerprint), in ``entries``' order.

        The fingerprint is the row's stamp, which every write replaces, and its product's
        name: equal fingerprints mean equal :class:`StoredEntry`, so a caller can keep
        decoded entries between requests and reload only the ids whose print changed.
        """
        statement = _FINGERPRINTS if until is None else _FINGERPRINTS.where(_BEFORE_UNTIL)
        self.session.flush()  # this transaction's own writes are part of the answer
        rows = self.session.connection().execute(statement, _bounds(self.owner, since, until))
        return [(row[0], tuple(row[1:])) for row in rows]

    def printed_entries(
        self, *, since: datetime, until: datetime | None = None, ids: Sequence[int] | None = None
    ) -> dict[int, tuple[tuple[Any, ...], StoredEntry]]:
        """Live entries in [since, until) (only ``ids``, when given) by id, each with its
        fingerprint read in the same query, in ``entries``' order."""
        statement = _PRINTED if ids is None else _PRINTED_IDS
        if until is not None:
            statement = statement.where(_BEFORE_UNTIL)
        chunks = [None] if ids is None else [ids[i : i + 500] for i in range(0, len(ids), 500)]
        found: dict[int, tuple[tuple[Any, ...], StoredEntry]] = {}
        self.session.flush()  # this transaction's own writes are part of the answer
        connection = self.session.connection()
        width = len(_ENTRY_COLUMNS)
        bounds = _bounds(self.owner, since, until)
        for chunk in chunks:  # a bounded IN list on every backend
            values = bounds if chunk is None else {**bounds, "ids": chunk}
            rows = connection.execute(statement, values)
            for row in rows:
                printed = tuple(row[width:])  # (stamp, product name): see _fingerprint
                found[row[0]] = (printed, _decoded(row[:width], {row[6]: printed[1]}))
        return found

    def doses_from(self, day: date | None, zone: str) -> list[Dose]:
        """Doses from the start of journal day ``day`` in ``zone`` (all when ``day`` is None)."""
        return [e for e in self._entries_from("dose", day, zone) if isinstance(e, Dose)]

    def questionnaires_from(self, day: date, zone: str) -> list[Questionnaire]:
        """Questionnaire responses from the start of journal day ``day`` in ``zone``."""
        found = self._entries_from("questionnaire", day, zone)
        return [e for e in found if isinstance(e, Questionnaire)]

    def _entries_from(self, kind: str, day: date | None, zone: str) -> list[EntryBase]:
        start = None if day is None else clock.at_local(day, clock.DAY_STARTS_AT, zone)
        return [stored.entry for stored in self.entries(kinds=[kind], since=start)]

    def first_day(self) -> date | None:
        """The journal day of the earliest live entry, in the zone it was logged in."""
        first = self.session.execute(
            select(EntryRow.at, EntryRow.zone)
            .where(EntryRow.owner_id == self.owner, EntryRow.deleted_at.is_(None))
            .order_by(EntryRow.at)
            .limit(1)
        ).first()
        return None if first is None else clock.journal_day(first.at, first.zone)

    def entry(self, entry_id: int) -> StoredEntry:
        return self._stored(self._entry_row(entry_id))

    def update_entry(self, entry_id: int, entry: EntryBase, *, now: datetime) -> StoredEntry:
        row = self._entry_row(entry_id)
        if entry.kind != row.kind:
            raise InvalidInput(
                "kind", entry.kind, f"an entry cannot change kind (it is a {row.kind})"
            )
        clock.check_not_future(entry.at, now)
        entry, product_id = self._resolve(entry)
        for column, value in _entry_columns(entry).items():
            setattr(row, column, value)
        row.product_id = product_id
        row.updated_at = clock.utc(now)
        self.session.flush()
        self._wrote(row.id)
        return self._stored(row)

    def delete_entry(self, entry_id: int, *, now: datetime) -> StoredEntry:
        """Soft-delete, so that ``undo_delete`` can bring the entry back."""
        row = self._entry_row(entry_id)
        row.deleted_at = clock.utc(now)
        self.session.flush()
        self._wrote(row.id)
        return self._stored(row)

    def undo_delete(self) -> StoredEntry:
        """Restore the most recently deleted entry."""
        row = self.session.scalar(
            select(EntryRow)
            .where(EntryRow.owner_id == self.owner, EntryRow.deleted_at.is_not(None))
            .order_by(EntryRow.deleted_at.desc(), EntryRow.id.desc())
            .limit(1)
        )
        if row is None:
            raise NotFound("deleted entry", "last", "nothing has been deleted")
        row.deleted_at = None
        self.session.flush()
        self._wrote(row.id)
        return self._stored(row)

    def counts(self) -> dict[str, int]:
        """Live (not deleted) entries per kind."""
        rows = self.session.execute(
            select(EntryRow.kind, func.count())
            .where(EntryRow.owner_id == self.owner, EntryRow.deleted_at.is_(None))
            .group_by(EntryRow.kind)
        )
        return dict(rows.all())

    def sources(self) -> set[str]:
        return set(
            self.session.scalars(
                select(EntryRow.source).where(EntryRow.owner_id == self.owner).distinct()
            )
        )

    def clear(self) -> None:
        """Remove every entry, product and the profile of this person (used by demo)."""
        for table in (EntryRow, BatchRow, ProductRow, ProfileRow):
            self.session.execute(delete(table).where(table.owner_id == self.owner))
        self._product_names = self._products = None
        self.entries_written = None

    def _wrote(self, entry_id: int) -> None:
        if self.entries_written is not None:
            self.entries_written.add(entry_id)

    def _entry_row(self, entry_id: int) -> EntryRow:
        row = self.session.scalar(
            select(EntryRow).where(EntryRow.owner_id == self.owner, EntryRow.id == entry_id)
        )
        if row is None:
            raise NotFound("entry", entry_id, "see 'speciosa list' for ids")
        return row

    def _stored(self, row: EntryRow) -> StoredEntry:
        values = [getattr(row, column.key) for column in _ENTRY_COLUMNS]
        return _decoded(values, self._names_by_id() if row.product_id is not None else {})


def _product_of(row: ProductRow | Row[Any], batches: Iterable[BatchRow | Row[Any]]) -> Product:
    return Product(
        name=row.name,
        vendor=row.vendor,
        vein=row.vein,
        form=row.form,
        grams_per_capsule=row.grams_per_capsule,
        grams_per_teaspoon=row.grams_per_teaspoon,
        grams_per_tablespoon=row.grams_per_tablespoon,
        note=row.note,
        batches=tuple(Batch(code=b.code, bought_on=b.bought_on, lab=b.lab) for b in batches),
    )


def _fingerprint() -> tuple[Any, ...]:
    # Every write to an entry replaces its stamp (tables.EntryRow.stamp), so the stamp
    # stands for every stored field; the product's name is the one thing an entry shows
    # that lives in another row (a renamed product).
    return (EntryRow.stamp, ProductRow.name.label("print_product"))


def _live_entries(*columns: Any) -> Select[Any]:
    """Live entries of ``:owner`` from ``:since`` on, with their product, in time order.
    Built once: building a statement costs as much as running it on a small window."""
    return (
        select(*columns)
        .outerjoin(ProductRow, ProductRow.id == EntryRow.product_id)
        .where(EntryRow.owner_id == bindparam("owner"), EntryRow.deleted_at.is_(None))
        .where(EntryRow.at >= bindparam("since"))
        .order_by(EntryRow.at, EntryRow.id)
    )


_FINGERPRINTS = _live_entries(EntryRow.id, *_fingerprint())
_PRINTED = _live_entries(*_ENTRY_COLUMNS, *_fingerprint())
_PRINTED_IDS = _PRINTED.where(EntryRow.id.in_(bindparam("ids", expanding=True)))
_BEFORE_UNTIL = EntryRow.at < bindparam("until")


def _bounds(owner: int, since: datetime, until: datetime | None) -> dict[str, Any]:
    bounds: dict[str, Any] = {"owner": owner, "since": clock.utc(since)}
    if until is not None:
        bounds["until"] = clock.utc(until)
    return bounds


def _decoded(row: Sequence[Any], product_names: dict[int, str]) -> StoredEntry:
    """The entry in ``row`` (the values of ``_ENTRY_COLUMNS``, in that order).

    The entry itself is validated as it always was (stored payloads may predate a field's
    default, and JSON holds instants as text and enums as strings). The envelope is not:
    its columns are typed (ids, text, aware UTC instants from ``UTCDateTime``), and
    validating it again was a sixth of the read.
    """
    (id_, uid, kind, at, zone, note, product_id, grams, data, source, source_key, created_at,
     updated_at, deleted_at) = row  # fmt: skip
    fields: dict[str, Any] = {**data, "kind": kind, "at": at, "zone": zone, "note": note}
    if kind == "dose":
        fields["grams"] = grams
        fields["product"] = None if product_id is None else product_names[product_id]
    return _trusted_stored_entry(
        {
            "id": id_,
            "uid": uid,
            "source": source,
            "source_key": source_key,
            "created_at": created_at,
            "updated_at": updated_at,
            "entry": entry_from_dict(fields),
            "deleted_at": deleted_at,
        }
    )


_new_object = object.__new__
_set_attribute = object.__setattr__
_STORED_FIELDS = frozenset(StoredEntry.model_fields)


def _trusted_stored_entry(values: dict[str, Any]) -> StoredEntry:
    """What ``StoredEntry.model_construct(**values)`` builds, without its loop over aliases
    and defaults (every field is given; none has an alias): a fifth of its cost, measured.
    ``tests/store/test_entry_decoding.py`` checks the result against a validated one."""
    stored = _new_object(StoredEntry)
    _set_attribute(stored, "__dict__", values)
    _set_attribute(stored, "__pydantic_fields_set__", set(_STORED_FIELDS))
    _set_attribute(stored, "__pydantic_extra__", None)
    _set_attribute(stored, "__pydantic_private__", None)
    return stored


def _check_kinds(kinds: Sequence[str]) -> None:
    for kind in kinds:
        if kind not in KINDS:
            raise InvalidInput("kind", kind, f"must be one of {', '.join(KINDS)}")


def _entry_columns(entry: EntryBase) -> dict[str, Any]:
    grams = entry.grams if isinstance(entry, Dose) else None
    return {
        "kind": entry.kind,
        "at": entry.at,
        "zone": entry.zone,
        "note": entry.note,
        "grams": grams,
        "data": entry.model_dump(mode="json", exclude=_ENVELOPE, exclude_defaults=False),
    }


def _product_columns(product: Product) -> dict[str, Any]:
    return product.model_dump(mode="json", exclude={"batches"})
