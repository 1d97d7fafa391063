"""The ``speciosa`` sub-commands, imported and built only when used.

Typer builds every command's options from its function signature each time the program
starts; with 40-odd commands that, and importing their modules, cost more than the whole of
``speciosa --version``. So the root group is a :class:`LazyGroup`: it knows each command by
where it lives and by the line ``speciosa --help`` shows for it, and imports and builds a
command only when it runs or shows its own help. ``speciosa log pain 4`` builds the ``log``
group and its ``pain`` command, nothing else.

To add a command, add a row to :data:`COMMANDS`: the module under ``speciosa.cli`` and the
function (or Typer sub-app, for a group of commands), then the first paragraph of its
docstring (or the sub-app's ``help``). ``tests/cli/test_startup.py`` checks that each row
names a real command and that the lines match, so ``--help`` cannot drift.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from copy import copy
from dataclasses import dataclass
from functools import partial
from importlib import import_module
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup
from typer.models import CommandInfo, TyperInfo

# name -> ("module:attribute" under speciosa.cli, the line shown by ``speciosa --help``)
COMMANDS: dict[str, tuple[str, str]] = {
    "log": ("log:log_app", "Record an entry (dose, sleep, pain, bowel, ...)."),
    "product": ("products:product_app", "Products, batches and lab results (COA)."),
    "plan": (
        "plan:plan_app",
        "Taper plans and personal experiments (you and your clinician choose; Speciosa "
        "does the arithmetic from your own log).",
    ),
    "init": (
        "profile:init",
        "Create or update your profile: time zone, bedtime, conditions, limits, medicines.",
    ),
    "list": ("entries:list_entries", "List entries with their ids (newest last)."),
    "edit": (
        "entries:edit",
        "Change an entry; it is validated again exactly as when it was logged.",
    ),
    "delete": ("entries:delete", "Delete an entry (it can be brought back with --undo)."),
    "today": (
        "entries:today",
        "The last dose, today's grams and doses against your limits, and open alerts.",
    ),
    "reminders": (
        "reminders:reminders_app",
        "Reminders: what is due now and next, your routine, and a private calendar feed.",
    ),
    "export": ("exchange:export", "Export the whole journal."),
    "import": (
        "exchange:import_",
        "Import a file from Speciosa, another app or a wearable; importing it again adds nothing.",
    ),
    "report": (
        "exchange:report",
        "A 2-4 page clinician report (PDF) for a period (default: the last 90 days).",
    ),
    "backup": (
        "data:backup",
        "Save a copy of the journal (SQLite online backup, or portable JSON), encrypted if asked.",
    ),
    "restore": (
        "data:restore",
        "Restore a backup; a journal that is not empty is replaced only with --replace.",
    ),
    "demo": (
        "data:demo",
        "Fill the journal with a simulated person (only an empty or demo journal).",
    ),
    "check": (
        "safety:check",
        "Safety alerts: risky combinations, limits, escalation, red flags and more.",
    ),
    "nights": ("nights:nights", "Your sleep diary beside your wearable's record, night by night."),
    "bowel": (
        "bowel:bowel",
        "Your bowel diary against the Rome IV constipation features, each with its share.",
    ),
    "insights": (
        "insights:insights",
        "Is it helping me? Personal (n-of-1) answers with honest uncertainty.",
    ),
    "serve": (
        "serve:serve",
        "Serve the web app and JSON API (open http://127.0.0.1:8000 in a browser).",
    ),
    "protocol": (
        "knowledge:protocol",
        "What the guides suggest for a condition, what to track, and what the evidence says.",
    ),
    "evidence": (
        "knowledge:evidence",
        "The claims the popular guides make, each with a verdict and its sources.",
    ),
    "questionnaire": (
        "knowledge:questionnaire",
        "Answer a published questionnaire; the response is stored with its score.",
    ),
}


def target(name: str) -> object:
    """The function or Typer sub-app behind command ``name`` (imports its module)."""
    module, attribute = COMMANDS[name][0].split(":")
    return getattr(import_module(f"speciosa.cli.{module}"), attribute)


@dataclass(frozen=True)
class Lazy:
    """A command not built yet: how to build it, and a stand-in that carries only what a
    group's ``--help`` lists (name, help, hidden), cheap to make."""

    build: Callable[[], Any]
    preview: Callable[[], Any]


class LazyCommands(MutableMapping[str, Any]):
    """A group's commands by name, each built on first look-up."""

    def __init__(self, sources: Mapping[str, Lazy], added: Mapping[str, Any]) -> None:
        self._sources = dict(sources)
        self._built: dict[str, Any] = dict(added)

    def __getitem__(self, name: str) -> Any:
        if name not in self._built:
            if name not in self._sources:
                raise KeyError(name)
            self._built[name] = self._sources[name].build()
        return self._built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        self._sources.pop(name, None)
        self._built.pop(name, None)

    def __contains__(self, name: object) -> bool:
        return name in self._sources or name in self._built

    def __iter__(self) -> Iterator[str]:
        yield from self._sources
        yield from (name for name in self._built if name not in self._sources)

    def __len__(self) -> int:
        return len(self._sources.keys() | self._built.keys())

    def preview(self, name: str) -> Any:
        """The command if built, else its stand-in (nothing is imported or built)."""
        if name in self._built:
            return self._built[name]
        return self._sources[name].preview()


class LazyGroup(TyperGroup):
    """A Typer group whose sub-commands are built when first used: the root group's from
    :data:`COMMANDS`, a sub-app's (``log``, ``plan``...) from its registered commands."""

    pretty_exceptions_short = True  # as typer.Typer's default

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = LazyCommands(self.lazy_commands(), self.commands)

    def lazy_commands(self) -> dict[str, Lazy]:
        """The root group's: every row of :data:`COMMANDS`."""
        return {
            name: Lazy(
                build=partial(self._build, name),
                preview=partial(TyperCommand, name=name, help=summary),
            )
            for name, (_, summary) in COMMANDS.items()
        }

    def _build(self, name: str) -> Any:
        from typer.main import get_command_from_info

        found = target(name)
        if isinstance(found, typer.Typer):
            return self._group(name, found)
        assert callable(found), f"{name}: {COMMANDS[name][0]} is not a command"
        return get_command_from_info(
            CommandInfo(name=name, callback=found),
            pretty_exceptions_short=self.pretty_exceptions_short,
            rich_markup_mode=self.rich_markup_mode,
        )

    def _group(self, name: str, app: typer.Typer) -> _SubGroup:
        """The group of sub-app ``app``, as typer makes it, with its commands built lazily."""
        from typer.main import get_command_from_info, get_command_name, get_group_from_info

        # Typer's own group for the sub-app (help, callback, settings), minus its commands.
        shell = copy(app)
        shell.registered_commands = []
        group = get_group_from_info(
            TyperInfo(shell, name=name, cls=_SubGroup),
            pretty_exceptions_short=self.pretty_exceptions_short,
            suggest_commands=self.suggest_commands,
            rich_markup_mode=self.rich_markup_mode,
        )
        assert isinstance(group, _SubGroup)
        sources: dict[str, Lazy] = {}
        for info in app.registered_commands:
            assert info.callback is not None
            sources[info.name or get_command_name(info.callback.__name__)] = Lazy(
                build=partial(
                    get_command_from_info,
                    info,
                    pretty_exceptions_short=self.pretty_exceptions_short,
                    rich_markup_mode=self.rich_markup_mode,
                ),
                preview=partial(_stand_in, info),
            )
        group.commands = LazyCommands(sources, {})
        return group

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)  # names only: listing builds nothing

    def summary_of(self, name: str, limit: int) -> str | None:
        """The line ``--help`` shows for ``name`` (None: hidden), without building it."""
        assert isinstance(self.commands, LazyCommands)
        command = self.commands.preview(name)
        if command.hidden:
            return None
        return str(command.get_short_help_str(limit))

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = [
            (name, help) for name in names if (help := self.summary_of(name, limit)) is not None
        ]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


class _SubGroup(LazyGroup):
    """A sub-app's group (``log``, ``plan``...): :meth:`LazyGroup._group` fills it."""

    def lazy_commands(self) -> dict[str, Lazy]:
        return {}


def _stand_in(info: CommandInfo) -> TyperCommand:
    """What a sub-app's ``--help`` lists for a command, without building its options."""
    text = inspect.getdoc(info.callback) if info.help is None else inspect.cleandoc(info.help)
    return TyperCommand(
        name=info.name,
        help=text,
        short_help=info.short_help,
        hidden=info.hidden,
        deprecated=info.deprecated,
    )
