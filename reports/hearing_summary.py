"""The summary of comments and responses ("merknadsbehandling") of a hearing, for the
council's case: the hearing, then its published comments grouped by the plan section or
topic the officer tagged, each with its reference, the commenter as the commenter chose to
be shown (never the e-mail address), the text and the officer's response. Comments held
back or withdrawn are only counted. Officers only (`allowed`)."""

from __future__ import annotations

import datetime as dt
import re

from django.http import QueryDict
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from hearings.models import Comment, Hearing
from hearings.permissions import can_moderate
from members.models import Cooperation
from reports import selectors
from reports.common import ReportError, day, footer_lines
from reports.document import Column, Document, Facts, Paragraph, Section, Table
from samarbeid.common.services import Actor


def hearing_id(params: QueryDict) -> int:
    raw = (params.get("hearing") or "").strip()
    if not raw.isdigit():
        raise ReportError(_("Choose a hearing by its number: hearing=<number>."))
    return int(raw)


def _hearing(params: QueryDict) -> Hearing:
    pk = hearing_id(params)
    try:
        return selectors.hearing_for_summary(pk)
    except Hearing.DoesNotExist as exc:
        raise ReportError(_("No hearing has the number %(pk)s.") % {"pk": pk}) from exc


def allowed(user: Actor, params: QueryDict) -> bool:
    """The secretariat, or a contact of a municipality the hearing concerns; an unknown or
    missing hearing is left to `build` to name."""
    try:
        hearing = selectors.hearing_for_summary(hearing_id(params))
    except (ReportError, Hearing.DoesNotExist):
        return True
    return can_moderate(user, hearing)


def belongs_to(hearing: Hearing) -> tuple[str, str]:
    if hearing.plan_municipality is not None:
        m = hearing.plan_municipality
        return _("Plan"), _("%(name)s (%(number)s), plan identifier %(plan)s") % {
            "name": m.name,
            "number": m.number,
            "plan": hearing.plan_identifier,
        }
    if hearing.case is not None:
        return _("Case"), f"{hearing.case.number} {hearing.case.title}"
    if hearing.project is not None:
        return _("Project"), hearing.project.name
    return _("Belongs to"), "—"


def _topic_key(topic: str) -> tuple:
    """Plan sections in their natural order (§ 2, § 10, § 10.1), untagged last."""
    parts = re.split(r"(\d+)", topic.casefold())
    return (topic == "", [int(p) if p.isdigit() else p for p in parts])


def _grouped(comments: list[Comment]) -> list[tuple[str, list[Comment]]]:
    groups: dict[str, list[Comment]] = {}
    for comment in comments:
        groups.setdefault(comment.topic.strip(), []).append(comment)
    return sorted(groups.items(), key=lambda item: _topic_key(item[0]))


def _topic_title(topic: str) -> str:
    return topic or _("No plan section or topic given")


def _comment_section(comment: Comment) -> Section:
    section = Section(title=f"{comment.reference} · {comment.public_name}", level=2)
    section.add(
        Facts(
            [
                (_("Received"), day(comment.submitted_at.date())),
                (pgettext("hearing", "Comment"), comment.text.strip()),
                (_("Response"), comment.response.strip() or _("Not answered yet.")),
            ]
        )
    )
    return section


def _title_page(doc: Document, hearing: Hearing, today: dt.date) -> None:
    doc.title_page.append((_("Hearing"), hearing.title))
    doc.title_page.append(belongs_to(hearing))
    doc.title_page.append(
        (_("Hearing period"), f"{day(hearing.start_date)}–{day(hearing.deadline)}")
    )
    names = [f"{m.name} ({m.number})" for m in hearing.municipalities.all()]
    doc.title_page.append((_("Municipalities concerned"), ", ".join(names) or "—"))
    doc.title_page.append((_("State"), str(hearing.get_state_display()).capitalize()))
    doc.title_page.append((_("Made"), day(today)))
    if hearing.summary.strip():
        doc.intro.append(Paragraph(hearing.summary.strip(), style="lead"))


def _overview(doc: Document, comments: selectors.HearingComments) -> None:
    published = comments.published
    answered = sum(1 for c in published if c.response.strip())
    section = doc.add(_("Overview"))
    section.add(
        Facts(
            [
                (_("Published comments"), str(len(published))),
                (_("Answered"), str(answered)),
                (_("Held back"), str(comments.held_back)),
                (_("Withdrawn"), str(comments.withdrawn)),
                (_("Awaiting moderation"), str(comments.waiting)),
            ]
        )
    )
    section.add(
        Paragraph(
            _(
                "Comments held back or withdrawn are counted but not shown. Names are shown "
                "as each commenter chose; e-mail addresses are never shown."
            ),
            style="muted",
        )
    )
    if not published:
        section.add(
            Paragraph(
                _("No comment on this hearing has been published: there is nothing more to show.")
            )
        )
        return
    section.add(
        Table(
            columns=[
                Column(_("Reference")),
                Column(_("From"), widest=True),
                Column(_("Plan section or topic")),
            ],
            rows=[[c.reference, c.public_name, _topic_title(c.topic)] for c in published],
            caption=_("The published comments"),
        )
    )


def _data(comments: list[Comment]) -> Table:
    return Table(
        columns=[
            Column(_("Plan section or topic")),
            Column(_("Reference")),
            Column(_("From")),
            Column(_("Received"), kind="date"),
            Column(pgettext("hearing", "Comment"), widest=True),
            Column(_("Response")),
        ],
        rows=[
            [
                _topic_title(c.topic),
                c.reference,
                c.public_name,
                c.submitted_at.date(),
                c.text,
                c.response,
            ]
            for _topic, group in _grouped(comments)
            for c in group
        ],
        sheet=_("Comments"),
    )


def build(*, coop: Cooperation | None, params: QueryDict, lang: str, today: dt.date) -> Document:
    hearing = _hearing(params)
    comments = selectors.hearing_comments(hearing)
    # Translators: the file name of the summary, lower case with hyphens.
    stem = slugify(_("summary-of-comments"))
    doc = Document(
        name="hearing-summary",
        lang=lang,
        title=_("Summary of comments and responses: %(title)s") % {"title": hearing.title},
        subtitle=coop.name if coop else "",
        organisation=coop.name if coop else "",
        footer=footer_lines(coop),
        filename=f"{stem}-{hearing.pk}",
    )
    _title_page(doc, hearing, today)
    _overview(doc, comments)
    for topic, group in _grouped(comments.published):
        doc.add(_topic_title(topic))
        doc.sections.extend(_comment_section(c) for c in group)
    doc.data = _data(comments.published)
    return doc
