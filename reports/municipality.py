"""A municipality's account: what the cooperation did for one municipality in a period,
across mergers (today's Tønsberg includes Re, Ramnes and Våle): its projects and its part
in them, host roles, council decisions, grants and benefits with totals. The money is the
money page's own table (projects.analytics.money_totals_by_municipality) for the
municipality's identities, so the totals agree with it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import QueryDict
from django.utils.translation import gettext as _

from members.models import Cooperation, Municipality
from members.selectors import UnknownMunicipality
from projects.analytics import PortfolioFilter, period_label
from projects.models import Project, SpinOff
from projects.selectors import MoneyTotals
from reports import selectors
from reports.common import ReportError, day, footer_lines, nok, years_label
from reports.document import Column, Document, Facts, Paragraph, Table
from reports.forms import MunicipalityForm


def _overlaps(project: Project, first: int | None, last: int | None) -> bool:
    """As the list's year filter: an open-ended project runs on; no start never matches."""
    if first is None and last is None:
        return True
    if project.start_date is None:
        return False
    if last is not None and project.start_date.year > last:
        return False
    if first is None:
        return True
    end = project.end_date.year if project.end_date else None
    if end is None:
        return project.open_ended or project.start_date.year >= first
    return end >= first


def _spin_off_in(spin_off: SpinOff, first: int | None, last: int | None) -> bool:
    """A spin-off counts in the year of its date; without a date, in the year its project
    ended (the operating body took over when the project was completed); when neither is
    known, while its project runs (as `_overlaps`), never in every period."""
    if first is None and last is None:
        return True
    end = spin_off.project.end_date
    year = spin_off.date.year if spin_off.date else end.year if end else None
    if year is None:
        return _overlaps(spin_off.project, first, last)
    return (first is None or year >= first) and (last is None or year <= last)


def _identity(m: Municipality | None, own: Municipality) -> str:
    if m is None or m.pk == own.pk:
        return ""
    return f"{m.name} ({m.number})"


def _labels(field: str) -> dict[str, str]:
    """A project field's choices → label in the active language, once per document
    (`get_FOO_display()` builds and hashes every choice on each call)."""
    return {str(value): str(label) for value, label in Project._meta.get_field(field).flatchoices}


def _params(params: QueryDict) -> tuple[str, int | None, int | None]:
    form = MunicipalityForm(params)
    if not form.is_valid():
        problems = "; ".join(f"{name}: {' '.join(e)}" for name, e in form.errors.items())
        raise ReportError(_("The choices are not valid: %(problems)s") % {"problems": problems})
    data = form.cleaned_data
    return data["number"].strip(), data.get("year_from"), data.get("year_to")


def money_totals(
    coop: Cooperation | None,
    identities: list[Municipality],
    project_ids: list[int],
    first: int | None,
    last: int | None,
) -> tuple[list[tuple[Municipality, MoneyTotals]], MoneyTotals, MoneyTotals]:
    """(rows per identity, their total, the whole money of the projects), in one read."""
    if coop is None:
        return [], MoneyTotals(), MoneyTotals()
    money = selectors.municipality_money(
        coop,
        PortfolioFilter(year_from=first, year_to=last),
        identities=identities,
        project_ids=project_ids,
    )
    rows = [(r.municipality, r.totals) for r in money.by_municipality if r.municipality]
    total = MoneyTotals()
    for _m, totals in rows:
        total.add_totals(totals)
    return rows, total, money.projects


def build(*, coop: Cooperation | None, params: QueryDict, lang: str, today: dt.date) -> Document:
    number, first, last = _params(params)
    try:
        municipality = selectors.municipality_for_number(number, today)
    except UnknownMunicipality as exc:
        raise ReportError(
            _("No municipality has had the number %(number)s.") % {"number": number}
        ) from exc
    period = years_label(first, last)
    doc = Document(
        name="municipality",
        lang=lang,
        title=_("What %(cooperation)s did for %(name)s")
        % {"cooperation": coop.short_name if coop else "", "name": municipality.name},
        subtitle=coop.name if coop else "",
        organisation=coop.name if coop else "",
        footer=footer_lines(coop),
        filename=f"{municipality.number}-{municipality.name}".lower().replace(" ", "-"),
    )
    overview = selectors.municipality_activity(municipality, coop=coop)
    identities = overview.identities
    doc.title_page.append((_("Municipality"), f"{municipality.name} ({municipality.number})"))
    doc.title_page.append((_("Period"), period or _("all years")))
    if len(identities) > 1:
        doc.title_page.append(
            (
                _("Including"),
                ", ".join(f"{m.name} ({m.number})" for m in identities if m.pk != municipality.pk),
            )
        )
    doc.title_page.append((_("Made"), day(today)))

    parts = [line for line in overview.participations if _overlaps(line.project, first, last)]
    hosted = [line for line in overview.hosted_projects if _overlaps(line.project, first, last)]
    spin_offs = [s for s in overview.hosted_spin_offs if _spin_off_in(s, first, last)]
    decisions = [
        row
        for row in selectors.council_rows(identities)
        if (first is None or row.referral.referred_on.year >= first)
        and (last is None or row.referral.referred_on.year <= last)
    ]
    money_rows, total, project_total = money_totals(
        coop, identities, [line.project.pk for line in parts], first, last
    )
    if not (parts or hosted or spin_offs or decisions or money_rows):
        doc.empty = _(
            "Nothing is recorded for %(name)s in this period: there is nothing to show."
        ) % {"name": municipality.name}
        return doc

    summary = doc.add(_("Summary"))
    summary.add(
        Facts(
            [
                (_("Projects taken part in"), str(len(parts))),
                (_("Host roles"), str(len(hosted) + len(spin_offs))),
                (_("Council decisions"), str(len(decisions))),
                (_("Grants"), nok(total.grants)),
                (_("Benefits"), nok(total.benefits)),
                (_("Grants and benefits"), nok(total.total)),
            ]
        )
    )
    if len(identities) > 1:
        summary.add(
            Paragraph(
                _(
                    "The account includes what the municipality's predecessors took part in; "
                    "the column “as” names the identity that took part."
                ),
                style="muted",
            )
        )

    section = doc.add(_("Projects and its part in them"), wide=True)
    categories, phases = _labels("category"), _labels("phase")
    section.add(
        Table(
            columns=[
                Column(_("Project"), widest=True),
                Column(_("Period")),
                Column(_("Part")),
                Column(_("As")),
                Column(_("Category")),
                Column(_("Phase")),
            ],
            rows=[
                [
                    line.project.name,
                    period_label(line.project),
                    line.role_label.capitalize(),
                    ", ".join(_identity(m, municipality) for m in line.as_identities),
                    categories.get(line.project.category, line.project.category),
                    phases.get(line.project.phase, line.project.phase).capitalize(),
                ]
                for line in parts
            ],
            sheet=_("Projects"),
        )
    )

    if hosted or spin_offs:
        section = doc.add(_("Host roles"))
        rows = [
            [
                line.project.name,
                period_label(line.project),
                line.role_label.capitalize(),
                ", ".join(_identity(m, municipality) for m in line.as_identities),
            ]
            for line in hosted
        ]
        rows += [
            [
                f"{s.name or s.organisation or s.project.name} ({s.project.name})",
                str(s.date.year) if s.date else "",
                str(s.get_kind_display()).capitalize(),
                _identity(s.host_municipality, municipality),
            ]
            for s in spin_offs
        ]
        section.add(
            Table(
                columns=[
                    Column(_("Project or service"), widest=True),
                    Column(_("Period")),
                    Column(_("Role")),
                    Column(_("As")),
                ],
                rows=rows,
                sheet=_("Host roles"),
            )
        )

    if decisions:
        section = doc.add(_("Council decisions"), wide=True)
        section.add(
            Table(
                columns=[
                    Column(_("Case")),
                    Column(_("Referred"), kind="date"),
                    Column(_("Council")),
                    Column(_("Outcome")),
                    Column(_("Decided"), kind="date"),
                    Column(_("Decision"), widest=True),
                ],
                rows=[
                    [
                        f"{row.referral.case.number} {row.referral.case.title}",
                        row.referral.referred_on,
                        f"{row.decision.municipality.name} ({row.decision.municipality.number})",
                        row.decision.outcome_label.capitalize(),
                        row.decision.date,
                        row.decision.conditions_text or row.decision.decision_text,
                    ]
                    for row in decisions
                ],
                sheet=_("Council decisions"),
            )
        )

    section = doc.add(_("Grants and benefits"))
    section.add(
        Paragraph(
            _(
                "Money attributed to the municipality in the projects, per identity; an amount "
                "for several years is spread evenly over them, as on the money page."
            ),
            style="muted",
        )
    )
    section.add(
        Table(
            columns=[
                Column(_("Municipality")),
                Column(_("Grants"), kind="money"),
                Column(_("Costs"), kind="money"),
                Column(_("Benefits, estimated"), kind="money"),
                Column(_("Benefits, realised"), kind="money"),
                Column(_("Grants and benefits"), kind="money"),
            ],
            rows=[
                [
                    f"{m.name} ({m.number})",
                    t.grants,
                    t.costs,
                    t.benefits_estimated,
                    t.benefits_realised,
                    t.total,
                ]
                for m, t in money_rows
            ],
            total=[
                _("Total"),
                total.grants,
                total.costs,
                total.benefits_estimated,
                total.benefits_realised,
                total.total,
            ],
            sheet=_("Money"),
        )
    )
    section.add(
        Facts(
            [
                (_("Grants in the projects it took part in"), nok(project_total.grants)),
                (_("Benefits in the projects it took part in"), nok(project_total.benefits)),
            ]
        )
    )
    section.add(
        Paragraph(
            _(
                "The whole projects' money, shared with the other participants; the money "
                "page's per-project table sums to the same."
            ),
            style="muted",
        )
    )
    return doc


def total_of(doc: Document) -> Decimal:
    """The grand total (grants and benefits) of a built account, for tests and benchmarks."""
    for table in doc.tables():
        if table.total:
            return Decimal(table.total[-1])
    return Decimal(0)
