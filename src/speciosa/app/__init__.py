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
``sharing`` (links and what they show), ``journal_settings`` (profile, products) and
``accounts`` (sign-up, sign-in, sessions). Only this package and ``store`` touch the
database; the CLI, the web app and the report call these functions and render.
"""

from speciosa.app.unit import Journal, Speciosa, current_time, local_zone

__all__ = ["Journal", "Speciosa", "current_time", "local_zone"]
