"""The entry forms, described as data: one field list per kind, rendered by one
template (``templates/entry_form.html``) and read back by :func:`read_form` into the input that
:func:`speciosa.app.entries.build_entry` validates, the same input the API accepts.

A form records only what the person entered: required choices start unselected (the form is
refused, with a message beside the field, until they are made) and optional fields left empty
are left out. :func:`problems` finds every missing or out-of-range answer at once;
:func:`problem_of` words an error from the application layer for the field as it is labelled
("Pain must be from 0 to 10"), never with a model's internal field path.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any, Literal

from starlette.datastructures import FormData

from speciosa.errors import ErrorDetail
from speciosa.instruments.questionnaires import QUESTIONNAIRES
from speciosa.journal import clock
from speciosa.journal.catalogues import HeadacheFeature, Intensity, SubstanceClass, Symptom
from speciosa.journal.models import Bowel, Dose, EntryBase

FieldType = Literal[
    "text",
    "number",
    "when",
    "select",
    "checkbox",
    "checkboxes",
    "textarea",
    "choice",
    "scale",
    "items",
]


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    type: FieldType = "text"
    required: bool = False
    options: tuple[tuple[str, str], ...] = ()
    hint: str = ""
    low: int | None = None
    high: int | None = None

    @property
    def noun(self) -> str:
        """The label without its parenthesis: the name a message calls the field by."""
        return self.label.split(" (")[0]

    @property
    def scale(self) -> tuple[int, ...]:
        """The numbers a ``scale`` field offers as chips."""
        return tuple(range(self.low or 0, (10 if self.high is None else self.high) + 1))


def _choices(enum: type[Enum]) -> tuple[tuple[str, str], ...]:
    return tuple((str(m.value), str(m.value).replace("_", " ")) for m in enum)


def _scale(low: int, high: int) -> tuple[tuple[str, str], ...]:
    return tuple((str(n), str(n)) for n in range(low, high + 1))


WHEN = FormField("at", "When", "when", hint="leave empty for now")
NOTE = FormField("note", "Note", "textarea")
ZERO_TO_TEN = "0 none, 10 the worst you can imagine"


def _score(noun: str) -> FormField:
    return FormField("score", noun, "scale", True, hint=ZERO_TO_TEN, low=0, high=10)


# Speciosa's own plain-words paraphrase of the seven Bristol types: the licence of the
# published wording is unclear (``licence`` of ``lewis-heaton-1997`` in sources.yaml).
BRISTOL = (
    ("1", "Type 1: hard, separate little lumps, hard to push out"),
    ("2", "Type 2: one firm log made of lumps"),
    ("3", "Type 3: a log with cracks along it"),
    ("4", "Type 4: a smooth, soft log"),
    ("5", "Type 5: soft pieces with sharp edges, easy to pass"),
    ("6", "Type 6: mushy, fluffy pieces with ragged edges"),
    ("7", "Type 7: all liquid, no solid pieces"),
)

FORMS: dict[str, tuple[str, tuple[FormField, ...]]] = {
    "dose": (
        "Dose",
        (
            FormField("amount", "Amount", required=True, hint="e.g. 3g, 500mg, 2caps, 1tsp"),
            FormField("product", "Product", "select"),
            FormField("batch", "Batch code", hint="optional"),
            WHEN,
        ),
    ),
    "sleep": (
        "Sleep diary (last night)",
        (
            FormField("at", "Got into bed", "when", True),
            FormField(
                "tried_to_sleep", "Tried to sleep", "when", hint="empty: when you got into bed"
            ),
            FormField("minutes_to_fall_asleep", "Minutes to fall asleep", "number", True, low=0),
            FormField("awakenings", "Times you woke (not the last)", "number", low=0),
            FormField("minutes_awake_in_night", "Minutes awake in the night", "number", low=0),
            FormField("final_awakening", "Final awakening", "when", True),
            FormField("out_of_bed", "Got out of bed", "when", hint="empty: at the final awakening"),
            FormField(
                "quality",
                "Sleep quality",
                "select",
                options=(
                    ("1", "1 very poor"),
                    ("2", "2 poor"),
                    ("3", "3 fair"),
                    ("4", "4 good"),
                    ("5", "5 very good"),
                ),
            ),
            FormField("rested", "How rested", "select", options=_scale(1, 5)),
            FormField("naps", "Naps yesterday", "number", low=0),
            FormField("nap_minutes", "Nap minutes", "number", low=0),
            FormField("alcohol_drinks", "Alcoholic drinks yesterday", "number", low=0),
            FormField("caffeine_drinks", "Caffeinated drinks yesterday", "number", low=0),
            FormField("sleep_aids", "Sleep aids", hint="comma separated"),
        ),
    ),
    "pain": (
        "Pain",
        (
            _score("Pain"),
            FormField("sites", "Where", hint="comma separated, e.g. back, neck"),
            FormField(
                "interference", "Got in the way of life", "scale", hint=ZERO_TO_TEN, low=0, high=10
            ),
            WHEN,
        ),
    ),
    "headache": (
        "Headache",
        (
            FormField("peak", "Worst pain", "scale", True, hint=ZERO_TO_TEN, low=0, high=10),
            FormField("at", "Started", "when", hint="leave empty for now"),
            FormField("end", "Ended", "when", hint="empty if it has not"),
            FormField("features", "Features", "checkboxes", options=_choices(HeadacheFeature)),
            FormField("acute_medication", "Medication taken", hint="comma separated"),
        ),
    ),
    "fatigue": (
        "Fatigue",
        (
            _score("Fatigue"),
            FormField(
                "energy", "Energy", "scale", hint="0 none, 10 full of energy", low=0, high=10
            ),
            WHEN,
        ),
    ),
    "soreness": (
        "Muscle soreness",
        (_score("Soreness"), FormField("sites", "Which muscles", hint="comma separated"), WHEN),
    ),
    "workout": (
        "Workout",
        (
            FormField("activity", "Activity", required=True, hint="e.g. run, weights, yoga"),
            FormField("minutes", "Minutes", "number", True, low=1),
            FormField("intensity", "Intensity", "select", options=_choices(Intensity)),
            WHEN,
        ),
    ),
    "bowel": (
        "Bowel movement",
        (
            FormField(
                "bristol",
                "Bristol type",
                "choice",
                True,
                options=BRISTOL,
                hint="Pick the picture in words that is closest",
            ),
            FormField("straining", "Had to strain", "checkbox"),
            FormField("incomplete", "Felt incomplete", "checkbox"),
            FormField("blockage", "Felt blocked", "checkbox"),
            FormField("manual", "Needed manual help", "checkbox"),
            FormField("laxative", "Brought on by a laxative or enema", "checkbox"),
            WHEN,
        ),
    ),
    "side_effect": (
        "Side effect",
        (
            FormField("symptom", "Symptom", "select", True, options=_choices(Symptom)),
            FormField(
                "severity",
                "Severity",
                "select",
                options=(
                    ("1", "1 mild"),
                    ("2", "2 moderate"),
                    ("3", "3 severe"),
                ),
            ),
            WHEN,
        ),
    ),
    "substance": (
        "Other substance or medication",
        (
            FormField("name", "What", required=True, hint="e.g. beer, gabapentin, coffee"),
            FormField(
                "substance_class",
                "Class",
                "select",
                options=(("", "look it up from the name"), *_choices(SubstanceClass)),
            ),
            FormField("amount", "Amount", hint="free text, e.g. 2 drinks, 300 mg"),
            WHEN,
        ),
    ),
    "questionnaire": (
        "Questionnaire",
        (
            FormField(
                "instrument",
                "Questionnaire",
                "select",
                True,
                options=tuple((q.id, q.name) for q in QUESTIONNAIRES.values()),
            ),
            FormField("items", "Answers", "items", True),
            WHEN,
        ),
    ),
}


def fields_of(kind: str) -> tuple[FormField, ...]:
    return (*FORMS[kind][1], NOTE)


def read_form(kind: str, form: FormData) -> dict[str, Any]:
    """The form's values as entry input: checkboxes as booleans, empty fields left out."""
    data: dict[str, Any] = {"kind": kind}
    for field in fields_of(kind):
        if field.type == "checkbox":
            data[field.name] = field.name in form
        elif field.type == "checkboxes":
            data[field.name] = [str(v) for v in form.getlist(field.name)]
        elif field.type == "items":
            answers = _answers(form, str(form.get("instrument", "")))
            if answers is not None:
                data["items"] = answers
        else:
            value = str(form.get(field.name, "")).strip()
            if value:
                data[field.name] = value
    return data


def item_name(number: int) -> str:
    """The form field of a questionnaire's item ``number`` (1-based)."""
    return f"item-{number}"


def _answers(form: FormData, instrument: str) -> list[str] | str | None:
    """A questionnaire's answers: one radio group per item (the page), or "1,0,2" (a script)."""
    typed = str(form.get("items", "")).strip()
    if typed:
        return typed
    questionnaire = QUESTIONNAIRES.get(instrument.lower())
    if questionnaire is None:
        return None
    return [str(form.get(item_name(i.number), "")).strip() for i in questionnaire.items]


def problems(kind: str, data: Mapping[str, Any]) -> dict[str, str]:
    """Every required answer missing and every chip outside its scale, by field, in the
    words of the form; empty when the input can go to the application layer."""
    found: dict[str, str] = {}
    for field in fields_of(kind):
        value = data.get(field.name)
        if field.type == "items":
            found |= _item_problems(data)
        elif field.required and value in (None, "", []):
            found[field.name] = _missing(field)
        elif field.type == "scale" and value is not None and not _on_scale(field, value):
            found[field.name] = f"{field.noun} must be from {field.low} to {field.high}"
    return found


def _missing(field: FormField) -> str:
    if field.type == "scale":
        return f"{field.noun}: choose a number from {field.low} to {field.high}"
    if field.type in ("choice", "select"):
        return f"{field.noun}: choose one"
    return f"{field.noun} is required"


def _on_scale(field: FormField, value: Any) -> bool:
    text = str(value).strip()
    return text.isdigit() and int(text) in field.scale


def _item_problems(data: Mapping[str, Any]) -> dict[str, str]:
    questionnaire = QUESTIONNAIRES.get(str(data.get("instrument", "")).lower())
    answers = data.get("items")
    if questionnaire is None or not isinstance(answers, list):
        return {}  # no questionnaire chosen (said beside its field), or answers typed as text
    found: dict[str, str] = {}
    for item, answer in zip(questionnaire.items, answers, strict=True):
        allowed = {str(o.value) for o in item.options}
        if answer not in allowed:
            found[item_name(item.number)] = f"Question {item.number}: choose an answer"
    return found


def problem_of(kind: str, detail: ErrorDetail) -> tuple[str, str] | None:
    """An application-layer error as (form field, message naming the field as labelled), or
    None when no field of this form is to blame (the message then goes above the form)."""
    field = _form_field(kind, detail.field or "")
    if field is None:
        return None
    rule = detail.message
    if field.type == "scale" and rule.startswith("must be"):
        rule = f"must be from {field.low} to {field.high}"
    return field.name, worded(field.noun, rule)


def worded(noun: str, rule: str) -> str:
    """A rule said of a field by its label: "Pain must be ...", "Amount: write a number ..."."""
    return f"{noun} {rule}" if rule.startswith(("must ", "is ", "has ")) else f"{noun}: {rule}"


# Model fields a form shows under another field (a dose's unit is typed with its amount).
_SHOWN_AS = {"unit": "amount", "grams": "amount", "spontaneous": "laxative", "kind": ""}


def _form_field(kind: str, path: str) -> FormField | None:
    first = path.split(".")[0]
    name = _SHOWN_AS.get(first, first)
    return next((f for f in fields_of(kind) if f.name == name), None)


def values_of(entry: EntryBase) -> dict[str, Any]:
    """A stored entry as form values (times on the entry's own wall clock)."""
    values: dict[str, Any] = {}
    for name, value in entry.model_dump().items():
        if isinstance(value, datetime):
            values[name] = clock.local(value, entry.zone).strftime("%Y-%m-%dT%H:%M")
        elif isinstance(value, tuple):
            values[name] = [str(v.value if isinstance(v, Enum) else v) for v in value]
        elif isinstance(value, Enum):
            values[name] = str(value.value)
        elif isinstance(value, bool):
            values[name] = value
        elif value is not None:
            values[name] = f"{value:g}" if isinstance(value, float) else str(value)
    if isinstance(entry, Dose):
        values["amount"] = f"{entry.amount:g}{entry.unit.value}"
    if isinstance(entry, Bowel):
        values["laxative"] = not entry.spontaneous
    return values


def text_value(values: Mapping[str, Any], name: str) -> str:
    """A value for a text input (lists joined with commas)."""
    value = values.get(name, "")
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return "" if value is None or isinstance(value, bool) else str(value)
