"""The account page (multi-user mode): change password, sign out everywhere, delete the
account after offering the export. The accounts themselves are :mod:`speciosa.app.accounts`'s.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from speciosa.app import accounts
from speciosa.errors import SpeciosaError
from speciosa.web import auth
from speciosa.web.context import CurrentPerson, Person, State, state_of
from speciosa.web.errors import status_of
from speciosa.web.rendering import CheckedForm, problem, render

router = APIRouter(include_in_schema=False)


@router.get("/account", name="account_page")
def account_page(request: Request, state: State, person: CurrentPerson, done: str = "") -> Response:
    auth.require_multi_user(state)
    return _account(request, person, done=done)


def _account(
    request: Request,
    person: Person,
    *,
    done: str = "",
    form: str | None = None,
    error: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    return render(
        request,
        "account.html",
        {
            "title": "Account",
            "done": done,
            "failed_form": form,
            "error": error,
            "idle_minutes": state_of(request).settings.idle_minutes,
        },
        person=person,
        status=status,
    )


@router.post("/account/password")
def change_password(
    request: Request, state: State, person: CurrentPerson, form: CheckedForm
) -> Response:
    """A new password; every other browser signed in as this person is signed out."""
    auth.require_multi_user(state)
    try:
        accounts.change_password(
            state.speciosa,
            person.owner_id,
            str(form.get("current_password", "")),
            str(form.get("password", "")),
            keep_token=person.session_token or "",
        )
    except SpeciosaError as exc:
        return _account(request, person, form="password", error=problem(exc), status=status_of(exc))
    return RedirectResponse("/account?done=password", status_code=303)


@router.post("/account/sign-out-everywhere")
def sign_out_everywhere(
    request: Request, state: State, person: CurrentPerson, form: CheckedForm
) -> Response:
    auth.require_multi_user(state)
    accounts.sign_out_everywhere(state.speciosa, person.owner_id)
    response = RedirectResponse("/login", status_code=303)
    auth.sign_out(state, request, response)
    return response


@router.post("/account/delete")
def delete_account(
    request: Request, state: State, person: CurrentPerson, form: CheckedForm
) -> Response:
    """Remove the person and everything they own, once their password is right."""
    auth.require_multi_user(state)
    try:
        accounts.delete_account(
            state.speciosa, person.owner_id, str(form.get("current_password", ""))
        )
    except SpeciosaError as exc:
        return _account(request, person, form="delete", error=problem(exc), status=status_of(exc))
    response = RedirectResponse("/login", status_code=303)
    auth.sign_out(state, request, response)
    return response
