"""Turn read rows into planned projects: parse every cell, resolve the names in it
(`importers.resolve`) and find the stored project a row is for. Reads only; the
comparison with what is stored is `importers.merge`, the writing `importers.services`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from importers import parsers
from importers.readers import (
    COMMENT,
    NAME,
    NETWORK,
    OTHER,
    PARTICIPANTS,
    PERIOD,
    RESULT,
    STATUS,
    WORKING_FORM,
    SourceRow,
)
from importers.resolve import Resolver
from members.models import Cooperation, Municipality, Organisation
from projects.models import Project
from samarbeid.common.text import normalize_name

if TYPE_CHECKING:
    from importers.merge import ProjectMerge

CREATE = "create"
UPDATE = "update"
UNCHANGED = "unchanged"

_TRANSLIT = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "Ae", "Ø": "O", "Å": "A"})


def stored(message, params: dict | None = None) -> str:
    """A lazy message as it is stored on the data: in settings.LANGUAGE_CODE."""
    with translation.override(settings.LANGUAGE_CODE):
        text = str(message)
    return text % params if params else text


def base_slug(name: str) -> str:
    return slugify(name.translate(_TRANSLIT))[:100].strip("-") or "prosjekt"


@dataclass
class PlannedProject:
    row: SourceRow
    slug: str
    fields: dict
    participations: list[dict] = field(default_factory=list)
    money: list[dict] = field(default_factory=list)
    deliverables: list[dict] = field(default_factory=list)
    spin_offs: list[dict] = field(default_factory=list)
    unresolved: list[dict] = field(default_factory=list)
    links: list[dict] = field(default_factory=list)  # {"kind", "target_slug"}
    warnings: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)  # the warnings without the row prefix
    continues_in: str = ""
    existing: Project | None = None
    action: str = CREATE
    changes: list[str] = field(default_factory=list)  # for an update: what differs
    merge: ProjectMerge | None = None  # for a stored project
    recorded: tuple[dt.date, str] | None = None  # the document's date: (last day, precision)

    @property
    def name(self) -> str:
        return self.fields["name"]

    def warn(self, message: str) -> None:
        self.messages.append(message)
        self.warnings.append(
            _("Row %(row)s (%(name)s): %(message)s")
            % {
                "row": self.row.number,
                "name": self.name,
                "message": message,
            }
        )

    def keep(self, column: str, text: str, note) -> None:
        """Keep text the importer could not resolve, verbatim, and warn about it. The note
        is stored in the site's language (so the same file gives the same data whatever
        language the person importing it reads) and warned in theirs."""
        self.unresolved.append(
            {"column": column, "text": text, "source_row": self.row.number, "note": stored(note)}
        )
        self.warn(_("%(note)s: “%(text)s”") % {"note": str(note), "text": text})


def _period(plan: PlannedProject, text: str) -> parsers.Period:
    try:
        return parsers.parse_period(text)
    except parsers.PeriodError:
        plan.keep(PERIOD, text, gettext_lazy("period not understood"))
        return parsers.Period(text=text)


def build_plan(
    rows: list[SourceRow],
    *,
    cooperation: Cooperation,
    progress=None,
    recorded: tuple[dt.date, str] | None = None,
) -> list[PlannedProject]:
    """Plan every row; slugs are unique in the file and stable between runs.

    `progress` may wrap the rows (a progress bar on the command line); `recorded` is the
    date the document is a record of (`Overview.recorded`), noted on every project in it."""
    resolver = Resolver(cooperation)
    plans: list[PlannedProject] = []
    used: set[str] = set()
    for row in progress(rows) if progress else rows:
        slug = base_slug(row.cells[NAME])
        if row.category in (NETWORK, OTHER):
            slug = f"{row.category}-{slug}"
        if slug in used:
            slug = f"{row.category}-{base_slug(row.cells[NAME])}"
        n = 2
        candidate = slug
        while candidate in used:
            candidate = f"{slug}-{n}"
            n += 1
        used.add(candidate)
        plans.append(_plan_row(row, candidate, resolver))
        plans[-1].recorded = recorded
    _link(plans, cooperation)
    _same_money_once(plans)
    existing = {
        p.slug: p
        for p in Project.objects.filter(
            cooperation=cooperation, slug__in=[plan.slug for plan in plans]
        )
    }
    for plan in plans:
        plan.existing = existing.get(plan.slug)
    return plans


def plan_name(cell: str) -> str:
    """The project name from its cell: line-break hyphens joined, spaces collapsed."""
    name = parsers.dehyphenate(cell) if "- " in cell else cell
    return re.sub(r"\s+", " ", name).strip()[:300]


def _plan_row(row: SourceRow, slug: str, resolver: Resolver) -> PlannedProject:
    cells = row.cells
    name = plan_name(cells[NAME])
    plan = PlannedProject(
        row=row,
        slug=slug,
        fields={
            "name": name,
            "category": row.category,
            "comments": cells.get(COMMENT, ""),
            "participants_text": cells.get(PARTICIPANTS, ""),
            "source_text": row.source_text(),
        },
    )
    period = _period(plan, cells.get(PERIOD, ""))
    plan.fields.update(
        start_date=period.start,
        start_precision=period.start_precision,
        end_date=period.end,
        end_precision=period.end_precision,
        open_ended=period.open_ended,
    )
    on = period.start or period.end
    end = period.end

    result = parsers.parse_result(cells.get(RESULT, ""))
    status = parsers.parse_status(cells.get(STATUS, ""))
    form = parsers.parse_working_form(cells.get(WORKING_FORM, ""))
    if len(status.text) > 300:
        plan.keep(STATUS, status.text, gettext_lazy("status text too long for the status field"))
    plan.fields.update(
        result=result.value,
        result_text=result.text[:200],
        status=status.value,
        status_text=status.text[:300],
        working_form=form.value,
        working_form_text=form.text,
    )
    if result.unresolved and parsers.parse_status(result.unresolved).value:
        plan.warn(
            _(
                "the result cell holds a status (“%(result)s”) and the cells look shifted; "
                "kept as written"
            )
            % {"result": result.text}
        )
    if result.unresolved:
        plan.keep(RESULT, result.unresolved, gettext_lazy("result not understood"))
    if status.unresolved:
        plan.keep(STATUS, status.unresolved, gettext_lazy("status not understood"))
    if form.unresolved:
        plan.keep(WORKING_FORM, form.unresolved, gettext_lazy("working form not understood"))
    plan.fields["consultant"] = None
    if form.consultant:
        org = resolver.organisation(form.consultant)
        if org:
            plan.fields["consultant"] = org
        else:
            plan.keep(WORKING_FORM, form.consultant, gettext_lazy("consultant not in the registry"))
    plan.continues_in = status.continues_in
    owner = re.search(
        r"[Pp]rosjekteier\s+([A-ZÆØÅ][\w\-ÆØÅæøå]*(?:\s+[A-ZÆØÅ][\wæøå]*)*)", form.text
    )
    owner_org = resolver.organisation(owner.group(1)) if owner else None

    facts = parsers.parse_comment(cells.get(COMMENT, ""))
    _participants(plan, resolver, cells.get(PARTICIPANTS, ""), on, end)
    if owner_org is not None:
        _add_party(plan, organisation=owner_org, role="owner", note=owner.group(0))
        if not plan.fields.get("owner_organisation"):
            plan.fields["owner_organisation"] = owner_org
    _hosts(plan, resolver, facts, on, end)
    _money(plan, resolver, facts, on, end)
    _deliverables(plan, facts)
    _spin_offs(plan, resolver, facts, on, end)
    plan.fields["phase"] = derive_phase(
        status=status.value, result=result.value, category=row.category, stopped=facts.stopped
    )
    return plan


def derive_phase(*, status: str, result: str, category: str, stopped: bool = False) -> str:
    """Status decides the phase; see docs/import-format.md for the table."""
    if status == "closed":
        return Project.Phase.STOPPED if stopped else Project.Phase.CLOSED
    if status == "in_operation":
        return Project.Phase.IN_OPERATION
    if status == "under_treatment":
        return Project.Phase.COUNCIL_TREATMENT
    if category == NETWORK and result == "ongoing":
        return Project.Phase.IN_OPERATION
    if result == "ongoing":
        return Project.Phase.STUDY
    if result == "completed":
        return Project.Phase.CLOSED
    if category == OTHER:
        return Project.Phase.CLOSED
    return Project.Phase.IDEA


def _add_party(plan: PlannedProject, *, municipality=None, organisation=None, role, note=""):
    for existing in plan.participations:
        if (
            existing["municipality"] == municipality
            and existing["organisation"] == organisation
            and existing["role"] == role
        ):
            if note and note not in existing["note"]:
                existing["note"] = "; ".join(filter(None, [existing["note"], note]))[:300]
            return
    plan.participations.append(
        {
            "municipality": municipality,
            "organisation": organisation,
            "role": role,
            "note": note[:300],
        }
    )


def _participants(plan, resolver: Resolver, text: str, on, end) -> None:
    parsed = parsers.parse_participants(text)
    shared_note = "; ".join(parsed.notes)
    for item in parsed.unresolved:
        plan.keep(PARTICIPANTS, item, gettext_lazy("participants that cannot be named"))
    named_municipalities = []
    others = []
    for mention in parsed.mentions:
        if mention.cooperation:
            others.append(mention)
            continue
        m = _named_party(plan, resolver, mention, on, end, shared_note)
        if m is not None:
            named_municipalities.append(m)
    all_members = parsed.all_members
    for mention in others:
        if named_municipalities:
            plan.keep(
                PARTICIPANTS,
                mention.name,
                gettext_lazy("the cooperation itself, listed as a party"),
            )
        else:
            all_members = True
    if all_members:
        _all_members(plan, resolver, parsed, text, on, end, shared_note)


def _joined(*notes: str) -> str:
    return "; ".join(filter(None, notes))


def _named_party(
    plan, resolver: Resolver, mention: parsers.Mention, on, end, shared_note: str
) -> Municipality | None:
    """Register one named participant; returns the municipality it names, if any."""
    m = resolver.municipality(mention.name, on, end)
    if m is None and mention.place:  # a place: the municipality it lies in
        host = resolver.places.get(normalize_name(mention.name))
        if host:
            m = resolver.municipality(host, on, end)
            note = stored(gettext_lazy("%(place)s is in %(m)s"), {"place": mention.name, "m": host})
            mention.note = _joined(mention.note, note)
    if m is not None:
        if not mention.place and normalize_name(m.name) != normalize_name(mention.name):
            written = stored(gettext_lazy("written “%(name)s”"), {"name": mention.name})
            mention.note = _joined(written, mention.note)
        _register(plan, m, None, mention, shared_note)
        return m
    org = resolver.organisation(mention.name)
    if org is not None:
        _register(plan, None, org, mention, shared_note)
    else:
        plan.keep(PARTICIPANTS, mention.name, gettext_lazy("participant not in the registry"))
    return None


def _all_members(
    plan, resolver: Resolver, parsed: parsers.ParsedParticipants, text: str, on, end, shared_note
) -> None:
    """ "Alle" (minus some): the members of the cooperation on the start date."""
    if on is None:
        plan.keep(
            PARTICIPANTS, text, gettext_lazy("all members, but the project has no start date")
        )
        return
    current = resolver.members_on(on)
    excluded = set()
    for mention in parsed.excluded:
        m = resolver.municipality(mention.name, on, end)
        if m is None or m not in current:
            plan.keep(
                PARTICIPANTS, mention.name, gettext_lazy("excluded municipality not a member")
            )
            continue
        excluded.add(m.pk)
    chosen = [m for m in current if m.pk not in excluded]
    if parsed.stated_count and parsed.stated_count != len(current):
        plan.warn(
            _(
                "the text says %(stated)s municipalities, the cooperation had %(count)s "
                "members on %(date)s"
            )
            % {"stated": parsed.stated_count, "count": len(current), "date": on.isoformat()}
        )
    if not current:
        plan.warn(_("the cooperation had no members on %(date)s") % {"date": on.isoformat()})
    for m in chosen:
        _add_party(plan, municipality=m, role="participant", note=shared_note)


def _register(plan, municipality, organisation, mention, shared_note) -> None:
    role = "owner" if mention.role == parsers.OWNER else "participant"
    note = "; ".join(filter(None, [mention.note, shared_note]))
    _add_party(plan, municipality=municipality, organisation=organisation, role=role, note=note)
    if role == "owner":
        if organisation is not None and "owner_organisation" not in plan.fields:
            plan.fields["owner_organisation"] = organisation
        if municipality is not None and "owner_municipality" not in plan.fields:
            plan.fields["owner_municipality"] = municipality


def _hosts(plan, resolver: Resolver, facts: parsers.CommentFacts, on, end) -> None:
    plan.fields.setdefault("owner_organisation", None)
    plan.fields.setdefault("owner_municipality", None)
    plan.fields["host_municipality"] = None
    for name in facts.hosts:
        m = resolver.municipality(name, on, end)
        if m is None:
            plan.keep(COMMENT, name, gettext_lazy("host municipality not in the registry"))
            continue
        if plan.fields["host_municipality"] is None:
            plan.fields["host_municipality"] = m
        _add_party(plan, municipality=m, role="host")


def _money(plan, resolver: Resolver, facts: parsers.CommentFacts, on, end) -> None:
    for amount in facts.amounts:
        # "til Tbg": the money is the municipality's; any other receiver stays in the text
        receiver = (
            resolver.municipality(amount.beneficiary, on, end) if amount.beneficiary else None
        )
        funder = None
        if amount.funder:
            funder = resolver.organisation(amount.funder)
            if funder is None:
                plan.keep(COMMENT, amount.funder, gettext_lazy("funder not in the registry"))
        kind = amount.kind
        if kind == parsers.GRANT and not amount.funder:
            plan.keep(COMMENT, amount.text, gettext_lazy("grant with no funder named"))
        if amount.amount_nok >= Decimal(10) ** 12:
            plan.keep(COMMENT, amount.text, gettext_lazy("amount too large to be plausible"))
            continue
        if not kind:
            plan.keep(COMMENT, amount.text, gettext_lazy("amount of unknown kind"))
            continue
        plan.money.append(
            {
                "kind": kind,
                "benefit_category": amount.benefit_category,
                "certainty": "estimated" if amount.estimated else "realised",
                "amount_nok": amount.amount_nok.quantize(Decimal("0.01")),
                "approximate": amount.approximate,
                "funder": funder,
                "funder_text": amount.funder,
                "municipality": receiver,
                "year_from": amount.year_from,
                "year_to": amount.year_to,
                "source_text": amount.text,
            }
        )


def _deliverables(plan, facts: parsers.CommentFacts) -> None:
    for due in facts.due:
        plan.deliverables.append(
            {
                "kind": due.kind,
                "title": due.title[:300],
                "due_date": None if due.delivered else due.date,
                "due_precision": due.precision,
                "delivered_date": due.date if due.delivered else None,
                "source_text": due.text,
            }
        )


def _spin_offs(plan, resolver: Resolver, facts: parsers.CommentFacts, on, end) -> None:
    for fact in facts.spin_offs:
        org = resolver.organisation(fact.name) if fact.kind != "host_municipality" else None
        kind = fact.kind
        if org is not None and org.kind == Organisation.Kind.COMPANY:
            kind = "limited_company"
        host = resolver.municipality(fact.host, on, end) if fact.host else None
        if org is None and not fact.host and kind == "other":
            # "driften overtatt av Larvik kommune": a municipality runs it for the others
            host = resolver.municipality(re.sub(r"(?i)\s+kommune$", "", fact.name), on, end)
            if host is not None:
                kind = "host_municipality"
        if fact.host and host is None:
            plan.keep(COMMENT, fact.host, gettext_lazy("host municipality not in the registry"))
        plan.spin_offs.append(
            {
                "kind": kind,
                "organisation": org,
                "host_municipality": host,
                "name": fact.name[:200],
                "date": dt.date(fact.year, 1, 1) if fact.year else None,
                "date_precision": "year",
                "source_text": fact.text,
            }
        )


def _same_money_once(plans: list[PlannedProject]) -> None:
    """The same grant (cost, benefit) stated in two rows of one document for the same
    project ("Styringsmodeller" under operations and again under other work areas, KRD's
    1 mill each time) is one money row: kept on the first, with every sentence that states
    it noted as its source (the sentences, not their row numbers: a row number is where,
    not what, and an export numbers its rows otherwise), and left off the later rows
    (which say so in a warning)."""
    first: dict[tuple, tuple[PlannedProject, dict, list[str]]] = {}
    for plan in plans:
        kept = []
        for item in plan.money:
            key = (
                normalize_name(plan.name),
                item["kind"],
                item["amount_nok"],
                getattr(item["funder"], "pk", item["funder_text"]),
            )
            owner = first.get(key)
            if owner is None or owner[0] is plan:
                first.setdefault(key, (plan, item, [item["source_text"]]))
                kept.append(item)
                continue
            if item["source_text"] not in owner[2]:
                owner[2].append(item["source_text"])
            plan.warn(
                _("the same money is stated in row %(row)s; counted once, there")
                % {"row": owner[0].row.number}
            )
        plan.money = kept
    for _plan, item, sources in first.values():
        if len(sources) > 1:
            item["source_text"] = " | ".join(sources)


def _link(plans: list[PlannedProject], cooperation: Cooperation) -> None:
    """ "Avsluttet (videreføres i 2)" on "X (1)": "X (2)" continues "X (1)"."""
    by_name = {normalize_name(p.name): p for p in plans}
    for plan in plans:
        if not plan.continues_in:
            continue
        base = re.sub(r"\s*\(\d+\)\s*$", "", plan.name)
        target_name = normalize_name(f"{base} ({plan.continues_in})")
        follower = by_name.get(target_name)
        if follower is not None:
            follower.links.append({"kind": "continues", "target_slug": plan.slug})
            continue
        stored = Project.objects.filter(cooperation=cooperation, name__iexact=target_name).first()
        if stored is not None:
            plan.warn(_("the continuation is stored but not in this file; link not made"))
        else:
            plan.warn(
                _("continues in part %(n)s, which is not in the file") % {"n": plan.continues_in}
            )
