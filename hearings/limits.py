"""Hourly counters for the spam limits: per client address (views) and per e-mail address
(services). Only a hash of the address is kept, in the cache, for an hour."""

from __future__ import annotations

import hashlib

from django.core.cache import cache


def count_this_hour(kind: str, value: str) -> int:
    """Count one more `kind` event for `value` and return the hour's count (0 when the
    cache cannot count, so a cache outage never refuses anyone)."""
    key = f"hearings:{kind}:" + hashlib.sha256(value.encode()).hexdigest()
    cache.add(key, 0, 60 * 60)
    try:
        return int(cache.incr(key))
    except ValueError:
        return 0
