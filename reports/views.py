"""The reports page and the downloads. Thin: parse, call reports.registry, answer."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language

from reports import forms, registry, selectors
from reports.common import LANGUAGES, ReportError

CONTROL = ("report", "format", "lang")


def _lang(request: HttpRequest) -> str:
    current = (get_language() or "nb").split("-")[0]
    return current if current in LANGUAGES else "nb"


@login_required
def index(request: HttpRequest) -> HttpResponse:
    coop = selectors.cooperation()
    lang = _lang(request)
    today = timezone.localdate()
    return render(
        request,
        "reports/index.html",
        {
            "overview_form": selectors.overview_filter_form(coop=coop, data=request.GET),
            "municipality_form": forms.MunicipalityForm(),
            "annual_form": forms.AnnualForm(initial={"year": today.year - 1}),
            "presentation_form": forms.PresentationForm(),
            "language_form": forms.LanguageForm(initial={"lang": lang}),
            "formats": list(registry.FORMATS),
            "reports": registry.REPORTS,
        },
    )


@login_required
def download(request: HttpRequest) -> HttpResponse:
    """`?report=overview&format=pdf&lang=nb&...filters`: the document, or 400 naming the
    valid reports, formats or languages."""
    name = request.GET.get("report", "")
    fmt = request.GET.get("format", "")
    lang = request.GET.get("lang") or _lang(request)
    params = request.GET.copy()
    for key in CONTROL:
        params.pop(key, None)
    try:
        registry.check(name, fmt, lang, labels=True)
        output = registry.generate(name, fmt=fmt, lang=lang, params=params)
    except ReportError as exc:
        return render(
            request,
            "reports/bad_request.html",
            {
                "message": str(exc),
                "reports": registry.REPORTS,
                "formats": list(registry.FORMATS),
                "language_form": forms.LanguageForm(initial={"lang": _lang(request)}),
                "chosen": {"report": name, "format": fmt},
            },
            status=400,
        )
    response = HttpResponse(output.data, content_type=output.content_type)
    disposition = "inline" if fmt == "html" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{output.filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    if fmt == "html":
        response["Content-Language"] = lang
    return response
