"""Web import jobs, one row each, so every worker on the database sees the same jobs.
Like every store module this never commits; the caller's transaction does."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.orm import Session

from speciosa.journal import clock
from speciosa.store.tables import ImportJobRow

UNFINISHED = ("queued", "running")
# Any constant of our own: PostgreSQL's advisory locks are keyed by a bigint.
_START_LOCK = 0x5350_4543_494D_5001


def serialise_starts(session: Session) -> None:
    """Hold a lock until this transaction ends, so that two workers counting running jobs
    before adding one cannot both pass the cap. SQLite already serialises writers."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _START_LOCK})


def running(*, session: Session, heard_since: datetime) -> list[ImportJobRow]:
    """Jobs queued or running whose worker was heard from after ``heard_since``."""
    return list(
        session.scalars(
            select(ImportJobRow).where(
                ImportJobRow.state.in_(UNFINISHED),
                ImportJobRow.updated_at > clock.utc(heard_since),
            )
        )
    )


def add(*, session: Session, row: ImportJobRow) -> None:
    session.add(row)
    session.flush()


def get(*, session: Session, owner_id: int, job_id: str) -> ImportJobRow | None:
    row = session.get(ImportJobRow, job_id)
    return row if row is not None and row.owner_id == owner_id else None


def change(*, session: Session, job_id: str, changes: dict[str, Any]) -> None:
    session.execute(update(ImportJobRow).where(ImportJobRow.id == job_id).values(**changes))


def forget_finished(
    *, session: Session, owner_id: int, created_before: datetime, keep: int
) -> None:
    """Finished jobs older than ``created_before`` go, and all but this person's latest
    ``keep`` finished ones (the status page only needs recent jobs)."""
    finished = ImportJobRow.state.not_in(UNFINISHED)
    session.execute(
        delete(ImportJobRow).where(finished, ImportJobRow.created_at < clock.utc(created_before))
    )
    count = session.scalar(select(func.count()).where(finished, ImportJobRow.owner_id == owner_id))
    surplus = (count or 0) - keep
    if surplus > 0:
        oldest = select(ImportJobRow.id).where(finished, ImportJobRow.owner_id == owner_id)
        oldest = oldest.order_by(ImportJobRow.created_at).limit(surplus)
        session.execute(delete(ImportJobRow).where(ImportJobRow.id.in_(oldest)))
