"""Reads of the public portal and the widget.

Every read starts from the visibility rules of the domain apps: `public_projects`,
`public_cases` and `public_case_documents`. Nothing here reads people, e-mail addresses or
phone numbers; the pages show municipalities, organisations, projects and cases only.
Each function runs a fixed number of queries whatever the number of rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import cast

from django.core.paginator import Page, Paginator
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.utils import timezone

from governance.models import Case, CaseDocument, CouncilDecision, Referral
from governance.selectors import ResolvedReferral, Row, annotate_rows, public_cases
from governance.selectors import public_case_documents as _public_case_documents
from members import selectors as member_selectors
from members.models import Cooperation, Municipality, MunicipalityEvent, Organisation
from networks.models import Document, Network, NetworkMembership
from portal import network_selectors
from projects import selectors as project_selectors
from projects.models import Deliverable, MoneyEntry, Participation, Project, Tag

ENDED_PHASES = (Project.Phase.CLOSED, Project.Phase.STOPPED)


def cooperation() -> Cooperation | None:
    """The cooperation the portal shows (the desk's: the first one)."""
    return member_selectors.default_cooperation()


# ---------------------------------------------------------------- projects


def project_list(
    *, cooperation: Cooperation | None, filters: project_selectors.ProjectFilter
) -> QuerySet[Project]:
    """The desk's filters and search, narrowed to the public projects."""
    listed = project_selectors.project_list(cooperation=cooperation, filters=filters)
    return listed & project_selectors.public_projects(cooperation=cooperation)


def filter_choices(*, cooperation: Cooperation | None) -> dict:
    """Options for the list filters drawn from public projects only (an organisation or a
    tag seen only on an internal project is not offered)."""
    today = timezone.localdate()
    projects = project_selectors.public_projects(cooperation=cooperation)
    participations = Participation.objects.filter(project__in=projects)
    hosted = Exists(projects.filter(host_municipality=OuterRef("pk")))
    participating = Municipality.objects.filter(
        Exists(participations.filter(municipality=OuterRef("pk"))) | hosted
    )
    municipalities = {m.pk: m for m in participating}
    graph = member_selectors.SuccessionGraph()
    for municipality in list(municipalities.values()):
        municipalities.update((m.pk, m) for m in graph.successors(municipality, today))
    organisations = Organisation.objects.filter(
        Exists(participations.filter(organisation=OuterRef("pk")))
        | Exists(projects.filter(owner_organisation=OuterRef("pk")))
    )
    tags = Tag.objects.filter(
        Exists(Tag.projects.through.objects.filter(tag=OuterRef("pk"), project__in=projects))
    )
    return {
        "municipalities": sorted(municipalities.values(), key=lambda m: (m.name, m.valid_from)),
        "hosts": sorted(Municipality.objects.filter(hosted), key=lambda m: (m.name, m.valid_from)),
        "organisations": list(organisations.order_by("name")),
        "tags": list(tags.order_by("name")),
    }


@dataclass
class Milestone:
    """One dated step on a project's timeline: a phase reached or a deliverable."""

    date: dt.date | None
    kind: str  # "phase" or "deliverable"
    label: str
    done: bool = True


@dataclass
class PublicProject:
    project: Project
    totals: project_selectors.MoneyTotals
    steps: list[dict]
    milestones: list[Milestone]
    cases: list[Case] = field(default_factory=list)


def _milestones(project: Project) -> list[Milestone]:
    items = [
        Milestone(t.date, "phase", t.get_phase_display())
        for t in project_selectors.dated_transitions(project)
    ]
    for d in project.deliverables.all():
        when = d.delivered_date or d.due_date
        items.append(Milestone(when, "deliverable", d.title, done=d.delivered_date is not None))
    return sorted(items, key=lambda m: (m.date is None, m.date or dt.date.max))


def project_detail(*, cooperation: Cooperation | None, slug: str) -> PublicProject:
    """A public project with what its public page shows. Raises Project.DoesNotExist for an
    unknown or internal project."""
    project = (
        project_selectors.public_projects(cooperation=cooperation)
        .filter(slug=slug)
        .select_related("cooperation", "consultant", "host_municipality", "owner_organisation")
        .select_related("owner_municipality")
        .prefetch_related(
            Prefetch(
                "participations",
                queryset=Participation.objects.select_related("municipality", "organisation"),
            ),
            "tags",
            "transitions",
            Prefetch("money", queryset=MoneyEntry.objects.only("kind", "amount_nok", "certainty")),
            Prefetch(
                "deliverables",
                queryset=Deliverable.objects.only(
                    "project_id", "title", "due_date", "delivered_date"
                ).order_by("due_date", "pk"),
            ),
            Prefetch(
                "board_cases",
                queryset=public_cases().order_by("-meeting__date", "-pk"),
                to_attr="public_cases",
            ),
        )
        .get()
    )
    return PublicProject(
        project=project,
        totals=project_selectors.money_totals(project.money.all()),
        steps=project_selectors.phase_steps(project),
        milestones=_milestones(project),
        cases=cast("list[Case]", project.public_cases),
    )


# ---------------------------------------------------------------- municipalities


def _involving(ids: list[int]) -> Q:
    return (
        Q(Exists(Participation.objects.filter(project=OuterRef("pk"), municipality_id__in=ids)))
        | Q(host_municipality_id__in=ids)
        | Q(owner_municipality_id__in=ids)
    )


def municipality_projects(
    *, cooperation: Cooperation | None, ids: list[int], current_only: bool = False
) -> QuerySet[Project]:
    """Public projects these identities took part in, hosted or owned, newest first (no
    start date last)."""
    qs = project_selectors.public_projects(cooperation=cooperation).filter(_involving(ids))
    if current_only:
        qs = qs.exclude(phase__in=ENDED_PHASES)
    return qs.select_related("host_municipality").order_by(
        F("start_date").desc(nulls_last=True), "name", "pk"
    )


MUNICIPALITY_PAGE_SIZE = 25
"""Projects per page of each list on a portal municipality page."""
COUNCIL_PAGE_SIZE = 10
"""Referrals per page of the council's decisions on a portal municipality page (each is a
card of several lines on a phone)."""


@dataclass
class ProjectTotals:
    """A municipality's public projects, counted in one aggregate query."""

    total: int = 0
    current: int = 0
    ended: int = 0
    hosted: int = 0


@dataclass
class PageRequest:
    """Which page of each list of a municipality page to show (1-based; a number out of
    range shows the nearest page)."""

    current: int | str | None = 1
    ended: int | str | None = 1
    council: int | str | None = 1


@dataclass
class MunicipalityPage:
    municipality: Municipality
    current: bool
    successors: list[Municipality]
    predecessors: list[Municipality]
    events: list[MunicipalityEvent]
    totals: ProjectTotals
    current_projects: Page
    ended_projects: Page
    council: Page
    council_rows: list[Row]


def _project_totals(projects: QuerySet[Project], ids: list[int]) -> ProjectTotals:
    ended = Q(phase__in=ENDED_PHASES)
    counts = projects.order_by().aggregate(
        total=Count("pk"),
        ended=Count("pk", filter=ended),
        hosted=Count("pk", filter=Q(host_municipality_id__in=ids)),
    )
    return ProjectTotals(
        total=counts["total"],
        current=counts["total"] - counts["ended"],
        ended=counts["ended"],
        hosted=counts["hosted"],
    )


def _page_of(items: QuerySet, count: int, number: int | str | None) -> Page:
    """One page of `items`, whose length is known (no COUNT query of its own)."""
    paginator = Paginator(items, MUNICIPALITY_PAGE_SIZE)
    paginator.__dict__["count"] = count  # a cached_property: counted already
    return paginator.get_page(number)


def _council_referrals(ids: list[int]) -> QuerySet[Referral]:
    decisions = (
        CouncilDecision.objects.select_related("municipality")
        .prefetch_related("conditions__municipalities")
        .order_by("municipality__name")
    )
    return (
        Referral.objects.filter(
            Exists(
                CouncilDecision.objects.filter(referral=OuterRef("pk"), municipality_id__in=ids)
            ),
            case__in=public_cases(),
        )
        .select_related("case", "case__meeting")
        .prefetch_related(Prefetch("decisions", queryset=decisions))
        .order_by("-referred_on", "-pk")
    )


def _rows_of(referrals: Iterable[Referral], ids: list[int]) -> list[Row]:
    return [
        row
        for r in annotate_rows(referrals)
        for row in r.rows
        if row.decision.municipality_id in ids
    ]


def council_rows(ids: list[int]) -> list[Row]:
    """These identities' council decisions on public cases, with their referral's
    resolution (who is in, who waits for whom), newest referral first."""
    return _rows_of(_council_referrals(ids), ids)


def municipality_page(
    *,
    cooperation: Cooperation | None,
    municipality: Municipality,
    today: dt.date,
    pages: PageRequest | None = None,
) -> MunicipalityPage:
    """The portal page of a municipality, with the projects and council decisions of its
    predecessors (the history across mergers). Its size does not grow with the data: the
    current and the ended projects and the referrals are each shown a page at a time
    (`MUNICIPALITY_PAGE_SIZE`, `COUNCIL_PAGE_SIZE`), counted in one aggregate query and one
    COUNT."""
    pages = pages or PageRequest()
    graph = member_selectors.SuccessionGraph()
    predecessors = graph.predecessors(municipality)
    ids = sorted({municipality.pk, *(p.pk for p in predecessors)})
    current = municipality.valid_to is None or municipality.valid_to >= today
    successors = [] if current else graph.successors(municipality, today)
    events = list(
        MunicipalityEvent.objects.filter(Q(predecessors__in=ids) | Q(successors__in=ids))
        .distinct()
        .prefetch_related("predecessors", "successors")
        .order_by("date", "pk")
    )
    projects = municipality_projects(cooperation=cooperation, ids=ids).annotate(
        hosted=ExpressionWrapper(Q(host_municipality_id__in=ids), output_field=BooleanField())
    )
    totals = _project_totals(projects, ids)
    referrals = _council_referrals(ids)
    council = Paginator(referrals, COUNCIL_PAGE_SIZE).get_page(pages.council)
    return MunicipalityPage(
        municipality=municipality,
        current=current,
        successors=successors,
        predecessors=predecessors,
        events=events,
        totals=totals,
        current_projects=_page_of(
            projects.exclude(phase__in=ENDED_PHASES), totals.current, pages.current
        ),
        ended_projects=_page_of(projects.filter(phase__in=ENDED_PHASES), totals.ended, pages.ended),
        council=council,
        council_rows=_rows_of(council.object_list, ids),
    )


def member_list(*, cooperation: Cooperation, today: dt.date) -> member_selectors.MemberList:
    return member_selectors.member_list(cooperation, on=today)


# ---------------------------------------------------------------- board cases


def case_list(*, cooperation: Cooperation | None) -> QuerySet[Case]:
    return public_cases(cooperation=cooperation).order_by("-meeting__date", "-pk")


@dataclass
class PublicCase:
    case: Case
    projects: list[Project]
    documents: list[CaseDocument]
    referrals: list[ResolvedReferral]


def case_detail(*, cooperation: Cooperation | None, pk: int) -> PublicCase:
    """A public case with its public projects and documents and its referrals resolved.
    Raises Case.DoesNotExist for an unknown or internal case."""
    decisions = (
        CouncilDecision.objects.select_related("municipality")
        .prefetch_related("conditions__municipalities")
        .order_by("municipality__name")
    )
    case = (
        public_cases(cooperation=cooperation)
        .prefetch_related(
            Prefetch(
                "projects",
                queryset=project_selectors.public_projects().order_by("name"),
                to_attr="public_projects",
            ),
            Prefetch(
                "referrals",
                queryset=Referral.objects.prefetch_related(
                    Prefetch("decisions", queryset=decisions)
                ).order_by("-referred_on", "-pk"),
            ),
        )
        .get(pk=pk)
    )
    referrals = list(case.referrals.all())
    for referral in referrals:
        referral.case = case  # the rows read the case; no query per referral
    return PublicCase(
        case=case,
        projects=case.public_projects,
        documents=list(_public_case_documents(case).only("pk", "title", "case_id")),
        referrals=annotate_rows(referrals),
    )


def public_document(pk: int) -> CaseDocument:
    """A case document offered to the public (the document and its case marked public).
    Raises CaseDocument.DoesNotExist otherwise."""
    return CaseDocument.objects.filter(is_public=True, case__in=public_cases()).get(pk=pk)


# ---------------------------------------------------------------- networks


@dataclass
class NetworkRow:
    network: Network
    memberships: list[NetworkMembership]
    current: list[NetworkMembership]


def _network_rows(found: list[Network], today: dt.date) -> list[NetworkRow]:
    by_network = network_selectors.memberships_of(n.pk for n in found)
    rows = []
    for network in found:
        memberships = by_network.get(network.pk, [])
        current = [m for m in memberships if network_selectors.is_current(m, today)]
        rows.append(NetworkRow(network, memberships, current))
    return rows


def network_list(*, cooperation: Cooperation | None, today: dt.date) -> list[NetworkRow]:
    """The cooperation's networks with their members over time (three queries)."""
    if cooperation is None:
        return []
    return _network_rows(list(network_selectors.networks(cooperation_id=cooperation.pk)), today)


@dataclass
class PublicNetwork:
    network: Network
    memberships: list[NetworkMembership]
    current: list[NetworkMembership]
    documents: list[Document]
    """Each with `public_versions`, newest first."""


def network_detail(
    *, cooperation: Cooperation | None, slug: str, today: dt.date
) -> PublicNetwork | None:
    """A network with its members over time and its public documents with their versions;
    None for an unknown network."""
    if cooperation is None:
        return None
    network = network_selectors.network_by_slug(cooperation_id=cooperation.pk, slug=slug)
    if network is None:
        return None
    row = _network_rows([network], today)[0]
    documents = list(network_selectors.documents(network_ids=[network.pk]))
    versions = network_selectors.versions_of(d.pk for d in documents)
    for document in documents:
        document.public_versions = versions.get(document.pk, [])  # type: ignore[attr-defined]
    return PublicNetwork(network, row.memberships, row.current, documents)


# ---------------------------------------------------------------- front page


@dataclass
class PortalFront:
    cooperation: Cooperation | None
    projects: int
    current_projects: int
    cases: int
    networks: int


def front(*, cooperation: Cooperation | None) -> PortalFront:
    projects = project_selectors.public_projects(cooperation=cooperation)
    return PortalFront(
        cooperation=cooperation,
        projects=projects.count(),
        current_projects=projects.exclude(phase__in=ENDED_PHASES).count(),
        cases=public_cases(cooperation=cooperation).count(),
        networks=network_selectors.networks(cooperation_id=cooperation.pk).count()
        if cooperation
        else 0,
    )
