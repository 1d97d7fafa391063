"""Pages without a journal of one's own: sign-in and sign-up, the read-only share view,
and the progressive-web-app files that must live at the site's root."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, RedirectResponse, Response

from speciosa.app import sharing
from speciosa.errors import SignInFailed, SpeciosaError
from speciosa.knowledge import load_knowledge
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
            str(form.get("username", "")),
            str(form.get("password", "")),
            str(form.get("timezone") or "") or None,
        )
    except SpeciosaError as exc:
        return render(
            request,
            "signup.html",
            {"title": "Create an account", "error": problem(exc), "username": form.get("username")},
            status=status_of(exc),
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
    view = sharing.open_shared(
        state.speciosa,
        token,
        what="page",
        user_agent=request.headers.get("user-agent"),
        client=share_links.coarse_address(request),
    )
    charts = [(c, chart_svg(c), table_rows(c)) for c in view.summary.charts]
    return render(
        request,
        "shared.html",
        {
            "title": "Shared journal (read-only)",
            "share": view.share,
            "summary": view.summary,
            "charts": charts,
            "zone": view.zone,
            "sources": load_knowledge().sources,
            "shared_view": True,
        },
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


@router.get("/offline", name="offline_page")
def offline(request: Request) -> Response:
    return render(request, "offline.html", {"title": "Offline"})
