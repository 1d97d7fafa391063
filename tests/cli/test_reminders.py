"""``speciosa reminders``: off by default, set on/off and times, --json, the feed URL and
--revoke, and one-line errors that name the flag."""

from __future__ import annotations

import json
import re

from tests.conftest import Cli


def test_reminders_are_off_until_turned_on(cli: Cli) -> None:
    result = cli("reminders")
    assert result.exit_code == 0
    assert "All reminders are off" in result.stdout
    body = json.loads(cli("reminders", "--json").stdout)
    assert body["due"] == []
    assert body["upcoming"] == []
    assert not any(reminder["on"] for reminder in body["routine"].values())


def test_set_a_time_turns_the_reminder_on_and_off_turns_it_off(cli: Cli) -> None:
    cli("init", "--timezone", "UTC", "--bedtime", "22:00")
    result = cli("reminders", "set", "morning-diary", "--at", "04:00")
    assert (result.exit_code, result.stdout.strip()) == (0, "morning-diary: on, at 04:00.")
    # 04:00 starts a journal day, so the diary for last night is due now.
    body = json.loads(cli("reminders", "--json").stdout)
    assert [item["reminder"] for item in body["due"]] == ["morning_diary"]
    today = json.loads(cli("today", "--json").stdout)
    assert today["due"] == body["due"]  # Today shows the same due items
    assert "Morning diary not logged yet" in cli("reminders").stdout
    assert cli("reminders", "set", "wind-down", "--on").stdout.strip() == "wind-down: on, at 21:30."
    assert cli("reminders", "set", "morning-diary", "--off").exit_code == 0
    routine = json.loads(cli("reminders", "--json").stdout)["routine"]
    assert (routine["morning_diary"]["on"], routine["morning_diary"]["at"]) == (False, "04:00")
    assert routine["wind_down"] == {"on": True, "at": None, "title": None}


def test_the_feed_url_is_new_each_time_and_can_be_revoked(cli: Cli) -> None:
    first = cli("reminders", "feed", "--base-url", "https://journal.example/").stdout.strip()
    assert re.fullmatch(r"https://journal\.example/calendar/[A-Za-z0-9_-]{40,}\.ics", first)
    second = cli("reminders", "feed").stdout.strip()
    assert second.startswith("http://127.0.0.1:8000/calendar/")
    assert second != first
    assert cli("reminders", "feed", "--revoke").stdout.strip() == "Calendar feed ended."
    assert (
        cli("reminders", "feed", "--revoke").stdout.strip() == "There was no calendar feed to end."
    )


def test_bad_input_is_one_line_naming_what_was_typed(cli: Cli) -> None:
    cases = [
        (("set", "dose", "--on"), "'dose'"),
        (("set", "peg", "--at", "7 in the evening"), "'7 in the evening'"),
        (("set", "peg", "--weekday", "someday"), "someday"),
        (("set", "sds", "--day", "30"), "30"),
        (("set", "peg", "--on", "--off"), "--on --off"),
        (("feed", "--base-url", "journal.example"), "journal.example"),
    ]
    for args, shown in cases:
        result = cli("reminders", *args)
        assert result.exit_code == 2, args
        assert result.stderr.count("\n") == 1, result.stderr
        assert shown in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
