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
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template import RequestContext
from django.template.loader import get_template
from django.utils import timezone
from django.utils.html import escape

from projects.analytics.cache import cached
from samarbeid.common.permissions import is_secretariat

CSRF_PLACEHOLDER = "@@samarbeid-page-csrf@@"


def render_page(
    request: HttpRequest, template_name: str, parts: Any, context: Callable[[], dict[str, Any]]
) -> HttpResponse:
    """`template_name` rendered with `context()` (called on a miss only), kept per data
    version, language, day, address, user and `parts` (what else the page depends on, e.g.
    the back link); the request's own CSRF token put in."""
    if len(messages.get_messages(request)):
        return render(request, template_name, context())
    user = request.user
    who = (user.pk, user.get_full_name(), user.get_username(), is_secretariat(user))

    def compute() -> str:
        ctx = RequestContext(request, context())
        with ctx.push(csrf_token=CSRF_PLACEHOLDER):
            return str(get_template(template_name).template.render(ctx))  # type: ignore[attr-defined]

    key = (template_name, request.get_full_path(), who, timezone.localdate(), parts)
    html = cached("desk-page", key, compute)
    return HttpResponse(html.replace(CSRF_PLACEHOLDER, escape(get_token(request))))
