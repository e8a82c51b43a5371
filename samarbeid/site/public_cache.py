"""Whole responses of the public surfaces, served before the session, CSRF and auth work.

A visitor without a session (no session cookie, no message cookie, no API token) who GETs
a public address (the portal, the widget, the open-data API, the feeds, the front page)
gets the same bytes as every other such visitor, so the whole response is kept once per
*data version* (`projects.analytics.cache.data_version`: a counter in the database, read
once per request, so an edit made through any process shows on the next request to every
process), language, day, site address and full path. A hit costs one cache read and the
data version's query; the rest of the middleware, URL resolution and the view are skipped.

Kept only when it is safe to give to anyone: a 200 `HttpResponse` (not streamed) that sets
no cookie but the CSRF cookie, and is not marked private or no-store. A page with a CSRF
token (the front page's language form) is kept with each token replaced by a placeholder:
a hit puts in a token of the visitor's own (Django's `get_token`, a new CSRF cookie when the
visitor has none) and sends the CSRF cookie as `CsrfViewMiddleware` would, so no visitor
ever gets another's token. The headers the view and the inner middleware set are kept with
it (Cache-Control, ETag, Last-Modified, Vary, Content-Language, CORS of the widget's JSON,
the widget's own frame-ancestors policy, X-Frame-Options); a response without an ETag (and
without a CSRF token) gets one from its key, and a matching If-None-Match is answered 304.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotModified
from django.middleware.csrf import CsrfViewMiddleware, _unmask_cipher_token, get_token
from django.utils import timezone, translation
from django.utils.http import parse_http_date_safe

from projects.analytics import cache as data_cache
from samarbeid.common import kept

PREFIXES = ("/portal/", "/embed/", "/api/v1/", "/feeds/")
EXACT = frozenset({"/"})
MAX_BYTES = 1_000_000
_SKIPPED_HEADERS = frozenset({"content-length", "set-cookie"})
# The one placeholder of a kept page's CSRF token, here and in session_cache.
CSRF_PLACEHOLDER = kept.CSRF_PLACEHOLDER.encode()
_MASKED_TOKEN = re.compile(rb"\b[A-Za-z0-9]{64}\b")


def _eligible(request: HttpRequest) -> bool:
    if request.method != "GET":
        return False
    path = request.path_info
    if not (path in EXACT or path.startswith(PREFIXES)):
        return False
    cookies = request.COOKIES
    return not (
        settings.SESSION_COOKIE_NAME in cookies
        or "messages" in cookies
        or "HTTP_AUTHORIZATION" in request.META
    )


def _key(request: HttpRequest) -> str | None:
    try:
        version = data_cache.data_version()
        address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    except (OperationalError, InterfaceError):  # the usual path answers 503
        return None
    except SuspiciousOperation:  # a host not allowed: the usual path answers 400
        return None
    language = translation.get_language_from_request(request, check_path=False)
    digest = hashlib.sha1(address.encode(), usedforsecurity=False).hexdigest()
    return f"public-page:{version}:{language}:{timezone.localdate().isoformat()}:{digest}"


def storable(
    response: HttpResponseBase,
    content: bytes | None = None,
    refused: tuple[str, ...] = ("private", "no-store"),
) -> bool:
    """Whether `response` (its `content` to keep, its own by default) may be kept: a 200
    `HttpResponse` of at most `MAX_BYTES` that sets no cookie but the CSRF cookie and whose
    Cache-Control names none of `refused` (also `samarbeid.site.session_cache`)."""
    if not isinstance(response, HttpResponse):
        return False
    size = len(response.content if content is None else content)
    if response.status_code != 200 or size > MAX_BYTES:
        return False
    if set(response.cookies) - {settings.CSRF_COOKIE_NAME}:
        return False
    control = response.get("Cache-Control", "").lower()
    return not any(word in control for word in refused)


def store(key: str, response: HttpResponseBase, content: bytes, with_csrf: bool) -> None:
    """Keep `content` under `key` with the response's headers, for `from_stored`."""
    headers = [(k, v) for k, v in response.items() if k.lower() not in _SKIPPED_HEADERS]
    cache.set(key, (headers, content, with_csrf), data_cache.TIMEOUT)


def _without_csrf_tokens(request: HttpRequest, content: bytes) -> bytes | None:
    """`content` with every CSRF token of this visitor replaced by the placeholder, or
    None when it holds something that looks like a token but is not (not kept then)."""
    secret = request.META.get("CSRF_COOKIE")
    if not secret:
        return None

    def swap(match: re.Match[bytes]) -> bytes:
        if _unmask_cipher_token(match.group().decode()) == secret:
            return CSRF_PLACEHOLDER
        return match.group()

    return _MASKED_TOKEN.sub(swap, content)


def _not_modified(request: HttpRequest, etag: str, last_modified: str) -> bool:
    """If-None-Match against the kept ETag, else If-Modified-Since against the kept
    Last-Modified (as `portal.conditional` answers them)."""
    header = request.headers.get("If-None-Match")
    if header:
        tags = {t.strip().removeprefix("W/") for t in header.split(",")}
        return bool(etag) and (etag in tags or "*" in tags)
    since = parse_http_date_safe(request.headers.get("If-Modified-Since") or "")
    modified = parse_http_date_safe(last_modified)
    return since is not None and modified is not None and modified <= since


def from_stored(request: HttpRequest, stored: tuple, csrf: CsrfViewMiddleware) -> HttpResponseBase:
    headers, content, with_csrf = stored
    named = dict(headers)
    if not with_csrf and _not_modified(
        request, named.get("ETag", ""), named.get("Last-Modified", "")
    ):
        response: HttpResponseBase = HttpResponseNotModified()
        for name, value in headers:
            if name.lower() not in ("content-type", "content-language"):
                response[name] = value
        return response
    if with_csrf:
        csrf.process_request(request)  # the visitor's CSRF cookie, if any
        content = content.replace(CSRF_PLACEHOLDER, get_token(request).encode())
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    response["Content-Length"] = str(len(content))  # as CommonMiddleware sets on a miss
    if with_csrf:
        csrf.process_response(request, response)  # sends the CSRF cookie
    return response


class PublicResponseCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response
        self.csrf = CsrfViewMiddleware(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        key = _key(request) if _eligible(request) else None
        if key is None:
            return self.get_response(request)
        stored = cache.get(key)
        if stored is not None:
            return from_stored(request, stored, self.csrf)
        response = self.get_response(request)
        if not storable(response):
            return response
        assert isinstance(response, HttpResponse)
        content: bytes | None = response.content
        with_csrf = bool(
            request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            or settings.CSRF_COOKIE_NAME in response.cookies
        )
        if with_csrf:
            content = _without_csrf_tokens(request, response.content)
            if content is None:
                return response
        elif not response.has_header("ETag"):
            digest = hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()
            response["ETag"] = f'"{digest}"'
        store(key, response, content, with_csrf)
        return response
