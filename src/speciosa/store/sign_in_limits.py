"""Failed sign-ins, counted per key in the database so every worker (and a restarted
server) enforces the same limit. Keys arrive already hashed; like every store module this
never commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from speciosa.journal import clock
from speciosa.store.tables import SignInFailure


def failures_since(
    *, session: Session, key_hashes: Sequence[str], since: datetime
) -> dict[str, tuple[int, datetime]]:
    """For each key with failures after ``since``: how many, and the oldest of them."""
    rows = session.execute(
        select(SignInFailure.key_hash, func.count(SignInFailure.id), func.min(SignInFailure.at))
        .where(SignInFailure.key_hash.in_(key_hashes), SignInFailure.at > clock.utc(since))
        .group_by(SignInFailure.key_hash)
    ).all()
    return {key: (count, oldest) for key, count, oldest in rows}


def record_failure(
    *, session: Session, key_hashes: Sequence[str], now: datetime, forget_before: datetime
) -> None:
    """Count one failure against each key; failures older than ``forget_before`` go, so
    the table holds one window's worth at most."""
    session.execute(delete(SignInFailure).where(SignInFailure.at <= clock.utc(forget_before)))
    session.add_all(SignInFailure(key_hash=key, at=clock.utc(now)) for key in key_hashes)


def forget(*, session: Session, key_hash: str) -> None:
    session.execute(delete(SignInFailure).where(SignInFailure.key_hash == key_hash))
