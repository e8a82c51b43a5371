"""The reads every signed-in request makes, kept cheap (issue 16).

Django's database session store and `ModelBackend` read the session row and the user row
through the ORM on every signed-in request: two queries whose compilation costs more than
the database does (about 0.15 ms of Python each on the bench machine, a third of a bare
view's whole request). Both are replaced here without changing what they mean:

- `SessionStore` reads the session row with one plain SELECT, the same condition as
  Django's (`session_key` and not expired); in the same statement it reads the *sign-in
  version*, a counter in `DataVersion` that moves when a transaction that saved or
  deleted a user commits. Writing, expiry and flushing are Django's own.
- `SignInBackend` keeps the user object in the cache per sign-in version and user id.
  A password change, a deactivation or a deletion moves the version, so every process
  reads the user again on its next request: Django's session check (the session's hash
  against the current password's) and the `is_active` check still see the latest row.

The user who signs in is kept at once, and the sign-in's own `last_login` stamp does not
move the version (nothing shows it; every other user change does), so the first page after
signing in reads no user either. Within the process that changed a user, a new process
token makes its next read fresh at once, before the commit moves the version for the rest.

A layer above may read its own per-request values in the same statement
(`read_with_session`): the data version does, so a signed-in request whose page is cached
makes one query where it made three.
"""

from __future__ import annotations

import contextvars
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.sessions.backends import db
from django.core.cache import cache
from django.db import connections, router, transaction
from django.db.models import F
from django.utils import timezone

from samarbeid.common.models import DataVersion
from samarbeid.common.sql import select_row

USER_TIMEOUT = 10 * 60
_token = uuid.uuid4().hex  # this process's; new when it changes a user

# The sign-in version read with this request's session (None: not read in this request).
_version: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "sign_in_version", default=None
)


# (scalar SQL expressions, what receives their values) read with every session.
_riders: list[tuple[list[str], Callable[[Sequence[Any]], None]]] = []


def _version_sql() -> str:
    return f"SELECT sign_in FROM {DataVersion._meta.db_table} WHERE id = 1"


# The version row, joined once to every per-request read (one row, NULL columns when it
# does not exist yet), under this alias: a rider may read its own columns of it.
VERSION_ROW = "version_row"


def version_from() -> str:
    """The FROM clause of a per-request read: one row, with the version row's columns."""
    return (
        f"FROM (SELECT 1 AS one) AS one_row LEFT JOIN {DataVersion._meta.db_table} "
        f"AS {VERSION_ROW} ON {VERSION_ROW}.id = 1"
    )


def read_with_session(columns: Sequence[str], receive: Callable[[Sequence[Any]], None]) -> None:
    """Read `columns` (scalar SQL expressions without parameters; the version row's own
    columns as `VERSION_ROW.<column>`) in the same statement as every session, and hand
    their values to `receive` (ready(); once per process)."""
    if all(known is not receive for _, known in _riders):
        _riders.append((list(columns), receive))


class SessionStore(db.SessionStore):
    """Django's database sessions, the row read with one plain query (see above)."""

    def _get_session_from_db(self) -> Any:
        table = self.model._meta.db_table
        using = router.db_for_read(self.model, instance=None)
        connection = connections[using]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        columns = [
            f"(SELECT session_data FROM {table} WHERE session_key = %s AND expire_date > %s)",
            f"COALESCE({VERSION_ROW}.sign_in, 0)",
        ]
        for extra, _receive in _riders:
            columns += extra
        data, version, *rest = select_row(
            f"SELECT {', '.join(columns)} {version_from()}", [self.session_key, now], using
        )
        _version.set(int(version))
        for extra, receive in _riders:
            receive(rest[: len(extra)])
            rest = rest[len(extra) :]
        if data is None:
            self._session_key = None
            return None
        return self.model(session_key=str(self.session_key), session_data=data)


def request_sign_in_version() -> int:
    """The version read with this request's session, or read now; left for the sign-in
    backend's read of the user (no second query)."""
    version = _version.get()
    if version is None:
        row = select_row(_version_sql(), (), router.db_for_read(DataVersion))
        version = int(row[0]) if row else 0
        _version.set(version)
    return int(version)


def users_version() -> str:
    """What moves when any user changes, for a key: the sign-in version read with this
    request's session (left for the backend) and this process's token, which a change made
    here moves at once, before its commit moves the version for every process."""
    return f"{_token}:{request_sign_in_version()}"


def sign_in_version() -> int:
    """The version read with this request's session (taken, so a later call reads again),
    or read now."""
    version = request_sign_in_version()
    _version.set(None)
    return version


def _user_key(user_id: Any) -> str:
    return f"signin-user:{_token}:{sign_in_version()}:{user_id}"


class SignInBackend(ModelBackend):
    """`ModelBackend` whose `get_user` is answered from the cache per sign-in version."""

    def get_user(self, user_id: Any) -> Any:
        key = _user_key(user_id)
        user = cache.get(key)
        if user is None:
            user = super().get_user(user_id)
            if user is None:
                return None
            cache.set(key, user, USER_TIMEOUT)
        return user if self.user_can_authenticate(user) else None


def _count_sign_in() -> None:
    if not DataVersion.objects.filter(pk=1).update(sign_in=F("sign_in") + 1):
        DataVersion.objects.get_or_create(pk=1, defaults={"sign_in": 1})


def user_changed(update_fields: Any = None, **_: Any) -> None:
    """A user was saved or deleted: this process reads users afresh now, every process once
    the transaction commits (the version moves). A sign-in's `last_login` stamp alone
    moves nothing."""
    global _token
    if update_fields is not None and set(update_fields) == {"last_login"}:
        return
    _token = uuid.uuid4().hex
    transaction.on_commit(_count_sign_in, robust=True)


def keep_signed_in_user(user: Any, **_: Any) -> None:
    """The user who just signed in, kept for their first page (user_logged_in)."""
    cache.set(_user_key(user.pk), user, USER_TIMEOUT)


def forget_request_version(**_: Any) -> None:
    _version.set(None)


def connect() -> None:
    """Wire the version to user writes and to the request cycle (CommonConfig.ready)."""
    from django.contrib.auth import get_user_model, user_logged_in
    from django.core.signals import request_started
    from django.db.models.signals import post_delete, post_save

    user_model = get_user_model()
    post_save.connect(user_changed, sender=user_model, dispatch_uid="samarbeid-signin-save")
    post_delete.connect(user_changed, sender=user_model, dispatch_uid="samarbeid-signin-delete")
    request_started.connect(forget_request_version, dispatch_uid="samarbeid-signin-request")
    user_logged_in.connect(keep_signed_in_user, dispatch_uid="samarbeid-signin-keep")
