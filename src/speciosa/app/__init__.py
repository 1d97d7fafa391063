"""The use cases every front end calls, over one unit of work.

    speciosa = Speciosa.open(url)                    # unit.py: the application
    with speciosa.journal(owner) as journal:         # one transaction, one person
        entries.log(journal, {"kind": "dose", "amount": "2caps", "product": "Red Bali"})
        today.today(journal)                         # Today: the last dose, limits, plans, alerts
        alerts.open_alerts(journal)                  # the safety rules, in the engine's order
        insights.insights(journal)                   # n-of-1 answers (with wearable nights)

Rooms: ``entries`` (log, edit, delete/undo, list, timeline), ``today``, ``alerts``,
``insights``, ``nights``, ``plans`` (design, save, change, pause/resume/end, view),
``data`` (import_any, exports, backup/restore, demo), ``report`` (a report's inputs),
``sharing`` (links and what they show), ``reminders`` (routine, due items, calendar
feed), ``journal_settings`` (profile, products) and
``accounts`` (sign-up, sign-in, sessions). Only this package and ``store`` touch the
database; the CLI, the web app and the report call these functions and render.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from speciosa.lazy import lazy_attributes

if TYPE_CHECKING:
    from speciosa.app.unit import Journal, Speciosa, current_time, local_zone

__all__ = ["Journal", "Speciosa", "current_time", "local_zone"]


# Loaded on first use: importing a light room such as ``speciosa.app.formats`` (the CLI
# does, at start-up) must not import the store and SQLAlchemy.
__getattr__ = lazy_attributes(__name__, dict.fromkeys(__all__, "speciosa.app.unit"))
