"""Responses kept for a session (issue 16): what a view promises by marking one.

A view marks its response with `keep_for_session` when the bytes it sent are a function of
nothing but the data (the data version), the signed-in user (the sign-in version), the
session's contents, the day, the language and the address, and when answering it wrote
nothing the next request needs. `samarbeid.site.session_cache` then keeps the response and
answers the next such request with it before the middleware, the URL resolution and the
view run. A response that sets a cookie (a session that changed, a message shown) is never
kept, whatever the mark says.

A page with a CSRF token passes its content with `CSRF_PLACEHOLDER` where the token stood:
a hit puts in the visitor's own token.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template import RequestContext
from django.template.loader import get_template
from django.utils.html import escape

CSRF_PLACEHOLDER = "@@samarbeid-page-csrf@@"
_ATTRIBUTE = "_samarbeid_kept_content"


def keep_for_session(response: HttpResponse, content: str | None = None) -> HttpResponse:
    """`response`, marked as kept per session (see above); `content` the page as sent but
    with `CSRF_PLACEHOLDER` for the token, when it has one."""
    setattr(response, _ATTRIBUTE, response.content if content is None else content.encode())
    return response


def kept_content(response: object) -> bytes | None:
    """The content to keep of a marked response (None: not marked)."""
    return getattr(response, _ATTRIBUTE, None)


def render_with_placeholder(
    request: HttpRequest, template_name: str, context: dict[str, Any]
) -> str:
    """The template rendered for this request, with `CSRF_PLACEHOLDER` for the token."""
    ctx = RequestContext(request, context)
    with ctx.push(csrf_token=CSRF_PLACEHOLDER):
        return str(get_template(template_name).template.render(ctx))  # type: ignore[attr-defined]


def response_for_session(request: HttpRequest, html: str) -> HttpResponse:
    """The page `html` (with the placeholder) with this request's own token put in, marked
    as kept for the session."""
    response = HttpResponse(html.replace(CSRF_PLACEHOLDER, escape(get_token(request))))
    return keep_for_session(response, html)


def render_for_session(
    request: HttpRequest, template_name: str, context: dict[str, Any]
) -> HttpResponse:
    """`render(request, template_name, context)`, marked as kept for the session."""
    return response_for_session(request, render_with_placeholder(request, template_name, context))
