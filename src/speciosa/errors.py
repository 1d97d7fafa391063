"""The exceptions Speciosa raises at its boundaries.

Every SpeciosaError in the package (module under ``speciosa``), with the CLI exit code
(``cli/app.py``: a Fault 1, any other 2) and the HTTP status (``web/errors.py``
``status_of``):

                               module             exit HTTP
SpeciosaError                  errors             2    400  base class: callers catch this
├── InvalidInput               errors             2    422  bad input: names the field, the
│   │                                                       value and what is allowed
│   ├── UnreadableFile         errors             2    422  a file that does not parse as its
│   │                                                       format (says where; never quotes it)
│   └── InstrumentInputError   instruments.errors 2    422  input a scale cannot score (also
│                                                           a ValueError)
├── NotFound                   errors             2    404  an id or name this person does not have
├── Conflict                   errors             2    409  the request clashes with what is stored
├── ShareRefused               errors             2    410  a share link expired or revoked
├── SignInFailed               errors             2    401  wrong username or password
└── Fault                      errors             1    503  not the person's input: the system
    ├── DatabaseUnavailable    errors             1    503  the database could not be opened
    ├── JournalBusy            errors             1    503  another program holds the journal
    │                                                       (the answer has Retry-After)
    ├── DiskFull               errors             1    503  the disk is full; nothing was written
    ├── NewerJournal           errors             1    503  written by a newer Speciosa
    ├── DamagedFile            errors             1    422  a file given to import or restore is
    │                                                       damaged (names the file)
    └── KnowledgeFileError     knowledge.loader   1    500  a knowledge file cannot be used

``store/faults.py`` turns the database's and the disk's errors (locked, full, malformed)
into these Faults at the store's edge, so no front end ever shows a traceback or the SQL
(and its parameters: health data) behind one.

``FieldProblem`` (below) is a ValueError raised inside model validators, not a SpeciosaError;
``from_validation_error`` turns it into an InvalidInput.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from speciosa.journal.catalogues import ENTRY_KINDS

if TYPE_CHECKING:  # pydantic is not needed to raise or report an error (CLI start-up)
    from pydantic import ValidationError


class SpeciosaError(Exception):
    """Base class for every error Speciosa reports to a person."""


class InvalidInput(SpeciosaError):
    """A value that cannot be accepted, with the field it was given for."""

    def __init__(self, field: str, value: Any, allowed: str) -> None:
        self.field = field
        self.value = value
        self.allowed = allowed
        super().__init__(f"{field}: {_show(value)} is not allowed; {allowed}")


class UnreadableFile(InvalidInput):
    """A file that does not parse as its format (broken JSON, another text encoding):
    ``file: 'x.json' is not valid JSON: the JSON ends early at line 46 ...``. ``path`` is
    None where the file's name is not known (a parsed request body)."""

    def __init__(self, path: str | None, problem: str) -> None:
        self.field = "file"
        self.value = path
        self.allowed = problem
        SpeciosaError.__init__(self, f"file: {path!r} {problem}" if path else f"file: {problem}")


class NotFound(SpeciosaError):
    """Something referred to by id or name that this person does not have."""

    def __init__(self, what: str, key: Any, hint: str = "") -> None:
        self.field = what
        self.value = key
        message = f"{what}: {_show(key)} not found"
        super().__init__(f"{message}; {hint}" if hint else message)


class Conflict(SpeciosaError):
    """An operation that would break what is already stored."""


class ShareRefused(SpeciosaError):
    """A share link that exists but may no longer be used (expired or revoked)."""


class SignInFailed(SpeciosaError):
    """The username or password is wrong (never says which)."""

    field = "password"
    value = None


class Fault(SpeciosaError):
    """Something went wrong that the person's input did not cause (exit 1, HTTP 5xx)."""


class DatabaseUnavailable(Fault):
    """The database named could not be opened or reached."""


class JournalBusy(Fault):
    """Another program held the journal longer than the busy timeout; retrying may work."""

    retry_after = 5  # seconds: the web's Retry-After

    def __init__(self) -> None:
        super().__init__(
            "db: the journal is busy (another program or window is writing to it); "
            "nothing was changed; try again in a moment"
        )


class DiskFull(Fault):
    """The disk (or the database's size limit) is full; the write was rolled back."""

    def __init__(self) -> None:
        super().__init__("disk: the disk is full; the journal is unchanged; free some space")


class NewerJournal(Fault):
    """The journal (or a backup) holds a schema revision this version does not know."""

    def __init__(self, revision: str, what: str = "this journal") -> None:
        self.revision = revision
        super().__init__(
            f"db: {what} was written by a newer version of Speciosa (schema {revision}); "
            "upgrade Speciosa; nothing was changed"
        )


class DamagedFile(Fault):
    """A file given to import or restore is damaged (truncated, corrupt): names the file."""

    def __init__(self, path: str, problem: str) -> None:
        self.field = "file"
        self.value = path
        super().__init__(f"file: {path!r} {problem}")


@dataclass(frozen=True)
class ErrorDetail:
    """What every front end shows of an error: the field as the person typed it, the value,
    the rule (``message``) and the whole sentence (``full``)."""

    field: str | None
    value: Any
    message: str
    full: str


def detail_of(exc: SpeciosaError) -> ErrorDetail:
    """The one reading of an error, for a CLI line, a JSON body or a form's inline message."""
    field = getattr(exc, "field", None)
    message = exc.allowed if isinstance(exc, InvalidInput) else str(exc)
    return ErrorDetail(
        None if field is None else str(field), getattr(exc, "value", None), message, str(exc)
    )


def _show(value: Any) -> str:
    if value is None:
        return "(missing)"
    return repr(value) if isinstance(value, str) else str(value)


class FieldProblem(ValueError):
    """Raised inside model validators so a cross-field rule still names its field."""

    def __init__(self, field: str, value: Any, allowed: str) -> None:
        self.field = field
        self.value = value
        super().__init__(allowed)


def from_validation_error(exc: ValidationError, *, prefix: str = "") -> InvalidInput:
    """Turn pydantic's first error into one InvalidInput naming field, value and rule."""
    return invalid_input_of(exc.errors(include_url=False)[0], prefix=prefix)


def invalid_input_of(first: Mapping[str, Any], *, prefix: str = "") -> InvalidInput:
    """One of pydantic's error dicts (``loc``, ``msg``, ``input``) as an InvalidInput; the web
    app reads FastAPI's request errors with it, so both say the same thing."""
    problem = first.get("ctx", {}).get("error")
    if isinstance(problem, FieldProblem):
        field = f"{prefix}.{problem.field}" if prefix else problem.field
        return InvalidInput(field, problem.value, str(problem))
    location = ".".join(str(part) for part in first["loc"] if not _is_union_tag(part))
    field = f"{prefix}.{location}" if prefix and location else (prefix or location or "input")
    return InvalidInput(field, first.get("input"), plain_rule(first))


def plain_rule(first: Mapping[str, Any]) -> str:
    """The rule a pydantic error broke, in plain words ("must be 10 or less"), never
    pydantic's own wording ("input should be less than or equal to 10")."""
    ctx = first.get("ctx") or {}
    kind = str(first.get("type", ""))
    template = _PLAIN_RULES.get(kind)
    if template is not None:
        try:
            return template.format(**{k: _number(v) for k, v in ctx.items()})
        except (KeyError, IndexError):
            pass  # a rule whose context pydantic did not give: fall back to its text
    if kind == "string_too_short" and ctx.get("min_length") == 1:
        return "must not be empty"
    message = str(first["msg"]).removeprefix("Value error, ")
    message = message.replace("Input should be", "must be").replace("input should be", "must be")
    return message[:1].lower() + message[1:]


def _number(value: Any) -> Any:
    """5.0 as "5", 0.25 as "0.25"; anything else unchanged."""
    return f"{value:g}" if isinstance(value, float) else value


# pydantic's error types (https://docs.pydantic.dev/latest/errors/validation_errors/) in
# the words a person understands; ``{...}`` are the error's context values.
_PLAIN_RULES: dict[str, str] = {
    "missing": "must be given",
    "greater_than_equal": "must be {ge} or more",
    "less_than_equal": "must be {le} or less",
    "greater_than": "must be more than {gt}",
    "less_than": "must be less than {lt}",
    "int_parsing": "must be a whole number",
    "int_type": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_parsing": "must be a number",
    "float_type": "must be a number",
    "bool_parsing": "must be yes or no",
    "bool_type": "must be yes or no",
    "string_too_long": "must be at most {max_length} characters",
    "string_pattern_mismatch": "is not in the expected form",
    "enum": "must be one of {expected}",
    "literal_error": "must be one of {expected}",
    "extra_forbidden": "is not a known field",
    "datetime_parsing": "must be a date and time",
    "datetime_from_date_parsing": "must be a date and time",
    "date_parsing": "must be a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "must be a date (YYYY-MM-DD)",
    "too_short": "must have at least {min_length} items",
    "too_long": "must have at most {max_length} items",
}


def _is_union_tag(part: Any) -> bool:
    # pydantic puts the discriminator value ("dose", "pain"...) in the location of
    # tagged-union errors; the person never typed it, so it only adds noise.
    return isinstance(part, str) and part in _ENTRY_KIND_TAGS


_ENTRY_KIND_TAGS = frozenset(ENTRY_KINDS)
