"""Importing every format the CLI reads from the Settings page: the upload becomes a
background job whose status the page polls; a second upload adds nothing; a bad file
ends in an error that names the field, with nothing written; jobs are per person."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest

from speciosa.store.device_store import DeviceStore
from tests.factories import RED
from tests.web.conftest import Browser, Multi, csrf_of, upload, wait_for_import

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _apple_zip() -> bytes:
    """An Apple Health export as the phone shares it: export.xml inside a folder."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        xml = (FIXTURES / "wearables" / "apple" / "export_small.xml").read_bytes()
        archive.writestr("apple_health_export/export.xml", xml)
    return buffer.getvalue()


# (file, kind of summary, format the importer chose)
CASES = [
    ("importers/doses.csv", "journal", "csv"),  # generic CSV of doses
    ("importers/ratings.csv", "journal", "csv"),  # generic CSV of ratings
    ("importers/pw-android.json", "journal", "psychonautwiki"),
    ("importers/pw-ios.json", "journal", "psychonautwiki"),
    ("importers/pw-ios-legacy-dates.json", "journal", "psychonautwiki"),
    ("importers/kratomtracker-backup.json", "journal", "kratomtracker"),  # Herbal Tracker+
    ("importers/kratomtracker-export.csv", "journal", "kratomtracker"),
    ("wearables/apple/export_small.xml", "wearable", "apple-health"),
    ("wearables/apple/export_ios16_broken_dtd.xml", "wearable", "apple-health"),
    ("apple-health.zip", "wearable", "apple-health"),  # built by _apple_zip
    ("wearables/fitbit/sleep-2024-03-09.json", "wearable", "fitbit"),
    ("wearables/fitbit/sleep_score.csv", "wearable", "fitbit"),
    ("wearables/oura/oura_api_v2.json", "wearable", "oura"),
    ("wearables/oura/oura_trends_reordered.csv", "wearable", "oura"),
    ("wearables/garmin/dailySleepData.json", "wearable", "garmin"),
]


def _content(name: str) -> bytes:
    return _apple_zip() if name == "apple-health.zip" else (FIXTURES / name).read_bytes()


def _rows(client: Browser, app: Any) -> tuple[int, int]:
    """(journal entries, device samples) of the local journal."""
    state = app.state.speciosa
    entries = client.get("/api/v1/entries", params={"limit": 10000}).json()["count"]
    with state.speciosa.database.transaction() as session:
        samples = sum(DeviceStore(session, state.local_owner.owner_id).counts().values())
    return entries, samples


@pytest.fixture
def journal(local_client: Browser) -> Browser:
    local_client.put("/api/v1/profile", json={"timezone": "Europe/London"})
    local_client.post("/api/v1/products", json=RED.model_dump(mode="json"))  # doses.csv's
    return local_client


@pytest.mark.parametrize(("name", "kind", "fmt"), CASES)
def test_every_format_imports_through_the_page_once(
    journal: Browser, local_app: Any, name: str, kind: str, fmt: str
) -> None:
    content = _content(name)
    shown = Path(name).name
    preview = wait_for_import(journal, upload(journal, shown, content, dry_run=True))
    assert preview["state"] == "done", preview["error"]
    assert _rows(journal, local_app) == (0, 0)  # preview only: nothing written
    job = wait_for_import(journal, upload(journal, shown, content))
    assert job["state"] == "done", job["error"]
    summary = job["summary"]
    assert (summary["kind"], summary["format"]) == (kind, fmt)
    assert summary["added"] > 0
    assert summary["added"] == preview["summary"]["added"]
    assert sum(summary["by_kind"].values()) in (0, summary["added"])
    assert job["done"] == job["total"] > 0
    rows = _rows(journal, local_app)
    assert rows[1 if kind == "wearable" else 0] >= summary["added"]
    # the status page shows the summary with its progress element full
    page = journal.get(f"/settings/import/{job['id']}").text
    assert "<progress" in page
    assert f"Added {summary['added']} " in page
    # the same file again adds nothing
    again = wait_for_import(journal, upload(journal, shown, content))
    assert again["state"] == "done"
    assert again["summary"]["added"] == 0
    assert again["summary"]["skipped"] > 0
    assert _rows(journal, local_app) == rows


def test_a_native_json_export_round_trips(journal: Browser) -> None:
    journal.post("/api/v1/entries", json={"kind": "pain", "score": 4})
    exported = journal.get("/api/v1/export").content
    job = wait_for_import(journal, upload(journal, "journal.json", exported))
    assert job["state"] == "done"
    assert (job["summary"]["format"], job["summary"]["added"]) == ("json", 0)
    assert job["summary"]["skipped"] == 1


BAD_CSV = b"time,amount,unit,product\n2025-01-02T08:00,3,g,\n2025-01-03T08:00,3,g,\nsoon,2,g,\n"


@pytest.mark.parametrize(
    ("name", "content", "field", "words"),
    [
        # the third data row is broken: the first two must not be written either
        ("doses.csv", BAD_CSV, "row 4.time", "soon"),
        ("journal.json", b'{"format": "speciosa-journal", "entries": [', "file", "not valid JSON"),
        ("notes.txt", b"hello\n", "file", "does not know"),
    ],
)
def test_a_bad_file_ends_in_an_error_and_writes_nothing(
    journal: Browser, local_app: Any, name: str, content: bytes, field: str, words: str
) -> None:
    before = _rows(journal, local_app)
    job = wait_for_import(journal, upload(journal, name, content))
    assert job["state"] == "error"
    assert job["error"]["field"].startswith(field.split(".")[0]), job["error"]
    assert words in job["error"]["full"]
    assert "/tmp" not in job["error"]["full"]  # the temporary file's path is not shown
    assert _rows(journal, local_app) == before
    page = journal.get(f"/settings/import/{job['id']}")
    assert 'id="import-error"' in page.text
    assert "nothing was written" in page.text


def test_no_file_is_an_inline_error(journal: Browser) -> None:
    token = csrf_of(journal, "/settings")
    response = journal.post("/settings/import", data={"csrf_token": token})
    assert response.status_code == 422
    assert 'id="file-error"' in response.text


def test_another_person_cannot_read_a_job(multi: Multi) -> None:
    bob = multi.person("bob")
    job_id = upload(bob, "doses.csv", BAD_CSV)
    assert wait_for_import(bob, job_id)["state"] == "error"
    alice = multi.person("alice")
    for url in (f"/api/v1/imports/{job_id}", f"/settings/import/{job_id}"):
        response = alice.get(url)
        assert response.status_code == 404, url
        assert "soon" not in response.text
        assert "doses.csv" not in response.text
    assert multi.client().get(f"/api/v1/imports/{job_id}").status_code == 403
