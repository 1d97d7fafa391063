"""A checker for text that recommends an amount of kratom (design rule 3: never prescribe).

Other modules run every sentence they can show a person through :func:`recommends_amount`
in their tests. The patterns target *instructions* ("take 3 g", "start with 2 capsules",
"4-6 g is ideal"); *reports* of what studies found ("surveys report 1–3 g as the most
common dose") are allowed, because Speciosa shows literature as literature.
"""

from __future__ import annotations

import re

_NUMBER = (
    r"(?:\d+(?:[.,]\d+)?|half|a\s+half|one|two|three|four|five|six|seven|eight|nine|ten|"
    r"a\s+couple\s+of|a\s+few)"
)
_RANGE = rf"{_NUMBER}(?:\s*(?:-|–|—|to)\s*{_NUMBER})?"
_UNIT = (
    r"(?:g|gr|grams?|gms?|mg|milligrams?|kg|capsules?|caps|pills?|tablets?|tabs|"
    r"teaspoons?|tsps?|tablespoons?|tbsps?|scoops?|spoonfuls?)\b"
)
_AMOUNT = rf"{_RANGE}\s*{_UNIT}"

FORBIDDEN_PATTERNS: dict[str, re.Pattern[str]] = {
    name: re.compile(pattern, re.IGNORECASE)
    for name, pattern in {
        "take an amount": rf"\b(?:take|taking|have|use|consume|swallow|mix)\s+"
        rf"(?:(?:about|around|roughly|approximately|only|just|no\s+more\s+than|up\s+to|"
        rf"at\s+least|between)\s+)?{_AMOUNT}",
        "dose of an amount": rf"\bdos(?:e|age)\s+(?:of|is|should\s+be|:)\s*"
        rf"(?:(?:about|around|roughly)\s+)?{_AMOUNT}",
        "an amount is best": rf"{_AMOUNT}\s+(?:is|are|seems|should\s+be)\s+(?:(?:usually|generally|"
        rf"often|the)\s+)?(?:safe|safest|best|ideal|recommended|enough|optimal|right|perfect|"
        rf"fine|ok|okay)\b",
        "start with an amount": rf"\b(?:start|begin|starting|beginning)\s+(?:with|at|on|"
        rf"around|from)\s+(?:(?:about|around|roughly|just|only)\s+)?{_AMOUNT}",
        "change to an amount": rf"\b(?:increase|raise|go\s+up|bump|step\s+up|decrease|reduce|"
        rf"lower|drop|cut|taper|work\s+up)\s+(?:it\s+|your\s+dose\s+)?(?:to|by)\s+{_AMOUNT}",
        "try an amount": rf"\btry\s+(?:(?:about|around|only|just)\s+)?{_AMOUNT}",
        "limit at an amount": rf"\b(?:do\s+not|don't|never)\s+(?:exceed|go\s+(?:over|above|"
        rf"beyond)|take\s+more\s+than)\s+{_AMOUNT}",
        "stay under an amount": rf"\b(?:stay|keep\s+it|keep)\s+(?:under|below|within)\s+{_AMOUNT}",
        "recommended amount": rf"\b(?:recommended|ideal|optimal|safe|suggested|starting|"
        rf"effective)\s+(?:dose|dosage|amount|serving(?:\s+size)?)\s+(?:is|of|:|would\s+be)\s*"
        rf"(?:(?:about|around|roughly)\s+)?{_AMOUNT}",
        "you should amount": rf"\b(?:you\s+(?:should|could|can|may|might)|we\s+recommend|"
        rf"i\s+recommend|we\s+suggest)\s+(?:\w+\s+){{0,3}}{_AMOUNT}",
    }.items()
}


def recommends_amount(text: str) -> str | None:
    """Return the offending fragment if ``text`` tells someone how much kratom to take.

    The result names the rule and quotes the text, e.g. ``"take an amount: 'take 3 g'"``;
    ``None`` means no pattern matched. Conservative on purpose: a literature sentence phrased
    like an instruction ("participants take 3 g") is flagged too, so write it as a report
    ("participants received 3 g").
    """
    for name, pattern in FORBIDDEN_PATTERNS.items():
        match = pattern.search(text)
        if match:
            return f"{name}: {match.group(0)!r}"
    return None
