"""Login throttling (django-axes): the backend and the Norwegian lockout page."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class ThrottledLoginBackend(AxesStandaloneBackend):
    """Refuses sign-ins from a locked-out address and user; web sign-ins always pass the
    request. Without a request (the shell, a management command, the test client's
    `login()`) there is no one to throttle, so it stands aside for ModelBackend."""

    def authenticate(  # type: ignore[override]
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """The page after too many failed sign-ins (status 429), in the site's frame."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)


def client_ip(request: HttpRequest) -> str | None:
    """The address login throttling counts failures for (AXES_CLIENT_IP_CALLABLE).

    Directly served (no SECURE_PROXY), the peer's address; X-Forwarded-For is ignored, so a
    client cannot pick the address it is throttled under. Behind the proxy
    (SECURE_PROXY=1), the entry of X-Forwarded-For that our own proxy appended: the
    `TRUSTED_PROXY_COUNT`-th from the right (1: nginx's `$proxy_add_x_forwarded_for`).
    Entries further left were sent by the client and are not trusted."""
    remote = request.META.get("REMOTE_ADDR")
    if not getattr(settings, "SECURE_PROXY", False):
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    count = max(1, int(getattr(settings, "TRUSTED_PROXY_COUNT", 1)))
    if len(forwarded) >= count:
        return forwarded[-count]
    return remote
