"""The JSON API in-process against real SQLite and PostgreSQL databases (local mode)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from speciosa.app import alerts as app_alerts
from speciosa.app import insights as app_insights
from speciosa.app import today as app_today
from tests.factories import RED
from tests.web.conftest import Browser

TODAY_KEYS = {
    "day",
    "minutes_since_last_dose",
    "last_dose",
    "grams",
    "doses",
    "use_days_this_week",
    "plan_lines",
    "plans_paused",
    "alerts",
    "has_profile",
    "seen_alerts",
    "due",
    "usual_dose",
}
ALERT_KEYS = {
    "rule_id",
    "key",
    "severity",
    "title",
    "explanation",
    "what_to_do",
    "source_ids",
    "entry_ids",
    "at",
    "analogy",
}

# a body-less write sent as JSON (cross-site pages cannot send JSON)
JSON = {"content-type": "application/json"}


def _in_process(app: Any, read: Any) -> Any:
    """``read(journal)`` in a unit of work of the app's own (what the API must answer)."""
    state = app.state.speciosa
    with state.speciosa.journal(state.local_owner.owner_id) as journal:
        return read(journal)


def _product(client: Browser) -> None:
    response = client.post("/api/v1/products", json=RED.model_dump(mode="json"))
    assert response.status_code == 201, response.text


def test_log_a_dose_and_see_it_counted_today(local_client: Browser) -> None:
    _product(local_client)
    logged = local_client.post(
        "/api/v1/entries", json={"kind": "dose", "amount": "4caps", "product": "Red Bali"}
    )
    assert logged.status_code == 201, logged.text
    assert logged.json()["entry"]["grams"] == 2.0  # 4 capsules x 0.5 g, through the product

    today = local_client.get("/api/v1/today").json()
    assert today["grams"]["used"] == 2.0
    assert today["doses"]["used"] == 1
    assert today["minutes_since_last_dose"] == 0
    assert today["last_dose"]["product"] == "Red Bali"


def test_entries_edit_delete_and_undo(local_client: Browser) -> None:
    created = local_client.post("/api/v1/entries", json={"kind": "pain", "score": 6}).json()
    entry_id = created["id"]

    edited = local_client.patch(f"/api/v1/entries/{entry_id}", json={"score": 3, "note": "better"})
    assert edited.status_code == 200, edited.text
    assert edited.json()["entry"]["score"] == 3
    assert edited.json()["entry"]["note"] == "better"

    assert local_client.delete(f"/api/v1/entries/{entry_id}", headers=JSON).status_code == 200
    assert local_client.get("/api/v1/entries").json()["count"] == 0
    restored = local_client.post("/api/v1/entries/undo", json={})
    assert restored.json()["id"] == entry_id
    assert local_client.get(f"/api/v1/entries/{entry_id}").json()["entry"]["score"] == 3


def test_same_validation_as_the_command_line(local_client: Browser) -> None:
    # The CLI refuses these with the same field names (see tests/cli).
    cases = [
        ({"kind": "pain", "score": 11}, "score"),
        ({"kind": "dose", "amount": "3 bananas"}, "amount"),
        ({"kind": "dose", "amount": "2caps"}, "product"),  # capsules need a product
        ({"kind": "bowel", "bristol": 9}, "bristol"),
        ({"kind": "pain", "score": 4, "at": "2999-01-01T00:00Z"}, "at"),  # future
        ({"kind": "pain", "score": 4, "zone": "Mars/Olympus"}, "zone"),
        ({"kind": "teleport"}, "kind"),
    ]
    for body, field in cases:
        response = local_client.post("/api/v1/entries", json=body)
        assert response.status_code == 422, body
        assert response.json()["error"]["field"] == field, (body, response.json())
    assert local_client.get("/api/v1/entries").json()["count"] == 0  # nothing partial


def test_times_are_read_like_the_cli(local_client: Browser) -> None:
    local_client.put("/api/v1/profile", json={"timezone": "Europe/London"})
    body = {"kind": "fatigue", "score": 5, "at": "90 min ago"}
    entry = local_client.post("/api/v1/entries", json=body).json()["entry"]
    assert entry["zone"] == "Europe/London"
    listed = local_client.get("/api/v1/entries", params={"kind": "fatigue"}).json()
    assert listed["count"] == 1


def test_substance_class_is_looked_up_and_alcohol_after_a_dose_warns(
    local_client: Browser,
) -> None:
    local_client.post("/api/v1/entries", json={"kind": "dose", "amount": "3g", "at": "1 h ago"})
    beer = local_client.post("/api/v1/entries", json={"kind": "substance", "name": "beer"}).json()
    assert beer["entry"]["substance_class"] == "alcohol"
    alerts = local_client.get("/api/v1/alerts").json()
    assert any("alcohol" in a["title"].lower() for a in alerts), alerts
    assert all(a["source_ids"] for a in alerts)  # every alert cites its sources
    alcohol = next(a for a in alerts if "alcohol" in a["title"].lower())
    assert alcohol["entry_ids"] == [beer["id"] - 1, beer["id"]]
    assert alcohol["at"] == beer["entry"]["at"]  # the latest entry behind it
    assert isinstance(alcohol["analogy"], bool)


def test_today_and_alerts_are_the_application_s_own(local_client: Browser, local_app: Any) -> None:
    _product(local_client)
    local_client.post(
        "/api/v1/entries",
        json={"kind": "dose", "amount": "4caps", "product": "Red Bali", "at": "2 h ago"},
    )
    local_client.post("/api/v1/entries", json={"kind": "substance", "name": "wine"})
    local_client.post("/api/v1/entries", json={"kind": "side_effect", "symptom": "jaundice"})
    today = local_client.get("/api/v1/today").json()
    alerts = local_client.get("/api/v1/alerts").json()
    assert set(today) == TODAY_KEYS
    assert today == _in_process(local_app, lambda j: app_today.today(j).to_dict())
    assert alerts == _in_process(
        local_app, lambda j: [a.to_dict() for a in app_alerts.open_alerts(j)]
    )
    assert today["alerts"] == alerts
    assert len(alerts) >= 2
    assert all(set(a) == ALERT_KEYS for a in alerts)
    # the engine's order: most severe first (the jaundice alert is urgent)
    assert alerts[0]["severity"] == "urgent"
    ranks = ["info", "caution", "warning", "urgent"]
    assert [ranks.index(a["severity"]) for a in alerts] == sorted(
        (ranks.index(a["severity"]) for a in alerts), reverse=True
    )
    assert all(datetime.fromisoformat(a["at"]).tzinfo is not None for a in alerts)
    assert (today["has_profile"], today["plan_lines"], today["plans_paused"]) == (False, [], False)


def test_products_and_profile(local_client: Browser) -> None:
    _product(local_client)
    assert local_client.get("/api/v1/products").json()["count"] == 1
    assert local_client.get("/api/v1/products/Red Bali").json()["batches"][0]["code"] == "B-17"
    changed = RED.model_copy(update={"grams_per_capsule": 0.6}).model_dump(mode="json")
    assert local_client.put("/api/v1/products/Red Bali", json=changed).status_code == 200
    assert local_client.post("/api/v1/products", json=changed).status_code == 409

    profile = {"timezone": "America/New_York", "limits": {"grams_per_day": 8}}
    assert local_client.put("/api/v1/profile", json=profile).status_code == 200
    assert local_client.get("/api/v1/profile").json()["limits"]["grams_per_day"] == 8


def test_export_then_import_is_lossless(local_client: Browser) -> None:
    _product(local_client)
    local_client.post(
        "/api/v1/entries", json={"kind": "dose", "amount": "1caps", "product": "Red Bali"}
    )
    exported = local_client.get("/api/v1/export")
    assert exported.headers["content-type"].startswith("application/json")
    document = json.loads(exported.text)
    again = local_client.post("/api/v1/import", json=document).json()
    assert again == {
        "added": 0,
        "skipped": 1,
        "products_added": 0,
        "profile_set": False,
        "dry_run": False,
    }


def test_insights_and_openapi(local_client: Browser, local_app: Any) -> None:
    for day in range(1, 15):
        local_client.post(
            "/api/v1/entries", json={"kind": "pain", "score": day % 7, "at": f"{day * 24} h ago"}
        )
    answer = local_client.get("/api/v1/insights", params={"days": 30}).json()
    assert answer["report"]["days"] >= 14
    assert any(c["id"] == "symptoms" for c in answer["charts"])
    expected = _in_process(local_app, lambda j: app_insights.insights(j, last_days=30).to_dict())
    assert answer == json.loads(json.dumps(expected))
    schema = local_client.get("/api/v1/openapi.json").json()
    assert "/api/v1/entries" in schema["paths"]
    assert all(p.startswith("/api/v1/") for p in schema["paths"])  # pages stay out of it
