"""The page shell's header (`_site_header.html`: brand, main navigation, language form, who
is signed in), rendered once per user, name, role and language and kept in the cache instead
of on every request (a third of a cached desk page's time went to it).

What differs per request is put in after the cache: the CSRF token (each visitor's own,
Django's masked token) and the address of the page (the language form's `next` and the
sign-in link). What decides the rest is in the key: signed in or not, the user's id and
shown name, and whether the user is of the secretariat (a new role or a changed name shows
on the next request); the templates and URLs change only with a deployment, which starts
new processes (set `CACHE_KEY_PREFIX` anew when the cache is shared, e.g. Redis).
"""

from __future__ import annotations

import hashlib
from urllib.parse import quote

from django import template
from django.core.cache import cache
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

TIMEOUT = 60 * 60
_CSRF = "@@samarbeid-shell-csrf@@"
_NEXT = "@@samarbeid-shell-next@@"
_PATH = "@@samarbeid-shell-path@@"


def _key(context: template.Context) -> str:
    user = context.get("user")
    signed_in = bool(user is not None and user.is_authenticated)
    who = (
        (user.pk, user.get_full_name(), user.get_username(), bool(context.get("is_secretariat")))
        if signed_in
        else None
    )
    digest = hashlib.sha1(repr(who).encode(), usedforsecurity=False).hexdigest()
    return f"site-header:{get_language()}:{digest}"


@register.simple_tag(takes_context=True)
def site_header(context: template.Context) -> SafeString:
    request = context.get("request")
    header = context.template.engine.get_template("_site_header.html")  # type: ignore[union-attr]
    if request is None:
        return mark_safe(header.render(context))
    key = _key(context)
    html = cache.get(key)
    if html is None:
        with context.push(csrf_token=_CSRF, header_next=_NEXT, header_path=_PATH):
            html = str(header.render(context))
        cache.set(key, html, TIMEOUT)
    token = str(context.get("csrf_token", ""))
    return mark_safe(
        html.replace(_CSRF, escape(token))
        .replace(_NEXT, escape(request.get_full_path()))
        .replace(_PATH, escape(quote(request.path, safe="/")))
    )
