"""A read replica for the public portal and the API (docs/deployment.md).

Enabled when DATABASE_REPLICA_URL is set (samarbeid/settings.py adds the `replica` alias,
this router and `ReplicaReadsMiddleware`). PostgreSQL `default` stays the one source of
truth: every write, every migration and every read outside a replica-eligible request go
there. A request is replica-eligible when it is a GET or HEAD to one of `REPLICA_PATHS`
(the portal, the widget and the API), which only read and may be a moment behind; the
desk, the admin, sign-in and every form keep reading their own writes from `default`.
Inside a transaction on `default` reads stay on `default` too.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connections
from django.http import HttpRequest, HttpResponse

DEFAULT = "default"
REPLICA = "replica"
# Paths whose GET/HEAD requests may read from the replica.
REPLICA_PATHS = ("/api/", "/portal/", "/embed/", "/feeds/", "/data/")
# Never from the replica: sign-in, sessions and throttling must see the latest write.
PRIMARY_ONLY_APPS = frozenset({"auth", "sessions", "axes", "admin", "contenttypes"})

_use_replica: contextvars.ContextVar[bool] = contextvars.ContextVar("use_replica", default=False)


@contextmanager
def replica_reads() -> Iterator[None]:
    """Let reads in this block go to the replica (the middleware does this per request)."""
    token = _use_replica.set(True)
    try:
        yield
    finally:
        _use_replica.reset(token)


class ReplicaRouter:
    """Reads to `replica` inside `replica_reads()`, everything else to `default`."""

    def db_for_read(self, model: type, **hints: Any) -> str:
        if (
            _use_replica.get()
            and model._meta.app_label not in PRIMARY_ONLY_APPS
            and not connections[DEFAULT].in_atomic_block
        ):
            return REPLICA
        return DEFAULT

    def db_for_write(self, model: type, **hints: Any) -> str:
        return DEFAULT

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replica holds the same rows

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT


class ReplicaReadsMiddleware:
    """Marks GET/HEAD requests to the portal, widget and API as replica-eligible."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in ("GET", "HEAD") and request.path.startswith(REPLICA_PATHS):
            with replica_reads():
                return self.get_response(request)
        return self.get_response(request)
