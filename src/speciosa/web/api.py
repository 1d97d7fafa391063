"""The JSON API under ``/api/v1``: the journal, Today, alerts, insights, sharing, accounts.

Every route parses its input, calls :mod:`speciosa.app` inside one unit of work on the
signed-in person's journal (``state.journal(person)``, which scopes every query to them)
and returns the result in its ``*Public`` shape.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, Path, Query, Request, Response
from fastapi.responses import JSONResponse

from speciosa.app import accounts, data, entries, insights, journal_settings, sharing
from speciosa.app import alerts as safety_alerts
from speciosa.app import today as today_view
from speciosa.journal.clock import parse_day
from speciosa.journal.models import Product, Profile
from speciosa.web import auth, security
from speciosa.web import sharing as share_links
from speciosa.web.context import CurrentPerson, Person, State, csrf_for
from speciosa.web.rendering import pdf_download
from speciosa.web.schemas import (
    AccessPublic,
    AccountCreate,
    AccountDeletion,
    AlertPublic,
    Credentials,
    EntriesPublic,
    EntryCreate,
    EntryPublic,
    EntryUpdate,
    ErrorAnswer,
    ImportJobPublic,
    ImportPublic,
    PasswordChange,
    ProductsPublic,
    SessionPublic,
    ShareCreate,
    SharedJournalPublic,
    SharePublic,
    TodayPublic,
)
from speciosa.web.stoppable import in_daemon_thread


def _error(when: str) -> dict[str, Any]:
    return {"model": ErrorAnswer, "description": when}


# The error answers any operation may give, in the one body (web/errors.py), documented
# once here; an operation adds the ones only it gives (401, 410).
ERRORS: dict[int | str, dict[str, Any]] = {
    400: _error("the body is not valid JSON"),
    403: _error("not signed in, or a write without JSON or a valid x-csrf-token header"),
    404: _error("no such entry, product, share or import job"),
    409: _error("it conflicts with what the journal holds (a name already used)"),
    413: _error("the request body is larger than the server's limit"),
    422: _error("a value is not allowed: the field, the value and what is allowed"),
    429: _error("too many attempts or imports at once; see Retry-After"),
    503: _error("the journal is busy or cannot be opened; see Retry-After"),
}

router = APIRouter(prefix="/api/v1", responses=ERRORS)

# A stored row's id: PostgreSQL's INTEGER, so a larger one is refused here (422), never
# sent to the database (which would fail: a 500).
MAX_ROW_ID = 2**31 - 1
RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID, description="the id the journal gave it")]

# --------------------------------------------------------------------------- profile


@router.get("/profile", response_model=Profile, tags=["profile"])
def get_profile(state: State, person: CurrentPerson) -> Profile:
    with state.journal(person) as journal:
        return journal.profile


@router.put("/profile", response_model=Profile, tags=["profile"])
def put_profile(state: State, person: CurrentPerson, profile: Profile) -> Profile:
    with state.journal(person) as journal:
        return journal_settings.save_profile(journal, profile)


# --------------------------------------------------------------------------- products


@router.get("/products", response_model=ProductsPublic, tags=["products"])
def list_products(state: State, person: CurrentPerson) -> ProductsPublic:
    with state.journal(person) as journal:
        found = journal_settings.products(journal)
    return ProductsPublic(data=[p.model_dump(mode="json") for p in found], count=len(found))


@router.post("/products", response_model=Product, status_code=201, tags=["products"])
def add_product(state: State, person: CurrentPerson, product: Product) -> Product:
    with state.journal(person) as journal:
        return journal_settings.add_product(journal, product)


@router.get("/products/{name}", response_model=Product, tags=["products"])
def get_product(state: State, person: CurrentPerson, name: str) -> Product:
    with state.journal(person) as journal:
        return journal_settings.product(journal, name)


@router.put("/products/{name}", response_model=Product, tags=["products"])
def put_product(state: State, person: CurrentPerson, name: str, product: Product) -> Product:
    with state.journal(person) as journal:
        return journal_settings.update_product(journal, name, product)


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
        found = entries.listed(journal, kinds=kind, since=since, until=until, limit=limit)
    return EntriesPublic(data=[EntryPublic.of(s) for s in found], count=len(found))


@router.post("/entries", response_model=EntryPublic, status_code=201, tags=["entries"])
def add_entry(
    state: State,
    person: CurrentPerson,
    body: EntryCreate,
    key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            description="a client's key for this entry: sent again, it is stored once",
        ),
    ] = None,
) -> EntryPublic:
    with state.journal(person) as journal:
        return EntryPublic.of(entries.log(journal, body.data(), key=key))


# ``{entry_id:int}`` below: so that "undo" is never read as an entry id (a PATCH of
# /entries/undo is a 405, not a 422 about entry_id).
@router.post("/entries/undo", response_model=EntryPublic, tags=["entries"])
def undo_delete(state: State, person: CurrentPerson) -> EntryPublic:
    """Bring back the most recently deleted entry."""
    with state.journal(person) as journal:
        return EntryPublic.of(entries.undo_delete(journal))


@router.get("/entries/{entry_id:int}", response_model=EntryPublic, tags=["entries"])
def get_entry(state: State, person: CurrentPerson, entry_id: RowId) -> EntryPublic:
    with state.journal(person) as journal:
        return EntryPublic.of(entries.get(journal, entry_id))


@router.patch("/entries/{entry_id:int}", response_model=EntryPublic, tags=["entries"])
def edit_entry(
    state: State, person: CurrentPerson, entry_id: RowId, body: EntryUpdate
) -> EntryPublic:
    with state.journal(person) as journal:
        return EntryPublic.of(entries.edit(journal, entry_id, body.data()))


@router.delete("/entries/{entry_id:int}", response_model=EntryPublic, tags=["entries"])
def delete_entry(state: State, person: CurrentPerson, entry_id: RowId) -> EntryPublic:
    """Soft delete: ``POST /entries/undo`` brings it back."""
    with state.journal(person) as journal:
        return EntryPublic.of(entries.delete(journal, entry_id))


# --------------------------------------------------------------------------- today, alerts


@router.get("/today", response_model=TodayPublic, tags=["today"])
def today(state: State, person: CurrentPerson) -> dict[str, Any]:
    """The last dose, today's use against your own limits, the plans' lines and the alerts."""
    with state.journal(person) as journal:
        return today_view.today(journal).to_dict()


@router.get("/alerts", response_model=list[AlertPublic], tags=["today"])
def alerts(state: State, person: CurrentPerson) -> list[dict[str, Any]]:
    """The open safety alerts, most severe first, each citing its sources."""
    with state.journal(person) as journal:
        return [alert.to_dict() for alert in safety_alerts.open_alerts(journal)]


@router.get("/insights", tags=["insights"])
def get_insights(
    state: State,
    person: CurrentPerson,
    days: Annotated[int, Query(ge=7, le=3660, description="days the charts cover")] = 90,
) -> dict[str, Any]:
    """The n-of-1 answers (with wearable nights) and their intervals, and the chart data
    for recent days."""
    with state.journal(person) as journal:
        return insights.insights(journal, last_days=days).to_dict()


# --------------------------------------------------------------------------- data


@router.get("/export", tags=["data"])
def export(state: State, person: CurrentPerson) -> Response:
    """The whole journal in Speciosa's lossless JSON format."""
    with state.journal(person) as journal:
        text = data.export_text(journal, "json")
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
async def report_pdf(
    state: State,
    person: CurrentPerson,
    from_: Annotated[
        str | None, Query(alias="from", description="first day, YYYY-MM-DD (default: 90 days)")
    ] = None,
    to: Annotated[str | None, Query(description="last day, YYYY-MM-DD (default: today)")] = None,
) -> Response:
    """The clinician report (2–4 pages) for the signed-in person's journal, for up to
    a year (366 days; a longer range is refused 422)."""
    first, last = parse_day(from_, "from"), parse_day(to, "to")

    def render() -> Response:
        with state.journal(person) as journal:
            return pdf_download(journal, first=first, last=last)

    return await in_daemon_thread(render)


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
        outcome = data.import_document(journal, document, dry_run=dry_run)
    return ImportPublic(
        added=outcome.added,
        skipped=outcome.skipped,
        products_added=outcome.products_added,
        profile_set=outcome.profile_set,
        dry_run=outcome.dry_run,
    )


# --------------------------------------------------------------------------- sharing


@router.get("/shares", response_model=list[SharePublic], tags=["sharing"])
def list_shares(state: State, person: CurrentPerson) -> list[SharePublic]:
    with state.journal(person) as journal:
        return [SharePublic.of(s, now=journal.now) for s in sharing.shares(journal)]


@router.post("/shares", response_model=SharePublic, status_code=201, tags=["sharing"])
def create_share(
    state: State, person: CurrentPerson, request: Request, body: ShareCreate
) -> SharePublic:
    """A read-only link for a date range; the answer holds its URL, shown only once."""
    with state.journal(person) as journal:
        created, token = sharing.create(
            journal,
            first_day=body.first_day,
            last_day=body.last_day,
            expires_in_days=body.expires_in_days or state.settings.share_days,
            max_days=state.settings.share_max_days,
            label=body.label,
        )
        return SharePublic.of(created, now=journal.now, url=share_links.url(request, token))


@router.get("/shares/{share_id}", response_model=SharePublic, tags=["sharing"])
def get_share(state: State, person: CurrentPerson, share_id: RowId) -> SharePublic:
    with state.journal(person) as journal:
        return SharePublic.of(sharing.get(journal, share_id), now=journal.now)


@router.delete("/shares/{share_id}", response_model=SharePublic, tags=["sharing"])
def revoke_share(state: State, person: CurrentPerson, share_id: RowId) -> SharePublic:
    """Revoke a link: it stops working at once."""
    with state.journal(person) as journal:
        return SharePublic.of(sharing.revoke(journal, share_id), now=journal.now)


@router.get("/share-accesses", response_model=list[AccessPublic], tags=["sharing"])
def share_accesses(state: State, person: CurrentPerson) -> list[AccessPublic]:
    """Every opening of your share links (the audit log), newest first."""
    with state.journal(person) as journal:
        found = sharing.accesses(journal)
    return [AccessPublic(**vars(a)) for a in found]


@router.get(
    "/shared/{token}",
    response_model=SharedJournalPublic,
    tags=["sharing"],
    responses={410: _error("the link has expired or was revoked")},
)
def shared_journal(state: State, request: Request, token: str) -> SharedJournalPublic:
    """What a share link shows (no sign-in: the token is the key). Each opening is logged."""
    view = sharing.open_shared(
        state.speciosa,
        token,
        what="api",
        user_agent=request.headers.get("user-agent"),
        client=share_links.coarse_address(request),
    )
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
def who_am_i(request: Request, person: CurrentPerson) -> SessionPublic:
    """Who is signed in, and the CSRF token for writes that are not JSON (a bare DELETE)."""
    return SessionPublic(username=person.username, csrf_token=csrf_for(request))


@router.post(
    "/session",
    response_model=SessionPublic,
    tags=["accounts"],
    responses={401: _error("the username or password is wrong")},
)
def sign_in(state: State, request: Request, body: Credentials) -> JSONResponse:
    person = auth.sign_in(state, request, body.username, body.password)
    return _signed_in(state, request, person)


@router.delete("/session", status_code=204, tags=["accounts"])
def sign_out(state: State, request: Request, person: CurrentPerson) -> Response:
    response = Response(status_code=204)
    auth.sign_out(state, request, response)
    return response


@router.post("/accounts", response_model=SessionPublic, status_code=201, tags=["accounts"])
def sign_up(state: State, request: Request, body: AccountCreate) -> JSONResponse:
    person = auth.sign_up(state, request, body.username, body.password, body.timezone)
    return _signed_in(state, request, person, status=201)


@router.post("/account/password", status_code=204, tags=["accounts"])
def change_password(state: State, person: CurrentPerson, body: PasswordChange) -> Response:
    """A new password (checked as at sign-up); every other session of this person ends."""
    auth.require_multi_user(state)
    accounts.change_password(
        state.speciosa,
        person.owner_id,
        body.current_password,
        body.password,
        keep_token=person.session_token or "",
    )
    return Response(status_code=204)


@router.post("/account/sign-out-everywhere", status_code=204, tags=["accounts"])
def sign_out_everywhere(state: State, request: Request, person: CurrentPerson) -> Response:
    """End every session of this person, this one included."""
    auth.require_multi_user(state)
    accounts.sign_out_everywhere(state.speciosa, person.owner_id)
    response = Response(status_code=204)
    auth.sign_out(state, request, response)
    return response


@router.post("/account/delete", status_code=204, tags=["accounts"])
def delete_account(
    state: State, request: Request, person: CurrentPerson, body: AccountDeletion
) -> Response:
    """Remove the account and every row it owns, for good (export the journal first:
    ``GET /api/v1/export``)."""
    auth.require_multi_user(state)
    accounts.delete_account(state.speciosa, person.owner_id, body.current_password)
    response = Response(status_code=204)
    auth.sign_out(state, request, response)
    return response


def _signed_in(state: State, request: Request, person: Person, status: int = 200) -> JSONResponse:
    browser = str(request.scope.get("speciosa.browser") or "")
    token = security.csrf_token(state.settings.signing_key(), browser, person.session_token)
    response = JSONResponse({"username": person.username, "csrf_token": token}, status)
    auth.set_session_cookie(state, response, person.session_token or "")
    return response
