"""The annual report: projects started, completed and in operation, board cases and
referrals with their outcome, the networks' activity, grants and benefits with totals, and
charts (timeline, money per year, participation matrix) as vector images. The money is
the money page's own table for the year (?year_from=Y&year_to=Y), so the totals agree."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

from django.http import QueryDict
from django.utils.translation import gettext as _

from members.models import Cooperation
from projects.analytics import PortfolioFilter, period_label
from projects.models import Project
from reports import charts, selectors
from reports.common import ReportError, day, footer_lines, nok
from reports.document import Bullets, Column, Document, Facts, Paragraph, Table
from reports.forms import AnnualForm

TIMELINE_LIMIT = 80
MONEY_YEARS = 10


def _year(params: QueryDict, today: dt.date) -> int:
    data = params.copy()
    data.setdefault("year", str(today.year - 1))
    form = AnnualForm(data)
    if not form.is_valid():
        problems = "; ".join(f"{name}: {' '.join(e)}" for name, e in form.errors.items())
        raise ReportError(_("The choices are not valid: %(problems)s") % {"problems": problems})
    return form.cleaned_data["year"]


def _project_rows(projects: list[Project]) -> list[list]:
    return [
        [
            p.name,
            period_label(p),
            str(p.get_category_display()),
            str(p.get_phase_display()).capitalize(),
            p.host_municipality.name if p.host_municipality else "",
        ]
        for p in projects
    ]


def _project_table(projects: list[Project], sheet: str) -> Table:
    return Table(
        columns=[
            Column(_("Project"), widest=True),
            Column(_("Period")),
            Column(_("Category")),
            Column(_("Phase")),
            Column(_("Host municipality")),
        ],
        rows=_project_rows(projects),
        sheet=sheet,
    )


def _projects(doc: Document, active: list[Project], year: int) -> None:
    started = [p for p in active if p.start_date and p.start_date.year == year]
    completed = [p for p in active if p.end_date and p.end_date.year == year]
    operating = [
        p
        for p in active
        if p.phase == Project.Phase.IN_OPERATION or p.status == Project.Status.IN_OPERATION
    ]
    section = doc.add(_("Projects"))
    section.add(
        Facts(
            [
                (_("Active during the year"), str(len(active))),
                (_("Started"), str(len(started))),
                (_("Completed"), str(len(completed))),
                (_("In operation"), str(len(operating))),
            ]
        )
    )
    for title, chosen in (
        (_("Started"), started),
        (_("Completed"), completed),
        (_("In operation"), operating),
    ):
        if chosen:
            doc.add(title, level=2).add(_project_table(chosen, title))


def _governance(doc: Document, coop: Cooperation, year: int) -> None:
    cases = list(selectors.cases_in_year(coop, year))
    referrals = list(selectors.referrals_in_year(coop, year))
    section = doc.add(_("Board cases and referrals"))
    if not cases and not referrals:
        section.add(Paragraph(_("No board cases or referrals are recorded for the year.")))
        return
    if cases:
        section.add(
            Table(
                columns=[
                    Column(_("Case")),
                    Column(_("Meeting"), kind="date"),
                    Column(_("Title"), widest=True),
                    Column(_("Outcome")),
                ],
                rows=[
                    [
                        c.number,
                        c.meeting.date if c.meeting else None,
                        c.title,
                        str(c.get_outcome_display()).capitalize() if c.outcome else "",
                    ]
                    for c in cases
                ],
                caption=_("Board cases"),
                sheet=_("Board cases"),
            )
        )
    if referrals:
        rows = []
        for referral in referrals:
            outcomes = Counter(str(d.get_outcome_display()) for d in referral.decisions.all())
            rows.append(
                [
                    f"{referral.case.number} {referral.case.title}",
                    referral.referred_on,
                    len(referral.decisions.all()),
                    ", ".join(f"{label}: {n}" for label, n in sorted(outcomes.items())),
                ]
            )
        section.add(
            Table(
                columns=[
                    Column(_("Case")),
                    Column(_("Referred"), kind="date"),
                    Column(_("Councils"), kind="int"),
                    Column(_("Outcome"), widest=True),
                ],
                rows=rows,
                caption=_("Referrals to the councils"),
                sheet=_("Referrals"),
            )
        )


def _networks(doc: Document, coop: Cooperation, active: list[Project], year: int) -> None:
    """The networks' meetings and documents and the training per municipality (from the
    networks app); the network projects when no network is recorded."""
    section = doc.add(_("Professional network groups"))
    networks = selectors.network_activity(coop, year)
    if networks:
        section.add(
            Table(
                columns=[
                    Column(_("Network"), widest=True),
                    Column(_("Professional field")),
                    Column(_("Meetings"), kind="int"),
                    Column(_("Documents added"), kind="int"),
                ],
                rows=[[n.name, n.field, n.meetings, n.documents] for n in networks],
                total=[
                    _("Total"),
                    "",
                    sum(n.meetings for n in networks),
                    sum(n.documents for n in networks),
                ],
                caption=_("Meetings and documents in the year"),
                sheet=_("Networks"),
            )
        )
    else:
        projects = [p for p in active if p.category == Project.Category.NETWORK]
        if projects:
            section.add(Bullets([f"{p.name} ({period_label(p)})" for p in projects]))
        else:
            section.add(Paragraph(_("No network was active during the year.")))
    training = selectors.competence_in_year(year)
    if training:
        section.add(
            Table(
                columns=[
                    Column(_("Municipality"), widest=True),
                    Column(_("Participants"), kind="int"),
                    Column(_("Participant-hours"), kind="int"),
                ],
                rows=[
                    [
                        r.municipality or _("Not stated"),
                        r.participants,
                        r.participant_hours,
                    ]
                    for r in training
                ],
                total=[
                    _("Total"),
                    sum(r.participants for r in training),
                    sum((r.participant_hours for r in training), Decimal(0)),
                ],
                caption=_("Training and competence per municipality"),
                sheet=_("Training"),
            )
        )


def _money(doc: Document, coop: Cooperation, year: int) -> None:
    data = selectors.money_by_year(coop, PortfolioFilter(year_from=year, year_to=year))
    section = doc.add(_("Grants and benefits"))
    grants = data.totals.get("grant", 0)
    section.add(
        Facts(
            [
                (_("Grants"), nok(grants)),
                (_("Benefits"), nok(data.grand_total - grants)),
                (_("Grants and benefits"), nok(data.grand_total)),
            ]
        )
    )
    section.add(
        Table(
            columns=[Column(_("Kind")), Column(_("Amount"), kind="money")],
            rows=[[s.label.capitalize(), data.totals.get(s.key, 0)] for s in data.series],
            total=[_("Grants and benefits"), data.grand_total],
            sheet=_("Money"),
        )
    )
    history = selectors.money_by_year(
        coop, PortfolioFilter(year_from=year - MONEY_YEARS + 1, year_to=year)
    )
    if history.years:
        section.add(charts.money_chart(history, title=_("Grants and benefits per year")))


def build(*, coop: Cooperation | None, params: QueryDict, lang: str, today: dt.date) -> Document:
    year = _year(params, today)
    name = selectors.cooperation_name_on(coop, dt.date(year, 12, 31)) if coop else ""
    doc = Document(
        name="annual",
        lang=lang,
        title=_("Annual report %(year)s") % {"year": year},
        subtitle=name,
        organisation=coop.name if coop else "",
        footer=footer_lines(coop),
        filename=(_("annual-report") + f"-{year}"),
    )
    doc.title_page.append((_("Year"), str(year)))
    doc.title_page.append((_("Made"), day(today)))
    if coop is None:
        doc.empty = _("There is no cooperation yet: there is nothing to show.")
        return doc
    flt = PortfolioFilter(year_from=year, year_to=year)
    active = list(selectors.projects_in_year(coop, year))
    if not active:
        doc.empty = _("No projects were active in %(year)s: there is nothing to show.") % {
            "year": year
        }
        return doc
    _projects(doc, active, year)
    _networks(doc, coop, active, year)
    _governance(doc, coop, year)
    _money(doc, coop, year)
    figures = doc.add(_("Figures"), wide=True)
    end_of_year = min(today, dt.date(year, 12, 31))
    timeline = selectors.timeline(coop, flt, end_of_year)
    if timeline.rows:
        timeline.rows = timeline.rows[:TIMELINE_LIMIT]
        figures.add(charts.timeline_chart(timeline, title=_("Projects active in the year")))
    matrix = selectors.matrix(coop, flt)
    if matrix.rows and matrix.columns:
        figures.add(charts.matrix_chart(matrix, title=_("Participation")))
    return doc
