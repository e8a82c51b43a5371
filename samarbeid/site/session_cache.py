"""Whole responses of signed-in GETs, kept per session and answered before the middleware.

The signed-in twin of `public_cache`. A view marks a response as kept for the session
(`samarbeid.common.kept`: its bytes depend on the data, the user, the session's contents,
the day, the language and the address, and nothing else); the desk pages kept whole by
`projects.page_shell.render_page` and the signed-in API lists do. Such a response is kept
under a key of

- the session's contents (read with the session's own engine: with the default one, one
  statement that also reads the two versions below), so a request only ever finds what was
  answered to a request with the same session data: never another user's, never another
  back link to the list;
- the sign-in version and this process's token (`samarbeid.common.signin.users_version`),
  which move when any user is saved or deleted: a changed password, a closed account, a
  new name or superuser flag is never answered from what was kept before;
- the data version (`projects.analytics.cache`): an edit shows on the next request;
- the language, the day, the site address and the full path.

Django's own checks of the session (expired or not) are in the read; its check of the user
(the session's hash against the password's) was made by the request that stored the entry,
and the sign-in version would have moved with any change to the user since. A hit costs the
session's read, one cache read and the response; the session store read here is handed to
`SessionMiddleware` below, so a miss reads the session once, as before.

Kept only when the marked response is a 200 `HttpResponse` that sets no cookie but the CSRF
cookie (a request that changed its session or showed a message sets one), is not no-store
and not larger than 1 MB. A request with a message waiting (the cookie), an API token or
htmx headers always takes the usual path. A page with a CSRF token is kept with a
placeholder; a hit puts in the visitor's own token and sends the CSRF cookie as
`CsrfViewMiddleware` would.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponseBase
from django.middleware.csrf import CsrfViewMiddleware
from django.utils import timezone, translation

from projects.analytics import cache as data_cache
from samarbeid.common import signin
from samarbeid.common.kept import kept_content
from samarbeid.site import public_cache


def _eligible(request: HttpRequest) -> bool:
    if request.method != "GET":
        return False
    meta = request.META
    cookies = request.COOKIES
    return (
        settings.SESSION_COOKIE_NAME in cookies
        and "messages" not in cookies
        and "HTTP_AUTHORIZATION" not in meta
        and "HTTP_HX_REQUEST" not in meta
        and not request.path_info.startswith(public_cache.PREFIXES)
    )


def _session_key(request: HttpRequest, engine) -> str | None:
    """The key of this request's kept response; the session store it read is left on the
    request for `SessionMiddleware`. None when the session holds no signed-in user."""
    store = engine.SessionStore(request.COOKIES[settings.SESSION_COOKIE_NAME])
    request.session = store
    contents = dict(store.items())
    if SESSION_KEY not in contents:
        return None
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    who = json.dumps(contents, sort_keys=True, default=str)
    digest = hashlib.sha1(f"{address}\n{who}".encode(), usedforsecurity=False).hexdigest()
    language = translation.get_language_from_request(request, check_path=False)
    return (
        f"session-page:{signin.users_version()}:{data_cache.data_version()}:"
        f"{language}:{timezone.localdate().isoformat()}:{digest}"
    )


class SignedInResponseCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response
        self.csrf = CsrfViewMiddleware(get_response)
        self.engine = import_module(settings.SESSION_ENGINE)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not _eligible(request):
            return self.get_response(request)
        try:
            key = _session_key(request, self.engine)
        except (OperationalError, InterfaceError, SuspiciousOperation):
            # The usual path answers it (503 for the database, 400 for the host).
            request.__dict__.pop("session", None)
            return self.get_response(request)
        if key is None:
            return self.get_response(request)
        stored = cache.get(key)
        if stored is not None:
            return public_cache.from_stored(request, stored, self.csrf)
        response = self.get_response(request)
        content = kept_content(response)
        # A signed-in page may be private to the browser; kept here all the same.
        if content is not None and public_cache.storable(response, content, ("no-store",)):
            with_csrf = public_cache.CSRF_PLACEHOLDER in content
            public_cache.store(key, response, content, with_csrf)
        return response


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's, taking the session store `SignedInResponseCacheMiddleware` has read."""

    def process_request(self, request: HttpRequest) -> None:
        if "session" not in request.__dict__:
            super().process_request(request)
