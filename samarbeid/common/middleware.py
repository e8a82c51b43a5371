"""Middleware of the floor: the Content-Security-Policy header, and a friendly 503 while
the database cannot be reached."""

from __future__ import annotations

import contextlib
import functools
import logging
import re
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError, close_old_connections
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger("samarbeid.faults")

DATABASE_DOWN = (OperationalError, InterfaceError)

# Scripts only from this site (no inline script, no eval); styles may be inline (the admin
# and a few pages use style attributes); nothing may frame the site.
DEFAULT_CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    """Send `settings.CONTENT_SECURITY_POLICY` on every response that has none."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.policy = getattr(settings, "CONTENT_SECURITY_POLICY", DEFAULT_CSP)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        return response


def framable_policy(policy: str, ancestors: str = "*") -> str:
    """`policy` with its frame-ancestors directive replaced by `ancestors` (added if absent)."""
    kept = [d.strip() for d in policy.split(";") if d.strip()]
    kept = [d for d in kept if not re.match(r"frame-ancestors\b", d)]
    return "; ".join([*kept, f"frame-ancestors {ancestors}"])


def embeddable(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let other sites frame this view (the widget for the members' websites): its response
    carries the site's policy with `frame-ancestors *` and no X-Frame-Options. Every other
    response keeps `frame-ancestors 'none'` and `X-Frame-Options: DENY`."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", DEFAULT_CSP) or DEFAULT_CSP
        response["Content-Security-Policy"] = framable_policy(policy)
        response.xframe_options_exempt = True  # type: ignore[attr-defined]
        return response

    return wrapped


def _drop_broken_connections() -> None:
    """Close connections that failed, so the next request opens a fresh one."""
    with contextlib.suppress(DATABASE_DOWN):
        close_old_connections()


def database_unavailable(request: HttpRequest | None = None) -> HttpResponse:
    """The 503 page: the site's frame, rendered without touching the database."""
    context = {
        "SITE_NAME": "Samarbeid",
        "LANGUAGES": settings.LANGUAGES,
        "LANGUAGE_CODE": translation.get_language(),
        "is_secretariat": False,
    }
    response = HttpResponse(render_to_string("503.html", context), status=503)
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Answer 503 with a friendly page when the database cannot be reached.

    A view that fails with OperationalError/InterfaceError gets the 503 page; the broken
    connection is closed, so the next request opens a new one and the site recovers by
    itself when the database is back (no restart). Errors raised outside views reach
    `server_error` (handler500), which makes the same distinction.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DATABASE_DOWN):
            return None
        logger.error("Database unavailable: %s", exception)
        _drop_broken_connections()
        return database_unavailable(request)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a database outage outside a view is a 503 too; anything else a 500."""
    import sys

    from django.views.defaults import server_error as django_server_error

    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_DOWN):
        logger.error("Database unavailable: %s", error)
        _drop_broken_connections()
        return database_unavailable(request)
    return django_server_error(request)
