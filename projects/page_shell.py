"""A desk page kept whole per data version, user and address.

The signed-in pages cache their data-dependent fragments per data version already
(`projects.analytics.cache.cached`); what was left per request was the page around them:
the shell `base.html` with its header and the page's own blocks, about a third of a hit's
time. `render_page` keeps the whole rendered page instead, per data version, language,
day, full address, the user (id, shown name, user name, secretariat or not) and what else
the caller names, so a hit is one cache read. What differs per request is put in after the
cache: the CSRF token (each visitor's own masked token, and the CSRF cookie set as when a
template asks for it). A request with a message to show (after a save) renders as before,
so the message is shown once and then marked as read.

The response is marked as kept for the session (`samarbeid.common.kept`): the next request
with the same session, address, language, day and versions is answered by
`samarbeid.site.session_cache` before the middleware and the view run. So what a caller
names in `parts` must itself follow from those (the user, their roles, the session's
contents such as the list's last filter, the data), never from another header or the time
of day, and a view that renders with `render_page` writes nothing on a GET but its session.

The user's roles (Django groups, `samarbeid.common.permissions`) are kept per data version
as well (`secretariat`), a cache read instead of a query per request: `connect()` moves the
data version when a user joins or leaves a group, or a group is renamed or deleted, so a
changed role shows on the next request in every process.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import signals
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from projects.analytics.cache import bump_data_version, cached
from samarbeid.common.kept import render_with_placeholder, response_for_session
from samarbeid.common.permissions import is_secretariat


def secretariat(user: Any) -> bool:
    """`is_secretariat(user)`, with the user's groups read from the cache (per data
    version) rather than the database; kept on the user object for the rest of the request
    as `permissions.has_role` does."""
    if (
        user.is_authenticated
        and not user.is_superuser
        and getattr(user, "_samarbeid_roles", None) is None
    ):
        pk = user.pk
        user._samarbeid_roles = cached(
            "user-roles", pk, lambda: set(user.groups.values_list("name", flat=True))
        )
    return is_secretariat(user)


def _roles_changed(**_: Any) -> None:
    bump_data_version()


def _membership_changed(action: str, **_: Any) -> None:
    if action in {"post_add", "post_remove", "post_clear"}:
        bump_data_version()


def connect() -> None:
    """Move the data version when roles change (ProjectsConfig.ready)."""
    through = get_user_model().groups.through
    signals.m2m_changed.connect(
        _membership_changed, sender=through, dispatch_uid="page-shell-user-groups"
    )
    for signal in (signals.post_save, signals.post_delete):
        signal.connect(_roles_changed, sender=Group, dispatch_uid=f"page-shell-group-{id(signal)}")


def render_page(
    request: HttpRequest, template_name: str, parts: Any, context: Callable[[], dict[str, Any]]
) -> HttpResponse:
    """`template_name` rendered with `context()` (called on a miss only), kept per data
    version, language, day, address, user and `parts` (what else the page depends on, e.g.
    the back link); the request's own CSRF token put in."""
    if len(messages.get_messages(request)):
        return render(request, template_name, context())
    user: Any = request.user  # signed in (the desk pages require it)
    who = (user.pk, user.get_full_name(), user.get_username(), secretariat(user))

    key = (template_name, request.get_full_path(), who, timezone.localdate(), parts)
    html = cached(
        "desk-page", key, lambda: render_with_placeholder(request, template_name, context())
    )
    # Everything it depends on is in the session's key as well: kept for the session.
    return response_for_session(request, html)
