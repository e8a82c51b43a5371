"""The project overview ("Prosjektoversikt"): the sections and columns of 001, for any
filter of the portfolio list."""

from __future__ import annotations

import datetime as dt

from django.http import QueryDict
from django.utils.translation import gettext as _

from importers.readers import (
    CATEGORIES,
    COLUMNS,
    COMMENT,
    NAME,
    NETWORK,
    OPERATIONS,
    OTHER,
    PARTICIPANTS,
    PERIOD,
    PLANNING,
    RESULT,
    SECTION_COLUMNS,
    STATUS,
    WORKING_FORM,
)
from members.models import Cooperation
from projects.analytics import period_label
from projects.forms import ProjectFilterForm
from projects.models import Project
from reports import selectors
from reports.common import ReportError, day, footer_lines, years_label
from reports.document import Bullets, Column, Document, Paragraph, Table


def section_titles() -> dict[str, str]:
    return {
        OPERATIONS: _("1) Operations projects"),
        PLANNING: _("2) Planning, land use and industrial projects"),
        NETWORK: _("Professional network groups"),
        OTHER: _("Other work areas"),
    }


def headings(short_name: str) -> dict[str, str]:
    return {
        NAME: _("Project"),
        PERIOD: _("Period"),
        PARTICIPANTS: _("Participants"),
        WORKING_FORM: _("Working form"),
        RESULT: _("%(cooperation)s result") % {"cooperation": short_name},
        STATUS: _("Status"),
        COMMENT: _("Comment"),
    }


def _participants(project: Project) -> str:
    if project.participants_text:
        return project.participants_text
    names: dict[str, None] = {}
    for p in project.participations.all():
        if p.party is not None:
            names.setdefault(p.party.name, None)
    return ", ".join(names)


def _choice(written: str, value: str, label: str, lang: str) -> str:
    """Norwegian shows the cell as written; English the translated value where one is set."""
    if lang != "nb" and value:
        return label
    return written or label


def cells(project: Project, lang: str) -> dict[str, str]:
    return {
        NAME: project.name,
        PERIOD: period_label(project),
        PARTICIPANTS: _participants(project),
        WORKING_FORM: _choice(
            project.working_form_text,
            project.working_form,
            str(project.get_working_form_display()) if project.working_form else "",
            "nb",  # the working form is described, not chosen: keep the text as written
        ),
        RESULT: _choice(
            project.result_text,
            project.result,
            str(project.get_result_display()).capitalize() if project.result else "",
            lang,
        ),
        STATUS: _choice(
            project.status_text,
            project.status,
            str(project.get_status_display()).capitalize() if project.status else "",
            lang,
        ),
        COMMENT: project.comments,
    }


def _source_order(project: Project) -> tuple:
    row = (project.source_text or {}).get("row") if isinstance(project.source_text, dict) else None
    return (
        row if isinstance(row, int) else 10**9,
        project.start_date or dt.date.max,
        project.name,
    )


def _selection(form: ProjectFilterForm) -> list[str]:
    """The active filters in words, for the title page."""
    if not form.is_bound or not form.is_valid():
        return []
    out = []
    for name, value in form.cleaned_data.items():
        if value in ("", None) or name in ("sort", "year_from", "year_to"):
            continue
        field = form.fields[name]
        shown = dict(getattr(field, "choices", [])).get(value, value)
        out.append(f"{field.label}: {shown}")
    return out


def _filename(stem: str, period: str) -> str:
    return f"{stem}-{period}".replace("–", "-").replace(" ", "-") if period else stem


def build(*, coop: Cooperation | None, params: QueryDict, lang: str, today: dt.date) -> Document:
    form = selectors.overview_filter_form(coop=coop, data=params)
    if form.is_bound and not form.is_valid():
        problems = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in form.errors.items())
        raise ReportError(_("The filters are not valid: %(problems)s") % {"problems": problems})
    filters = form.to_filter()
    projects = list(selectors.overview_projects(coop=coop, filters=filters))
    if "sort" not in params:
        projects.sort(key=_source_order)
    first = filters.year_from or min(
        (p.start_date.year for p in projects if p.start_date), default=None
    )
    last = filters.year_to or max(
        ((p.end_date or p.start_date).year for p in projects if p.start_date), default=None
    )
    name = selectors.cooperation_name_on(coop, dt.date(last, 12, 31)) if coop and last else ""
    short = coop.short_name if coop else ""
    if coop and last:
        short = selectors.cooperation_short_name_on(coop, dt.date(last, 12, 31))
    period = years_label(first, last)
    title = _("Project overview %(cooperation)s") % {"cooperation": short}
    if period:
        title += f" ({period})"
    doc = Document(
        name="overview",
        lang=lang,
        title=title.strip(),
        subtitle=name or (coop.name if coop else ""),
        organisation=coop.name if coop else "",
        footer=footer_lines(coop),
        filename=_filename("prosjektoversikt" if lang == "nb" else "project-overview", period),
    )
    doc.title_page.append((_("Period"), period or _("all years")))
    selection = _selection(form)
    doc.title_page.append(
        (_("Selection"), "; ".join(selection) if selection else _("all projects"))
    )
    doc.title_page.append((_("Projects"), str(len(projects))))
    doc.title_page.append((_("Made"), day(today)))
    if not projects:
        doc.empty = _("No projects match this selection: there is nothing to show.")
        doc.data = _data_table([], lang, short)
        return doc
    doc.intro.append(
        Paragraph(
            _(
                "Below is an overview of the projects of %(cooperation)s. The projects are of "
                "two kinds, in line with the cooperation's aims:"
            )
            % {"cooperation": name or (coop.name if coop else "")}
        )
    )
    doc.intro.append(
        Bullets(
            [
                _("(1) Operations projects: developing services, organisation and administration"),
                _(
                    "(2) Planning, land use and industrial projects: coordinating planning, "
                    "land use and industrial policy"
                ),
            ]
        )
    )
    doc.data = _data_table(projects, lang, short)
    titles = section_titles()
    labels = headings(short)
    for category in CATEGORIES:
        chosen = [p for p in projects if p.category == category]
        if not chosen:
            continue
        columns = SECTION_COLUMNS[category]
        section = doc.add(titles[category], wide=len(columns) > 2)
        rows = []
        for project in chosen:
            data = cells(project, lang)
            rows.append([data[c] for c in columns])
        section.add(
            Table(
                columns=[Column(labels[c], widest=c == COMMENT) for c in columns],
                rows=rows,
                sheet=titles[category],
                wide=len(columns) > 2,
            )
        )
    return doc


def _data_table(projects: list[Project], lang: str, short: str) -> Table:
    """Every project in one typed table: the section, the columns of 001, start and end year."""
    titles = section_titles()
    labels = headings(short)
    columns = [
        Column(_("Section")),
        Column(labels[NAME]),
        Column(labels[PERIOD]),
        Column(_("Start year"), kind="year"),
        Column(_("End year"), kind="year"),
        *[Column(labels[c], widest=c == COMMENT) for c in COLUMNS[2:]],
    ]
    rows = []
    for category in CATEGORIES:
        for project in (p for p in projects if p.category == category):
            data = cells(project, lang)
            rows.append(
                [
                    titles[category],
                    data[NAME],
                    data[PERIOD],
                    project.start_date.year if project.start_date else None,
                    project.end_date.year if project.end_date else None,
                    *[data[c] for c in COLUMNS[2:]],
                ]
            )
    return Table(columns=columns, rows=rows, sheet=_("Project overview")[:31])
