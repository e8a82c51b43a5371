"""Reads of the project portfolio. Every function returns data already joined for display,
so list and project pages run a fixed number of queries whatever the size of the portfolio.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import Combinable
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members import selectors as member_selectors
from members.models import Cooperation, Municipality, Organisation
from projects.models import (
    Deliverable,
    MoneyEntry,
    Participation,
    Project,
    ProjectLink,
    SpinOff,
    Tag,
)
from samarbeid.common.text import fold_for_search

PHASE_ORDER = [value for value, _label in Project.Phase.choices]

SORTS: dict[str, tuple[str | Combinable, ...]] = {
    "name": ("name", "pk"),
    "-name": ("-name", "-pk"),
    # Projects with no known start come last either way, on SQLite and PostgreSQL alike.
    "start": (F("start_date").asc(nulls_last=True), "name"),
    "-start": (F("start_date").desc(nulls_last=True), "name"),
    "category": ("category", "name"),
    "-category": ("-category", "name"),
    "phase": ("phase_rank", "name"),
    "-phase": ("-phase_rank", "name"),
}
DEFAULT_SORT = "name"


@dataclass
class ProjectFilter:
    """What the portfolio list is narrowed to; every field comes from a GET parameter."""

    q: str = ""
    category: list[str] = field(default_factory=list)
    phase: list[str] = field(default_factory=list)
    status: list[str] = field(default_factory=list)
    municipality: Municipality | None = None
    organisation: Organisation | None = None
    host: Municipality | None = None
    year_from: int | None = None
    year_to: int | None = None
    tags: list[str] = field(default_factory=list)
    sort: str = DEFAULT_SORT


def _phase_rank() -> Case:
    return Case(
        *[When(phase=value, then=Value(i)) for i, value in enumerate(PHASE_ORDER)],
        default=Value(len(PHASE_ORDER)),
        output_field=IntegerField(),
    )


def _participations_prefetch() -> Prefetch:
    return Prefetch(
        "participations",
        queryset=Participation.objects.select_related("municipality", "organisation").order_by(
            F("municipality__name").asc(nulls_last=True), "organisation__name", "pk"
        ),
    )


def overlaps_years(year_from: int | None, year_to: int | None) -> Q:
    """Projects whose period overlaps [year_from, year_to].

    An open-ended project ("2001 –") runs on; a project with a start but no end and not
    open-ended is taken to have lasted its start period only. Projects with no known
    start never match a year filter.
    """
    cond = Q()
    if year_to is not None:
        cond &= Q(start_date__isnull=False, start_date__lte=dt.date(year_to, 12, 31))
    if year_from is not None:
        first = dt.date(year_from, 1, 1)
        cond &= Q(start_date__isnull=False) & (
            Q(end_date__gte=first)
            | Q(end_date__isnull=True, open_ended=True)
            | Q(end_date__isnull=True, open_ended=False, start_date__gte=first)
        )
    return cond


# A query word this long or longer may also match by trigram similarity on PostgreSQL.
TRIGRAM_MIN_LENGTH = 4


class _WordSimilar(Func):
    """pg_trgm's `word <% text`: some extent of `text` is trigram-similar to `word`
    (above `pg_trgm.word_similarity_threshold`, 0.6 by default). The GIN trigram index on
    `search_text` (projects migration 0003) serves it."""

    arg_joiner = " <%% "
    template = "(%(expressions)s)"
    output_field = BooleanField()


def search_condition(query: str) -> Q:
    """Every word of the folded query occurs in the project's folded search text, or (on
    PostgreSQL, for words of four letters or more that occur in no project as typed) a word
    there is trigram-similar to it, so a one-letter typo still finds the project.

    A word that occurs as typed is not also matched by similarity: the similarity check
    costs 20-40 µs a row, and with an OR of both the planner scans every project of the
    cooperation (0.4-0.8 s at 20,000 projects on PostgreSQL). Apart, each is one use of the
    trigram index: a query per such word to ask whether it occurs (1-2 ms), and the search
    itself (1-12 ms)."""
    cond = Q()
    trigram = connection.vendor == "postgresql"
    for word in fold_for_search(query).split(" "):
        if not word:
            continue
        match = Q(search_text__contains=word)
        if (
            trigram
            and len(word) >= TRIGRAM_MIN_LENGTH
            and not Project.objects.filter(search_text__contains=word).exists()
        ):
            match = Q(_WordSimilar(Value(word), F("search_text")))
        cond &= match
    return cond


def project_list(*, cooperation: Cooperation | None, filters: ProjectFilter) -> QuerySet[Project]:
    """The portfolio narrowed by `filters`, joined for the list page."""
    qs = Project.objects.all()
    if cooperation is not None:
        qs = qs.filter(cooperation=cooperation)
    if filters.q.strip():
        qs = qs.filter(search_condition(filters.q))
    if filters.category:
        qs = qs.filter(category__in=filters.category)
    if filters.phase:
        qs = qs.filter(phase__in=filters.phase)
    if filters.status:
        qs = qs.filter(status__in=filters.status)
    if filters.municipality is not None:
        pks = member_selectors.identities_of([filters.municipality])
        qs = qs.filter(
            Exists(Participation.objects.filter(project=OuterRef("pk"), municipality_id__in=pks))
            | Q(host_municipality_id__in=pks)
            | Q(owner_municipality_id__in=pks)
        )
    if filters.organisation is not None:
        org = filters.organisation
        qs = qs.filter(
            Exists(Participation.objects.filter(project=OuterRef("pk"), organisation=org))
            | Q(owner_organisation=org)
            | Q(consultant=org)
        )
    if filters.host is not None:
        qs = qs.filter(host_municipality_id__in=member_selectors.identities_of([filters.host]))
    if filters.year_from is not None or filters.year_to is not None:
        qs = qs.filter(overlaps_years(filters.year_from, filters.year_to))
    if filters.tags:
        for slug in filters.tags:
            qs = qs.filter(
                Exists(
                    Tag.projects.through.objects.filter(project_id=OuterRef("pk"), tag__slug=slug)
                )
            )
    order = SORTS.get(filters.sort, SORTS[DEFAULT_SORT])
    return (
        qs.annotate(phase_rank=_phase_rank())
        .select_related("host_municipality", "owner_municipality", "owner_organisation")
        .prefetch_related(_participations_prefetch(), "tags")
        .order_by(*order)
    )


def public_projects(*, cooperation: Cooperation | None = None) -> QuerySet[Project]:
    """The projects the public may see: those the secretariat marked public. Every public
    surface (portal, widget, open-data API, feeds, bulk data) starts from this queryset."""
    qs = Project.objects.filter(is_public=True)
    if cooperation is not None:
        qs = qs.filter(cooperation=cooperation)
    return qs


def project_key(*, cooperation: Cooperation | None, slug: str) -> Project:
    """The project of a page with only what every request needs (id, slug, name): the rest
    of the page is rendered from `project_detail` once per data version. Raises
    Project.DoesNotExist."""
    qs = Project.objects.filter(slug=slug)
    if cooperation is not None:
        qs = qs.filter(cooperation=cooperation)
    return qs.only("pk", "slug", "name").get()


def project_detail(*, cooperation: Cooperation | None, slug: str) -> Project:
    """One project with everything its page shows. Raises Project.DoesNotExist."""
    today = timezone.localdate()
    qs = Project.objects.filter(slug=slug)
    if cooperation is not None:
        qs = qs.filter(cooperation=cooperation)
    deliverables = Deliverable.objects.annotate(
        is_overdue=Case(
            When(delivered_date__isnull=True, due_date__lt=today, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    ).order_by("due_date", "pk")
    return (
        qs.select_related(
            "cooperation",
            "consultant",
            "project_leader",
            "owner_municipality",
            "owner_organisation",
            "host_municipality",
        )
        .prefetch_related(
            _participations_prefetch(),
            "tags",
            "transitions",
            Prefetch(
                "money",
                queryset=MoneyEntry.objects.select_related("funder", "municipality").order_by(
                    "kind", "year_from", "pk"
                ),
            ),
            Prefetch("deliverables", queryset=deliverables),
            Prefetch(
                "spin_offs",
                queryset=SpinOff.objects.select_related("organisation", "host_municipality"),
            ),
            Prefetch("links_out", queryset=ProjectLink.objects.select_related("target")),
            Prefetch("links_in", queryset=ProjectLink.objects.select_related("source")),
            "unresolved",
        )
        .get()
    )


def project_for_edit(*, cooperation: Cooperation | None, slug: str) -> Project:
    qs = Project.objects.filter(slug=slug)
    if cooperation is not None:
        qs = qs.filter(cooperation=cooperation)
    return qs.prefetch_related("tags").get()


@dataclass
class MoneyTotals:
    """Sums of money entries in NOK by kind, for one project, municipality or the whole
    portfolio (entries without an amount are counted in `unpriced`). The project page sums
    a project's entries as recorded; `projects.analytics` adds the yearly shares of spread
    periods."""

    grants: Decimal = Decimal(0)
    costs: Decimal = Decimal(0)
    benefits_estimated: Decimal = Decimal(0)
    benefits_realised: Decimal = Decimal(0)
    benefits_by_category: dict[str, dict[str, Decimal]] = field(default_factory=dict)
    unpriced: int = 0

    @property
    def benefits(self) -> Decimal:
        return self.benefits_estimated + self.benefits_realised

    @property
    def total(self) -> Decimal:
        """Grants and benefits: what the cooperation brought in (costs are apart)."""
        return self.grants + self.benefits

    @property
    def net_grants_minus_costs(self) -> Decimal:
        return self.grants - self.costs

    def add(
        self,
        kind: str,
        amount: Decimal,
        certainty: str = MoneyEntry.Certainty.ESTIMATED,
        benefit_category: str = "",
    ) -> None:
        """Add `amount` of `kind` (benefits by certainty and category)."""
        if kind == MoneyEntry.Kind.GRANT:
            self.grants += amount
        elif kind == MoneyEntry.Kind.COST:
            self.costs += amount
        elif kind == MoneyEntry.Kind.BENEFIT:
            if certainty == MoneyEntry.Certainty.REALISED:
                self.benefits_realised += amount
            else:
                self.benefits_estimated += amount
            cell = self.benefits_by_category.setdefault(benefit_category or "", {})
            cell[certainty] = cell.get(certainty, Decimal(0)) + amount

    def add_totals(self, other: MoneyTotals) -> None:
        """Add everything `other` holds (e.g. for a total row)."""
        self.grants += other.grants
        self.costs += other.costs
        self.benefits_estimated += other.benefits_estimated
        self.benefits_realised += other.benefits_realised
        self.unpriced += other.unpriced
        for category, cell in other.benefits_by_category.items():
            mine = self.benefits_by_category.setdefault(category, {})
            for certainty, amount in cell.items():
                mine[certainty] = mine.get(certainty, Decimal(0)) + amount

    @property
    def benefit_rows(self) -> list[tuple[str, Decimal, Decimal]]:
        """(category label, estimated, realised) in the order of the benefit categories."""
        rows = []
        for value, label in MoneyEntry.BenefitCategory.choices:
            if value in self.benefits_by_category:
                cell = self.benefits_by_category[value]
                rows.append(
                    (
                        str(label),
                        cell.get(MoneyEntry.Certainty.ESTIMATED, Decimal(0)),
                        cell.get(MoneyEntry.Certainty.REALISED, Decimal(0)),
                    )
                )
        return rows


def money_totals(entries: Iterable[MoneyEntry]) -> MoneyTotals:
    """Totals for one project's entries (pass the prefetched `project.money.all()`)."""
    totals = MoneyTotals()
    for entry in entries:
        if entry.amount_nok is None:
            totals.unpriced += 1
        else:
            totals.add(entry.kind, entry.amount_nok, entry.certainty, entry.benefit_category)
    return totals


def money_totals_for_project(project: Project) -> MoneyTotals:
    return money_totals(project.money.all())


def filter_choices(*, cooperation: Cooperation | None) -> dict:
    """Options for the list filters, in a fixed number of queries.

    Each option is tested with EXISTS, so the work grows with the number of options, not
    with participations times projects (a join with DISTINCT did, at 2,000 projects).
    """
    today = timezone.localdate()
    projects = Project.objects.all()
    participations = Participation.objects.all()
    if cooperation is not None:
        projects = projects.filter(cooperation=cooperation)
        participations = participations.filter(project__cooperation=cooperation)
    hosted = Exists(projects.filter(host_municipality=OuterRef("pk")))
    participating = Municipality.objects.filter(
        Exists(participations.filter(municipality=OuterRef("pk"))) | hosted
    )
    municipalities = {m.pk: m for m in participating}
    # Today's municipalities carry their predecessors' projects (Tønsberg finds Re's).
    graph = member_selectors.succession_graph()
    for municipality in list(municipalities.values()):
        municipalities.update((m.pk, m) for m in graph.successors(municipality, today))
    hosts = Municipality.objects.filter(hosted)
    organisations = Organisation.objects.filter(
        Exists(participations.filter(organisation=OuterRef("pk")))
        | Exists(projects.filter(owner_organisation=OuterRef("pk")))
    )
    tags = Tag.objects.filter(
        Exists(Tag.projects.through.objects.filter(tag=OuterRef("pk"), project__in=projects))
    )
    return {
        "municipalities": sorted(municipalities.values(), key=lambda m: (m.name, m.valid_from)),
        "hosts": sorted(hosts, key=lambda m: (m.name, m.valid_from)),
        "organisations": list(organisations.order_by("name")),
        "tags": list(tags.order_by("name")),
    }


def dated_transitions(project: Project) -> list:
    """The project's phase transitions in the order they happened. Dates known only to the
    year or month are stored as the period's first day, so within one year the lifecycle
    order decides ("report in March 2005" before "council treatment in 2005")."""
    rank = {value: i for i, value in enumerate(PHASE_ORDER)}

    def key(t):
        if t.date is None:
            return (1, 0, rank.get(t.phase, 99), dt.date.max)
        return (0, t.date.year, rank.get(t.phase, 99), t.date)

    return sorted(project.transitions.all(), key=key)


def phase_steps(project: Project) -> list[dict]:
    """The lifecycle as steps (done / current / todo); "stopped" shows only when it applies."""
    steps = []
    current = PHASE_ORDER.index(project.phase) if project.phase in PHASE_ORDER else 0
    for i, (value, label) in enumerate(Project.Phase.choices):
        if value == Project.Phase.STOPPED and project.phase != value:
            continue
        if project.phase == Project.Phase.STOPPED and value == Project.Phase.CLOSED:
            continue
        state = "current" if i == current else ("done" if i < current else "todo")
        steps.append({"value": value, "label": label, "state": state})
    return steps


def source_cells(project: Project) -> list[tuple[str, str]]:
    """The verbatim source cells as (column, text) pairs, nested values flattened."""
    out: list[tuple[str, str]] = []

    def walk(prefix: str, value) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{prefix} / {key}" if prefix else str(key), inner)
        elif isinstance(value, list):
            if all(not isinstance(v, dict | list) for v in value):
                out.append((prefix, "\n".join(str(v) for v in value)))
            else:
                for n, inner in enumerate(value, 1):
                    walk(f"{prefix} [{n}]", inner)
        elif value not in (None, ""):
            out.append((prefix, str(value)))

    source = project.source_text or {}
    if isinstance(source, dict) and isinstance(source.get("cells"), dict):
        # The importer's layout: {"row": n, "cells": {column: text}}; show the cells plainly.
        walk("", source["cells"])
        if source.get("row") not in (None, ""):
            out.append((str(_("Row in the source table")), str(source["row"])))
        walk("", {k: v for k, v in source.items() if k not in ("cells", "row")})
    else:
        walk("", source)
    return out


def deliverable_with_file(*, cooperation: Cooperation | None, pk: int) -> Deliverable:
    """The deliverable `pk` of a project in the cooperation, when it has a file (else
    DoesNotExist)."""
    return Deliverable.objects.exclude(file="").get(project__cooperation=cooperation, pk=pk)
