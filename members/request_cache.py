"""Per-request memory for registry reads that many parts of one page ask again.

The succession graph (4 queries over every municipality event) and registry look-ups such
as "municipality 3905 today" are asked for by the page, its sidebar, the permission checks
and the filters of one request; this keeps the answer for the rest of that request only.
Outside a request (management commands, tests calling selectors directly) nothing is kept,
and any write to a `members` model within the request forgets everything at once, so a
request that changes the registry reads its own write.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.core.signals import request_finished, request_started
from django.db.models import signals

T = TypeVar("T")

_state = threading.local()


def _store() -> dict[Hashable, Any] | None:
    return getattr(_state, "store", None)


def memo(key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()` once per request and `key` (every time outside a request)."""
    store = _store()
    if store is None:
        return compute()
    if key not in store:
        store[key] = compute()
    return store[key]


def drop(key: Hashable) -> None:
    """Forget one kept answer (its data changed within the request)."""
    store = _store()
    if store is not None:
        store.pop(key, None)


def begin(**_: Any) -> None:
    _state.store = {}


def end(**_: Any) -> None:
    _state.store = None


def forget() -> None:
    """Drop what this request has kept (after a write to the registry)."""
    store = _store()
    if store is not None:
        store.clear()


@contextmanager
def request_scope() -> Iterator[None]:
    """Keep answers for the duration of the block, as a request does (tasks, tests)."""
    previous = _store()
    begin()
    try:
        yield
    finally:
        _state.store = previous


def _changed(sender: type, **_: Any) -> None:
    if sender._meta.app_label == "members":
        forget()


def connect() -> None:
    """Scope the memory to requests and forget it on every registry write (ready())."""
    request_started.connect(begin, dispatch_uid="members-request-cache-begin")
    request_finished.connect(end, dispatch_uid="members-request-cache-end")
    for signal in (signals.post_save, signals.post_delete, signals.m2m_changed):
        signal.connect(_changed, dispatch_uid=f"members-request-cache-{id(signal)}")
