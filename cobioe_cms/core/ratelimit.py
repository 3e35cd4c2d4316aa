"""A small fixed-window rate limiter on the cache, for actions that send e-mail or
create content (claims, invitations, new organisations)."""

from django.core.cache import cache


def allow(key: str, limit: int, period_seconds: int) -> bool:
    """Count one attempt under ``key``; False once ``limit`` attempts were made within
    the current window of ``period_seconds``."""
    cache_key = f"cobioe-rate:{key}"
    if cache.add(cache_key, 1, timeout=period_seconds):
        return True
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.add(cache_key, 1, timeout=period_seconds)
        return True
    return count <= limit
