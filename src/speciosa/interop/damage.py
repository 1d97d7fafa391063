"""How a file that does not parse is described: where, and whether it was cut short.

    except json.JSONDecodeError as exc:
        raise UnreadableFile(str(path), f"is not valid JSON: it {json_damage(exc)}") from None

Never quotes the file's content (it may be health data): only line numbers.
"""

from __future__ import annotations

import json


def json_damage(exc: json.JSONDecodeError) -> str:
    """``ends early at line 46 (the file was cut short?)`` or ``is damaged at line 3
    (expecting ',' delimiter)``: what follows "the JSON" or "it"."""
    # Cut short: nothing after the point of failure, or a string still open at the end.
    if not exc.doc[exc.pos :].strip() or exc.msg.startswith("Unterminated string"):
        last = exc.doc.rstrip().count("\n") + 1
        return f"ends early at line {last} (the file was cut short?)"
    return f"is damaged at line {exc.lineno} ({exc.msg[:1].lower()}{exc.msg[1:]})"
