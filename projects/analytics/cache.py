"""Overview data and charts cached per *data version*.

The data version is a counter in the database (`samarbeid.common.models.DataVersion`) that
moves once when a transaction that saved or deleted a model in `members`, `projects`,
`governance`, `networks` or `hearings` commits (signals connected in `ProjectsConfig.ready`),
joined with a token in this process's cache (so a process reads its own write at once,
before the commit) and a mark of the inserts into projects, participations and money
entries, so that a bulk insert, which sends no signals, moves it too: on PostgreSQL the
highest id of `projects_insertmark`, written by a statement trigger on those tables
(migration 0009), on SQLite the highest id of each of them. Counter and marks are read in
one query whose cost does not grow with the data: the counter is one row and each
`MAX(id)` is answered from the primary key's index (one end of it), where a row count
would read the whole table. Because the counter is in the database,
an edit made through one process shows on the next request to every other process, even
when each has its own local-memory cache.

The highest ids catch inserts only. Deletes, and updates through `save()`, move the version
through the signals: `QuerySet.delete()` sends `post_delete` for every row (a receiver is
connected for every model, so Django never takes its fast, signal-free delete). Every path
that writes without signals calls `bump_data_version()` itself: a `QuerySet.update()`
outside the services (the search texts), the registry load
(`members.registry.load_snapshot`, bulk updates, through its `loaded` signal) and the
synthetic data set (`samarbeid.site.synthetic.generate`). A restore
(`samarbeid.site.backup`: raw inserts that bring back the counter and highest ids the
archive was made at, which the old database may have had with other data) calls
`restart_data_version()`, which moves the counter past every value it ever had.

Cached values are keyed by name, data version, active language and the caller's parts
(filter, page), so an edit shows on the next request to every page that shows it, and a
stale entry is never read again (it expires after `TIMEOUT`).
"""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F, signals
from django.utils.translation import get_language

from members import request_cache
from samarbeid.common import signin
from samarbeid.common.sql import select_row

T = TypeVar("T")

TOKEN_KEY = "data-version"
TIMEOUT = 60 * 60
WATCHED_APPS = frozenset({"members", "projects", "governance", "networks", "hearings"})
_FINGERPRINT_TABLES = ("projects_project", "projects_participation", "projects_moneyentry")


_MEMO_KEY = ("projects.analytics.cache", "data-version")
_FINGERPRINT_KEY = ("projects.analytics.cache", "fingerprint")


def _new_token() -> None:
    cache.set(TOKEN_KEY, uuid.uuid4().hex, None)
    request_cache.drop(_MEMO_KEY)
    request_cache.drop(_FINGERPRINT_KEY)


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


def restart_data_version() -> None:
    """Move the counter past every value it ever had, now (in this transaction): to the
    present time in microseconds, or one more when it is already beyond that. For a
    restore, which brings back the counter and highest ids the archive was made at: a
    process that cached pages of the old database at those very numbers (or at the few
    after them) must not serve them again. Counting one per commit never reaches the
    clock's value, so a later restore jumps past this one's count too."""
    from samarbeid.common.models import DataVersion

    now = time.time_ns() // 1000
    row, created = DataVersion.objects.get_or_create(
        pk=1, defaults={"counter": now, "sign_in": now}
    )
    if not created:
        # The sign-in version too: users cached per version (samarbeid.common.signin) must
        # be read again from the restored rows.
        row.counter = max(row.counter + 1, now)
        row.sign_in = max(row.sign_in + 1, now)
        row.save(update_fields=["counter", "sign_in"])
    _new_token()


def _token() -> str:
    token = cache.get(TOKEN_KEY)
    if token is None:
        token = uuid.uuid4().hex
        cache.add(TOKEN_KEY, token, None)
        token = cache.get(TOKEN_KEY, token)
    return str(token)


def _fingerprint_columns() -> list[str]:
    """The counter (of the version row `signin.version_from()` joins) and the inserts: on
    PostgreSQL the highest insert mark, which a statement trigger writes for every insert
    into the fingerprint tables (projects migration 0009), one index read where three took
    0.15 ms; on SQLite the highest id of each table, read in-process."""
    marks = (
        ["(SELECT COALESCE(MAX(id), 0) FROM projects_insertmark)"]
        if connection.vendor == "postgresql"
        else [f"(SELECT COALESCE(MAX(id), 0) FROM {t})" for t in _FINGERPRINT_TABLES]
    )
    return [f"COALESCE({signin.VERSION_ROW}.counter, 0)", *marks]


def _fingerprint() -> str:
    """The database counter and the inserts' marks (above), in one query that reads one
    row and one end of a primary key index per table (no row count: that grows with the
    data, a full scan on SQLite)."""
    columns = ", ".join(_fingerprint_columns())
    return ".".join(str(n) for n in select_row(f"SELECT {columns} {signin.version_from()}"))


def _read_with_session(values: Sequence[Any]) -> None:
    """The fingerprint as the session read found it (samarbeid.common.signin): a signed-in
    request reads it there, in the same statement, not in a query of its own."""
    fingerprint = ".".join(str(n) for n in values)
    request_cache.memo(_FINGERPRINT_KEY, lambda: fingerprint)


def data_version() -> str:
    """The current data version: 1 cache read and 1 query, once per request (a page with
    several cached fragments reads it once; a write in the request forgets it, so the
    request reads its own write). A signed-in request read the query with its session.
    Outside a request it is read every time."""
    return request_cache.memo(
        _MEMO_KEY,
        lambda: f"{_token()}:{request_cache.memo(_FINGERPRINT_KEY, _fingerprint)}",
    )


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


def _bulk_loaded(**kwargs: Any) -> None:
    bump_data_version()


def connect() -> None:
    """Move the data version on every save, delete and many-to-many change, and after a
    registry load that wrote in bulk (ready())."""
    from members import registry

    for signal in (signals.post_save, signals.post_delete, signals.m2m_changed):
        signal.connect(_changed, dispatch_uid=f"data-version-{id(signal)}")
    registry.loaded.connect(_bulk_loaded, dispatch_uid="data-version-registry-loaded")
    signin.read_with_session(_fingerprint_columns(), _read_with_session)
