"""Which of a person's alerts they marked as seen (one row per alert key)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from speciosa.store.tables import SeenAlertRow


class SeenAlerts:
    def __init__(self, session: Session, owner_id: int) -> None:
        self.session = session
        self.owner_id = owner_id

    def keys(self) -> frozenset[str]:
        rows = self.session.scalars(
            select(SeenAlertRow.alert_key).where(SeenAlertRow.owner_id == self.owner_id)
        )
        return frozenset(rows)

    def mark(self, key: str, at: datetime) -> None:
        if self.session.get(SeenAlertRow, (self.owner_id, key)) is None:
            self.session.add(SeenAlertRow(owner_id=self.owner_id, alert_key=key, seen_at=at))
            self.session.flush()

    def forget(self, key: str) -> None:
        self.session.execute(
            delete(SeenAlertRow).where(
                SeenAlertRow.owner_id == self.owner_id, SeenAlertRow.alert_key == key
            )
        )

    def keep_only(self, keys: frozenset[str]) -> None:
        """Drop the marks of alerts that are no longer open (the table stays small)."""
        self.session.execute(
            delete(SeenAlertRow).where(
                SeenAlertRow.owner_id == self.owner_id, SeenAlertRow.alert_key.not_in(keys)
            )
        )
