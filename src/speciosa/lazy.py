"""Names a package exports but loads on first use (PEP 562).

Start-up matters for the command line: ``speciosa --version`` must not import SQLAlchemy,
pandas or the knowledge YAML. A package lists where each exported name lives and hands
the look-up to this module, so the rule (import on first use, then remember) is written once.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from importlib import import_module
from typing import Any


def lazy_attributes(package: str, homes: Mapping[str, str]) -> Callable[[str], Any]:
    """A module-level ``__getattr__`` for ``package``: ``homes`` maps a name to its module."""

    def load(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(home), name)
        setattr(sys.modules[package], name, value)  # later look-ups skip this function
        return value

    return load
