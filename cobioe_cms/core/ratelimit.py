"""Rate limits on the cache, and the client address they count per.

Used for actions that send e-mail, create content or cost much (claims, invitations,
new organisations, saved searches, exports). The counts live in the default cache, so
a limit holds across the site's worker processes only when that cache is shared by
them: the reference site uses the database cache by default and Redis when
``REDIS_URL`` is set (``settings/base.py``); a per-process cache (local memory) would
multiply every limit by the number of workers.
"""

from __future__ import annotations

import hashlib
import ipaddress
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The address of the client, as far as the site can trust it.

    By default ``REMOTE_ADDR``, and forwarded headers are ignored: anyone can send an
    ``X-Forwarded-For``. Behind proxies the site controls, the same settings as
    django-allauth's own limits decide (so that both count per the same address):

    - ``ALLAUTH_TRUSTED_CLIENT_IP_HEADER``: a header the proxy sets to the client's
      address (``X-Real-IP``, say), read as is;
    - else ``ALLAUTH_TRUSTED_PROXY_COUNT`` = N > 0: the N-th address from the right of
      ``X-Forwarded-For`` (each trusted proxy appends the address it saw, so what a
      client writes there itself stays on the left). A request that did not pass
      through all N proxies (a shorter header, or none) counts per ``REMOTE_ADDR``.

    IPv6 addresses are cut to their /64 (``ALLAUTH_RATE_LIMIT_IPV6_PREFIX``), as
    allauth does: one subscriber usually holds a whole /64.
    """
    ip = ""
    header = getattr(settings, "ALLAUTH_TRUSTED_CLIENT_IP_HEADER", None)
    proxies = getattr(settings, "ALLAUTH_TRUSTED_PROXY_COUNT", 0)
    if header:
        ip = request.headers.get(header, "")
    elif proxies > 0:
        forwarded = request.headers.get("X-Forwarded-For", "").split(",")
        if len(forwarded) >= proxies:
            ip = forwarded[-proxies]
    ip = ip.strip() or request.META.get("REMOTE_ADDR", "")
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        # Not an address (a proxy misconfigured?): still one stable, safe cache key.
        return "unknown-" + hashlib.sha256(ip.encode()).hexdigest()[:16]
    if isinstance(address, ipaddress.IPv6Address):
        prefix = getattr(settings, "ALLAUTH_RATE_LIMIT_IPV6_PREFIX", 64)
        return str(ipaddress.IPv6Network(f"{address}/{prefix}", strict=False).network_address)
    return str(address)


def allow(key: str, limit: int, period_seconds: int) -> bool:
    """Count one attempt under ``key``; False once ``limit`` attempts were made in the
    current window of ``period_seconds`` (fixed windows, aligned on the clock).

    Each attempt takes one numbered slot with ``cache.add``, which every shared backend
    does atomically (an INSERT on a primary key for the database cache, SET NX on
    Redis): two workers counting at the same moment never both take the last slot,
    which ``get`` + ``set`` (the database cache's ``incr``) would let them do. The
    counter beside the slots only says where to start looking.
    """
    window = int(time.time() // period_seconds)
    base = f"cobioe-rate:{key}:{window}"
    first = cache.get(base) or 0
    for slot in range(first, limit):
        if cache.add(f"{base}:{slot}", 1, timeout=period_seconds):
            cache.set(base, slot + 1, timeout=period_seconds)
            return True
    return False
