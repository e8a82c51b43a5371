"""Overview data and charts cached per *data version*.

The data version is a counter in the database (`samarbeid.common.models.DataVersion`) that
moves once when a transaction that saved or deleted a model in `members`, `projects`,
`governance` or `networks` commits (signals connected in `ProjectsConfig.ready`), joined
with a token in this process's cache (so a process reads its own write at once, before the
commit) and a fingerprint of the main tables (row count and highest id of projects,
participations and money entries) so that bulk inserts, which send no signals, move it too.
Counter and fingerprint are read in one query. Because the counter is in the database, an
edit made through one process shows on the next request to every other process, even when
each has its own local-memory cache. A write that bypasses the signals (a
`QuerySet.update()` outside the services) calls `bump_data_version()`.

Cached values are keyed by name, data version, active language and the caller's parts
(filter, page), so an edit shows on the next request to every page that shows it, and a
stale entry is never read again (it expires after `TIMEOUT`).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F, signals
from django.utils.translation import get_language

from members import request_cache

T = TypeVar("T")

TOKEN_KEY = "data-version"
TIMEOUT = 60 * 60
WATCHED_APPS = frozenset({"members", "projects", "governance", "networks", "hearings"})
_FINGERPRINT_TABLES = ("projects_project", "projects_participation", "projects_moneyentry")


_MEMO_KEY = ("projects.analytics.cache", "data-version")


def _new_token() -> None:
    cache.set(TOKEN_KEY, uuid.uuid4().hex, None)
    request_cache.drop(_MEMO_KEY)


def _count_commit() -> None:
    """Move the database counter (every process keys its caches by it) and this process's
    token. Runs once per committed transaction that changed watched data."""
    from samarbeid.common.models import DataVersion

    if not DataVersion.objects.filter(pk=1).update(counter=F("counter") + 1):
        DataVersion.objects.get_or_create(pk=1)
    _new_token()


def _commit_pending() -> bool:
    return any(entry[1] is _count_commit for entry in connection.run_on_commit)


def bump_data_version() -> None:
    """Make every cached overview stale: now in this process (it reads its own write at
    once) and, when the transaction commits, in every process (a value computed from the
    data before the commit is not read after it). Registered once per transaction however
    many rows it writes; a rolled-back write costs one extra miss."""
    _new_token()
    if not (connection.in_atomic_block and _commit_pending()):
        transaction.on_commit(_count_commit, robust=True)


def _token() -> str:
    token = cache.get(TOKEN_KEY)
    if token is None:
        token = uuid.uuid4().hex
        cache.add(TOKEN_KEY, token, None)
        token = cache.get(TOKEN_KEY, token)
    return str(token)


def _fingerprint() -> str:
    from samarbeid.common.models import DataVersion

    parts = " UNION ALL ".join(
        [f"SELECT COALESCE(MAX(counter), 0), 0 FROM {DataVersion._meta.db_table}"]
        + [f"SELECT COUNT(*), COALESCE(MAX(id), 0) FROM {t}" for t in _FINGERPRINT_TABLES]
    )
    with connection.cursor() as cursor:
        cursor.execute(parts)
        return "-".join(f"{n}.{m}" for n, m in cursor.fetchall())


def data_version() -> str:
    """The current data version: 1 cache read and 1 query, once per request (a page with
    several cached fragments reads it once; a write in the request forgets it, so the
    request reads its own write). Outside a request it is read every time."""
    return request_cache.memo(_MEMO_KEY, lambda: f"{_token()}:{_fingerprint()}")


def cached(name: str, parts: Any, compute: Callable[[], T]) -> T:
    """`compute()` once per data version, language and `parts` (e.g. the filter)."""
    digest = hashlib.sha1(repr(parts).encode(), usedforsecurity=False).hexdigest()
    key = f"overview:{name}:{data_version()}:{get_language()}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value


def _changed(sender: type, **kwargs: Any) -> None:
    if sender._meta.app_label in WATCHED_APPS or (
        getattr(sender, "instance_type", None) is not None  # simple_history rows
        and sender.instance_type._meta.app_label in WATCHED_APPS
    ):
        bump_data_version()


def connect() -> None:
    """Move the data version on every save, delete and many-to-many change (ready())."""
    for signal in (signals.post_save, signals.post_delete, signals.m2m_changed):
        signal.connect(_changed, dispatch_uid=f"data-version-{id(signal)}")
