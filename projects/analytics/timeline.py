"""The projects as rows on a time axis."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Case, F, IntegerField, QuerySet, Value, When

from members.models import Cooperation
from projects.analytics.filters import NO_FILTER, PortfolioFilter
from projects.models import Project


@dataclass
class TimelineRow:
    project: Project
    start: dt.date
    end: dt.date
    is_open: bool
    year_precision: bool
    # An open-ended project whose last record is older than `end`: drawn as running until
    # then, and as unknown (not as running) from then to `end`.
    unknown_after: dt.date | None = None

    @property
    def period_label(self) -> str:
        return period_label(self.project)

    @property
    def last_recorded_label(self) -> str:
        """ "2005", "06.2005" or "21.06.2005": the date of the last record, as precise as it is."""
        day = self.project.last_recorded_on
        if day is None:
            return ""
        precision = self.project.last_recorded_precision
        if precision == "year":
            return str(day.year)
        if precision == "month":
            return f"{day.month:02d}.{day.year}"
        return f"{day.day:02d}.{day.month:02d}.{day.year}"

    @property
    def category_label(self) -> str:
        return str(self.project.get_category_display())


@dataclass
class Timeline:
    rows: list[TimelineRow]
    undated: list[Project]
    today: dt.date

    @property
    def first_year(self) -> int | None:
        return min((r.start.year for r in self.rows), default=None)

    @property
    def last_year(self) -> int | None:
        return max((r.end.year for r in self.rows), default=None)


def period_label(project: Project) -> str:
    """“1999”, “2000–2002”, “2001–” or full dates where the precision is a day or month."""

    def fmt(day: dt.date | None, precision: str) -> str:
        if day is None:
            return ""
        if precision == "year":
            return str(day.year)
        if precision == "month":
            return f"{day.month:02d}.{day.year}"
        return f"{day.day:02d}.{day.month:02d}.{day.year}"

    start = fmt(project.start_date, project.start_precision)
    end = fmt(project.end_date, project.end_precision)
    if not start:
        return ""
    if project.open_ended or not end:
        return f"{start}–"
    if start == end:
        return start
    return f"{start}–{end}"


def _projects(cooperation: Cooperation, flt: PortfolioFilter) -> QuerySet[Project]:
    return (
        Project.objects.filter(cooperation=cooperation)
        .filter(flt.project_q())
        .select_related("host_municipality", "owner_municipality", "owner_organisation")
    )


def ordered_projects(
    cooperation: Cooperation, flt: PortfolioFilter = NO_FILTER
) -> QuerySet[Project]:
    """The filtered projects in overview order (category as listed, start, name), sorted by
    the database so a page of them can be sliced off without reading the rest."""
    rank = Case(
        *[
            When(category=value, then=Value(i))
            for i, (value, _l) in enumerate(Project.Category.choices)
        ],
        default=Value(99),
        output_field=IntegerField(),
    )
    return _projects(cooperation, flt).order_by(
        rank, F("start_date").asc(nulls_last=True), "name", "pk"
    )


def timeline_rows(
    cooperation: Cooperation,
    flt: PortfolioFilter = NO_FILTER,
    *,
    today: dt.date | None = None,
    projects: Iterable[Project] | None = None,
) -> Timeline:
    """Projects as bars from start to end, grouped by category then start. 1 query.

    Open-ended projects, and projects with a start but no end, run to `today`; when their
    last record (`Project.last_recorded_on`) is older, the row is known to run until that
    record and `unknown_after` it (drawn faded, not as running). `projects`
    (e.g. one page of `ordered_projects`) replaces the query over every filtered project.
    """
    today = today or dt.date.today()
    order = {value: i for i, (value, _label) in enumerate(Project.Category.choices)}
    rows: list[TimelineRow] = []
    undated: list[Project] = []
    if projects is None:
        projects = _projects(cooperation, flt).order_by("start_date", "name")
    for project in projects:
        if project.start_date is None:
            undated.append(project)
            continue
        is_open = project.end_date is None
        end = project.end_date or max(today, project.start_date)
        recorded = project.last_recorded_on
        rows.append(
            TimelineRow(
                project=project,
                start=project.start_date,
                end=end,
                is_open=is_open,
                year_precision=project.start_precision == "year",
                unknown_after=(
                    max(recorded, project.start_date)
                    if is_open and recorded is not None and recorded < end
                    else None
                ),
            )
        )
    rows.sort(key=lambda r: (order.get(r.project.category, 99), r.start, r.project.name))
    return Timeline(rows=rows, undated=undated, today=today)
