"""The JSON API under ``/api/v1``: the journal, Today, alerts, insights, sharing, accounts.

Every route that touches a journal takes ``CurrentPerson`` and works through
``AppState.journal(person)``, which scopes every query to that person.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request, Response
from fastapi.responses import JSONResponse

from speciosa.interop import native_json
from speciosa.journal import clock
from speciosa.journal.models import Product, Profile
from speciosa.store import sharing as shares_store
from speciosa.web import auth, reports, services
from speciosa.web import sharing as share_service
from speciosa.web.context import CurrentPerson, Person, State
from speciosa.web.schemas import (
    AccessPublic,
    AccountCreate,
    AlertPublic,
    Credentials,
    EntriesPublic,
    EntryCreate,
    EntryPublic,
    EntryUpdate,
    ImportJobPublic,
    ImportPublic,
    LimitPublic,
    ProductsPublic,
    SessionPublic,
    ShareCreate,
    SharedJournalPublic,
    SharePublic,
    TodayPublic,
)
from speciosa.web.summary import insights

router = APIRouter(prefix="/api/v1")

# --------------------------------------------------------------------------- profile


@router.get("/profile", response_model=Profile, tags=["profile"])
def get_profile(state: State, person: CurrentPerson) -> Profile:
    with state.journal(person) as journal:
        return journal.profile


@router.put("/profile", response_model=Profile, tags=["profile"])
def put_profile(state: State, person: CurrentPerson, profile: Profile) -> Profile:
    with state.journal(person) as journal:
        journal.store.save_profile(profile, now=journal.now)
        return profile


# --------------------------------------------------------------------------- products


@router.get("/products", response_model=ProductsPublic, tags=["products"])
def list_products(state: State, person: CurrentPerson) -> ProductsPublic:
    with state.journal(person) as journal:
        found = journal.store.products()
    return ProductsPublic(data=[p.model_dump(mode="json") for p in found], count=len(found))


@router.post("/products", response_model=Product, status_code=201, tags=["products"])
def add_product(state: State, person: CurrentPerson, product: Product) -> Product:
    with state.journal(person) as journal:
        return journal.store.add_product(product, now=journal.now)


@router.get("/products/{name}", response_model=Product, tags=["products"])
def get_product(state: State, person: CurrentPerson, name: str) -> Product:
    with state.journal(person) as journal:
        return journal.store.product(name)


@router.put("/products/{name}", response_model=Product, tags=["products"])
def put_product(state: State, person: CurrentPerson, name: str, product: Product) -> Product:
    with state.journal(person) as journal:
        return journal.store.update_product(name, product, now=journal.now)


# --------------------------------------------------------------------------- entries


@router.get("/entries", response_model=EntriesPublic, tags=["entries"])
def list_entries(
    state: State,
    person: CurrentPerson,
    kind: Annotated[list[str] | None, Query(description="repeat for several kinds")] = None,
    since: Annotated[str | None, Query(description="e.g. 'yesterday 00:00' or ISO")] = None,
    until: Annotated[str | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=10000, description="newest N")] = 200,
) -> EntriesPublic:
    with state.journal(person) as journal:
        zone_name = journal.profile.timezone
        start = _when(since, "since", journal.now, zone_name)
        end = _when(until, "until", journal.now, zone_name)
        found = journal.store.entries(
            kinds=[k.replace("-", "_") for k in kind] if kind else None, since=start, until=end
        )[-limit:]
    return EntriesPublic(data=[EntryPublic.of(s) for s in found], count=len(found))


def _when(text: str | None, field: str, now: Any, zone_name: str) -> Any:
    return (
        None if text is None else clock.parse_when(text, now=now, zone_name=zone_name, field=field)
    )


@router.post("/entries", response_model=EntryPublic, status_code=201, tags=["entries"])
def add_entry(state: State, person: CurrentPerson, body: EntryCreate) -> EntryPublic:
    with state.journal(person) as journal:
        entry = services.build_entry(body.data(), profile=journal.profile, now=journal.now)
        return EntryPublic.of(journal.store.add_entry(entry, now=journal.now))


@router.post("/entries/undo", response_model=EntryPublic, tags=["entries"])
def undo_delete(state: State, person: CurrentPerson) -> EntryPublic:
    """Bring back the most recently deleted entry."""
    with state.journal(person) as journal:
        return EntryPublic.of(journal.store.undo_delete())


@router.get("/entries/{entry_id}", response_model=EntryPublic, tags=["entries"])
def get_entry(state: State, person: CurrentPerson, entry_id: int) -> EntryPublic:
    with state.journal(person) as journal:
        return EntryPublic.of(journal.store.entry(entry_id))


@router.patch("/entries/{entry_id}", response_model=EntryPublic, tags=["entries"])
def edit_entry(
    state: State, person: CurrentPerson, entry_id: int, body: EntryUpdate
) -> EntryPublic:
    with state.journal(person) as journal:
        stored = journal.store.entry(entry_id)
        data = services.merged(stored, body.data())
        entry = services.build_entry(data, profile=journal.profile, now=journal.now)
        return EntryPublic.of(journal.store.update_entry(entry_id, entry, now=journal.now))


@router.delete("/entries/{entry_id}", response_model=EntryPublic, tags=["entries"])
def delete_entry(state: State, person: CurrentPerson, entry_id: int) -> EntryPublic:
    """Soft delete: ``POST /entries/undo`` brings it back."""
    with state.journal(person) as journal:
        return EntryPublic.of(journal.store.delete_entry(entry_id, now=journal.now))


# --------------------------------------------------------------------------- today, alerts


@router.get("/today", response_model=TodayPublic, tags=["today"])
def today(state: State, person: CurrentPerson) -> TodayPublic:
    with state.journal(person) as journal:
        view = services.today(
            journal.store, profile=journal.profile, now=journal.now, cache=state.alerts
        )
    summary = view.summary
    return TodayPublic(
        day=summary.day,
        minutes_since_last_dose=summary.minutes_since_last_dose,
        last_dose=None if summary.last_dose is None else summary.last_dose.model_dump(mode="json"),
        grams=_limit(summary.grams),
        doses=_limit(summary.doses),
        use_days_this_week=_limit(summary.use_days_this_week),
        alerts=[AlertPublic.of(a) for a in view.alerts],
    )


def _limit(use: Any) -> LimitPublic:
    return LimitPublic(used=use.used, limit=use.limit, reached=use.reached)


@router.get("/alerts", response_model=list[AlertPublic], tags=["today"])
def alerts(state: State, person: CurrentPerson) -> list[AlertPublic]:
    with state.journal(person) as journal:
        found = services.open_alerts(
            journal.store, profile=journal.profile, now=journal.now, cache=state.alerts
        )
    return [AlertPublic.of(a) for a in found]


@router.get("/insights", tags=["insights"])
def get_insights(
    state: State,
    person: CurrentPerson,
    days: Annotated[int, Query(ge=7, le=3660, description="days the charts cover")] = 90,
) -> dict[str, Any]:
    """The n-of-1 answers with their intervals, and the chart data for recent days."""
    with state.journal(person) as journal:
        entries = journal.store.entries()
        profile = journal.profile
    report, charts = insights(entries, profile, last_days=days)
    return {"report": report.to_dict(), "charts": [c.to_dict() for c in charts]}


# --------------------------------------------------------------------------- data


@router.get("/export", tags=["data"])
def export(state: State, person: CurrentPerson) -> Response:
    """The whole journal in Speciosa's lossless JSON format."""
    with state.journal(person) as journal:
        text = native_json.export_journal(journal.store)
    return Response(
        text,
        media_type="application/json",
        headers={"Content-Disposition": 'attachment; filename="speciosa-journal.json"'},
    )


@router.get(
    "/report.pdf",
    tags=["data"],
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}, "description": "the report (PDF)"}},
)
def report_pdf(
    state: State,
    person: CurrentPerson,
    from_: Annotated[
        str | None, Query(alias="from", description="first day, YYYY-MM-DD (default: 90 days)")
    ] = None,
    to: Annotated[str | None, Query(description="last day, YYYY-MM-DD (default: today)")] = None,
) -> Response:
    """The clinician report (2–4 pages) for the signed-in person's journal."""
    with state.journal(person) as journal:
        return reports.pdf_response(journal, first=from_, last=to)


@router.get("/imports/{job_id}", response_model=ImportJobPublic, tags=["data"])
def import_status(state: State, person: CurrentPerson, job_id: str) -> ImportJobPublic:
    """A file import started on the Settings page (the page polls this for its progress)."""
    return ImportJobPublic(**state.imports.get(person.owner_id, job_id).public())


@router.post("/import", response_model=ImportPublic, tags=["data"])
def import_(
    state: State,
    person: CurrentPerson,
    document: Annotated[dict[str, Any], Body(description="a Speciosa JSON export")],
    dry_run: bool = False,
) -> ImportPublic:
    with state.journal(person) as journal:
        summary = native_json.import_journal(
            journal.store, json.dumps(document), now=journal.now, dry_run=dry_run
        )
    return ImportPublic(
        added=summary.added,
        skipped=summary.skipped,
        products_added=summary.products_added,
        profile_set=summary.profile_set,
        dry_run=dry_run,
    )


# --------------------------------------------------------------------------- sharing


@router.get("/shares", response_model=list[SharePublic], tags=["sharing"])
def list_shares(state: State, person: CurrentPerson) -> list[SharePublic]:
    with state.journal(person) as journal:
        found = shares_store.shares(session=journal.session, owner_id=person.owner_id)
        return [share_service.public(s, now=journal.now) for s in found]


@router.post("/shares", response_model=SharePublic, status_code=201, tags=["sharing"])
def create_share(
    state: State, person: CurrentPerson, request: Request, body: ShareCreate
) -> SharePublic:
    """A read-only link for a date range; the answer holds its URL, shown only once."""
    with state.journal(person) as journal:
        created, token = share_service.create(
            state,
            journal,
            person,
            first_day=body.first_day,
            last_day=body.last_day,
            expires_in_days=body.expires_in_days,
            label=body.label,
        )
        public = share_service.public(created, now=journal.now)
    return public.model_copy(update={"url": share_service.url(request, token)})


@router.get("/shares/{share_id}", response_model=SharePublic, tags=["sharing"])
def get_share(state: State, person: CurrentPerson, share_id: int) -> SharePublic:
    with state.journal(person) as journal:
        found = shares_store.share(
            session=journal.session, owner_id=person.owner_id, share_id=share_id
        )
        return share_service.public(found, now=journal.now)


@router.delete("/shares/{share_id}", response_model=SharePublic, tags=["sharing"])
def revoke_share(state: State, person: CurrentPerson, share_id: int) -> SharePublic:
    """Revoke a link: it stops working at once."""
    with state.journal(person) as journal:
        found = shares_store.revoke(
            session=journal.session, owner_id=person.owner_id, share_id=share_id, now=journal.now
        )
        return share_service.public(found, now=journal.now)


@router.get("/share-accesses", response_model=list[AccessPublic], tags=["sharing"])
def share_accesses(state: State, person: CurrentPerson) -> list[AccessPublic]:
    """Every opening of your share links (the audit log), newest first."""
    with state.journal(person) as journal:
        found = shares_store.accesses(session=journal.session, owner_id=person.owner_id)
    return [AccessPublic(**vars(a)) for a in found]


@router.get("/shared/{token}", response_model=SharedJournalPublic, tags=["sharing"])
def shared_journal(state: State, request: Request, token: str) -> SharedJournalPublic:
    """What a share link shows (no sign-in: the token is the key). Each opening is logged."""
    view = share_service.open_shared(state, token, request=request, what="api")
    return SharedJournalPublic(
        label=view.share.label,
        first_day=view.share.first_day,
        last_day=view.share.last_day,
        expires_at=view.share.expires_at,
        counts=view.summary.counts,
        summary=view.summary.numbers(),
        alerts=[AlertPublic.of(a) for a in view.summary.alerts],
        charts=[c.to_dict() for c in view.summary.charts],
    )


# --------------------------------------------------------------------------- accounts


@router.get("/session", response_model=SessionPublic, tags=["accounts"])
def who_am_i(person: CurrentPerson) -> SessionPublic:
    return SessionPublic(username=person.username)


@router.post("/session", response_model=SessionPublic, tags=["accounts"])
def sign_in(state: State, request: Request, body: Credentials) -> JSONResponse:
    person = auth.sign_in(state, request, body.username, body.password)
    return _signed_in(state, person)


@router.delete("/session", status_code=204, tags=["accounts"])
def sign_out(state: State, request: Request, person: CurrentPerson) -> Response:
    response = Response(status_code=204)
    auth.sign_out(state, request, response)
    return response


@router.post("/accounts", response_model=SessionPublic, status_code=201, tags=["accounts"])
def sign_up(state: State, body: AccountCreate) -> JSONResponse:
    person = auth.sign_up(state, body.username, body.password, body.timezone)
    return _signed_in(state, person, status=201)


def _signed_in(state: State, person: Person, status: int = 200) -> JSONResponse:
    response = JSONResponse({"username": person.username}, status)
    auth.set_session_cookie(state, response, person.session_token or "")
    return response
