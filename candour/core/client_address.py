"""The address of the person's device, as far as the trust's own proxies can vouch for it.

Behind the trust's TLS proxy, REMOTE_ADDR is the proxy: limiting by it would let ten wrong guesses lock
out everyone. Each proxy listed in CANDOUR_TRUSTED_PROXIES appends the address it received from to
X-Forwarded-For, so the client is the right-most address there that is not one of our proxies. Without
trusted proxies the header is ignored: anyone can write it.
"""

from __future__ import annotations

import ipaddress
from functools import cache

from django.conf import settings


@cache
def _networks(entries: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip())


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _networks(tuple(settings.CANDOUR_TRUSTED_PROXIES)))


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, or for a request through our proxies the address they saw."""
    remote = request.META.get("REMOTE_ADDR", "")
    if not _trusted(remote):
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop):
            return hop
    return hops[0] if hops else remote
