"""The public portal and the widget: pages without login. Thin: parse, read, render.

Every read goes through `portal.selectors`, which starts from the visibility rules of the
domain apps (public projects, public cases, public case documents)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from governance.models import Case, CaseDocument
from members import selectors as member_selectors
from members.selectors import UnknownMunicipality
from portal import selectors, widget
from projects.forms import ProjectFilterForm
from projects.models import Project
from samarbeid.common.middleware import embeddable
from samarbeid.common.uploads import serve_file

PAGE_SIZES = (25, 50)
WIDGET_MAX_AGE = 300


def _page_size(request: HttpRequest) -> int:
    try:
        size = int(request.GET.get("per_page", PAGE_SIZES[0]))
    except ValueError:
        return PAGE_SIZES[0]
    return size if size in PAGE_SIZES else PAGE_SIZES[0]


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    cooperation = selectors.cooperation()
    front = selectors.front(cooperation=cooperation)
    purpose = cooperation.purpose_in(request.LANGUAGE_CODE) if cooperation else ""
    return render(request, "portal/home.html", {"front": front, "purpose": purpose})


@require_safe
def project_list(request: HttpRequest) -> HttpResponse:
    cooperation = selectors.cooperation()
    form = ProjectFilterForm(
        request.GET or None, choices=selectors.filter_choices(cooperation=cooperation)
    )
    filters = form.to_filter()
    projects = selectors.project_list(cooperation=cooperation, filters=filters)
    size = _page_size(request)
    page = Paginator(projects, size).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/project_list.html",
        {
            "form": form,
            "page": page,
            "per_page": size,
            "page_sizes": PAGE_SIZES,
            "section": "projects",
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@require_safe
def project_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        public = selectors.project_detail(cooperation=selectors.cooperation(), slug=slug)
    except Project.DoesNotExist as exc:
        raise Http404(_("No such project.")) from exc
    return render(
        request,
        "portal/project_detail.html",
        {"p": public, "project": public.project, "section": "projects"},
    )


@require_safe
def municipality_list(request: HttpRequest) -> HttpResponse:
    cooperation = selectors.cooperation()
    today = timezone.localdate()
    members = selectors.member_list(cooperation=cooperation, today=today) if cooperation else None
    return render(
        request,
        "portal/municipality_list.html",
        {"members": members, "today": today, "section": "municipalities"},
    )


def _municipality_or_404(number: str):
    if not number.isdigit() or len(number) > 4:
        raise Http404(_("A municipality number has digits only, e.g. 3905."))
    try:
        return member_selectors.municipality_for_number(number, timezone.localdate())
    except UnknownMunicipality as exc:
        raise Http404(str(exc)) from exc


@require_safe
def municipality_detail(request: HttpRequest, number: str) -> HttpResponse:
    municipality = _municipality_or_404(number)
    today = timezone.localdate()
    page = selectors.municipality_page(
        cooperation=selectors.cooperation(), municipality=municipality, today=today
    )
    embed_url = request.build_absolute_uri(reverse("portal:embed", args=[municipality.number]))
    script_url = request.build_absolute_uri(static("portal/embed.js"))
    return render(
        request,
        "portal/municipality_detail.html",
        {
            "page": page,
            "m": municipality,
            "today": today,
            "section": "municipalities",
            "embed_url": embed_url,
            "script_url": script_url,
            "json_url": request.build_absolute_uri(
                reverse("portal:embed_json", args=[municipality.number])
            ),
        },
    )


@require_safe
def case_list(request: HttpRequest) -> HttpResponse:
    cases = selectors.case_list(cooperation=selectors.cooperation())
    page = Paginator(cases, _page_size(request)).get_page(request.GET.get("page"))
    return render(request, "portal/case_list.html", {"page": page, "section": "cases"})


@require_safe
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        public = selectors.case_detail(cooperation=selectors.cooperation(), pk=pk)
    except Case.DoesNotExist as exc:
        raise Http404(_("No such case.")) from exc
    return render(
        request, "portal/case_detail.html", {"c": public, "case": public.case, "section": "cases"}
    )


@require_safe
def document(request: HttpRequest, pk: int) -> FileResponse:
    """A case document marked public (on a public case): always a download with nosniff,
    like the desk's governance:document."""
    try:
        doc = selectors.public_document(pk)
    except CaseDocument.DoesNotExist as exc:
        raise Http404(_("No such file.")) from exc
    return serve_file(doc.file, download_name=doc.title)


# ---------------------------------------------------------------- widget


def _widget(request: HttpRequest, number: str) -> widget.WidgetData:
    if not number.isdigit() or len(number) > 4:
        raise Http404(_("A municipality number has digits only, e.g. 3905."))
    try:
        return widget.widget_data(
            number=number, today=timezone.localdate(), absolute=request.build_absolute_uri
        )
    except UnknownMunicipality as exc:
        raise Http404(str(exc)) from exc


def _cacheable(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = f"public, max-age={WIDGET_MAX_AGE}"
    return response


@require_safe
@embeddable
def embed_municipality(request: HttpRequest, number: str) -> HttpResponse:
    """The widget page a member's website shows in an <iframe>."""
    if request.GET.get("format") == "json":
        return embed_municipality_json(request, number)
    data = _widget(request, number)
    return _cacheable(render(request, "portal/embed/municipality.html", {"w": data}))


@require_safe
def embed_municipality_json(request: HttpRequest, number: str) -> HttpResponse:
    """The widget's JSON twin, for websites that draw the list themselves (CORS open)."""
    try:
        data = _widget(request, number)
    except Http404 as exc:
        response = JsonResponse({"detail": str(exc)}, status=404)
    else:
        response = _cacheable(
            JsonResponse(data.as_json(), json_dumps_params={"ensure_ascii": False})
        )
    response["Access-Control-Allow-Origin"] = "*"
    return response
