"""Who is calling, and over what: the one place that reads the peer and the forwarding headers.

``X-Forwarded-For`` and ``X-Forwarded-Proto`` are believed only when the peer that sent them is
one of ``PERMITHUB_TRUSTED_PROXIES``; otherwise any client could pick its own address (and so its
own rate-limit bucket) or claim HTTPS. ``permithub serve`` turns uvicorn's own forwarding
handling off, so these functions see the real peer.
"""

from __future__ import annotations

import ipaddress

from starlette.requests import HTTPConnection

from core.config import get_settings

UNKNOWN = "unknown"


def _is_trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in get_settings().trusted_networks)


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def _peer(connection: HTTPConnection) -> str:
    return connection.client.host if connection.client else UNKNOWN


def client_address(connection: HTTPConnection) -> str:
    """The caller's address, for rate limits, login throttling and logs.

    Walks ``X-Forwarded-For`` from the right (the hop our nearest proxy added) while the hop that
    reported it is a trusted proxy, so a client behind a chain of our proxies is found and a
    value the client wrote itself at the left end is never reached.
    """
    address = _peer(connection)
    hops = [
        hop.strip()
        for header in connection.headers.getlist("x-forwarded-for")
        for hop in header.split(",")
        if hop.strip()
    ]
    while hops and _is_trusted(address):
        hop = hops.pop()
        if not _is_ip(hop):
            break
        address = hop
    return address


def is_https(connection: HTTPConnection) -> bool:
    """True when the browser's connection is HTTPS: directly, or as a trusted proxy reports it."""
    if connection.scope.get("scheme") in ("https", "wss"):  # not .url: it builds the whole URL
        return True
    if not _is_trusted(_peer(connection)):
        return False
    proto = connection.headers.get("x-forwarded-proto", "")
    # Take the nearest proxy's word: the last value when several proxies appended theirs.
    last = proto.split(",")[-1].strip().lower()
    return last == "https"
