"""The user's page of personal API tokens: list, create (the secret is shown once), revoke."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from portal import api_selectors, services


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("What the token is for, e.g. “case archive”."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    new_secret = ""
    if request.method == "POST" and form.is_valid():
        try:
            made = services.api_token_create(actor=request.user, name=form.cleaned_data["name"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            new_secret = made.secret
            form = TokenForm()
    response = render(
        request,
        "portal/tokens/list.html",
        {
            "form": form,
            "tokens": api_selectors.user_tokens(request.user),
            "new_secret": new_secret,
        },
    )
    add_never_cache_headers(response)
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = api_selectors.user_token(request.user, pk)
    if token is None:
        raise Http404
    try:
        services.api_token_revoke(actor=request.user, token=token)
    except PermissionDenied:
        raise
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("portal_api:tokens")
