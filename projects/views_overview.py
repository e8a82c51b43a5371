"""Portfolio overviews across projects: municipality pages, timeline, participation matrix
and money. Thin views: parse the filter, call `projects.analytics`, draw with
`projects.charts`, render."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members import selectors as member_selectors
from members.models import Municipality
from members.selectors import UnknownMunicipality
from projects import analytics, charts
from projects.analytics.cache import cached
from projects.models import MoneyEntry, Project
from projects.page_shell import render_page
from samarbeid.common.forms import BoundedForm


class OverviewFilterForm(BoundedForm, forms.Form):
    category = forms.MultipleChoiceField(
        label=gettext_lazy("Category"),
        choices=Project.Category.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    year_from = forms.IntegerField(
        label=gettext_lazy("From year"), min_value=1900, max_value=2100, required=False
    )
    year_to = forms.IntegerField(
        label=gettext_lazy("To year"), min_value=1900, max_value=2100, required=False
    )
    organisations = forms.BooleanField(
        label=gettext_lazy("Show organisations as columns"), required=False
    )
    all_members = forms.BooleanField(
        label=gettext_lazy("Show members without a role too"), required=False
    )

    def clean(self):
        data = super().clean()
        first, last = data.get("year_from"), data.get("year_to")
        if first and last and last < first:
            self.add_error("year_to", _("“To year” cannot be before “From year”."))
        return data

    def portfolio_filter(self) -> analytics.PortfolioFilter:
        if not self.is_valid():
            return analytics.NO_FILTER
        data = self.cleaned_data
        return analytics.PortfolioFilter(
            categories=tuple(data.get("category") or ()),
            year_from=data.get("year_from"),
            year_to=data.get("year_to"),
        )


class LookupForm(BoundedForm, forms.Form):
    number = forms.CharField(
        label=gettext_lazy("Municipality number"),
        max_length=4,
        help_text=gettext_lazy("Four digits, e.g. 3905 (today's Tønsberg) or 0716 (Re)."),
    )


def _attach_urls(projects) -> None:
    """Set `detail_url` (where the project pages provide one) and `period` on each project."""
    urls: dict[int, str] = {}
    for project in projects:
        if project.pk not in urls:
            urls[project.pk] = ""
            for kwargs in ({"slug": project.slug}, {"pk": project.pk}):
                try:
                    urls[project.pk] = reverse("projects:detail", kwargs=kwargs)
                    break
                except NoReverseMatch:
                    continue
        project.detail_url = urls[project.pk]
        project.period = analytics.period_label(project)


def _cooperation_or_none():
    return member_selectors.default_cooperation()


def _filter_context(request: HttpRequest):
    form = OverviewFilterForm(request.GET or None)
    flt = form.portfolio_filter() if request.GET else analytics.NO_FILTER
    return form, flt


def _render(request, full: str, partial: str, context: dict) -> HttpResponse:
    template = partial if request.htmx and not request.htmx.boosted else full
    return render(request, template, context)


# ---------------------------------------------------------------- municipalities


@login_required
def municipality_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    lookup = LookupForm(request.GET or None)
    if request.GET and lookup.is_valid():
        number = lookup.cleaned_data["number"].strip()
        if number.isdigit():
            return redirect("overview:municipality", number=number.zfill(4))
        lookup.add_error("number", _("A municipality number has digits only, e.g. 3905."))
    cooperation = _cooperation_or_none()
    members = None
    guests = []
    if cooperation is not None:
        members = member_selectors.member_list(cooperation, on=today)
        member_ids = {m.municipality_id for m in members.former}
        for current in members.current:
            member_ids.add(current.municipality.pk)
            member_ids |= {e.municipality.pk for e in current.earlier}
        guests = list(analytics.guest_municipalities(cooperation, exclude=member_ids))
    return render(
        request,
        "projects/overview/municipality_list.html",
        {
            "cooperation": cooperation,
            "today": today,
            "members": members,
            "guests": guests,
            "lookup": lookup,
        },
    )


def _parse_day(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _municipality(municipality: Municipality, today: dt.date, cooperation, page: str) -> tuple:
    """The municipality page's overview and chart (cached per data version, language and
    page of projects)."""
    overview = analytics.municipality_overview(
        municipality, on=today, cooperation=cooperation, page=page
    )
    chart = None
    chart_data = overview.attributed_by_year
    chart_title = _("Grants and benefits attributed to %(name)s, per year") % {
        "name": municipality.name
    }
    if not chart_data.years and overview.project_money_by_year.years:
        chart_data = overview.project_money_by_year
        chart_title = _("Money in the projects %(name)s took part in, per year") % {
            "name": municipality.name
        }
    if chart_data.years:
        # The same chart on every page of the projects list: drawn once per data version.
        chart = cached(
            "municipality-chart",
            (municipality.pk, today, cooperation.pk if cooperation else None),
            lambda: charts.for_screens(
                charts.money_by_year_svg,
                data=chart_data,
                title=chart_title,
                keys=[s.key for s in chart_data.series if s.kind != MoneyEntry.Kind.COST],
                size=(7.5, 3.0),
                prefix="municipality-money",
            ),
        )
    projects = [line.project for line in overview.participations]
    projects += [line.project for line in overview.hosted_projects]
    projects += [s.project for s in overview.hosted_spin_offs]
    projects += [line.entry.project for line in overview.attributed_money]
    _attach_urls(projects)
    return overview, chart, chart_title, chart_data


def municipality_detail(
    request: HttpRequest,
    number: str,
    *,
    template: str = "projects/overview/municipality_detail.html",
    extra: Callable[[Municipality], dict[str, Any]] | None = None,
) -> HttpResponse:
    """What the cooperation did for a municipality, across mergers.

    The site shell mounts this page (samarbeid.site.views.municipality_detail) and adds the
    sections of apps above projects through `template` (which extends this one) and `extra`.
    """
    today = timezone.localdate()
    on = _parse_day(request.GET.get("on")) or today

    def lookup() -> Municipality | None:
        try:
            return member_selectors.municipality_for_number(number, on)
        except UnknownMunicipality:
            return None

    # The registry look-up and the cooperation are kept per data version (a merger or a
    # new cooperation moves it): cache reads instead of queries on every request.
    municipality = cached("municipality-key", (number, on), lookup)
    if municipality is None:
        return render(
            request,
            "projects/overview/municipality_not_found.html",
            {"number": number, "lookup": LookupForm(initial={"number": number})},
            status=404,
        )
    cooperation = cached("default-cooperation", None, _cooperation_or_none)
    page = request.GET.get("page") or "1"
    coop_pk = cooperation.pk if cooperation else None

    def render_body() -> str:
        overview, chart, chart_title, chart_data = cached(
            "municipality",
            (municipality.pk, today, coop_pk, page),
            lambda: _municipality(municipality, today, cooperation, page),
        )
        context = {
            "m": municipality,
            "o": overview,
            "today": today,
            "cooperation": cooperation,
            "chart": chart,
            "chart_title": chart_title,
            "chart_data": chart_data,
            "kinds": MoneyEntry.Kind,
        }
        return render_to_string("projects/overview/_municipality_body.html", context, request)

    def context() -> dict[str, Any]:
        # The projects' sections depend only on the data, the day and the query string: the
        # rendered HTML is kept per data version (100 ms of templates per request before).
        body = cached(
            "municipality-html",
            (municipality.pk, today, coop_pk, request.GET.urlencode()),
            render_body,
        )
        return {
            "m": municipality,
            "body": mark_safe(body),
            "today": today,
            "cooperation": cooperation,
            **(extra(municipality) if extra else {}),
        }

    # The whole page is kept per data version, user and address (projects.page_shell): a
    # repeat request is one cache read more than the two look-ups above.
    return render_page(request, template, (municipality.pk, coop_pk), context)


# ---------------------------------------------------------------- portfolio views


def _portfolio_context(request, form, flt, cooperation, active: str) -> dict:
    return {
        "active": active,
        "form": form,
        "flt": flt,
        "cooperation": cooperation,
        "query": request.GET.urlencode(),
    }


# Rows per page on the timeline and the matrix: the response stays the same size whatever
# the number of projects (the matrix sent 182 MB at 20,000 projects before).
PAGE_SIZE = 50


def _page(request: HttpRequest, flt: analytics.PortfolioFilter, cooperation) -> Page:
    """One page of the filtered projects in overview order (`?page=`, 50 rows)."""
    projects = analytics.ordered_projects(cooperation, flt)
    return Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))


# Beyond this many bars the chart is unreadable and slow to draw (seconds at 2,000).
TIMELINE_CHART_LIMIT = 150


def _portfolio_page(
    request: HttpRequest,
    active: str,
    results: Callable[[HttpRequest, dict[str, Any]], None],
    parts: tuple = (),
) -> HttpResponse:
    """A portfolio page: the page shell per request; the filter form and the results
    section (`_<active>_results.html`) rendered once per data version, language, day, query
    string and `parts` and kept as HTML, so a hit costs one cache read and no queries for
    the rows. `results(request, context)` adds the data the section shows. Neither holds
    anything that depends on the user (the pages are the same for every signed-in user)
    nor a CSRF token (the filter is a GET form); the htmx tabs swapped out-of-band are
    added per request (`_results.html`)."""
    form, flt = _filter_context(request)
    cooperation = cached("default-cooperation", None, _cooperation_or_none)
    context = _portfolio_context(request, form, flt, cooperation, active)
    if cooperation is not None:
        today = timezone.localdate()

        def render_both() -> tuple[str, str]:
            filter_form = render_to_string("projects/overview/_filter_form.html", context, request)
            context["today"] = today
            results(request, context)
            section = render_to_string(
                f"projects/overview/_{active}_results.html", context, request
            )
            return filter_form, section

        filter_form, section = cached(
            f"{active}-html",
            (cooperation.pk, today, request.path, request.GET.urlencode(), parts),
            render_both,
        )
        context["filter_form"] = mark_safe(filter_form)
        context["results"] = mark_safe(section)
    return _render(
        request,
        f"projects/overview/{active}.html",
        "projects/overview/_results.html",
        context,
    )


def _timeline_results(request: HttpRequest, context: dict[str, Any]) -> None:
    cooperation, flt = context["cooperation"], context["flt"]
    page = _page(request, flt, cooperation)
    data = analytics.timeline_rows(
        cooperation, flt, today=context["today"], projects=page.object_list
    )
    context["timeline"] = data
    context["page"] = page
    if len(data.rows) <= TIMELINE_CHART_LIMIT:
        context["chart"] = cached(
            "timeline-chart",
            (cooperation.pk, flt, page.number, data.today),
            lambda: charts.for_screens(
                charts.timeline_svg,
                timeline=data,
                title=_("Projects by period"),
                prefix="timeline",
            ),
        )
    else:
        context["chart_limit"] = TIMELINE_CHART_LIMIT
    _attach_urls([r.project for r in data.rows] + data.undated)


@login_required
def timeline(request: HttpRequest) -> HttpResponse:
    return _portfolio_page(request, "timeline", _timeline_results, (TIMELINE_CHART_LIMIT,))


def _matrix_results(request: HttpRequest, context: dict[str, Any]) -> None:
    cooperation, flt, form = context["cooperation"], context["flt"], context["form"]
    valid = form.is_valid()
    page = _page(request, flt, cooperation)
    data = analytics.participation_matrix(
        cooperation,
        flt,
        include_organisations=bool(valid and form.cleaned_data.get("organisations")),
        include_idle_members=bool(valid and form.cleaned_data.get("all_members")),
        projects=page.object_list,
    )
    context["matrix"] = data
    context["page"] = page
    _attach_urls([r.project for r in data.rows])


@login_required
def matrix(request: HttpRequest) -> HttpResponse:
    return _portfolio_page(request, "matrix", _matrix_results)


def _money(cooperation, flt: analytics.PortfolioFilter) -> dict[str, Any]:
    """The money page's tables and charts (cached per data version, language and filter)."""
    by_year = analytics.money_totals_by_year(cooperation, flt)
    by_municipality = analytics.money_totals_by_municipality(cooperation, flt)
    top = analytics.money_top_projects(cooperation, flt, limit=MONEY_PROJECT_LIMIT)
    _attach_urls([r.project for r in top.rows])
    municipality_total = analytics.sum_totals(by_municipality)
    grant_keys = [s.key for s in by_year.series if s.kind in ("grant", "cost")]
    benefit_keys = [s.key for s in by_year.series if s.kind == "benefit"]
    return {
        "by_year": by_year,
        "by_municipality": by_municipality,
        "municipality_total": municipality_total,
        "by_project": top.rows,
        "project_count": top.count,
        # The same yearly shares as the municipality table, so the same sums.
        "project_total": municipality_total,
        "grant_chart": charts.for_screens(
            charts.money_by_year_svg,
            data=by_year,
            title=_("Grants and costs per year"),
            keys=grant_keys,
            stacked=False,
            prefix="money-grants",
        )
        if grant_keys and by_year.years
        else None,
        "benefit_chart": charts.for_screens(
            charts.money_by_year_svg,
            data=by_year,
            title=_("Benefits per year, by category"),
            keys=benefit_keys,
            stacked=True,
            prefix="money-benefits",
        )
        if benefit_keys and by_year.years
        else None,
    }


# The per-project money table lists the largest this many; its total counts them all.
MONEY_PROJECT_LIMIT = 50


def _money_results(_request: HttpRequest, context: dict[str, Any]) -> None:
    cooperation, flt = context["cooperation"], context["flt"]
    context.update(cached("money", (cooperation.pk, flt), lambda: _money(cooperation, flt)))


@login_required
def money(request: HttpRequest) -> HttpResponse:
    return _portfolio_page(request, "money", _money_results)
