"""The Plans page: design a taper (preview, then save) and see it on Today; pause and
resume; invalid designs show the library's message inline; an experiment's schedule;
the urgent-alert pause; and plans are private to their person."""

from __future__ import annotations

import re

import pytest

from tests.web.conftest import Browser, Multi, csrf_of

ZONE = "Europe/London"
CONSULTED = {"clinician_consulted": "on"}


def _log_use(client: Browser, days: int = 10) -> None:
    """Two 3 g doses on each of the last ``days`` days (a 6 g/day baseline)."""
    client.put("/api/v1/profile", json={"timezone": ZONE, "conditions": ["chronic_pain"]})
    for day in range(1, days + 1):
        for hours in (2, 8):
            response = client.post(
                "/api/v1/entries",
                json={"kind": "dose", "amount": "3g", "at": f"{24 * day + hours} h ago"},
            )
            assert response.status_code == 201, response.text


def _post(client: Browser, url: str, **data: str) -> object:
    return client.post(url, data={"csrf_token": csrf_of(client, "/plans"), **data})


@pytest.fixture
def journal(local_client: Browser) -> Browser:
    _log_use(local_client)
    return local_client


def test_design_preview_save_a_taper_and_see_it_on_today(journal: Browser) -> None:
    # The log began with daily use, so how long it has lasted is unknown: a clinician first.
    form = {"target": "amount", "target_grams": "3", "every": "7", "clinician_consulted": "on"}
    preview = _post(journal, "/plans/taper", action="preview", **form)
    assert preview.status_code == 200
    assert "Preview (not saved)" in preview.text
    assert "Taper plan to 3 g a day" in preview.text
    assert "CDC" in preview.text  # the guidance cites its source
    assert 'value="3"' in preview.text  # the form keeps what was typed, ready to save
    assert "No plan is running" in preview.text
    saved = _post(journal, "/plans/taper", action="save", **form)
    assert saved.status_code == 303
    assert saved.headers["location"] == "/plans?saved=1"
    page = journal.get("/plans").text
    assert "Running: Taper plan to 3 g a day" in page
    assert re.search(r"planned 5\.5 g a day\s+\(step 1 of \d+\)", page)
    assert "Version 1, from" in page
    today = journal.get("/").text
    assert 'id="today-plan"' in today
    assert "Taper plan (active): planned today 5.5 g a day" in today
    assert journal.get("/plans/1").status_code == 200


def test_pause_and_resume(journal: Browser) -> None:
    _post(journal, "/plans/taper", action="save", target="amount", target_grams="3", **CONSULTED)
    paused = _post(journal, "/plans/1/pause", reason="a hard week")
    assert paused.status_code == 303
    page = journal.get("/plans").text
    assert "Resume plan" in page
    assert "paused" in page
    assert "a hard week" in page  # the reason is kept in the history
    assert "Taper plan (paused)" in journal.get("/").text
    again = _post(journal, "/plans/1/pause")
    assert again.status_code == 409
    assert "already paused" in again.text
    assert _post(journal, "/plans/1/resume").status_code == 303
    assert "Pause plan" in journal.get("/plans").text
    assert "Taper plan (active)" in journal.get("/").text
    assert _post(journal, "/plans/1/end").status_code == 303
    assert "No plan is running" in journal.get("/plans").text
    assert 'id="today-plan"' not in journal.get("/").text
    versions = journal.get("/plans/1").text
    assert "Saved versions (4)" in versions


@pytest.mark.parametrize(
    ("form", "field", "words"),
    [
        ({"target": "stop"}, "clinician_consulted", "Talk to a clinician"),
        # daily use since the log began: any cut may bring on withdrawal
        ({"target": "amount", "target_grams": "3"}, "clinician_consulted", "any cut"),
        ({"target": "amount", "target_grams": "9"}, "target_grams", "must be below your recent"),
        ({"target": "amount", "target_grams": "lots"}, "target_grams", "must be a number"),
        ({"target": "amount", "target_grams": "3", "percent": "90"}, "percent", "at most"),
        ({"target": "amount", "target_grams": "3", "unit": "caps"}, "product", "needs the product"),
    ],
)
def test_an_invalid_taper_shows_the_message_inline(
    journal: Browser, form: dict[str, str], field: str, words: str
) -> None:
    response = _post(journal, "/plans/taper", action="save", **form)
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.text
    assert words in response.text
    assert "Running:" not in journal.get("/plans").text  # nothing saved


def test_a_taper_needs_logged_use(local_client: Browser) -> None:
    response = _post(local_client, "/plans/taper", action="preview", target="stop")
    assert response.status_code == 422
    assert "log your doses first" in response.text


def test_stop_with_a_clinician_and_an_experiment_after_it(journal: Browser) -> None:
    stop = _post(journal, "/plans/taper", action="save", target="stop", clinician_consulted="on")
    assert stop.status_code == 303
    busy = _post(journal, "/plans/experiment", action="save", compare="bedtime", **CONSULTED)
    assert busy.status_code == 409
    assert "still running" in busy.text
    _post(journal, "/plans/1/end")
    # Bedtime on/off for a daily user: the nights without a dose can bring on withdrawal.
    daily = _post(journal, "/plans/experiment", action="preview", compare="bedtime", seed="41")
    assert daily.status_code == 422
    assert 'id="clinician_consulted-error"' in daily.text
    assert "withdrawal" in daily.text
    preview = _post(
        journal, "/plans/experiment", action="preview", compare="bedtime", seed="41", **CONSULTED
    )
    assert preview.status_code == 200
    assert "bedtime dose as you usually take it" in preview.text
    assert "seed 41" in preview.text
    blocks = re.findall(r"<tr><th scope=\"row\">\d+</th><td>([AB])</td>", preview.text)
    assert len(blocks) == 8
    saved = _post(
        journal, "/plans/experiment", action="save", compare="bedtime", seed="41", **CONSULTED
    )
    assert saved.status_code == 303
    page = journal.get("/plans").text
    assert "Running: Experiment" in page
    # the same seed gives the same schedule
    assert re.findall(r"<tr><th scope=\"row\">\d+</th><td>([AB])</td>", page) == blocks
    assert "Experiment:" in journal.get("/").text
    wrong = _post(journal, "/plans/experiment", action="preview", compare="timing")
    assert wrong.status_code == 422
    assert 'id="minutes_a-error"' in wrong.text


def test_an_urgent_alert_pauses_the_plan_prompts(journal: Browser) -> None:
    _post(journal, "/plans/taper", action="save", target="amount", target_grams="3", **CONSULTED)
    journal.post("/api/v1/entries", json={"kind": "side_effect", "symptom": "jaundice"})
    today = journal.get("/").text
    assert "Plan prompts paused by an urgent safety alert" in today
    assert "plan prompts are paused" in today
    assert "paused by an urgent safety alert" in journal.get("/plans").text


def test_another_person_cannot_see_or_change_a_plan(multi: Multi) -> None:
    bob = multi.person("bob")
    _log_use(bob)
    assert (
        _post(
            bob, "/plans/taper", action="save", target="amount", target_grams="3", **CONSULTED
        ).status_code
        == 303
    )
    alice = multi.person("alice")
    assert "Taper plan to 3 g" not in alice.get("/plans").text
    assert 'id="today-plan"' not in alice.get("/").text
    assert alice.get("/plans/1").status_code == 404
    for action in ("pause", "resume", "end"):
        assert _post(alice, f"/plans/1/{action}").status_code == 404
    assert "Pause plan" in bob.get("/plans").text  # unchanged
    assert multi.client().get("/plans").status_code == 303  # signed out: sign in first
