"""Share links in the web: the URL a token opens, the coarse address of whoever tries one,
the access log in words, and the link view's sections (the links themselves, and the report
inputs a link shows, are :mod:`speciosa.app.sharing`'s)."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

import ua_parser
from fastapi import Request

from speciosa.app.report import ReportInputs
from speciosa.app.sharing import Access
from speciosa.journal.models import EntryBase
from speciosa.report.document import QUESTION_WORDS
from speciosa.report.summary import (
    ProductRow,
    QuestionnaireRow,
    UseSummary,
    in_period,
    other_substances,
    product_rows,
    questionnaire_rows,
    unwrap,
    use_summary,
)

# Enough to tell one network from another in an audit, not to single out a person:
# an IPv4 /24 (256 addresses) or an IPv6 /48 (a site's whole allocation).
IPV4_PREFIX = 24
IPV6_PREFIX = 48


def url(request: Request, token: str) -> str:
    """The read-only page a clinician opens (``/s/{token}``) on this server.

    The Host header it is built from is one of ``allowed_hosts`` (the trusted-host
    middleware refuses others), so a forged Host cannot put another site in a link.
    """
    return str(request.url_for("shared_page", token=token))


def coarse_address(request: Request) -> str | None:
    """The caller's network (``203.0.113.0/24``, ``2001:db8:1::/48``), never its address."""
    host = request.client.host if request.client else None
    if not host:
        return None
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return None
    prefix = IPV4_PREFIX if address.version == 4 else IPV6_PREFIX
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


# --------------------------------------------------------------------------- access log


@dataclass(frozen=True)
class LogRow:
    """One opening of a link as the Sharing page shows it."""

    at: datetime
    link: str
    what: str
    device: str
    network: str | None


def log_rows(accesses: Sequence[Access]) -> list[LogRow]:
    return [
        LogRow(
            at=a.at,
            link=a.label or f"#{a.share_id}",
            what=a.what,
            device=device_words(a.user_agent),
            # The accounts' coarse network (a /24 or /48), where the store keeps it.
            network=getattr(a, "client_net", None),
        )
        for a in accesses
    ]


# ua-parser's families that read better in words ("Mobile Safari" is just Safari to a person).
_BROWSER_WORDS = {
    "Mobile Safari": "Safari",
    "Mobile Safari UI/WKWebView": "an app's browser",
    "Chrome Mobile": "Chrome",
    "Chrome Mobile iOS": "Chrome",
    "Chrome Mobile WebView": "an app's browser",
    "Firefox Mobile": "Firefox",
    "Firefox iOS": "Firefox",
    "Edge Mobile": "Edge",
    "HeadlessChrome": "Chrome (automated)",
    "Samsung Internet": "Samsung Internet",
}
_OS_WORDS = {"Mac OS X": "a Mac", "macOS": "a Mac", "Chrome OS": "a Chromebook"}
_DEVICES = ("iPhone", "iPad")


@lru_cache(maxsize=512)
def device_words(user_agent: str | None) -> str:
    """ "Firefox on Windows", "Safari on iPhone", "Chrome on Android"; "a program (curl)"."""
    if not user_agent:
        return "unknown browser"
    found = ua_parser.parse(user_agent)
    browser = found.user_agent.family if found.user_agent else None
    system = found.os.family if found.os else None
    device = found.device.family if found.device else None
    if browser in (None, "Other"):
        # Not a browser: a script or a link preview; its first word says which.
        name = user_agent.split("/", 1)[0].split()[0][:40]
        return f"a program ({name})" if name else "unknown browser"
    words = _BROWSER_WORDS.get(browser, browser)
    if device in _DEVICES:
        return f"{words} on {device}"
    if system in (None, "Other"):
        return words
    return f"{words} on {_OS_WORDS.get(system, system)}"


# --------------------------------------------------------------------------- link view


@dataclass(frozen=True)
class ClinicianView:
    """The PDF's sections for the web: the same pure summaries of the same report inputs."""

    report: ReportInputs
    entries: list[EntryBase]
    use: UseSummary
    products: list[ProductRow]
    other_substances: list[tuple[str, int, int]]
    questionnaires: list[QuestionnaireRow]
    effects: list[Any]
    waiting: int
    kinds: dict[str, int]

    @property
    def days(self) -> int:
        return (self.report.period_end - self.report.period_start).days + 1


def clinician_view(report: ReportInputs, *, max_effects: int = 10) -> ClinicianView:
    """What ``speciosa.report.build_report`` puts in the PDF, ready for a template."""
    profile = report.profile
    chosen = unwrap(in_period(report.entries, report.period_start, report.period_end))
    effects = list(getattr(report.insights, "effects", ()))
    answered = [e for e in effects if e.enough_data and e.estimate is not None]
    answered.sort(key=lambda e: (not e.claimed, e.outcome, e.question))
    kinds: dict[str, int] = {}
    for entry in chosen:
        kinds[entry.kind] = kinds.get(entry.kind, 0) + 1
    return ClinicianView(
        report=report,
        entries=chosen,
        use=use_summary(chosen, profile, report.period_start, report.period_end),
        products=product_rows(chosen, report.products),
        other_substances=other_substances(chosen),
        questionnaires=questionnaire_rows(chosen),
        effects=answered[:max_effects],
        waiting=sum(1 for e in effects if not e.enough_data),
        kinds=dict(sorted(kinds.items())),
    )


def comparison_words(effect: Any) -> str:
    """The PDF's words for what an estimate compares."""
    if effect.question in ("product", "dose_band"):
        return str(effect.exposure)
    return QUESTION_WORDS.get(effect.question, effect.question)
