"""Share links in the web: the URL a token opens, and the coarse address of whoever
tries one (the links themselves, and what they show, are :mod:`speciosa.app.sharing`'s)."""

from __future__ import annotations

import ipaddress

from fastapi import Request

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
