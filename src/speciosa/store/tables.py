"""The database tables. Every row belongs to an owner (a person), so one server can
hold many people and every query is scoped by ``owner_id``."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

# Stable constraint names so Alembic migrations behave the same on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out, on every backend.

    SQLite has no time-zone type, so instants are stored as naive UTC everywhere.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; instants must be aware")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)

    def result_processor(self, dialect: Dialect, coltype: object) -> Callable[[Any], Any] | None:
        """On SQLite, read the stored text straight into an aware datetime.

        SQLAlchemy keeps SQLite instants as ISO text ("2026-03-01 07:30:00.000000"); its
        own parser followed by ``replace(tzinfo=UTC)`` was a sixth of reading a journal's
        entries (issue 16), while ``fromisoformat`` with a UTC offset appended gives the
        same aware instant in one call. Text of any other shape takes the general path.
        """
        general = super().result_processor(dialect, coltype)
        if dialect.name != "sqlite" or general is None:
            return general

        def process(value: Any) -> datetime | None:
            if value is None:
                return None
            try:
                return _from_iso(value + "+00:00")
            except (TypeError, ValueError):
                return general(value)

        return process


_from_iso = datetime.fromisoformat


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime, dict[str, Any]: JSON}


def new_revision() -> str:
    """A journal revision: random, so that no two states of any journal (a restored copy, a
    new person given a deleted one's id) ever share one."""
    return secrets.token_hex(16)


def new_stamp() -> int:
    """An entry's stamp (0011): random 63 bits, so a rewritten entry never gets its old one
    back, whatever the writers' clocks say (updated_at alone could repeat)."""
    return secrets.randbits(63)


class Owner(Base):
    __tablename__ = "owners"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]
    # Replaced in the same transaction as every write to the person's journal (0010): the
    # key of results worked out from it, read in one primary-key lookup per request.
    journal_revision: Mapped[str] = mapped_column(String(32), default=new_revision)


class ProfileRow(Base):
    __tablename__ = "profiles"

    owner_id: Mapped[int] = mapped_column(
        ForeignKey("owners.id", ondelete="CASCADE"), primary_key=True
    )
    data: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime]


class ProductRow(Base):
    __tablename__ = "products"
    __table_args__ = (UniqueConstraint("owner_id", "name"), UniqueConstraint("owner_id", "uid"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("owners.id", ondelete="CASCADE"), index=True)
    uid: Mapped[str] = mapped_column(String(36))
    name: Mapped[str] = mapped_column(String(200))
    vendor: Mapped[str | None] = mapped_column(String(200))
    vein: Mapped[str | None] = mapped_column(String(200))
    form: Mapped[str] = mapped_column(String(40))
    grams_per_capsule: Mapped[float | None] = mapped_column(Float)
    grams_per_teaspoon: Mapped[float | None] = mapped_column(Float)
    grams_per_tablespoon: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class BatchRow(Base):
    __tablename__ = "batches"
    __table_args__ = (UniqueConstraint("product_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("owners.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(200))
    bought_on: Mapped[str | None] = mapped_column(String(10))
    lab: Mapped[dict[str, Any] | None]
    passed: Mapped[bool | None] = mapped_column(Boolean)


class EntryRow(Base):
    """One journal entry. Kind-specific fields live in ``data`` (validated by the
    journal models); the columns that queries filter and sum on are real columns."""

    __tablename__ = "entries"
    __table_args__ = (
        UniqueConstraint("owner_id", "source", "source_key"),
        UniqueConstraint("owner_id", "uid"),
        Index("ix_entries_owner_kind_at", "owner_id", "kind", "at"),
        Index("ix_entries_owner_at", "owner_id", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("owners.id", ondelete="CASCADE"))
    uid: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime]
    zone: Mapped[str] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id", ondelete="RESTRICT"))
    grams: Mapped[float | None] = mapped_column(Float)
    data: Mapped[dict[str, Any]]
    source: Mapped[str] = mapped_column(String(80))
    source_key: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    deleted_at: Mapped[datetime | None]
    # Replaced by every INSERT and UPDATE, whichever route it takes (the ORM's flush or a
    # Core statement: both apply Python-side defaults), so (id, stamp) says whether a
    # decoded copy of the row is still what is stored (app/window_cache.py). NULL: stored
    # before 0011 and not written since.
    stamp: Mapped[int | None] = mapped_column(BigInteger, default=new_stamp, onupdate=new_stamp)


# --------------------------------------------------------------------------- web (0002)


class WebSession(Base):
    """A signed-in browser. Only a hash of the cookie's token is kept, so a copy of the
    database cannot be used to sign in."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("owners.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    # For the idle timeout (0008); None until the session is first used.
    last_seen_at: Mapped[datetime | None]


class ShareLink(Base):
    """A read-only link to one date range of a journal, for a clinician; expires."""

    __tablename__ = "share_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("owners.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str | None] = mapped_column(String(200))
    first_day: Mapped[str] = mapped_column(String(10))
    last_day: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class ShareAccess(Base):
    """One opening of a share link: the audit log the person can read."""

    __tablename__ = "share_accesses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("owners.id", ondelete="CASCADE"), index=True)
    share_id: Mapped[int] = mapped_column(ForeignKey("share_links.id", ondelete="CASCADE"))
    at: Mapped[datetime]
    what: Mapped[str] = mapped_column(String(40))
    user_agent: Mapped[str | None] = mapped_column(String(200))
    # A refused attempt's coarse network ("203.0.113.0/24"), never its address (0008).
    client_net: Mapped[str | None] = mapped_column(String(50))


# --------------------------------------------------------------------------- devices (0003)


class DeviceSampleRow(Base):
    """One sample from a wearable export (sleep stage, workout, resting HR, HRV).

    Kept apart from the journal: the person's diary stays the primary record. ``dedup_key`` is
    a 64-bit hash of (kind, start, end, value, detail, device) - the measurement, not the
    renameable ``source`` name (0005) - so importing the same or an overlapping export again
    adds only what is new. ``night``: the vendor's own date for the sleep, as Speciosa's night
    (0005); ``device``: a stable hardware identity when the export names one (0005).
    """

    __tablename__ = "device_samples"
    __table_args__ = (
        UniqueConstraint("owner_id", "dedup_key"),
        Index("ix_device_samples_owner_kind_start", "owner_id", "kind", "start_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("owners.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))
    start_at: Mapped[datetime]
    end_at: Mapped[datetime]
    utc_offset_minutes: Mapped[int | None] = mapped_column(Integer)
    zone: Mapped[str | None] = mapped_column(String(64))
    value: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(20))
    detail: Mapped[str | None] = mapped_column(String(80))
    dedup_key: Mapped[int] = mapped_column(BigInteger)
    night: Mapped[date | None] = mapped_column(Date)
    device: Mapped[str | None] = mapped_column(String(80))


# --------------------------------------------------------------------------- plans (0004)


class PlanRow(Base):
    """A taper plan or personal experiment. ``data`` is the plan document as it is now;
    every earlier state is kept in ``plan_versions``."""

    __tablename__ = "plans"
    __table_args__ = (
        UniqueConstraint("owner_id", "uid"),
        Index("ix_plans_owner_kind_status", "owner_id", "kind", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("owners.id", ondelete="CASCADE"))
    uid: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    data: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class PlanVersionRow(Base):
    """One saved state of a plan: the whole document after each create, pause, resume,
    change or end, so the plan's history can be shown exactly as it was."""

    __tablename__ = "plan_versions"
    __table_args__ = (UniqueConstraint("plan_id", "sequence"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("owners.id", ondelete="CASCADE"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    sequence: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(20))
    data: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]


# --------------------------------------------------------------------------- routine (0006)


class RoutineRow(Base):
    """The person's reminders (``journal.routine.Routine`` as JSON) and the due items they
    dismissed (occurrence ids, pruned as they age)."""

    __tablename__ = "routines"

    owner_id: Mapped[int] = mapped_column(
        ForeignKey("owners.id", ondelete="CASCADE"), primary_key=True
    )
    data: Mapped[dict[str, Any]]
    dismissed: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime]


class CalendarFeed(Base):
    """A private calendar subscription URL; only its token's SHA-256 is kept."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("owners.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class CalendarFeedAccess(Base):
    """One fetch of a calendar feed: the audit log the person can read."""

    __tablename__ = "calendar_feed_accesses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("owners.id", ondelete="CASCADE"), index=True)
    feed_id: Mapped[int] = mapped_column(ForeignKey("calendar_feeds.id", ondelete="CASCADE"))
    at: Mapped[datetime]
    user_agent: Mapped[str | None] = mapped_column(String(200))


# --------------------------------------------------------------------------- seen alerts (0007)


class SeenAlertRow(Base):
    """An alert the person marked as seen on Today. The key names the rule and the moment
    the pattern was last seen, so the alert comes back when the pattern continues."""

    __tablename__ = "seen_alerts"

    owner_id: Mapped[int] = mapped_column(
        ForeignKey("owners.id", ondelete="CASCADE"), primary_key=True
    )
    alert_key: Mapped[str] = mapped_column(String(160), primary_key=True)
    seen_at: Mapped[datetime]


# --------------------------------------------------------------------------- sign-in limits (0008)


class SignInFailure(Base):
    """One failed sign-in, counted against a key (an account's name or a client address,
    stored only as a SHA-256) so that every worker and a restarted server see it."""

    __tablename__ = "sign_in_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(index=True)


# --------------------------------------------------------------------------- import jobs (0009)


class ImportJobRow(Base):
    """A file import started from the web app, so that every worker (and a restarted
    server) can show its progress; the file itself stays on the host that received it.
    Holds the file's shown name and counts, never its contents."""

    __tablename__ = "import_jobs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("owners.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    dry_run: Mapped[bool] = mapped_column(Boolean)
    state: Mapped[str] = mapped_column(String(10), index=True)
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    summary: Mapped[dict[str, Any] | None]
    error: Mapped[dict[str, Any] | None]
    created_at: Mapped[datetime]
    # Moved on by the worker while it runs: a running job not heard of for a while was
    # interrupted (its server stopped), and no longer counts against the concurrency cap.
    updated_at: Mapped[datetime]
