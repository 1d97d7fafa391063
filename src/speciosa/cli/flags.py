"""Every command-line error as one line that names what the person typed.

The application layer names a bad value by the journal's field (``minutes_to_fall_asleep``,
``target_grams``); a person typed a flag (``--latency``, ``--grams``) or an argument
(``score``). :data:`FIELD_PARAMS` is the one table from a field to the command parameter(s)
it can come from when the names differ; :func:`flag_for` reads it against the command that
ran, so every command shares it (``tests/cli/test_flags.py`` walks every command and checks
that each field it validates has a flag). Click's own usage errors (a missing option, a
word where a number belongs, an unknown option) become the same one line, without the
usage block, by :func:`usage_line`.

Light on purpose: imported by ``speciosa --help`` (typer and the standard library only).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from typer._click import exceptions as click_errors
from typer._click.core import Command, Context, Parameter

from speciosa.errors import InvalidInput, SpeciosaError

# field (as the application names it) -> the parameter names it is typed with, first found
# wins; a field whose parameter has the same name needs no row.
FIELD_PARAMS: dict[str, tuple[str, ...]] = {
    # log sleep: the Consensus Sleep Diary items are asked as wall times and counts
    "at": ("bed",),  # getting into bed is the entry's time (and decides the night)
    "tried_to_sleep": ("tried",),
    "final_awakening": ("woke",),
    "out_of_bed": ("up",),
    "minutes_to_fall_asleep": ("latency",),
    "minutes_awake_in_night": ("awake",),
    "terminal_wake_minutes": ("early_wake",),
    "alcohol_drinks": ("alcohol",),
    "caffeine_drinks": ("caffeine",),
    "sleep_aids": ("sleep_aid",),
    # repeated options are named in the singular
    "sites": ("site",),
    "features": ("feature",),
    "acute_medication": ("medication",),
    "conditions": ("condition",),
    "goals": ("goal",),
    "medications": ("medication",),
    "health_conditions": ("health",),
    # log dose: the unit comes from the amount; capsule and spoon weights from the product
    "unit": ("amount",),
    "grams": ("amount",),
    "grams_per_capsule": ("product",),
    "grams_per_teaspoon": ("product",),
    "grams_per_tablespoon": ("product",),
    "spontaneous": ("laxative",),
    # questionnaires: ``log questionnaire --items``, ``questionnaire --answers``
    "items": ("answers",),
    # init: the personal limits
    "limits.grams_per_day": ("limit_grams",),
    "limits.doses_per_day": ("limit_doses",),
    "limits.use_days_per_week": ("limit_days",),
    "limits.agreed_with_clinician": ("limits_agreed",),
    "limits": ("limit_grams", "limit_doses", "limit_days"),
    # plan taper / change
    "target_grams": ("grams",),
    "target_doses": ("doses",),
    # product batch: the lab certificate
    "mitragynine_mg_per_g": ("mitragynine",),
    "hydroxymitragynine_mg_per_g": ("hydroxymitragynine",),
    "heavy_metals_pass": ("heavy_metals",),
    "microbial_pass": ("microbial",),
    "result": ("passed",),
    # product edit: the new name
    "name": ("new_name",),
}


def parameter_name(param: Parameter) -> str:
    """How the person typed ``param``: its long flag (``--latency``) or its argument name."""
    if param.param_type_name == "option":
        long = [opt for opt in param.opts if opt.startswith("--")]
        return (long or param.opts)[0]
    return str(param.name)


def _candidates(field: str) -> list[str]:
    """``limits.use_days_per_week`` -> itself, then ``use_days_per_week``, each with its
    aliases (a ``product.`` or ``batch.`` prefix is the application's, never typed)."""
    parts = field.split(".")
    names: list[str] = []
    for start in range(len(parts)):
        tail = ".".join(parts[start:])
        names += [tail, *FIELD_PARAMS.get(tail, ())]
    return names


def flag_for(command: Command, field: str) -> str | None:
    """The flag or argument of ``command`` that ``field`` was typed with, if any."""
    params = {p.name: p for p in command.params if p.name is not None}
    for name in _candidates(field):
        for typed in (name, f"{name}_"):  # ``from_``, ``set_``: Python keywords as parameters
            if typed in params:
                return parameter_name(params[typed])
    if "set_" in params and field.isidentifier():
        return f"--set {field}"  # speciosa edit ID --set FIELD=VALUE
    return None


def leaf_command(ctx: Context, args: Sequence[str]) -> Command:
    """The command ``args`` (what followed the root's options) ran: ``log`` then ``sleep``."""
    command: Command = ctx.command
    rest = list(args)
    while rest and hasattr(command, "commands"):
        found = command.commands.get(rest.pop(0))
        if not isinstance(found, Command):
            break
        command = found
    return command


def error_line(exc: SpeciosaError, command: Command) -> str:
    """``exc`` on one line, its field replaced by the flag the person typed."""
    text = " ".join(str(exc).split())
    field = getattr(exc, "field", None)
    if field is None:
        return text
    flag = flag_for(command, str(field))
    if flag is None or flag == field:
        return text
    if flag.startswith("--set ") and not isinstance(exc, InvalidInput):
        return text  # "entry: 99 not found" is about the id, not a field being set
    if isinstance(exc, InvalidInput):
        own_name = flag.lstrip("-").replace("-", "_") == str(field).split(".")[-1]
        if exc.value is None and not own_name:
            # A field the flag leads to (a product's capsule weight for --product) has no
            # value; the rule says what is missing.
            return f"{flag}: {' '.join(exc.allowed.split())}"
        return " ".join(str(InvalidInput(flag, exc.value, exc.allowed)).split())
    prefix = f"{field}:"
    return f"{flag}:{text[len(prefix) :]}" if text.startswith(prefix) else text


# pydantic's error types (what typer reports for a value of the wrong type) in plain words;
# the limits come from the error's context (``ge``, ``le``...).
_PLAIN = {
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_parsing": "must be a number",
    "bool_parsing": "must be yes or no",
    "greater_than_equal": "must be at least {ge}",
    "less_than_equal": "must be at most {le}",
    "greater_than": "must be more than {gt}",
    "less_than": "must be less than {lt}",
}


def _plain(error: Mapping[str, Any]) -> str:
    """One of pydantic's errors as a rule in plain words."""
    rule = _PLAIN.get(str(error["type"]))
    if rule is None:
        return str(error["msg"]).lower()
    try:
        return rule.format(**error.get("ctx", {}))
    except KeyError:
        return rule


def usage_line(exc: click_errors.UsageError) -> str:
    """A usage error (missing option, wrong type, unknown option) on one line."""
    if isinstance(exc, click_errors.BadParameter) and exc.param is not None:
        return _bad_parameter(exc, exc.param)
    if isinstance(exc, click_errors.NoSuchOption):
        near = (
            f"; did you mean {', '.join(sorted(exc.possibilities))}?" if exc.possibilities else ""
        )
        where = f"'{exc.ctx.command_path} --help'" if exc.ctx else "--help"
        return f"{exc.option_name}: no such option{near} (see {where})"
    if isinstance(exc, click_errors.BadOptionUsage):
        if "requires" in exc.message:
            return f"{exc.option_name}: needs a value"
        said = exc.message.removeprefix(f"Option '{exc.option_name}' ").rstrip(".")
        return f"{exc.option_name}: {said}"
    text = " ".join(exc.format_message().split())
    if exc.ctx is not None:
        text += f" (see '{exc.ctx.command_path} --help')"
    return text


def _bad_parameter(exc: click_errors.BadParameter, param: Parameter) -> str:
    name = parameter_name(param)
    help_text = getattr(param, "help", None)
    wanted = f"; {help_text}" if help_text else ""
    if isinstance(exc, click_errors.MissingParameter):
        return str(InvalidInput(name, None, f"is required{wanted}"))
    value, rule = _value_and_rule(exc, param)
    if _choices(param):
        wanted = ""  # the rule lists the choices already
    return " ".join(str(InvalidInput(name, value, f"{rule}{wanted}")).split())


def _value_and_rule(exc: click_errors.BadParameter, param: Parameter) -> tuple[Any, str]:
    """The value typed and the rule it broke, from pydantic's error behind typer's."""
    cause = exc.__cause__
    errors = getattr(cause, "errors", None)
    if callable(errors):
        first = errors(include_url=False)[0]
        choices = _choices(param)
        rule = f"must be one of {', '.join(choices)}" if choices else _plain(first)
        return first.get("input"), rule
    return None, exc.format_message().removeprefix("Invalid value: ")


def _choices(param: Parameter) -> list[str]:
    descriptor = getattr(param, "type_descriptor", None)
    if descriptor is None or not descriptor.is_choice or not descriptor.choices:
        return []
    return [str(getattr(c, "value", c)) for c in descriptor.choices]


class OneLineError(click_errors.ClickException):
    """What the root command raises for any error: shown as ``error: ...`` on stderr."""

    def __init__(self, line: str, exit_code: int) -> None:
        super().__init__(line)
        self.exit_code = exit_code

    def show(self, file: Any = None) -> None:
        from typer import echo

        echo(f"error: {self.format_message()}", err=True)
