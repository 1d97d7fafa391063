"""A checker for text that recommends an amount of kratom (design rule 3: never prescribe).

Other modules run every sentence they can show a person through :func:`recommends_amount`
in their tests. The patterns target *instructions* ("take 3 g", "start with 2 capsules",
"4-6 g is ideal"); *reports* of what studies found ("surveys report 1–3 g as the most
common dose") are allowed, because Speciosa shows literature as literature.

Advice without a number is an instruction about amount too: "start low", "take a small
amount", "increase gradually as needed", "a teaspoon before bed", "adhere to recommended
serving sizes". Those patterns match the *base form* of the verb (imperative, or after
"should"/"can"), so Speciosa's own neutral words ("your logged amount", "log the amount",
"a gradual increase in grams per day") and reports in the gerund ("the guide's advice of
starting low and increasing gradually") pass.
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

# Non-numeric amounts: "a small amount", "a low dose", "lower doses", "the lowest dose".
_SIZE = (
    r"(?:small|smaller|smallest|low|lower|lowest|little|tiny|light|lighter|modest|minimal|"
    r"moderate|mild|high|higher|large|larger|bigger|big|full|strong|stronger)"
)
_VAGUE_AMOUNT = (
    rf"(?:(?:a|an|the|your|some|only|just|very)\s+){{0,2}}{_SIZE}\s+(?:(?:starting|effective|"
    r"bedtime|evening|night-?time|morning|daily|single|initial)\s+)?(?:amounts?|doses?|dosages?|"
    r"servings?|quantit(?:y|ies)|portions?|bits?)\b"
)
_UNIT_WORD = (
    r"(?:teaspoons?|tsps?|tablespoons?|tbsps?|scoops?|spoonfuls?|capsules?|caps|pills?|"
    r"tablets?|grams?|g|gr|milligrams?|mg|cups?|glass(?:es)?)\b"
)
_ONE_UNIT = (
    rf"(?:a|an|one|half\s+a|a\s+half|a\s+single)\s+(?:level\s+|heaped\s+|small\s+)?{_UNIT_WORD}"
)
# Where an instruction starts: the beginning of the text or of a clause, or after a modal,
# "to" or "you". A base-form verb after a noun ("people who use larger amounts", "doses
# increase gradually") is a report and does not match.
_CLAUSE = (
    r"(?:^|(?<=[.;:!?,(\"\u201c\u2014\u2013])|\b(?:and|then|or|but|so|should|can|could|may|"
    r"might|must|to|please|always|simply|just|you|we|i)\b)\s*"
)
_WHEN = (
    r"(?:before|at|in\s+the|every|each|per|a\s+day|daily|twice|once|with|after|about\s+an?\s+hour|"
    r"an\s+hour|30\s+minutes)"
)

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
        # --- advice about amount without a number: a base-form verb starting a clause ---------
        "start low": rf"{_CLAUSE}(?:start|begin)\s+(?:(?:very|really|quite)\s+)?"
        r"(?:low|small|light)\b",
        "take a vague amount": rf"{_CLAUSE}(?:take|have|use|consume|swallow|try|"
        rf"(?:start|begin)\s+(?:with|at|on)|stick\s+(?:to|with)|stay\s+(?:at|with|on)|keep\s+to|"
        rf"opt\s+for|choose|prefer|go\s+for|aim\s+for|settle\s+on)\s+{_VAGUE_AMOUNT}",
        "take a unit": rf"{_CLAUSE}(?:take|have|use|consume|swallow|try|mix|stir|add|"
        rf"(?:start|begin)\s+with)\s+(?:(?:just|only|about|around|roughly)\s+)?{_ONE_UNIT}",
        "a unit at a time of day": rf"\b{_ONE_UNIT}\s+(?:of\s+(?:kratom|powder|it)\s+)?{_WHEN}\b",
        "keep the amount low": rf"{_CLAUSE}keep\s+(?:the\s+|your\s+|all\s+)?(?:amounts?|doses?|"
        r"dosages?|servings?|intake|use)\s+(?:very\s+)?(?:low|small|down|light|minimal|modest|"
        r"moderate)\b",
        "increase gradually": rf"{_CLAUSE}(?:(?:gradually|slowly|carefully)\s+)?(?:increase|raise|"
        r"build\s+up|work\s+up|titrate(?:\s+up)?|go\s+up|step\s+up|up)\b(?:\s+(?:it|them|"
        r"(?:the|your)\s+(?:dose|dosage|amount|intake|serving)s?))?\s+(?:(?:very\s+)?(?:gradually|"
        r"slowly|carefully|bit\s+by\s+bit|little\s+by\s+little|step\s+by\s+step|over\s+time)|"
        r"(?:as|if|when)\s+(?:needed|necessary|required))",
        "gradually increase": rf"{_CLAUSE}(?:gradually|slowly|carefully)\s+(?:increase|raise|"
        r"build\s+up|work\s+up|titrate\s+up|go\s+up|step\s+up)\b",
        "increase the dose": rf"{_CLAUSE}(?:increase|raise|double|up)\s+(?:the|your)\s+(?:dose|"
        r"dosage|amount|serving)s?\b(?!\s+(?:frequency|count))",
        "follow a recommended amount": rf"{_CLAUSE}(?:adhere\s+to|stick\s+to|follow|respect|obey|"
        r"stay\s+(?:within|under|below)|keep\s+(?:to|within|under|below)|(?:do\s+not|don't|never)"
        r"\s+exceed|exceed)\s+(?:the\s+|any\s+)?(?:recommended|suggested|labell?ed|label|proper|"
        r"safe|appropriate|advised|right|correct|standard|manufacturer's|vendor's)\s+"
        r"(?:doses?|dosages?|servings?(?:\s+sizes?)?|amounts?|quantit(?:y|ies))\b",
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
            return f"{name}: {match.group(0).strip()!r}"
    return None
