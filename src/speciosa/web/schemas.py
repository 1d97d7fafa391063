"""The JSON API's schemas, one per direction: ``*Create``/``*Update`` in, ``*Public`` out.

Entry input stays close to what a person types on the command line (``"amount": "3g"``,
``"at": "yesterday 23:40"``); it is validated by the journal models themselves, so the
API, the forms and the CLI refuse the same things with the same messages.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from speciosa.app.sharing import Share
from speciosa.journal.catalogues import ENTRY_KINDS
from speciosa.journal.models import KINDS, StoredEntry
from speciosa.safety import Alert


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EntryCreate(BaseModel):
    """An entry to log. Besides the fields below, give the fields of its kind (see the
    journal models), e.g. ``{"kind": "dose", "amount": "2caps", "product": "Red Bali"}``."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "examples": [
                {"kind": "dose", "amount": "3g", "at": "now"},
                {"kind": "pain", "score": 6, "at": "yesterday 21:00"},
                {"kind": "substance", "name": "beer", "amount": "2 drinks"},
            ]
        },
    )

    # Documented as the journal's kinds (so a client, and schemathesis, knows "" is not
    # one); the journal models still validate it, with their one message.
    kind: str = Field(
        description=f"one of {', '.join(KINDS)}",
        json_schema_extra={"enum": list(ENTRY_KINDS)},
    )
    at: str | None = Field(
        default=None, description="now, 22:15, 'yesterday 23:40', '90 min ago' or ISO 8601"
    )
    zone: str | None = Field(default=None, description="IANA zone (default: your profile's)")
    note: str | None = None

    def data(self) -> dict[str, Any]:
        return self.model_dump(exclude_unset=True) | (self.model_extra or {})


class EntryUpdate(BaseModel):
    """Fields to change; the entry is validated again exactly as when it was logged."""

    model_config = ConfigDict(extra="allow")

    at: str | None = None
    note: str | None = None

    def data(self) -> dict[str, Any]:
        return self.model_dump(exclude_unset=True) | (self.model_extra or {})


class EntryPublic(BaseModel):
    id: int
    uid: str
    source: str
    created_at: datetime
    updated_at: datetime
    kind: str
    entry: dict[str, Any]

    @classmethod
    def of(cls, stored: StoredEntry) -> EntryPublic:
        return cls(
            id=stored.id,
            uid=stored.uid,
            source=stored.source,
            created_at=stored.created_at,
            updated_at=stored.updated_at,
            kind=stored.entry.kind,
            entry=stored.entry.model_dump(mode="json"),
        )


class EntriesPublic(BaseModel):
    data: list[EntryPublic]
    count: int


class LimitPublic(BaseModel):
    used: float
    limit: float | None
    reached: bool


class AlertPublic(BaseModel):
    """A safety alert: ``speciosa.safety.Alert.to_dict()``, the CLI's ``check --json`` too."""

    rule_id: str
    key: str = Field(description="the rule and the moment the pattern was last seen")
    severity: str = Field(description="info, caution, warning or urgent")
    title: str
    explanation: str
    what_to_do: str
    source_ids: list[str]
    entry_ids: list[int]
    at: datetime = Field(description="the latest entry behind it (UTC)")
    analogy: bool = Field(description="the rule applies evidence about something else")

    @classmethod
    def of(cls, alert: Alert) -> AlertPublic:
        return cls.model_validate(alert.to_dict())


class DuePublic(BaseModel):
    """A reminder due now: ``speciosa.journal.routine.DueItem.to_dict()``."""

    id: str = Field(description="this occurrence, for dismissing it")
    reminder: str
    text: str
    since: datetime
    link: str
    command: str


class TodayPublic(BaseModel):
    """Today: ``speciosa.app.today.TodayView.to_dict()``, as ``speciosa today --json``."""

    day: date
    minutes_since_last_dose: int | None
    last_dose: dict[str, Any] | None
    grams: LimitPublic
    doses: LimitPublic
    use_days_this_week: LimitPublic
    plan_lines: list[str] = Field(description="the running plans' lines for today")
    plans_paused: bool = Field(description="plan prompts paused by an urgent alert")
    alerts: list[AlertPublic]
    has_profile: bool
    due: list[DuePublic] = Field(
        default=[], description="reminders due now (all off until you turn one on)"
    )
    seen_alerts: list[str] = Field(
        default=[], description="keys of the open alerts marked as seen (folded away on Today)"
    )
    usual_dose: dict[str, Any] | None = Field(
        default=None,
        description="the dose the person saved for one-tap logging ({amount, product}), as "
        "they typed it; never a suggestion",
    )


class ProductsPublic(BaseModel):
    data: list[dict[str, Any]]
    count: int


class ShareCreate(Input):
    first_day: date | None = Field(default=None, description="default: 30 days before last_day")
    last_day: date | None = Field(default=None, description="default: today")
    expires_in_days: int | None = Field(default=None, ge=1, description="default 14")
    label: str | None = Field(default=None, max_length=200, description="e.g. Dr Rahman")


class SharePublic(BaseModel):
    id: int
    label: str | None
    first_day: date
    last_day: date
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    state: str
    url: str | None = Field(default=None, description="only in the answer that creates it")

    @classmethod
    def of(cls, share: Share, *, now: datetime, url: str | None = None) -> SharePublic:
        return cls(
            id=share.id,
            label=share.label,
            first_day=share.first_day,
            last_day=share.last_day,
            created_at=share.created_at,
            expires_at=share.expires_at,
            revoked_at=share.revoked_at,
            state=share.state(now),
            url=url,
        )


class AccessPublic(BaseModel):
    share_id: int
    label: str | None
    at: datetime
    what: str
    user_agent: str | None


class Credentials(Input):
    username: str = Field(min_length=1, max_length=80)
    password: str = Field(min_length=1, max_length=1000)


class AccountCreate(Credentials):
    timezone: str | None = Field(default=None, description="IANA zone for the new profile")


class PasswordChange(Input):
    current_password: str = Field(min_length=1, max_length=1000)
    password: str = Field(min_length=1, max_length=1000, description="the new password")


class AccountDeletion(Input):
    current_password: str = Field(
        min_length=1, max_length=1000, description="confirms the deletion; it cannot be undone"
    )


class SessionPublic(BaseModel):
    username: str
    csrf_token: str | None = Field(
        default=None, description="send as the x-csrf-token header on writes that are not JSON"
    )


class ImportPublic(BaseModel):
    added: int
    skipped: int
    products_added: int
    profile_set: bool
    dry_run: bool


class ImportJobPublic(BaseModel):
    """A background import's status: ``queued``, ``running``, ``done`` or ``error``."""

    id: str
    filename: str
    dry_run: bool
    state: str
    done: int = Field(description="units read so far (records or bytes)")
    total: int = Field(description="units in all; 0 while unknown")
    summary: dict[str, Any] | None = Field(
        None, description="added, skipped, by_kind, notes (when done)"
    )
    error: dict[str, Any] | None = Field(None, description="field and message (on error)")


class SharedJournalPublic(BaseModel):
    label: str | None
    first_day: date
    last_day: date
    expires_at: datetime
    counts: dict[str, int]
    summary: dict[str, Any]
    alerts: list[AlertPublic]
    charts: list[dict[str, Any]]


class ErrorPublic(BaseModel):
    """What went wrong, as ``web.errors.error_body`` words it for every error answer."""

    status: int
    code: str = Field(description="e.g. invalid_input, not_found, forbidden")
    field: str | None = Field(description="the field, flag or header at fault, if one is")
    value: str | int | float | bool | None = Field(
        description="the value given (never a password or token)"
    )
    message: str = Field(description="one sentence: the field, the value and what is allowed")


class ErrorAnswer(BaseModel):
    """The one body of every error answer of the API."""

    error: ErrorPublic
