"""Routine and reminders in the web app: the settings page saves toggles and times, Today and
the API show the same due items, a due item can be dismissed, and the calendar feed URL works
until it is revoked (then 404), without sign-in, for its own person only."""

from __future__ import annotations

import re

from icalendar import Calendar

from tests.web.conftest import Browser, Multi, csrf_of

DUE = re.compile(r'data-due="([^"]+)"')
FEED = re.compile(r'id="feed-url" value="https?://127\.0\.0\.1(/calendar/[^"]+\.ics)"')


def _save(client: Browser, **fields: str) -> int:
    data = {"csrf_token": csrf_of(client, "/settings/routine"), **fields}
    return client.post("/settings/routine", data=data).status_code


def _feed_path(client: Browser) -> str:
    page = client.post("/settings/routine/feed", data={"csrf_token": csrf_of(client, "/")})
    found = FEED.search(page.text)
    assert found, page.text[:500]
    return found.group(1)


def test_settings_link_to_the_routine_page(local_client: Browser) -> None:
    assert 'href="/settings/routine"' in local_client.get("/settings").text
    page = local_client.get("/settings/routine")
    assert page.status_code == 200
    assert "All are off until you turn them on" in page.text
    assert " checked" not in page.text  # every reminder off


def test_a_reminder_turned_on_is_due_on_today_and_in_the_api_until_dismissed(
    local_client: Browser,
) -> None:
    assert DUE.findall(local_client.get("/").text) == []
    # 04:00 is when a journal day starts: the reminder has always passed.
    assert _save(local_client, morning_diary_on="1", morning_diary_at="04:00") == 303
    [item] = DUE.findall(local_client.get("/").text)
    assert item.startswith("morning_diary:")
    assert [d["id"] for d in local_client.get("/api/v1/today").json()["due"]] == [item]
    data = {"csrf_token": csrf_of(local_client), "item": item}
    assert local_client.post("/reminders/dismiss", data=data).status_code == 303
    assert DUE.findall(local_client.get("/").text) == []
    assert local_client.get("/api/v1/today").json()["due"] == []


def test_a_bad_time_is_refused_inline_and_nothing_is_saved(local_client: Browser) -> None:
    page = local_client.post(
        "/settings/routine",
        data={
            "csrf_token": csrf_of(local_client, "/settings/routine"),
            "wind_down_on": "1",
            "wind_down_at": "25:00",
        },
    )
    assert page.status_code == 422
    assert "wind_down.at" in page.text
    assert "25:00" in page.text
    assert " checked" not in local_client.get("/settings/routine").text


def test_the_feed_works_until_revoked_then_404(local_client: Browser) -> None:
    _save(local_client, wind_down_on="1")
    path = _feed_path(local_client)
    answer = local_client.get(path, headers={"user-agent": "Calendar/1.0"})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/calendar")
    [event] = Calendar.from_ical(answer.content).walk("VEVENT")
    assert str(event["summary"]) == "Speciosa: wind down"
    assert "Calendar/1.0" in local_client.get("/settings/routine").text  # the audit log
    revoke = {"csrf_token": csrf_of(local_client, "/settings/routine")}
    assert local_client.post("/settings/routine/feed/revoke", data=revoke).status_code == 303
    assert local_client.get(path).status_code == 404
    assert local_client.get("/calendar/unknown-token.ics").status_code == 404


def test_each_person_gets_only_their_own_feed(multi: Multi) -> None:
    alice, bob = multi.person("alice"), multi.person("bob")
    _save(alice, morning_diary_on="1", morning_diary_title="Alice's diary")
    _save(bob, wind_down_on="1", wind_down_title="Bob's evening")
    alice_path, bob_path = _feed_path(alice), _feed_path(bob)
    visitor = multi.client()  # a calendar app: no session, the token is the key
    alice_feed = visitor.get(alice_path).text
    bob_feed = visitor.get(bob_path).text
    assert "Alice's diary" in alice_feed
    assert "Bob's evening" not in alice_feed
    assert "Bob's evening" in bob_feed
    assert "Alice's diary" not in bob_feed
    # and the settings page is not for visitors
    assert visitor.get("/settings/routine").status_code in (303, 403)
