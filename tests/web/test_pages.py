"""The pages in local mode: Today, the forms with inline errors, History with edit,
delete and undo, and every other page renders."""

from __future__ import annotations

import re

import pytest
from markupsafe import escape

from speciosa.knowledge import load_knowledge
from speciosa.safety import LOOKBACK, NO_ALERTS_NOTE
from speciosa.web import forms
from tests.factories import RED
from tests.web.conftest import Browser, csrf_of, wait_for_import

PAGES = [
    "/",
    "/history",
    "/insights",
    "/safety",
    "/evidence",
    "/products",
    "/settings",
    "/sharing",
    "/plans",
    "/offline",
    *[f"/log/{kind}" for kind in forms.FORMS],
]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders(local_client: Browser, path: str) -> None:
    response = local_client.get(path)
    assert response.status_code == 200, response.text[:300]
    assert "<main" in response.text
    # every input has a label (the axe check in test_browser goes further)
    ids = set(re.findall(r'<input[^>]*\sid="([^"]+)"', response.text))
    labelled = set(re.findall(r'<label for="([^"]+)"', response.text))
    hidden_or_aria = set(re.findall(r'<input[^>]*\sid="([^"]+)"[^>]*aria-label=', response.text))
    assert ids <= labelled | hidden_or_aria, ids - labelled


def test_one_tap_dose_is_counted_with_the_last_product_preselected(local_client: Browser) -> None:
    local_client.post("/api/v1/products", json=RED.model_dump(mode="json"))
    local_client.post(
        "/api/v1/entries",
        json={"kind": "dose", "amount": "2caps", "product": "Red Bali", "at": "3 h ago"},
    )
    today = local_client.get("/").text
    assert '<option value="Red Bali" selected>' in today
    assert 'value="2 caps"' in today
    token = csrf_of(local_client)
    logged = local_client.post(
        "/log/quick-dose", data={"csrf_token": token, "amount": "2 caps", "product": "Red Bali"}
    )
    assert logged.status_code == 303
    page = local_client.get(logged.headers["location"]).text
    assert "Logged dose: 2 caps of Red Bali = 1 g" in page
    assert local_client.get("/api/v1/today").json()["doses"]["used"] == 2


def test_invalid_forms_show_the_message_inline(local_client: Browser) -> None:
    token = csrf_of(local_client)
    response = local_client.post("/log/pain", data={"csrf_token": token, "score": "12"})
    assert response.status_code == 422
    assert 'id="score-error"' in response.text
    assert "Pain must be from 0 to 10" in response.text  # plain words, the field as labelled
    sites = local_client.post(
        "/log/pain", data={"csrf_token": token, "score": "12", "sites": "back"}
    )
    assert 'value="back"' in sites.text  # what the person typed is kept
    quick = local_client.post("/log/quick-dose", data={"csrf_token": token, "amount": "lots"})
    assert quick.status_code == 422
    assert 'id="amount-error"' in quick.text


def test_every_kind_can_be_logged_from_its_form(local_client: Browser) -> None:
    token = csrf_of(local_client)
    examples = {
        "dose": {"amount": "3g"},
        "sleep": {
            "at": "2026-01-10T22:30",
            "minutes_to_fall_asleep": "20",
            "final_awakening": "2026-01-11T06:30",
        },
        "pain": {"score": "5", "sites": "back, neck"},
        "headache": {"peak": "6", "features": ["aura", "nausea"]},
        "fatigue": {"score": "4"},
        "soreness": {"score": "3"},
        "workout": {"activity": "yoga", "minutes": "30"},
        "bowel": {"bristol": "2", "straining": "on", "laxative": "on"},
        "side_effect": {"symptom": "nausea", "severity": "2"},
        "substance": {"name": "coffee"},
        "questionnaire": {"instrument": "peg", "items": "5,4,6"},
    }
    assert set(examples) == set(forms.FORMS)
    for kind, data in examples.items():
        response = local_client.post(f"/log/{kind}", data={"csrf_token": token, **data})
        assert response.status_code == 303, (kind, response.text[:500])
    entries = local_client.get("/api/v1/entries").json()["data"]
    assert {e["kind"] for e in entries} == set(examples)
    bowel = next(e for e in entries if e["kind"] == "bowel")["entry"]
    assert bowel["spontaneous"] is False
    assert bowel["straining"] is True


def test_history_edit_delete_and_undo(local_client: Browser) -> None:
    entry = local_client.post("/api/v1/entries", json={"kind": "pain", "score": 6}).json()
    token = csrf_of(local_client, "/history")
    form = local_client.get(f"/entries/{entry['id']}/edit").text
    assert 'value="6"' in form
    at = re.search(r'name="at" value="([^"]+)"', form)
    assert at
    edited = local_client.post(
        f"/entries/{entry['id']}/edit", data={"csrf_token": token, "score": "2", "at": at.group(1)}
    )
    assert edited.status_code == 303
    assert local_client.get(f"/api/v1/entries/{entry['id']}").json()["entry"]["score"] == 2

    deleted = local_client.post(f"/entries/{entry['id']}/delete", data={"csrf_token": token})
    page = local_client.get(deleted.headers["location"]).text
    assert "Deleted pain" in page
    assert 'id="undo-delete"' in page
    assert local_client.get("/api/v1/entries").json()["count"] == 0
    local_client.post("/history/undo", data={"csrf_token": token})
    assert local_client.get("/api/v1/entries").json()["count"] == 1


def test_products_settings_and_import(local_client: Browser) -> None:
    token = csrf_of(local_client, "/products")
    added = local_client.post(
        "/products",
        data={
            "csrf_token": token,
            "name": "Red Bali",
            "form": "capsule",
            "grams_per_capsule": "0.5",
        },
    )
    assert added.status_code == 303
    bad = local_client.post(
        "/products", data={"csrf_token": token, "name": "X", "grams_per_capsule": "9"}
    )
    assert bad.status_code == 422
    assert "must be 5 or less" in bad.text
    batch = local_client.post(
        "/products/Red Bali/batches",
        data={
            "csrf_token": token,
            "code": "B-1",
            "lab": "Lab One",
            "mitragynine_mg_per_g": "14",
            "passed": "yes",
        },
    )
    assert batch.status_code == 303
    assert "Lab One" in local_client.get("/products").text

    saved = local_client.post(
        "/settings/profile",
        data={
            "csrf_token": token,
            "timezone": "Europe/Paris",
            "grams_per_day": "6",
            "conditions": ["migraine"],
        },
    )
    assert saved.status_code == 303
    profile = local_client.get("/api/v1/profile").json()
    assert profile["timezone"] == "Europe/Paris"
    assert profile["limits"]["grams_per_day"] == 6
    wrong = local_client.post(
        "/settings/profile", data={"csrf_token": token, "timezone": "Nowhere/Land"}
    )
    assert wrong.status_code == 422
    assert 'id="timezone-error"' in wrong.text

    exported = local_client.get("/api/v1/export").content
    imported = local_client.post(
        "/settings/import",
        data={"csrf_token": token, "dry_run": "on"},
        files={"file": ("journal.json", exported, "application/json")},
    )
    assert imported.status_code == 303  # to the import's status page
    job = wait_for_import(local_client, imported.headers["location"].rsplit("/", 1)[1])
    assert (job["state"], job["summary"]["added"], job["dry_run"]) == ("done", 0, True)
    assert "Would add 0 entries" in local_client.get(imported.headers["location"]).text
    backup = local_client.get("/settings/backup.sqlite")
    if local_client.get("/settings").text.count("backup.sqlite"):
        assert backup.content.startswith(b"SQLite format 3")


def test_pwa_files(local_client: Browser) -> None:
    manifest = local_client.get("/manifest.webmanifest")
    assert manifest.headers["content-type"].startswith("application/manifest+json")
    for icon in manifest.json()["icons"]:
        assert local_client.get(icon["src"]).status_code == 200
    assert "serviceWorker" not in local_client.get("/sw.js").text  # the worker itself
    assert local_client.get("/sw.js").headers["content-type"].startswith("text/javascript")


def test_alerts_show_their_sources_and_analogy_on_safety_and_a_line_on_today(
    local_client: Browser,
) -> None:
    local_client.post("/api/v1/entries", json={"kind": "dose", "amount": "3g", "at": "1 h ago"})
    local_client.post("/api/v1/entries", json={"kind": "substance", "name": "beer"})
    alert = next(a for a in local_client.get("/api/v1/alerts").json() if "alcohol" in a["title"])
    citations = [load_knowledge().sources[i].citation for i in alert["source_ids"]]
    safety = local_client.get("/safety").text
    assert alert["title"] in safety
    for citation in citations:  # looked up by the alert's source ids
        assert str(escape(citation)) in safety, citation
    assert ("Applied by analogy" in safety) == alert["analogy"]
    # Today keeps logging first: one line with the title, linking to that card on Safety.
    today = local_client.get("/").text
    line = re.search(r'<li class="alert-line[^"]*"><a href="/safety#([^"]+)">(.*?)</a>', today)
    assert line is not None
    assert alert["title"] in line.group(2)
    assert f'id="{line.group(1)}"' in safety
    assert not any(str(escape(citation)) in today for citation in citations)


def test_the_safety_page_says_how_far_back_it_looks(local_client: Browser) -> None:
    page = local_client.get("/safety").text
    assert LOOKBACK.days == 127
    assert f"No open alerts in the last {LOOKBACK.days} days (about four months)" in page
    # and that no alerts is not a clean bill of health (Today says so too)
    for path in ("/safety", "/"):
        note = local_client.get(path).text
        assert str(escape(NO_ALERTS_NOTE)) in note, path


def test_editing_a_form_can_clear_a_field(local_client: Browser) -> None:
    entry = local_client.post(
        "/api/v1/entries", json={"kind": "pain", "score": 6, "sites": ["back"], "note": "stairs"}
    ).json()
    token = csrf_of(local_client, "/history")
    form = local_client.get(f"/entries/{entry['id']}/edit").text
    at = re.search(r'name="at" value="([^"]+)"', form)
    assert at
    assert 'value="stairs"' in form or ">stairs<" in form
    edited = local_client.post(
        f"/entries/{entry['id']}/edit",
        data={"csrf_token": token, "score": "5", "at": at.group(1), "sites": "", "note": ""},
    )
    assert edited.status_code == 303, edited.text[:300]
    changed = local_client.get(f"/api/v1/entries/{entry['id']}").json()["entry"]
    assert (changed["score"], changed["sites"], changed["note"]) == (5, [], None)
    assert changed["zone"] == entry["entry"]["zone"]


def test_each_guide_tip_on_the_evidence_page_carries_its_verdict(local_client: Browser) -> None:
    page = local_client.get("/evidence").text
    knowledge = load_knowledge()
    for protocol in knowledge.protocols.values():
        for tip in protocol.guides_suggest:
            claim = knowledge.claim_for(tip)
            tip_at = page.index(str(escape(tip.text)))
            verdict = page.index(f"Evidence: {claim.verdict}</span>", tip_at)
            assert verdict < page.index("</li>", tip_at)  # inside the tip's own item


def test_the_profile_form_records_what_a_clinician_asks_about(local_client: Browser) -> None:
    token = csrf_of(local_client, "/settings")
    form = local_client.get("/settings").text
    for value in ("epilepsy", "sleep_apnoea", "copd", "liver_disease"):
        assert f'name="health_conditions" value="{value}"' in form
    assert 'name="birth_year"' in form
    assert 'name="medications"' in form
    saved = local_client.post(
        "/settings/profile",
        data={
            "csrf_token": token,
            "timezone": "Europe/London",
            "health_conditions": ["epilepsy", "sleep_apnoea", "copd", "liver_disease"],
            "birth_year": "1950",
            "medications": "tramadol\nbupropion\r\nTylenol\n\nlevothyroxine:other\n",
        },
    )
    assert saved.status_code == 303, saved.text[:300]
    profile = local_client.get("/api/v1/profile").json()
    assert profile["health_conditions"] == ["epilepsy", "sleep_apnoea", "copd", "liver_disease"]
    assert profile["birth_year"] == 1950
    assert [(m["name"], m["substance_class"]) for m in profile["medications"]] == [
        ("tramadol", "opioid"),
        ("bupropion", "other_antidepressant"),
        ("Tylenol", "paracetamol"),
        ("levothyroxine", "other"),
    ]
    shown = local_client.get("/settings").text
    assert re.search(r'value="copd"[^>]*checked', shown)
    assert 'value="1950"' in shown
    assert "tramadol:opioid" in shown

    # the alerts use the profile
    local_client.post("/api/v1/entries", json={"kind": "dose", "amount": "3g", "at": "1 h ago"})
    fired = {a["rule_id"] for a in local_client.get("/api/v1/alerts").json()}
    assert {
        "epilepsy",
        "breathing_risk",
        "liver_disease",
        "seizure_medicine",
        "serotonergic_medicine",
        "cyp2d6_medicine",
    } <= fired

    # bad input names its field and changes nothing
    future = local_client.post(
        "/settings/profile", data={"csrf_token": token, "birth_year": "2099"}
    )
    assert future.status_code == 422
    assert 'id="birth_year-error"' in future.text
    wrong_class = local_client.post(
        "/settings/profile", data={"csrf_token": token, "medications": "aspirin:painkiller"}
    )
    assert wrong_class.status_code == 422
    assert "class must be one of" in wrong_class.text
    assert local_client.get("/api/v1/profile").json()["birth_year"] == 1950

    # an emptied form clears them
    cleared = local_client.post(
        "/settings/profile", data={"csrf_token": token, "birth_year": "", "medications": ""}
    )
    assert cleared.status_code == 303
    profile = local_client.get("/api/v1/profile").json()
    assert (profile["health_conditions"], profile["birth_year"], profile["medications"]) == (
        [],
        None,
        [],
    )
