"""The presentation, in the manner of 000: who the members are, inhabitants and employees
where recorded, the purpose, organisation and board, selected projects, the professional
networks and the results, in English or Norwegian."""

from __future__ import annotations

import datetime as dt

from django.http import QueryDict
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from members.models import Cooperation, KeyFigure
from projects.analytics import NO_FILTER
from projects.models import Project
from reports import selectors
from reports.common import ReportError, day, footer_lines, nok
from reports.document import Bullets, Document, Paragraph

SELECTED = 10


def _on(params: QueryDict, today: dt.date) -> dt.date:
    raw = params.get("on") or ""
    if not raw:
        return today
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise ReportError(
            _("The date “%(value)s” is not valid; write it as 2010-11-30.") % {"value": raw}
        ) from exc


def _first_sentence(text: str) -> str:
    text = " ".join((text or "").split())
    end = text.find(". ")
    return text[: end + 1] if end > 0 else text


def _selected(projects: list[Project]) -> list[Project]:
    """Projects that led somewhere: in operation or with an operating body, newest first."""
    chosen = [
        p
        for p in projects
        if p.phase == Project.Phase.IN_OPERATION
        or p.status == Project.Status.IN_OPERATION
        or p.spin_offs.all()
    ]
    return chosen[:SELECTED]


def _members(doc: Document, coop: Cooperation, on: dt.date, short: str) -> None:
    members = selectors.members_on(coop, on)
    figures = selectors.key_figures(coop, on)
    names = get_text_list([m.name for m in members], _("and"))
    text = ngettext(
        "%(short)s is an inter-municipal cooperation (regional council) of %(n)s "
        "municipality: %(names)s.",
        "%(short)s is an inter-municipal cooperation (regional council) of %(n)s "
        "municipalities: %(names)s.",
        len(members),
    ) % {"short": short, "n": len(members), "names": names}
    if coop.founded:
        text += " " + _("The cooperation was established in %(year)s.") % {
            "year": coop.founded.year
        }
    inhabitants = figures.get(KeyFigure.Kind.INHABITANTS)
    employees = figures.get(KeyFigure.Kind.EMPLOYEES)
    if inhabitants:
        text += " " + _("It represents about %(n)s inhabitants (%(year)s).") % {
            "n": f"{inhabitants[0]:,}".replace(",", "\u00a0"),
            "year": inhabitants[1],
        }
    if employees:
        text += " " + _("The municipalities have about %(n)s employees (%(year)s).") % {
            "n": f"{employees[0]:,}".replace(",", "\u00a0"),
            "year": employees[1],
        }
    doc.intro.append(Paragraph(text, style="lead"))
    purpose = coop.purpose_in(doc.lang)
    if purpose:
        doc.intro.append(Paragraph(purpose))


def _board(doc: Document, coop: Cooperation, on: dt.date, short: str) -> None:
    seats, composed = selectors.board_on(coop, on)
    section = doc.add(_("Organisation and board"))
    if not seats:
        section.add(Paragraph(_("No board is recorded for this date.")))
        return
    if composed != on and composed is not None:
        section.add(
            Paragraph(
                _("The latest board recorded, as composed on %(day)s:") % {"day": day(composed)},
                style="muted",
            )
        )
    voting = [s for s in seats if s.voting]
    observers = [s for s in seats if not s.voting]
    section.add(
        Paragraph(
            ngettext(
                "The board of %(short)s has %(n)s voting member",
                "The board of %(short)s has %(n)s voting members",
                len(voting),
            )
            % {"short": short, "n": len(voting)}
            + (
                " "
                + ngettext("and %(n)s observer.", "and %(n)s observers.", len(observers))
                % {"n": len(observers)}
                if observers
                else "."
            )
        )
    )
    section.add(
        Bullets(
            [
                f"{s.person.name if s.person else s.label} – {s.get_role_display()}"
                + (f", {s.municipality.name}" if s.municipality else "")
                + (f", {s.organisation.name}" if s.organisation else "")
                for s in seats
            ]
        )
    )
    section.add(
        Paragraph(
            _(
                "%(short)s carries out studies and projects and prepares decisions for the "
                "municipal councils. When a measure is adopted after a joint project, a "
                "separate operating organisation takes it on (a host municipality, a company "
                "or similar)."
            )
            % {"short": short}
        )
    )


def _network_line(line: selectors.NetworkLine) -> str:
    values = {"name": line.name, "field": line.field, "n": line.members}
    if line.field:
        return (
            ngettext(
                "%(name)s (%(field)s): %(n)s member",
                "%(name)s (%(field)s): %(n)s members",
                line.members,
            )
            % values
        )
    return ngettext("%(name)s: %(n)s member", "%(name)s: %(n)s members", line.members) % values


def _networks(doc: Document, coop: Cooperation, on: dt.date, short: str) -> None:
    """The networks of the networks app (not the project list's network rows): the active
    ones started by the date, with their field and members on the date."""
    networks = selectors.networks_on(coop, on)
    section = doc.add(_("Professional network groups"))
    section.add(
        Paragraph(
            ngettext(
                "There is %(n)s professional network in %(short)s.",
                "There are %(n)s professional networks in %(short)s.",
                len(networks),
            )
            % {"n": len(networks), "short": short}
            + " "
            + _(
                "The networks share good practice, propose joint projects and coordinate "
                "across the municipalities."
            )
        )
    )
    if networks:
        section.add(Bullets([_network_line(line) for line in networks]))


def build(*, coop: Cooperation | None, params: QueryDict, lang: str, today: dt.date) -> Document:
    on = _on(params, today)
    if coop is None:
        doc = Document(name="presentation", lang=lang, title=_("Presentation"))
        doc.empty = _("There is no cooperation yet: there is nothing to show.")
        return doc
    name = selectors.cooperation_name_on(coop, on)
    short = selectors.cooperation_short_name_on(coop, on)
    doc = Document(
        name="presentation",
        lang=lang,
        title=f"{name} ({short})",
        subtitle=_("Inter-municipal cooperation – regional council"),
        organisation=coop.name,
        footer=footer_lines(coop),
        filename=f"{short}-{_('presentation')}".lower().replace(" ", "-"),
    )
    doc.title_page.append((_("Made"), day(today)))
    if on != today:
        doc.title_page.append((_("As on"), day(on)))
    _members(doc, coop, on, short)
    _board(doc, coop, on, short)
    projects = [p for p in selectors.portfolio(coop) if not p.start_date or p.start_date <= on]
    done = [p for p in projects if p.category != Project.Category.NETWORK]
    section = doc.add(_("Projects"))
    section.add(
        Paragraph(
            ngettext(
                "%(short)s has carried out %(n)s project; a few of them:",
                "%(short)s has carried out %(n)s projects; a few of them:",
                len(done),
            )
            % {"short": short, "n": len(done)}
        )
    )
    section.add(
        Bullets(
            [
                f"{p.name}: {_first_sentence(p.description or p.comments)}".rstrip(": ")
                for p in _selected(done)
            ]
        )
    )
    _networks(doc, coop, on, short)
    money = selectors.money_by_year(coop, NO_FILTER)
    section = doc.add(_("Results"))
    section.add(
        Paragraph(
            _(
                "The projects brought new services, more competence, higher quality and "
                "less use of resources in the municipalities. Recorded grants and benefits "
                "add up to %(total)s."
            )
            % {"total": nok(money.grand_total)}
        )
    )
    return doc
