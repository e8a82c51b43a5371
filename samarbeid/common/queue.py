"""The background queue (django-rq on the local Redis), as every app puts work on it.

One queue, `default`, served by `manage.py rqworker default` (`make run`). A job's result
and failure are kept a day. Redis being down is not an error for the caller: `enqueue`
answers False and the caller does the work in-process itself (an import, a report or an
e-mail then runs in the request, as a small one would).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import django_rq
from redis.exceptions import RedisError

QUEUE = "default"
KEEP = 24 * 60 * 60


def enqueue(
    func: Callable[..., Any],
    *args: Any,
    job_id: str | None = None,
    meta: dict[str, Any] | None = None,
    job_timeout: int | None = None,
) -> bool:
    """Put `func(*args)` on the queue; False when Redis is not reachable."""
    try:
        django_rq.get_queue(QUEUE).enqueue(
            func,
            *args,
            job_id=job_id,
            meta=meta,
            job_timeout=job_timeout,
            result_ttl=KEEP,
            failure_ttl=KEEP,
        )
    except RedisError:
        return False
    return True
