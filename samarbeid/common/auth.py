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
