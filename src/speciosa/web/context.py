"""What every request shares: the app state, the signed-in person, one unit of work.

Dependencies are named for what they give (``State``, ``CurrentPerson``); every journal
read or write goes through :meth:`AppState.journal`, the application's unit of work on
that person's journal (:meth:`speciosa.app.Speciosa.journal`), which scopes every query
to them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.templating import Jinja2Templates

from speciosa.app import Journal, Speciosa, accounts
from speciosa.app.import_jobs import ImportJobs
from speciosa.app.sign_in_limits import SignInLimits
from speciosa.web import security
from speciosa.web.settings import WebSettings

SESSION_COOKIE = "speciosa_session"
SECURE_SESSION_COOKIE = "__Host-speciosa_session"  # the prefix forbids Domain and needs HTTPS
BROWSER_COOKIE = "speciosa_browser"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


@dataclass(frozen=True)
class Person:
    """Whose journal this request reads and writes."""

    owner_id: int
    username: str
    session_token: str | None = None


@dataclass
class AppState:
    settings: WebSettings
    speciosa: Speciosa
    templates: Jinja2Templates
    limiter: SignInLimits
    imports: ImportJobs
    local_owner: Person | None = None

    @property
    def clock(self) -> Callable[[], datetime]:
        return self.speciosa.clock

    @property
    def session_cookie(self) -> str:
        return SECURE_SESSION_COOKIE if self.settings.cookies_secure else SESSION_COOKIE

    @contextmanager
    def journal(self, person: Person) -> Iterator[Journal]:
        """One transaction on ``person``'s journal: all of it lands, or none of it."""
        with self.speciosa.journal(person.owner_id) as journal:
            yield journal


def state_of(request: Request) -> AppState:
    state = request.app.state.speciosa
    if not isinstance(state, AppState):  # set by create_app; a bare FastAPI app lacks it
        raise RuntimeError("the Speciosa app state is missing; build the app with create_app")
    return state


class SignedOut(Exception):
    """No one is signed in; the API answers 403, pages send the visitor to sign in."""


def signed_in(request: Request) -> Person | None:
    """The person this request is for: the local owner, or the session cookie's account."""
    state = state_of(request)
    if state.local_owner is not None:
        return state.local_owner
    token = request.cookies.get(state.session_cookie)
    if not token:
        return None
    found = accounts.person_for(state.speciosa, token, idle_minutes=state.settings.idle_minutes)
    return None if found is None else Person(found.owner_id, found.username, token)


# The dependencies are async so that FastAPI does not send each one to a worker thread
# (a hop per dependency per request); the session lookup itself runs in a thread.


async def current_state(request: Request) -> AppState:
    return state_of(request)


async def optional_person(request: Request) -> Person | None:
    if state_of(request).local_owner is not None:
        return state_of(request).local_owner
    return await run_in_threadpool(signed_in, request)


async def require_person(request: Request) -> Person:
    person = await optional_person(request)
    if person is None:
        raise SignedOut()
    return person


State = Annotated[AppState, Depends(current_state)]
CurrentPerson = Annotated[Person, Depends(require_person)]
OptionalPerson = Annotated[Person | None, Depends(optional_person)]


def browser_id(request: Request) -> str | None:
    return request.cookies.get(BROWSER_COOKIE)


def csrf_for(request: Request) -> str:
    """The token that this browser's forms must send back (set up by the middleware)."""
    state = state_of(request)
    browser = request.scope.get("speciosa.browser") or browser_id(request) or ""
    session = request.cookies.get(state.session_cookie)
    return security.csrf_token(state.settings.signing_key(), browser, session)
