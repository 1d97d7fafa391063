"""Importing a file from the Settings page: the upload is streamed to a temporary file,
imported by a background worker (see :mod:`speciosa.web.imports`) with
:func:`speciosa.app.data.import_any`, and followed on a status page whose ``<progress>``
polls ``GET /api/v1/imports/{job_id}``."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from speciosa.app import data
from speciosa.app.import_jobs import ImportJob, Progress
from speciosa.errors import InvalidInput, SpeciosaError
from speciosa.web import imports
from speciosa.web.context import CurrentPerson, Person, State
from speciosa.web.errors import status_of
from speciosa.web.rendering import CheckedForm, problem, render
from speciosa.web.settings_pages import settings_view

router = APIRouter(include_in_schema=False)

CHUNK_BYTES = 1024 * 1024  # the upload is copied in pieces, never held whole in memory


@router.post("/settings/import")
async def start_import(
    request: Request, state: State, person: CurrentPerson, form: CheckedForm
) -> Response:
    upload = form.get("file")
    try:
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise InvalidInput(
                "file", None, "choose a file to import (a Speciosa, app or wearable export)"
            )
        folder = await run_in_threadpool(imports.upload_folder)
        path = folder / imports.safe_name(upload.filename)
        try:
            await _save(upload, path)
        except BaseException:
            imports.remove_folder(folder)
            raise
        finally:
            await form.close()
        dry_run = "dry_run" in form
        job = await run_in_threadpool(start_job, state, person, path, upload.filename, dry_run)
    except SpeciosaError as exc:  # bad file (422), or imports already running (503)
        return await run_in_threadpool(
            partial(settings_view, error=problem(exc), status=status_of(exc)),
            request,
            state,
            person,
        )
    return RedirectResponse(f"/settings/import/{job.id}", status_code=303)


async def _save(upload: UploadFile, path: Path) -> None:
    handle = await run_in_threadpool(path.open, "wb")
    try:
        while chunk := await upload.read(CHUNK_BYTES):
            await run_in_threadpool(handle.write, chunk)
    finally:
        await run_in_threadpool(handle.close)


def start_job(state: State, person: Person, path: Path, filename: str, dry_run: bool) -> ImportJob:
    """Import ``path`` in a worker thread, in one transaction of its own (ImportsBusy when
    the person or the server already runs its share of imports; the file is removed)."""

    def work(progress: Progress) -> dict[str, Any]:
        with state.journal(person) as journal:
            return data.import_any(journal, path, dry_run=dry_run, progress=progress).to_dict()

    return state.imports.start(
        person.owner_id,
        filename,
        dry_run=dry_run,
        work=work,
        cleanup=lambda: imports.remove_folder(path.parent),
        aliases={str(path): filename},
    )


@router.get("/settings/import/{job_id}", name="import_page")
def import_page(request: Request, state: State, person: CurrentPerson, job_id: str) -> Response:
    job = state.imports.get(person.owner_id, job_id)  # NotFound (404) for another's job
    return render(
        request,
        "import.html",
        {"title": f"Importing {job.filename}", "job": job},
        person=person,
    )
