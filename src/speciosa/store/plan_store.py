"""Reading and writing one person's plans, with every version kept. The only plan SQL.

A plan is stored as its document (``plans.data``, the newest state) plus one row in
``plan_versions`` for every state it has had (created, paused, resumed, changed, ended).
Versions are never updated or deleted: the history shown to a clinician is the history
that happened. The store never commits; the caller's transaction does.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import Field, TypeAdapter
from sqlalchemy import Row, bindparam, delete, func, select
from sqlalchemy.orm import Session

from speciosa.errors import Conflict, NotFound
from speciosa.journal import clock
from speciosa.plans.experiment import Experiment
from speciosa.plans.kinds import Plan, PlanVersion, StoredPlan
from speciosa.store.tables import PlanRow, PlanVersionRow

_ADAPTER: TypeAdapter[Plan] = TypeAdapter(Annotated[Plan, Field(discriminator="kind")])


def status_of(plan: Plan, today: date | None = None) -> str:
    """'ended' once ended (or an experiment past its last day), else 'running'."""
    if plan.ended_on is not None:
        return "ended"
    if isinstance(plan, Experiment) and today is not None and today > plan.design.end:
        return "ended"
    return "running"


class PlanStore:
    """One person's plans inside one transaction."""

    def __init__(self, session: Session, owner: int) -> None:
        self.session = session
        self.owner = owner

    def add(self, plan: Plan, *, now: datetime) -> StoredPlan:
        """Store a new plan; refused while another plan is running (they would confound)."""
        running = self.running()
        if running:
            other = running[0]
            raise Conflict(
                f"plan: {other.kind} #{other.id} is still running; two plans at once would "
                "confound each other (a taper changes what an experiment compares). End it "
                f"first (speciosa plan end {other.id})"
            )
        stamp = clock.utc(now)
        row = PlanRow(
            owner_id=self.owner,
            uid=str(uuid.uuid4()),
            kind=plan.kind,
            status=status_of(plan),
            data=_dump(plan),
            created_at=stamp,
            updated_at=stamp,
        )
        self.session.add(row)
        self.session.flush()
        self._add_version(row, "created", plan, stamp)
        return self._stored(row)

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
        """Store a plan from an export with its whole history as it was (uid, times, versions).

        Refused, like ``add``, while another plan is running and this one is running too.
        """
        if status == "running":
            others = [p for p in self.running() if p.uid != uid]
            if others:
                other = others[0]
                raise Conflict(
                    f"plan: {other.kind} #{other.id} is running here and the file holds another "
                    f"running {plan.kind}; two plans at once would confound each other. End it "
                    f"first (speciosa plan end {other.id})"
                )
        row = PlanRow(
            owner_id=self.owner,
            uid=uid,
            kind=plan.kind,
            status=status,
            data=_dump(plan),
            created_at=clock.utc(created_at),
            updated_at=clock.utc(updated_at),
        )
        self.session.add(row)
        self.session.flush()
        for version in versions:
            self.session.add(
                PlanVersionRow(
                    owner_id=self.owner,
                    plan_id=row.id,
                    sequence=version.sequence,
                    action=version.action,
                    data=_dump(version.plan),
                    created_at=clock.utc(version.created_at),
                )
            )
        self.session.flush()
        return self._stored(row)

    def has_uid(self, uid: str) -> bool:
        found = self.session.scalar(
            select(PlanRow.id).where(PlanRow.owner_id == self.owner, PlanRow.uid == uid)
        )
        return found is not None

    def clear(self) -> None:
        """Remove every plan of this person with its history (a restore that replaces)."""
        for table in (PlanVersionRow, PlanRow):
            self.session.execute(delete(table).where(table.owner_id == self.owner))

    def save(self, plan_id: int, plan: Plan, *, action: str, now: datetime) -> StoredPlan:
        """Replace a plan's document and append the new state to its history."""
        row = self._row(plan_id)
        stamp = clock.utc(now)
        row.data = _dump(plan)
        row.status = status_of(plan)
        row.updated_at = stamp
        self._add_version(row, action, plan, stamp)
        self.session.flush()
        return self._stored(row)

    def get(self, plan_id: int) -> StoredPlan:
        return self._stored(self._row(plan_id))

    def all(self) -> list[StoredPlan]:
        rows = self.session.scalars(
            select(PlanRow).where(PlanRow.owner_id == self.owner).order_by(PlanRow.id)
        )
        return [self._stored(row) for row in rows]

    def running(self, today: date | None = None) -> list[StoredPlan]:
        """Plans not ended (an experiment past its last day counts as ended given ``today``)."""
        # Asked on every Today: plain rows on the connection, after flushing the session
        # (a read on the connection would not).
        self.session.flush()
        rows = self.session.connection().execute(_RUNNING, {"owner": self.owner})
        plans = [self._stored(row) for row in rows]
        return [p for p in plans if status_of(p.plan, today) == "running"]

    def versions(self, plan_id: int) -> list[PlanVersion]:
        row = self._row(plan_id)
        found = self.session.scalars(
            select(PlanVersionRow)
            .where(PlanVersionRow.plan_id == row.id, PlanVersionRow.owner_id == self.owner)
            .order_by(PlanVersionRow.sequence)
        )
        return [PlanVersion(v.sequence, v.action, _load(v.data), v.created_at) for v in found]

    def _add_version(self, row: PlanRow, action: str, plan: Plan, stamp: datetime) -> None:
        last = self.session.scalar(
            select(func.max(PlanVersionRow.sequence)).where(PlanVersionRow.plan_id == row.id)
        )
        self.session.add(
            PlanVersionRow(
                owner_id=self.owner,
                plan_id=row.id,
                sequence=(last or 0) + 1,
                action=action,
                data=_dump(plan),
                created_at=stamp,
            )
        )
        self.session.flush()

    def _row(self, plan_id: int) -> PlanRow:
        row = self.session.scalar(
            select(PlanRow).where(PlanRow.owner_id == self.owner, PlanRow.id == plan_id)
        )
        if row is None:
            raise NotFound("plan", plan_id, "see 'speciosa plan list' for ids")
        return row

    def _stored(self, row: PlanRow | Row[Any]) -> StoredPlan:
        return StoredPlan(
            id=row.id,
            uid=row.uid,
            kind=row.kind,
            status=row.status,
            plan=_load(row.data),
            created_at=row.created_at,
            updated_at=row.updated_at,
        )


def _dump(plan: Plan) -> dict[str, Any]:
    return plan.model_dump(mode="json")


def _load(data: dict[str, Any]) -> Plan:
    return _ADAPTER.validate_python(data)


_RUNNING = (
    select(PlanRow.__table__)
    .where(PlanRow.owner_id == bindparam("owner"), PlanRow.status == "running")
    .order_by(PlanRow.id)
)
