"""Pages without a journal of one's own: sign-in and sign-up, the read-only share view,
and the progressive-web-app files that must live at the site's root."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, RedirectResponse, Response

from speciosa.app import sharing
from speciosa.app.sharing import LinkClosed
from speciosa.errors import NotFound, SignInFailed, SpeciosaError
from speciosa.instruments.bowel import BRISTOL_TYPES
from speciosa.knowledge import load_knowledge
from speciosa.report import build_report
from speciosa.web import auth
from speciosa.web import sharing as share_links
from speciosa.web.charts import chart_svg, table_rows
from speciosa.web.context import OptionalPerson, State, state_of
from speciosa.web.errors import Refused, status_of
from speciosa.web.rendering import CheckedForm, problem, render
from speciosa.web.templating import WEB_DIR

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    # Only paths on this site: "//evil.example" or "https://..." would be an open redirect.
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


@router.get("/login", name="login_page")
def login_page(request: Request, state: State, person: OptionalPerson, next: str = "/") -> Response:
    if not state.settings.multi_user or person is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return _login(request, next=next)


def _login(
    request: Request, *, next: str, error: dict[str, str] | None = None, status: int = 200
) -> Response:
    return render(
        request,
        "login.html",
        {
            "title": "Sign in",
            "next": _safe_next(next),
            "error": error,
            "signup": state_of(request).settings.allow_signup,
        },
        status=status,
    )


@router.post("/login")
def login(request: Request, state: State, form: CheckedForm) -> Response:
    target = _safe_next(str(form.get("next") or "/"))
    try:
        person = auth.sign_in(
            state, request, str(form.get("username", "")), str(form.get("password", ""))
        )
    except SignInFailed as exc:
        return _login(request, next=target, error=problem(exc), status=401)
    except Refused as exc:
        return _login(request, next=target, error=problem(exc), status=exc.status)
    response = RedirectResponse(target, status_code=303)
    auth.set_session_cookie(state, response, person.session_token or "")
    return response


@router.get("/signup", name="signup_page")
def signup_page(request: Request, state: State) -> Response:
    auth.require_signup_open(state)
    return render(request, "signup.html", {"title": "Create an account", "error": None})


@router.post("/signup")
def signup(request: Request, state: State, form: CheckedForm) -> Response:
    try:
        person = auth.sign_up(
            state,
            request,
            str(form.get("username", "")),
            str(form.get("password", "")),
            str(form.get("timezone") or "") or None,
        )
    except (SpeciosaError, Refused) as exc:
        status = exc.status if isinstance(exc, Refused) else status_of(exc)
        return render(
            request,
            "signup.html",
            {"title": "Create an account", "error": problem(exc), "username": form.get("username")},
            status=status,
        )
    response = RedirectResponse("/settings", status_code=303)
    auth.set_session_cookie(state, response, person.session_token or "")
    return response


@router.post("/logout")
def logout(request: Request, state: State, form: CheckedForm) -> Response:
    response = RedirectResponse("/login", status_code=303)
    auth.sign_out(state, request, response)
    return response


@router.get("/s/{token}", name="shared_page")
def shared_page(request: Request, state: State, token: str) -> Response:
    """What a clinician opens: the PDF's sections for the shared days, and the PDF."""
    try:
        view = _open(request, state, token, "page")
    except (LinkClosed, NotFound) as exc:
        return _closed(request, exc)
    charts = [(c, chart_svg(c), table_rows(c)) for c in view.summary.charts]
    return render(
        request,
        "shared.html",
        {
            "title": "Shared journal (read-only)",
            "share": view.share,
            "summary": view.summary,
            "view": share_links.clinician_view(view.report),
            "comparison": share_links.comparison_words,
            "charts": charts,
            "zone": view.zone,
            "token": token,
            "sources": load_knowledge().sources,
            "shared_view": True,
        },
    )


@router.get("/s/{token}/report.pdf", name="shared_report")
def shared_report(request: Request, state: State, token: str) -> Response:
    """The same days as the link, as the clinician report (PDF)."""
    try:
        view = _open(request, state, token, "pdf")
    except (LinkClosed, NotFound) as exc:
        return _closed(request, exc)
    start, end = view.report.period_start, view.report.period_end
    name = f"speciosa-report-{start.isoformat()}-to-{end.isoformat()}.pdf"
    return Response(
        build_report(**view.report.as_kwargs()),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _open(request: Request, state: State, token: str, what: str) -> sharing.SharedView:
    return sharing.open_shared(
        state.speciosa,
        token,
        what=what,
        user_agent=request.headers.get("user-agent"),
        client=share_links.coarse_address(request),
    )


def _closed(request: Request, exc: LinkClosed | NotFound) -> Response:
    # The clinician has no journal here: a plain page, no error code, no way "back to Today".
    closed = exc.state if isinstance(exc, LinkClosed) else "unknown"
    return render(
        request,
        "shared.html",
        {"title": "This link no longer works", "closed": closed, "shared_view": True},
        status=410 if isinstance(exc, LinkClosed) else 404,
    )


# --------------------------------------------------------------------------- PWA


@router.get("/manifest.webmanifest")
def manifest() -> Response:
    return FileResponse(
        WEB_DIR / "static" / "manifest.json", media_type="application/manifest+json"
    )


@router.get("/sw.js")
def service_worker() -> Response:
    # Served from the root so that it may control every page of the site.
    return FileResponse(WEB_DIR / "static" / "sw.js", media_type="text/javascript")


# The 0-10 scores Today's offline shell can log, as (kind, label).
OFFLINE_SCORES = (("pain", "Pain"), ("fatigue", "Fatigue"), ("soreness", "Soreness"))


@router.get("/offline", name="offline_page")
def offline(request: Request) -> Response:
    # The service worker fetches this page without cookies, so the copy it keeps is the
    # same for everyone and holds no health data; app.js fills it from this device.
    context = {
        "title": "Today (offline)",
        "score_kinds": OFFLINE_SCORES,
        "bristol_types": sorted(BRISTOL_TYPES.items()),
    }
    return render(request, "offline.html", context)
