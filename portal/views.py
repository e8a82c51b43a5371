"""The public portal and the widget: pages without login. Thin: parse, read, render.

Every read goes through `portal.selectors`, which starts from the visibility rules of the
domain apps (public projects, public cases, public case documents).

Each page (and the widget) is rendered once per *data version*, language and address and
kept in the cache (`projects.analytics.cache.cached`): any save or delete in members,
projects or governance moves the data version, so an edit shows on the next request to
every page that shows it. The pages hold nothing that differs between visitors (the
language switch is a plain link, not a form with a CSRF token), so the whole page is
cached.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from governance.models import Case, CaseDocument
from members import selectors as member_selectors
from members.models import Municipality
from members.selectors import UnknownMunicipality
from portal import network_selectors, selectors, widget
from projects.analytics.cache import cached
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


def _page(
    request: HttpRequest,
    name: str,
    section: str,
    compute: Callable[[], tuple[str, dict[str, Any]] | tuple[str, dict[str, Any], int]],
) -> HttpResponse:
    """Render `portal/_<name>.html` with the context `compute()` returns (title, context
    and optionally a status) inside the portal's frame. The page holds nothing personal
    (no CSRF token, no user), so the whole of it is cached per data version, language,
    site address, day and full path."""

    def whole_page() -> dict[str, Any]:
        title, context, *status = compute()
        context.setdefault("today", timezone.localdate())
        body = render_to_string(f"portal/_{name}.html", context, request=request)
        frame = {"title": title, "body": mark_safe(body), "section": section}
        html = render_to_string("portal/page.html", frame, request=request)
        return {"html": str(html), "status": status[0] if status else 200}

    parts = (
        request.build_absolute_uri("/"),
        request.get_full_path(),
        timezone.localdate().isoformat(),
    )
    page = cached(f"portal:{name}", parts, whole_page)
    return HttpResponse(page["html"], status=page["status"])


@require_safe
def language(request: HttpRequest) -> HttpResponse:
    """Switch the portal's language with a plain link (`?language=en&next=/portal/…`): it
    sets the same cookie as Django's set_language, without a form and its CSRF token, so
    a portal page is the same for every visitor and can be served from the cache."""
    nxt = request.GET.get("next") or reverse("portal:home")
    if not url_has_allowed_host_and_scheme(
        nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        nxt = reverse("portal:home")
    response = redirect(nxt)
    code = request.GET.get("language", "")
    if code in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    def compute():
        cooperation = selectors.cooperation()
        purpose = cooperation.purpose_in(request.LANGUAGE_CODE) if cooperation else ""
        front = selectors.front(cooperation=cooperation)
        return _("Open portal"), {"front": front, "purpose": purpose}

    return _page(request, "home", "", compute)


@require_safe
def project_list(request: HttpRequest) -> HttpResponse:
    def compute():
        cooperation = selectors.cooperation()
        form = ProjectFilterForm(
            request.GET or None, choices=selectors.filter_choices(cooperation=cooperation)
        )
        filters = form.to_filter()
        projects = selectors.project_list(cooperation=cooperation, filters=filters)
        size = _page_size(request)
        page = Paginator(projects, size).get_page(request.GET.get("page"))
        context = {"form": form, "page": page, "per_page": size, "page_sizes": PAGE_SIZES}
        return _("Projects"), context, 400 if form.is_bound and not form.is_valid() else 200

    return _page(request, "project_list", "projects", compute)


@require_safe
def project_detail(request: HttpRequest, slug: str) -> HttpResponse:
    def compute():
        try:
            public = selectors.project_detail(cooperation=selectors.cooperation(), slug=slug)
        except Project.DoesNotExist as exc:
            raise Http404(_("No such project.")) from exc
        return public.project.name, {"p": public, "project": public.project}

    return _page(request, "project_detail", "projects", compute)


@require_safe
def municipality_list(request: HttpRequest) -> HttpResponse:
    def compute():
        cooperation = selectors.cooperation()
        today = timezone.localdate()
        members = (
            selectors.member_list(cooperation=cooperation, today=today) if cooperation else None
        )
        return _("Municipalities"), {"members": members}

    return _page(request, "municipality_list", "municipalities", compute)


def _municipality_or_404(number: str) -> Municipality:
    if not number.isdigit() or len(number) > 4:
        raise Http404(_("A municipality number has digits only, e.g. 3905."))
    try:
        return member_selectors.municipality_for_number(number, timezone.localdate())
    except UnknownMunicipality as exc:
        raise Http404(str(exc)) from exc


def _pager(request: HttpRequest, page: Page, param: str, anchor: str) -> dict[str, Any]:
    """Links to the previous and next page of one of a page's lists, which keep the other
    lists' pages (each list has its own query parameter) and lead back to the list."""

    def link(number: int) -> str:
        query = request.GET.copy()
        if number == 1:
            query.pop(param, None)
        else:
            query[param] = str(number)
        encoded = query.urlencode()
        return f"{request.path}{'?' + encoded if encoded else ''}#{anchor}"

    return {
        "page": page,
        "previous": link(page.previous_page_number()) if page.has_previous() else "",
        "next": link(page.next_page_number()) if page.has_next() else "",
    }


@require_safe
def municipality_detail(request: HttpRequest, number: str) -> HttpResponse:
    def compute():
        municipality = _municipality_or_404(number)
        page = selectors.municipality_page(
            cooperation=selectors.cooperation(),
            municipality=municipality,
            today=timezone.localdate(),
            pages=selectors.PageRequest(
                current=request.GET.get("page"),
                ended=request.GET.get("ended"),
                council=request.GET.get("decisions"),
            ),
        )
        absolute = request.build_absolute_uri
        context = {
            "page": page,
            "pagers": {
                "current": _pager(request, page.current_projects, "page", "current-h"),
                "ended": _pager(request, page.ended_projects, "ended", "ended-h"),
                "council": _pager(request, page.council, "decisions", "council-h"),
            },
            "m": municipality,
            "embed_url": absolute(reverse("portal:embed", args=[municipality.number])),
            "script_url": absolute(static("portal/embed.js")),
            "json_url": absolute(reverse("portal:embed_json", args=[municipality.number])),
            "networks": network_selectors.municipality_networks(
                [municipality.pk, *(p.pk for p in page.predecessors)]
            ),
        }
        return municipality.name, context

    return _page(request, "municipality_detail", "municipalities", compute)


@require_safe
def case_list(request: HttpRequest) -> HttpResponse:
    def compute():
        cases = selectors.case_list(cooperation=selectors.cooperation())
        page = Paginator(cases, _page_size(request)).get_page(request.GET.get("page"))
        return _("Board cases"), {"page": page}

    return _page(request, "case_list", "cases", compute)


@require_safe
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    def compute():
        try:
            public = selectors.case_detail(cooperation=selectors.cooperation(), pk=pk)
        except Case.DoesNotExist as exc:
            raise Http404(_("No such case.")) from exc
        title = f"{public.case.number} {public.case.title}"
        return title, {"c": public, "case": public.case}

    return _page(request, "case_detail", "cases", compute)


@require_safe
def document(request: HttpRequest, pk: int) -> FileResponse:
    """A case document marked public (on a public case): always a download with nosniff,
    like the desk's governance:document."""
    try:
        doc = selectors.public_document(pk)
    except CaseDocument.DoesNotExist as exc:
        raise Http404(_("No such file.")) from exc
    return serve_file(doc.file, download_name=doc.title)


# ---------------------------------------------------------------- networks


@require_safe
def network_list(request: HttpRequest) -> HttpResponse:
    def compute():
        page = selectors.network_list(
            cooperation=selectors.cooperation(), today=timezone.localdate()
        )
        return _("Networks"), {"rows": page}

    return _page(request, "network_list", "networks", compute)


@require_safe
def network_detail(request: HttpRequest, slug: str) -> HttpResponse:
    def compute():
        found = selectors.network_detail(
            cooperation=selectors.cooperation(), slug=slug, today=timezone.localdate()
        )
        if found is None:
            raise Http404(_("No such network."))
        return found.network.name, {"n": found}

    return _page(request, "network_detail", "networks", compute)


@require_safe
def network_file(request: HttpRequest, pk: int) -> FileResponse:
    """A version of a network's library document, only when the document is public (the
    networks app's own rule for an anonymous visitor): a download with nosniff."""
    version = network_selectors.public_version_for_download(pk)
    if version is None:
        raise Http404(_("No such file."))
    return serve_file(version.file, download_name=f"{version.document.title} v{version.number}")


# ---------------------------------------------------------------- widget


def _widget(request: HttpRequest, number: str, render_as: str) -> Any:
    """The widget for `number` as HTML (str) or JSON (dict), cached per data version,
    language, site address and day."""
    if not number.isdigit() or len(number) > 4:
        raise Http404(_("A municipality number has digits only, e.g. 3905."))

    def compute() -> Any:
        try:
            data = widget.widget_data(
                number=number, today=timezone.localdate(), absolute=request.build_absolute_uri
            )
        except UnknownMunicipality as exc:
            raise Http404(str(exc)) from exc
        if render_as == "json":
            return data.as_json()
        return str(render_to_string("portal/embed/municipality.html", {"w": data}, request))

    parts = (request.build_absolute_uri("/"), number, timezone.localdate().isoformat())
    return cached(f"portal:widget-{render_as}", parts, compute)


def _cacheable(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = f"public, max-age={WIDGET_MAX_AGE}"
    return response


@require_safe
@embeddable
def embed_municipality(request: HttpRequest, number: str) -> HttpResponse:
    """The widget page a member's website shows in an <iframe>."""
    if request.GET.get("format") == "json":
        return embed_municipality_json(request, number)
    return _cacheable(HttpResponse(_widget(request, number, "html")))


@require_safe
def embed_municipality_json(request: HttpRequest, number: str) -> HttpResponse:
    """The widget's JSON twin, for websites that draw the list themselves (CORS open)."""
    try:
        data = _widget(request, number, "json")
    except Http404 as exc:
        response: HttpResponse = JsonResponse({"detail": str(exc)}, status=404)
    else:
        response = _cacheable(JsonResponse(data, json_dumps_params={"ensure_ascii": False}))
    response["Access-Control-Allow-Origin"] = "*"
    return response
