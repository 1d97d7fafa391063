"""Reminders and routine: defaults off, due items that come and go with the journal, the
calendar feed (parsed with icalendar, its recurrence expanded with dateutil across a DST
change), revoking, one person's feed never holding another's events, and no reminder text
that tells anyone to take kratom."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar

from speciosa.app import Speciosa, reminders
from speciosa.app import today as today_view
from speciosa.errors import InvalidInput, NotFound
from speciosa.journal.models import Profile, Questionnaire, Sleep
from speciosa.journal.routine import KEYS, Routine, all_texts
from speciosa.journal.units import Unit
from speciosa.knowledge.language import recommends_amount
from speciosa.plans.base import measure_for
from speciosa.plans.experiment import ExperimentRequest, design_experiment
from speciosa.plans.taper import TaperRequest, TaperTarget, design_taper
from speciosa.plans.usage import recent_use
from speciosa.store.database import open_database
from speciosa.store.journal_store import owner_id
from speciosa.web.reminder_pages import LABELS
from tests.plans.conftest import daily_doses

LONDON = "Europe/London"
ZONE = ZoneInfo(LONDON)
# 2026-03-20, a Friday: nine days before the clocks go forward in London (29 March).
BEFORE_DST = datetime(2026, 3, 20, 6, 0, tzinfo=UTC)


class MovableClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def local(self, day: date, hour: int, minute: int = 0) -> None:
        self.now = datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZONE).astimezone(UTC)


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock(BEFORE_DST)


@pytest.fixture
def app(database_url: str, clock: MovableClock) -> Iterator[Speciosa]:
    speciosa = Speciosa(open_database(database_url), clock=clock, default_zone=LONDON)
    with speciosa.journal() as journal:
        journal.store.save_profile(
            Profile(timezone=LONDON, bedtime="23:00", wake_time="07:00"), now=journal.now
        )
    yield speciosa
    speciosa.close()


def _sleep_for_night(night: date) -> Sleep:
    """A diary for the night of journal day ``night`` (bed at 23:00 London)."""
    bed = datetime(night.year, night.month, night.day, 23, 0, tzinfo=ZONE)
    return Sleep(
        at=bed,
        zone=LONDON,
        tried_to_sleep=bed + timedelta(minutes=5),
        minutes_to_fall_asleep=15,
        final_awakening=bed + timedelta(hours=7),
        out_of_bed=bed + timedelta(hours=7, minutes=10),
    )


def _events(body: bytes) -> list[dict[str, object]]:
    calendar = Calendar.from_ical(body)
    return [
        {
            "summary": str(event["summary"]),
            "start": event.decoded("dtstart"),
            "rrule": event.get("rrule"),
            "alarms": [c for c in event.subcomponents if c.name == "VALARM"],
            "uid": str(event["uid"]),
        }
        for event in calendar.walk("VEVENT")
    ]


# --------------------------------------------------------------------------- defaults


def test_every_reminder_is_off_by_default(app: Speciosa) -> None:
    with app.journal() as journal:
        routine = reminders.routine(journal)
        assert [routine.reminder(k).on for k in KEYS] == [False] * len(KEYS)
        assert reminders.due(journal) == []
        assert reminders.upcoming(journal) == []
        assert today_view.today(journal).to_dict()["due"] == []
        token = reminders.create_feed(journal)
    assert _events(reminders.open_feed(app, token, user_agent="test")) == []


# --------------------------------------------------------------------------- due now


def test_the_morning_diary_is_due_until_it_is_logged(app: Speciosa, clock: MovableClock) -> None:
    day = date(2026, 3, 20)
    with app.journal() as journal:
        reminders.set_reminder(journal, "morning_diary", on=True, at="07:30")
    clock.local(day, 7, 0)
    with app.journal() as journal:
        assert reminders.due(journal) == []  # not yet 07:30
    clock.local(day, 8, 0)
    with app.journal() as journal:
        [item] = reminders.due(journal)
        assert (item.id, item.text) == ("morning_diary:2026-03-20", "Morning diary not logged yet")
        # Today (the page, today --json and /api/v1/today) shows the same item.
        assert today_view.today(journal).to_dict()["due"] == [item.to_dict()]
        journal.store.add_entry(_sleep_for_night(day - timedelta(days=1)), now=journal.now)
    with app.journal() as journal:
        assert reminders.due(journal) == []
        assert today_view.today(journal).to_dict()["due"] == []
    clock.local(day + timedelta(days=1), 9, 0)  # the next morning it is due again
    with app.journal() as journal:
        assert [i.id for i in reminders.due(journal)] == ["morning_diary:2026-03-21"]


def test_a_weekly_questionnaire_is_due_until_answered_and_a_dismissal_hides_one_day(
    app: Speciosa, clock: MovableClock
) -> None:
    with app.journal() as journal:
        reminders.set_reminder(journal, "peg", on=True, weekday="friday", at="18:00")
        reminders.set_reminder(journal, "wind_down", on=True)  # 22:30: bedtime minus 30 min
    clock.local(date(2026, 3, 20), 22, 45)
    with app.journal() as journal:
        assert [i.id for i in reminders.due(journal)] == ["wind_down:2026-03-20", "peg:2026-03-20"]
        reminders.dismiss(journal, "wind_down:2026-03-20")
        journal.store.add_entry(
            Questionnaire(
                at=journal.now, zone=LONDON, instrument="peg", items=(5, 4, 4), score=4.3
            ),
            now=journal.now,
        )
    with app.journal() as journal:
        assert reminders.due(journal) == []
        with pytest.raises(InvalidInput, match="item"):
            reminders.dismiss(journal, "nonsense")
    clock.local(date(2026, 3, 21), 23, 0)
    with app.journal() as journal:  # the PEG was answered this week; wind-down is back
        assert [i.id for i in reminders.due(journal)] == ["wind_down:2026-03-21"]


def test_taper_step_days_and_sows_follow_the_running_plan(
    app: Speciosa, clock: MovableClock
) -> None:
    today = date(2026, 3, 20)
    clock.local(today, 20, 0)
    with app.journal() as journal:
        for dose in daily_doses(30, today=today):
            journal.store.add_entry(dose, now=journal.now)
        use = recent_use(
            daily_doses(30, today=today), today=today, journal_start=today - timedelta(days=30)
        )
        taper = design_taper(
            TaperRequest(target=TaperTarget(kind="amount", grams_per_day=3), every_days=7),
            use=use,
            measure=measure_for(Unit.GRAM, None),
            today=today,
            now=journal.now,
            clinician_consulted=True,
        )
        journal.plans.add(taper, now=journal.now)
        for key in ("taper_steps", "sows"):
            reminders.set_reminder(journal, key, on=True, at="19:00")
        assert {i.key for i in reminders.due(journal)} == {"taper_steps", "sows"}
        journal.store.add_entry(
            Questionnaire(
                at=journal.now, zone=LONDON, instrument="sows", items=(1,) * 16, score=16
            ),
            now=journal.now,
        )
    with app.journal() as journal:
        assert [i.key for i in reminders.due(journal)] == ["taper_steps"]
        token = reminders.create_feed(journal)
    events = _events(reminders.open_feed(app, token, user_agent=None))
    steps = sorted(e["start"].date() for e in events if e["summary"] == "Speciosa: plan step day")
    assert steps[:2] == [today, today + timedelta(days=7)]  # one-off events, no rule
    assert all(e["rrule"] is None for e in events)
    assert any(e["summary"] == "Speciosa: daily questionnaire" for e in events)


# --------------------------------------------------------------------------- the feed


def test_the_feed_keeps_07_30_local_across_the_dst_change(app: Speciosa) -> None:
    with app.journal() as journal:
        reminders.set_reminder(journal, "morning_diary", on=True, at="07:30")
        reminders.set_reminder(journal, "peg", on=True, weekday="sunday", at="19:00")
        token = reminders.create_feed(journal)
    body = reminders.open_feed(app, token, user_agent="Thunderbird")
    calendar = Calendar.from_ical(body)
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == [LONDON]
    diary = next(
        e for e in calendar.walk("VEVENT") if str(e["summary"]) == "Speciosa: morning diary"
    )
    assert diary["dtstart"].params["TZID"] == LONDON
    assert [str(a["action"]) for a in diary.subcomponents] == ["DISPLAY"]
    start = diary.decoded("dtstart")
    rule = rrulestr(diary["rrule"].to_ical().decode(), dtstart=start)
    days = list(rule[:20])  # 20 March .. 8 April: over the change on 29 March
    assert {(d.hour, d.minute) for d in days} == {(7, 30)}
    offsets = {d.utcoffset() for d in days}
    assert offsets == {timedelta(0), timedelta(hours=1)}  # GMT before, BST after
    assert {d.astimezone(UTC).hour for d in days} == {7, 6}
    peg = next(e for e in calendar.walk("VEVENT") if "weekly" in str(e["summary"]))
    assert peg["rrule"]["FREQ"] == ["WEEKLY"]
    assert peg.decoded("dtstart").weekday() == 6  # a Sunday
    with app.journal() as journal:  # the fetch was recorded (the audit log)
        [access] = reminders.feed_status(journal).accesses
        assert access.user_agent == "Thunderbird"


def test_a_revoked_or_unknown_feed_is_not_found(app: Speciosa) -> None:
    with app.journal() as journal:
        first = reminders.create_feed(journal)
        second = reminders.create_feed(journal)  # a new URL ends the earlier one
    with pytest.raises(NotFound):
        reminders.open_feed(app, first, user_agent=None)
    assert reminders.open_feed(app, second, user_agent=None).startswith(b"BEGIN:VCALENDAR")
    with app.journal() as journal:
        assert reminders.revoke_feed(journal) == 1
    with pytest.raises(NotFound):
        reminders.open_feed(app, second, user_agent=None)
    with pytest.raises(NotFound):
        reminders.open_feed(app, "not-a-token", user_agent=None)


def test_one_persons_feed_never_holds_anothers_events(app: Speciosa) -> None:
    with app.transaction() as session:
        alice = owner_id(session, "alice", now=BEFORE_DST)
        bob = owner_id(session, "bob", now=BEFORE_DST)
    tokens = {}
    for person, title in ((alice, "Alice diary"), (bob, "Bob diary")):
        with app.journal(person) as journal:
            journal.store.save_profile(Profile(timezone=LONDON), now=journal.now)
            reminders.set_reminder(journal, "morning_diary", on=True, title=title)
            reminders.set_reminder(journal, "experiment_nights", on=True)
            tokens[person] = reminders.create_feed(journal)
    with app.journal(bob) as journal:
        experiment = design_experiment(
            ExperimentRequest(comparison="bedtime", outcome="pain", seed=3),
            profile=journal.profile,
            today=journal.today,
            now=journal.now,
        )
        journal.plans.add(experiment, now=journal.now)
    alice_events = _events(reminders.open_feed(app, tokens[alice], user_agent=None))
    bob_events = _events(reminders.open_feed(app, tokens[bob], user_agent=None))
    assert [e["summary"] for e in alice_events] == ["Alice diary"]
    assert "Alice diary" not in {e["summary"] for e in bob_events}
    nights = [e for e in bob_events if e["summary"] == "Speciosa: experiment night"]
    assert len(nights) > 10
    assert not {e["uid"] for e in alice_events} & {e["uid"] for e in bob_events}


def test_bad_settings_name_the_field(app: Speciosa) -> None:
    with app.journal() as journal:
        with pytest.raises(InvalidInput, match="reminder"):
            reminders.set_reminder(journal, "dose_time", on=True)
        with pytest.raises(InvalidInput, match="at"):
            reminders.set_reminder(journal, "wind_down", at="25:61")
        with pytest.raises(InvalidInput, match="weekday"):
            reminders.set_reminder(journal, "peg", weekday="someday")
        with pytest.raises(InvalidInput, match="day"):
            reminders.set_reminder(journal, "sds", day=31)
        with pytest.raises(InvalidInput, match="title"):
            reminders.set_reminder(journal, "sds", title="x" * 81)
        assert reminders.routine(journal) == Routine()  # nothing was saved


# --------------------------------------------------------------------------- never prescribe


@pytest.mark.parametrize(
    "text",
    [*all_texts(), *(f"{label}: {when}" for label, when in LABELS.values())],
)
def test_no_reminder_text_tells_anyone_to_take_kratom(text: str) -> None:
    assert recommends_amount(text) is None
    assert "take" not in text.lower()
    assert "dose" not in text.lower()
