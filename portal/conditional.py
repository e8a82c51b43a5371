"""Conditional GET for the public read surfaces (API, feeds, bulk data).

The ETag is built from the data version (`projects.analytics.cache.data_version`: moves on
every save and delete in members, projects and governance) with the language and the full
path and query string, so a client that already holds the answer gets a 304, and an edit
shows on the next request. `Last-Modified` is the moment this process first saw the data
version. A 200 body is kept in the cache under its ETag: a second request for the same
page and data costs one cache read and one query (the data version).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from functools import wraps

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe
from django.utils.translation import get_language

from projects.analytics import cache as data_cache
from projects.analytics.cache import TIMEOUT

View = Callable[..., HttpResponseBase]


def data_version() -> str:
    """The data version, read once per request (`projects.analytics.cache.data_version`):
    an edit made through any process shows on the next request to every process."""
    return data_cache.data_version()


def version_seen_at(version: str) -> dt.datetime:
    key = f"data-version-seen:{version}"
    cache.add(key, timezone.now().replace(microsecond=0), TIMEOUT)
    seen = cache.get(key)
    return seen if isinstance(seen, dt.datetime) else timezone.now().replace(microsecond=0)


def _not_modified(request: HttpRequest, etag: str, last_modified: dt.datetime) -> bool:
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match:
        tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
        return etag in tags or "*" in tags
    since = parse_http_date_safe(request.headers.get("If-Modified-Since") or "")
    return since is not None and int(last_modified.timestamp()) <= since


def conditional(max_age: int = 0, *, keep_body: bool = True) -> Callable[[View], View]:
    """ETag, Last-Modified and 304 for a GET view; keeps 200 bodies per ETag."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
            if request.method not in ("GET", "HEAD"):
                return view(request, *args, **kwargs)
            version = data_version()
            key = hashlib.sha1(
                f"{version}|{get_language()}|{request.get_full_path()}".encode(),
                usedforsecurity=False,
            ).hexdigest()
            etag = f'"{key}"'
            last_modified = version_seen_at(version)
            if _not_modified(request, etag, last_modified):
                response: HttpResponseBase = HttpResponseNotModified()
            else:
                stored = cache.get(f"conditional-body:{key}") if keep_body else None
                if stored is not None:
                    response = HttpResponse(stored[1], content_type=stored[0])
                else:
                    response = view(request, *args, **kwargs)
                    if (
                        keep_body
                        and response.status_code == 200
                        and isinstance(response, HttpResponse)
                    ):
                        cache.set(
                            f"conditional-body:{key}",
                            (response["Content-Type"], response.content),
                            TIMEOUT,
                        )
                if response.status_code != 200:
                    return response
            response["ETag"] = etag
            response["Last-Modified"] = http_date(last_modified.timestamp())
            response["Cache-Control"] = f"public, max-age={max_age}, must-revalidate"
            patch_vary_headers(response, ("Accept-Language",))
            return response

        return wrapped

    return decorate
