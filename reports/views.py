"""The reports page and the downloads. Thin: parse, call reports.registry, answer."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from projects.page_shell import render_page
from reports import forms, jobs, registry, selectors
from reports.common import LANGUAGES, ReportError

CONTROL = ("report", "format", "lang")


def _lang(request: HttpRequest) -> str:
    current = (get_language() or "nb").split("-")[0]
    return current if current in LANGUAGES else "nb"


@login_required
def index(request: HttpRequest) -> HttpResponse:
    lang = _lang(request)
    today = timezone.localdate()

    def context() -> dict:
        coop = selectors.cooperation()
        return {
            "overview_form": selectors.overview_filter_form(coop=coop, data=request.GET),
            "municipality_form": forms.MunicipalityForm(),
            "annual_form": forms.AnnualForm(initial={"year": today.year - 1}),
            "presentation_form": forms.PresentationForm(),
            "language_form": forms.LanguageForm(initial={"lang": lang}),
            "formats": list(registry.FORMATS),
            "reports": registry.REPORTS,
        }

    # The choices (municipalities, years, networks) are data: the page is kept whole per
    # data version, user, language, day and address (an edit shows on the next request).
    return render_page(request, "reports/index.html", lang, context)


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
    return _answer(request, name, fmt, lang, params)


def _answer(request: HttpRequest, name: str, fmt: str, lang: str, params: QueryDict):
    if not registry.allowed(name, request.user, params):
        raise PermissionDenied(_("You may not have this report."))
    try:
        registry.check(name, fmt, lang, labels=True)
        if jobs.in_background(name, fmt, params):
            job_id = jobs.enqueue_report(
                user=request.user, name=name, fmt=fmt, lang=lang, params=params
            )
            if job_id is not None:
                return redirect("reports:status", job_id)
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
    return _file(output.data, output.content_type, output.filename, fmt, lang)


def _file(data: bytes, content_type: str, filename: str, fmt: str, lang: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    disposition = "inline" if fmt == "html" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    if fmt == "html":
        response["Content-Language"] = lang
    return response


def _job(request: HttpRequest, job_id: str) -> jobs.ReportJob:
    found = jobs.report_job(job_id, user=request.user)
    if found is None:  # never, expired, or someone else's: the same answer
        raise Http404(_("No such report. Reports made in the background are kept for a day."))
    return found


@login_required
@require_safe
def status(request: HttpRequest, job_id: str) -> HttpResponse:
    """How far a report made in the background got; htmx polls the fragment until the
    file is ready (or the job failed)."""
    job = _job(request, job_id)
    context = {
        "job": job,
        "working": job.state in ("queued", "running"),
        "label": registry.REPORTS[job.report].label if job.report in registry.REPORTS else "",
    }
    template = "reports/_status.html" if request.htmx else "reports/status.html"
    return render(request, template, context)


@login_required
@require_safe
def file(request: HttpRequest, job_id: str) -> HttpResponse:
    """The file a background job made, to the user who asked for it."""
    job = _job(request, job_id)
    if job.result is None:
        return redirect("reports:status", job_id)
    result = job.result
    return _file(
        result["data"], result["content_type"], result["filename"], job.format, result["lang"]
    )


@login_required
@require_safe
def hearing_summary(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The summary of comments and responses of hearing `pk` (officers only), as
    `/reports/hearings/<pk>/summary.<format>?lang=en`."""
    if not selectors.hearing_exists(pk):
        raise Http404(_("No such hearing."))
    lang = request.GET.get("lang") or _lang(request)
    params = QueryDict(mutable=True)
    params["hearing"] = str(pk)
    return _answer(request, "hearing-summary", fmt, lang, params)
