"""The entry forms, described as data: one field list per kind, rendered by one
template (``templates/entry_form.html``) and read back by :func:`read_form` into the input that
:func:`speciosa.app.entries.build_entry` validates, the same input the API accepts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any, Literal

from starlette.datastructures import FormData

from speciosa.instruments.questionnaires import QUESTIONNAIRES
from speciosa.journal import clock
from speciosa.journal.catalogues import HeadacheFeature, Intensity, SubstanceClass, Symptom
from speciosa.journal.models import Bowel, Dose, EntryBase

FieldType = Literal["text", "number", "when", "select", "checkbox", "checkboxes", "textarea"]


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


def _choices(enum: type[Enum]) -> tuple[tuple[str, str], ...]:
    return tuple((str(m.value), str(m.value).replace("_", " ")) for m in enum)


def _scale(low: int, high: int) -> tuple[tuple[str, str], ...]:
    return tuple((str(n), str(n)) for n in range(low, high + 1))


WHEN = FormField("at", "When", "when", hint="leave empty for now")
NOTE = FormField("note", "Note", "textarea")
SCORE = FormField("score", "Score (0 none – 10 worst)", "number", True, low=0, high=10)
BRISTOL = (
    ("1", "1 – separate hard lumps"),
    ("2", "2 – lumpy, sausage-shaped"),
    ("3", "3 – sausage with cracks"),
    ("4", "4 – smooth, soft sausage"),
    ("5", "5 – soft blobs, clear edges"),
    ("6", "6 – mushy, ragged edges"),
    ("7", "7 – watery, no solid pieces"),
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
            SCORE,
            FormField("sites", "Where", hint="comma separated, e.g. back, neck"),
            FormField("interference", "Got in the way of life (0–10)", "number", low=0, high=10),
            WHEN,
        ),
    ),
    "headache": (
        "Headache",
        (
            FormField("peak", "Worst pain (0–10)", "number", True, low=0, high=10),
            FormField("at", "Started", "when", hint="leave empty for now"),
            FormField("end", "Ended", "when", hint="empty if it has not"),
            FormField("features", "Features", "checkboxes", options=_choices(HeadacheFeature)),
            FormField("acute_medication", "Medication taken", hint="comma separated"),
        ),
    ),
    "fatigue": (
        "Fatigue",
        (SCORE, FormField("energy", "Energy (0–10)", "number", low=0, high=10), WHEN),
    ),
    "soreness": (
        "Muscle soreness",
        (SCORE, FormField("sites", "Which muscles", hint="comma separated"), WHEN),
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
            FormField("bristol", "Bristol type", "select", True, options=BRISTOL),
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
            FormField(
                "items", "Answers in order", required=True, hint="comma separated, e.g. 1,0,2,1,0"
            ),
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
        else:
            value = str(form.get(field.name, "")).strip()
            if value:
                data[field.name] = value
    return data


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
