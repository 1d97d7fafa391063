"""Forms record only what the person entered (issue 12, points 3 and 4): required choices
start unselected and an untouched form is refused with a message beside the field; optional
fields left empty are stored as absent; messages name the field as labelled, in plain words;
an implausible amount asks "did you mean ...?" and keeps every value; Settings with one bad
value keeps every other edit."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import pytest

from speciosa.app import data
from speciosa.web import forms
from tests.factories import RED
from tests.web.conftest import Browser, csrf_of

# Validator text and internal paths a person must never see.
NOT_PLAIN = re.compile(r"[Ii]nput should|less than or equal|greater than or equal|limits\.\w+")


def _post(client: Browser, path: str, **data: object) -> object:
    return client.post(path, data={"csrf_token": csrf_of(client), **data})


def _entries(client: Browser) -> list[dict[str, object]]:
    return client.get("/api/v1/entries").json()["data"]


@pytest.mark.parametrize(
    ("kind", "field", "message"),
    [
        ("bowel", "bristol", "Bristol type: choose one"),
        ("side_effect", "symptom", "Symptom: choose one"),
        ("pain", "score", "Pain: choose a number from 0 to 10"),
        ("fatigue", "score", "Fatigue: choose a number from 0 to 10"),
        ("soreness", "score", "Soreness: choose a number from 0 to 10"),
        ("headache", "peak", "Worst pain: choose a number from 0 to 10"),
    ],
)
def test_an_untouched_form_is_refused_with_the_message_beside_the_field(
    local_client: Browser, kind: str, field: str, message: str
) -> None:
    page = local_client.get(f"/log/{kind}").text
    # Nothing is chosen for the person: no radio starts checked, a required select starts
    # on "Choose one".
    assert not re.search(rf'name="{field}" value="[^"]+" checked', page)
    if f'<select id="f-{field}"' in page:
        assert re.search(
            rf'<select id="f-{field}"[^>]*>\s*<option value="" selected>Choose one', page
        )
    refused = _post(local_client, f"/log/{kind}")
    assert refused.status_code == 422
    assert f'<p class="field-error" id="{field}-error">{message}</p>' in refused.text
    assert "autofocus" in refused.text.split(f'id="{field}-error"')[1].split("</fieldset>")[0] or (
        re.search(rf'id="f-{field}[^"]*"[^>]*autofocus', refused.text)
    )
    assert not NOT_PLAIN.search(refused.text)
    assert _entries(local_client) == []


def test_a_side_effect_without_severity_stores_none(local_client: Browser) -> None:
    page = local_client.get("/log/side_effect").text
    assert '<option value="">(not given)</option>' in page
    logged = _post(local_client, "/log/side_effect", symptom="nausea", severity="")
    assert logged.status_code == 303, logged.text[:400]
    (entry,) = _entries(local_client)
    assert entry["entry"]["severity"] is None
    assert "severity" not in local_client.get("/history").text.split("Side effect")[1][:80]


def test_an_optional_scale_left_alone_is_stored_as_absent(local_client: Browser) -> None:
    logged = _post(local_client, "/log/pain", score="4", interference="")
    assert logged.status_code == 303
    (entry,) = _entries(local_client)
    assert entry["entry"]["score"] == 4
    assert entry["entry"]["interference"] is None


def test_sleep_diary_counts_left_empty_are_stored_as_absent(
    local_client: Browser, local_app: Any, tmp_path: Path
) -> None:
    # Only the times and minutes to fall asleep are entered: the counts stay unknown, and
    # the CSV export leaves their cells empty rather than writing 0 for the person.
    logged = _post(
        local_client,
        "/log/sleep",
        at="yesterday 23:00",
        minutes_to_fall_asleep="20",
        final_awakening="today 06:30",
        awakenings="",
        naps="",
        nap_minutes="",
        alcohol_drinks="",
        caffeine_drinks="",
    )
    assert logged.status_code == 303, str(getattr(logged, "text", ""))[:400]
    (entry,) = _entries(local_client)
    for count in ("awakenings", "naps", "nap_minutes", "alcohol_drinks", "caffeine_drinks"):
        assert entry["entry"][count] is None, count
    state = local_app.state.speciosa
    with state.journal(state.local_owner) as journal:
        written = data.export_csv_files(journal, tmp_path)
    (sleep_csv,) = (path for path in written if path.name == "sleep.csv")
    with sleep_csv.open(newline="") as handle:
        (row,) = csv.DictReader(handle)
    for count in ("awakenings", "naps", "nap_minutes", "alcohol_drinks", "caffeine_drinks"):
        assert row[count] == "", count


def test_bristol_is_a_picker_with_seven_plain_descriptions(local_client: Browser) -> None:
    page = local_client.get("/log/bowel").text
    radios = re.findall(r'<input type="radio" id="f-bristol-(\d)" name="bristol"', page)
    assert radios == [str(n) for n in range(1, 8)]
    for _, label in forms.BRISTOL:
        assert label in page
    logged = _post(local_client, "/log/bowel", bristol="4")
    assert logged.status_code == 303
    assert _entries(local_client)[0]["entry"]["bristol"] == 4


def test_scores_are_chips_from_0_to_10(local_client: Browser) -> None:
    page = local_client.get("/log/pain").text
    chips = re.findall(r'<input type="radio" id="f-score-(\d+)" name="score"', page)
    assert chips == [str(n) for n in range(11)]
    assert 'class="chip-row"' in page
    out_of_range = _post(local_client, "/log/pain", score="12")
    assert "Pain must be from 0 to 10" in out_of_range.text


def test_a_questionnaire_shows_its_items_one_group_each(local_client: Browser) -> None:
    chooser = local_client.get("/log/questionnaire").text
    assert "comma separated" not in chooser
    assert 'href="/log/questionnaire?instrument=sds"' in chooser
    page = local_client.get("/log/questionnaire?instrument=sds").text
    assert page.count('class="step choices"') == 5
    assert "Did you wish you could stop?" in page
    partial = _post(
        local_client,
        "/log/questionnaire",
        instrument="sds",
        **{"item-1": "1", "item-2": "0", "item-4": "2", "item-5": "3"},
    )
    assert partial.status_code == 422
    assert "Question 3: choose an answer" in partial.text
    assert re.search(r'id="f-item-1-1" name="item-1" value="1" checked', partial.text)  # kept
    assert _entries(local_client) == []
    answered = _post(
        local_client,
        "/log/questionnaire",
        instrument="sds",
        **{"item-1": "1", "item-2": "0", "item-3": "1", "item-4": "2", "item-5": "3"},
    )
    assert answered.status_code == 303
    (entry,) = _entries(local_client)
    assert entry["entry"]["items"] == [1, 0, 1, 2, 3]
    assert entry["entry"]["score"] == 7


def test_an_implausible_amount_asks_before_saving_and_keeps_every_value(
    local_client: Browser,
) -> None:
    local_client.put("/api/v1/profile", json={"timezone": "UTC", "limits": {"grams_per_day": 8}})
    asked = _post(local_client, "/log/dose", amount="300g", batch="", note="after lunch")
    assert asked.status_code == 200
    assert "Did you mean 3 g or 0.3 g?" in asked.text
    assert 'value="300g"' in asked.text
    assert "after lunch" in asked.text
    assert _entries(local_client) == []
    chosen = _post(
        local_client,
        "/log/dose",
        amount="300g",
        note="after lunch",
        checked_amount="300g",
        use_amount="3 g",
    )
    assert chosen.status_code == 303
    (entry,) = _entries(local_client)
    assert entry["entry"]["grams"] == 3
    assert entry["entry"]["note"] == "after lunch"


def test_a_confirmed_amount_is_stored_as_given_and_an_edited_one_is_asked_again(
    local_client: Browser,
) -> None:
    edited = _post(
        local_client, "/log/dose", amount="40g", checked_amount="300g", use_amount="300 g"
    )
    assert edited.status_code == 200  # 40 g was typed after the question: asked again
    assert "more than 25 g" in edited.text
    confirmed = _post(
        local_client, "/log/dose", amount="40g", checked_amount="40g", use_amount="40 g"
    )
    assert confirmed.status_code == 303
    assert _entries(local_client)[0]["entry"]["grams"] == 40


def test_capsules_far_above_the_limit_ask_in_capsules(local_client: Browser) -> None:
    local_client.post("/api/v1/products", json=RED.model_dump(mode="json"))
    local_client.put("/api/v1/profile", json={"timezone": "UTC", "limits": {"grams_per_day": 2}})
    asked = _post(local_client, "/log/dose", amount="40caps", product="Red Bali")
    assert "ten times or more your own limit of 2 g a day" in asked.text
    assert "Did you mean 4 caps?" in asked.text


def test_the_quick_dose_asks_on_the_dose_form(local_client: Browser) -> None:
    asked = _post(local_client, "/log/quick-dose", amount="500g")
    assert asked.status_code == 200
    assert 'action="/log/dose"' in asked.text
    assert "Did you mean 5 g or 0.5 g?" in asked.text
    assert _entries(local_client) == []


def test_settings_with_one_bad_value_keeps_every_other_edit(local_client: Browser) -> None:
    refused = _post(
        local_client,
        "/settings/profile",
        timezone="America/Chicago",
        bedtime="22:30",
        wake_time="06:45",
        conditions=["migraine"],
        grams_per_day="6",
        doses_per_day="3",
        use_days_per_week="9",
        birth_year="1970",
        medications="sertraline",
    )
    assert refused.status_code == 422
    page = refused.text
    error = '<p class="field-error" id="use_days_per_week-error">'
    assert f"{error}Use days per week must be 7 or less</p>" in page
    for kept in (
        'value="America/Chicago"',
        'value="22:30"',
        'value="06:45"',
        'value="6"',
        'value="3"',
        'value="9"',
        'value="1970"',
        'value="migraine" checked',
        ">sertraline</textarea>",
    ):
        assert kept in page, kept
    assert re.search(r'id="use_days_per_week"[^>]*aria-invalid="true"[^>]*autofocus', page)
    assert not NOT_PLAIN.search(page)
    # nothing was saved
    assert local_client.get("/api/v1/profile").json()["timezone"] != "America/Chicago"


def test_settings_names_every_wrong_field_at_once(local_client: Browser) -> None:
    refused = _post(
        local_client,
        "/settings/profile",
        timezone="Mars/Olympus",
        bedtime="25:00",
        grams_per_day="lots",
        birth_year="3000",
        medications="tramadol:sweets",
    )
    found = dict(re.findall(r'<p class="field-error" id="(\w+)-error">([^<]+)</p>', refused.text))
    assert found == {
        "timezone": "Time zone must be an IANA time zone such as &#39;Europe/London&#39;",
        "bedtime": "Usual bedtime: hours must be 0-23 and minutes 0-59",
        "grams_per_day": "Grams per day must be a number",
        "birth_year": found["birth_year"],
        "medications": found["medications"],
    }
    assert found["birth_year"].startswith("Year of birth must be")
    assert found["medications"].startswith("Regular medicines: class must be one of")


def test_a_good_settings_form_saves(local_client: Browser) -> None:
    saved = _post(
        local_client, "/settings/profile", timezone="Europe/London", use_days_per_week="5"
    )
    assert saved.status_code == 303
    profile = local_client.get("/api/v1/profile").json()
    assert profile["timezone"] == "Europe/London"
    assert profile["limits"]["use_days_per_week"] == 5


def test_a_questionnaire_is_edited_answer_by_answer(local_client: Browser) -> None:
    logged = local_client.post(
        "/api/v1/entries", json={"kind": "questionnaire", "instrument": "peg", "items": [5, 4, 6]}
    ).json()
    form = local_client.get(f"/entries/{logged['id']}/edit").text
    assert re.search(r'name="item-1" value="5" checked', form)
    assert re.search(r'name="item-3" value="6" checked', form)
    edited = _post(
        local_client,
        f"/entries/{logged['id']}/edit",
        instrument="peg",
        at=re.search(r'name="at" value="([^"]+)"', form).group(1),  # type: ignore[union-attr]
        **{"item-1": "5", "item-2": "4", "item-3": "3"},
    )
    assert edited.status_code == 303, edited.text[:400]
    stored = local_client.get(f"/api/v1/entries/{logged['id']}").json()["entry"]
    assert stored["items"] == [5, 4, 3]
    assert stored["score"] == 4
