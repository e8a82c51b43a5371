"""Portfolio pages: list, project page, create and edit. Thin: parse, call, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from members import selectors as member_selectors
from projects import forms, history, selectors, services
from projects.analytics.cache import cached
from projects.models import Deliverable, Project
from projects.page_shell import render_page, secretariat
from samarbeid.common.permissions import require_secretariat
from samarbeid.common.uploads import serve_file

PAGE_SIZE = 25
LIST_QUERY_KEY = "projects:list-query"


def _list_url(request: HttpRequest) -> str:
    """The portfolio list as the user last left it (filters, sort and page), so "back to the
    list" from a project or its form returns to the same filtered view."""
    url = reverse("projects:list")
    query = request.session.get(LIST_QUERY_KEY, "") if hasattr(request, "session") else ""
    return f"{url}?{query}" if query else url


def _cooperation():
    # Kept per data version (a new or renamed cooperation moves it): a cache read instead
    # of a query on every desk request.
    return cached("default-cooperation", None, member_selectors.default_cooperation)


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    if request.session.get(LIST_QUERY_KEY, "") != request.GET.urlencode():
        request.session[LIST_QUERY_KEY] = request.GET.urlencode()
    can_edit = secretariat(request.user)
    htmx = getattr(request, "htmx", None)
    partial = bool(htmx and not htmx.history_restore_request)
    template = "projects/_list_results.html" if partial else "projects/_list_body.html"

    def body() -> str:
        cooperation = _cooperation()

        def render_body() -> str:
            context = _list_context(cooperation, request, can_edit)
            return render_to_string(template, context, request)

        # The filter form and the results depend only on the data, the query string, the
        # language and whether the user may edit: rendered once per data version (an edit
        # shows on the next request, projects.analytics.cache), not per request (0.1 s of
        # templates).
        key = (
            cooperation.pk if cooperation else None,
            timezone.localdate(),
            request.GET.urlencode(),
            can_edit,
            template,
        )
        return mark_safe(cached("projects-list", key, render_body))

    if partial:
        response = HttpResponse(body())
    else:
        # The page around it too (its shell, the header): on a hit one cache read.
        response = render_page(request, "projects/list.html", can_edit, lambda: {"body": body()})
    response["Vary"] = "HX-Request"
    return response


def _list_context(cooperation, request: HttpRequest, can_edit: bool) -> dict:
    form = forms.ProjectFilterForm(
        request.GET or None,
        # The options change only with the data: computed once per data version (0.8 s of
        # EXISTS over every municipality and organisation at 20,000 projects).
        choices=cached(
            "filter-choices",
            (cooperation.pk if cooperation else None, timezone.localdate()),
            lambda: selectors.filter_choices(cooperation=cooperation),
        ),
    )
    filters = form.to_filter()
    projects = selectors.project_list(cooperation=cooperation, filters=filters)
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    return {"form": form, "page": page, "filters": filters, "can_edit": can_edit}


def _get_project(slug: str) -> Project:
    try:
        return selectors.project_detail(cooperation=_cooperation(), slug=slug)
    except Project.DoesNotExist as exc:
        raise Http404(_("No such project.")) from exc


@login_required
def deliverable_file(request: HttpRequest, pk: int) -> HttpResponse:
    """A deliverable's file, to signed-in users (like the project page), always as a
    download with nosniff: it never runs on this site's origin, and works with DEBUG off."""
    try:
        deliverable = selectors.deliverable_with_file(cooperation=_cooperation(), pk=pk)
    except Deliverable.DoesNotExist as exc:
        raise Http404(_("No such file.")) from exc
    return serve_file(deliverable.file, download_name=deliverable.title)


@login_required
def project_detail(request: HttpRequest, slug: str) -> HttpResponse:
    def context() -> dict[str, Any]:
        cooperation = _cooperation()

        def key() -> Project | None:
            try:
                return selectors.project_key(cooperation=cooperation, slug=slug)
            except Project.DoesNotExist:
                return None

        # The slug look-up is kept per data version too (a rename or the trash moves it).
        project = cached("project-key", (cooperation.pk if cooperation else None, slug), key)
        if project is None:
            raise Http404(_("No such project."))

        def render_fragments() -> dict[str, str]:
            full = selectors.project_detail(cooperation=cooperation, slug=slug)
            context = {
                "project": full,
                "totals": selectors.money_totals_for_project(full),
                "phase_steps": selectors.phase_steps(full),
                "transitions": selectors.dated_transitions(full),
                "source_cells": selectors.source_cells(full),
                "history": history.project_history(full),
            }
            # With the request: the networks' experience shows to signed-in users (all of
            # them here, the page needs a sign-in), whoever renders it first.
            return {
                "head": render_to_string("projects/_detail_head.html", context, request),
                "body": render_to_string("projects/_detail_body.html", context, request),
            }

        # Everything but the back link and the edit buttons depends only on the data (and
        # the day: overdue deliverables): rendered once per data version for every user.
        fragments = cached("project-page", (project.pk, timezone.localdate()), render_fragments)
        return {
            "project": project,
            "fragments": {name: mark_safe(html) for name, html in fragments.items()},
            "can_edit": can_edit,
            "list_url": list_url,
        }

    # The whole page with its shell, once per data version, user and back link (an edit
    # shows on the next request, projects.analytics.cache; 30-90 ms of templates before):
    # a hit is one cache read. A page kept for this data version was found then, and the
    # trash or a rename moves the data version, so the 404 is decided on a miss.
    can_edit = secretariat(request.user)
    list_url = _list_url(request)
    return render_page(request, "projects/detail.html", (can_edit, list_url), context)


@login_required
@require_http_methods(["POST"])
def project_delete(request: HttpRequest, slug: str) -> HttpResponse:
    """Move the project to the trash (the secretariat can restore it from there)."""
    require_secretariat(request.user)
    project = _get_project(slug)
    services.project_delete(actor=request.user, project=project)
    messages.success(
        request,
        _("%(name)s is moved to the trash. The secretariat can restore it from there.")
        % {"name": project.name},
    )
    return redirect(_list_url(request))


def _formsets(request: HttpRequest, project: Project):
    if request.method == "POST":
        return _formsets_for(request.POST, request.FILES, project)
    return _formsets_for(None, None, project)


def _formsets_for(data, files, project: Project):
    return [
        (label, cls(data, files, instance=project, prefix=prefix))
        for prefix, cls, label in forms.FORMSETS
    ]


def _formset_errors(formsets) -> bool:
    return any(fs.is_bound and not fs.is_valid() for _label, fs in formsets)


def _inline_changes(formsets) -> list[services.InlineChanges]:
    changes = []
    for _label, formset in formsets:
        saved = formset.save(commit=False)
        changes.append(services.InlineChanges(saved=saved, deleted=formset.deleted_objects))
    return changes


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request: HttpRequest) -> HttpResponse:
    require_secretariat(request.user)
    cooperation = _cooperation()
    if cooperation is None:
        raise Http404(_("No cooperation has been set up yet."))
    project = Project(cooperation=cooperation)
    form = forms.ProjectForm(request.POST or None, instance=project)
    formsets = _formsets(request, project)
    valid = request.method == "POST" and form.is_valid()
    if valid and all(fs.is_valid() for _label, fs in formsets):
        changes = form.changes()
        try:
            created = services.project_create(
                actor=request.user,
                cooperation=cooperation,
                name=changes.pop("name"),
                category=changes.pop("category"),
                fields=changes,
                tags=form.tag_names(),
                inlines=_inline_changes(formsets),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The project was created."))
            return redirect("projects:detail", slug=created.slug)
    return render(
        request,
        "projects/form.html",
        {
            "form": form,
            "formsets": formsets,
            "project": None,
            "formset_errors": _formset_errors(formsets),
            "list_url": _list_url(request),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, slug: str) -> HttpResponse:
    require_secretariat(request.user)
    try:
        project = selectors.project_for_edit(cooperation=_cooperation(), slug=slug)
    except Project.DoesNotExist as exc:
        raise Http404(_("No such project.")) from exc
    form = forms.ProjectForm(request.POST or None, instance=project)
    formsets = _formsets(request, project)
    conflict = None
    if request.method == "POST":
        if form.is_valid() and all(fs.is_valid() for _label, fs in formsets):
            try:
                saved = services.project_update(
                    actor=request.user,
                    project=form.instance,
                    expected_version=form.cleaned_data["version"],
                    changes=form.changes(),
                    tags=form.tag_names(),
                    inlines=_inline_changes(formsets),
                )
            except services.ProjectChangedElsewhere as exc:
                conflict = history.conflict_report(exc.current, form)
                data = request.POST.copy()
                data["version"] = str(exc.current.version)
                fresh = selectors.project_for_edit(cooperation=_cooperation(), slug=slug)
                form = forms.ProjectForm(data, instance=fresh)
                form.is_valid()
                formsets = _formsets(request, fresh)
                for _label, fs in formsets:
                    fs.is_valid()
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Your changes were saved."))
                return redirect("projects:detail", slug=saved.slug)
        elif request.POST.get("version") != str(project.version):
            # Invalid input on a stale form (e.g. a row someone else deleted meanwhile): say
            # so as well, and let the corrected form save over the newer version.
            conflict = history.conflict_report(project, form)
            data = request.POST.copy()
            data["version"] = str(project.version)
            form = forms.ProjectForm(data, instance=project)
            form.is_valid()
            formsets = _formsets_for(data, request.FILES, project)
            for _label, fs in formsets:
                fs.is_valid()
    status = 200
    if request.method == "POST":
        status = 409 if conflict else 400
    return render(
        request,
        "projects/form.html",
        {
            "form": form,
            "formsets": formsets,
            "project": project,
            "conflict": conflict,
            "formset_errors": _formset_errors(formsets),
            "list_url": _list_url(request),
        },
        status=status,
    )
