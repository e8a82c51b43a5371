"""Reads for the network pages, the library search and the reports (training summary)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Count, DecimalField, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import ExtractYear
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.safestring import SafeString

from governance.models import Case, CouncilDecision, Referral
from members.models import Municipality
from networks import search
from networks.models import (
    Attendance,
    Course,
    Document,
    DocumentVersion,
    ExperienceEntry,
    Network,
    NetworkMeeting,
    NetworkMember,
    NetworkMembership,
    Programme,
    Proposal,
    Session,
)
from networks.permissions import visible_documents_q
from projects.models import Project
from samarbeid.common.services import Actor

PAGE_SIZE = 20


def _current_of(relation: str, on: dt.date) -> Q:
    return (Q(**{f"{relation}__start__isnull": True}) | Q(**{f"{relation}__start__lte": on})) & (
        Q(**{f"{relation}__end__isnull": True}) | Q(**{f"{relation}__end__gte": on})
    )


def network_list() -> QuerySet[Network]:
    """Networks with today's number of member municipalities/organisations and people, and
    the number of documents."""
    today = timezone.localdate()
    return Network.objects.select_related("coordinator", "project").annotate(
        membership_count=Count(
            "memberships", filter=_current_of("memberships", today), distinct=True
        ),
        current_member_count=Count("members", filter=_current_of("members", today), distinct=True),
        document_count=Count("documents", distinct=True),
    )


def network_by_slug(slug: str) -> Network:
    return get_object_or_404(
        Network.objects.select_related("coordinator", "project", "cooperation"), slug=slug
    )


def memberships(network: Network) -> QuerySet[NetworkMembership]:
    return network.memberships.select_related("municipality", "organisation").order_by(
        F("end").desc(nulls_first=True), "municipality__name", "organisation__name"
    )


def members(network: Network) -> QuerySet[NetworkMember]:
    return network.members.select_related("person", "municipality", "organisation").order_by(
        F("end").desc(nulls_first=True), "person__name"
    )


def meetings(network: Network) -> QuerySet[NetworkMeeting]:
    return network.meetings.prefetch_related(
        Prefetch("attendees", queryset=NetworkMember.objects.select_related("person"))
    )


def meeting_detail(pk: int) -> NetworkMeeting:
    return get_object_or_404(
        NetworkMeeting.objects.select_related("network").prefetch_related(
            Prefetch(
                "attendees",
                queryset=NetworkMember.objects.select_related("person", "municipality"),
            )
        ),
        pk=pk,
    )


def _newest_number() -> Subquery:
    return Subquery(
        DocumentVersion.objects.filter(document=OuterRef("pk"))
        .order_by("-number")
        .values("number")[:1]
    )


def documents_for(*, user: Actor, network: Network | None = None) -> QuerySet[Document]:
    """The documents the user may see (of one network), with their tags and newest version
    number."""
    qs = Document.objects.filter(visible_documents_q(user))
    if network is not None:
        qs = qs.filter(network=network)
    return (
        qs.select_related("network")
        .prefetch_related("tags")
        .annotate(newest=_newest_number())
        .order_by("title", "pk")
    )


def document_detail(pk: int) -> Document:
    """A document with all its versions (visibility is checked by the caller)."""
    return get_object_or_404(
        Document.objects.select_related("network").prefetch_related(
            "tags",
            Prefetch(
                "versions",
                queryset=DocumentVersion.objects.select_related("uploaded_by")
                .defer("text")
                .order_by("-number"),
            ),
        ),
        pk=pk,
    )


def version_for_download(pk: int) -> DocumentVersion:
    return get_object_or_404(
        DocumentVersion.objects.select_related("document", "document__network").defer("text"),
        pk=pk,
    )


@dataclass
class Hit:
    document: Document
    passage: SafeString


@dataclass
class SearchResult:
    query: str
    terms: list[str]
    page: Page | None
    hits: list[Hit] = field(default_factory=list)


def library_search(
    *, user: Actor, query: str, page: str | int | None = 1, network: Network | None = None
) -> SearchResult:
    """Ranked documents the user may see matching every word of `query`, with the passage
    that matched. A fixed number of queries whatever the number of documents."""
    terms = search.terms_of(query)
    if not terms:
        return SearchResult(query=query, terms=[], page=None)
    qs = Document.objects.filter(visible_documents_q(user))
    if network is not None:
        qs = qs.filter(network=network)
    ranked = search.matching(
        qs.select_related("network").prefetch_related("tags").defer("search_text"), terms
    )
    with search.through_the_index():
        found = Paginator(ranked, PAGE_SIZE).get_page(page)
        documents = list(found.object_list)
    newest = _newest_texts([d.pk for d in documents])
    hits = [Hit(d, search.passage(newest.get(d.pk, ""), terms)) for d in documents]
    return SearchResult(query=query, terms=terms, page=found, hits=hits)


def _newest_texts(ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = DocumentVersion.objects.filter(
        document_id__in=ids,
        number=Subquery(
            DocumentVersion.objects.filter(document=OuterRef("document"))
            .order_by("-number")
            .values("number")[:1]
        ),
    ).values_list("document_id", "text")
    return dict(rows)


# --- experience log, proposals ----------------------------------------------------------------


def _experience() -> QuerySet[ExperienceEntry]:
    return ExperienceEntry.objects.select_related("network").prefetch_related(
        "municipalities", Prefetch("projects", queryset=Project.objects.only("name", "slug"))
    )


def experience_for_network(network: Network) -> QuerySet[ExperienceEntry]:
    return _experience().filter(network=network)


def experience_for_project(project: Project) -> QuerySet[ExperienceEntry]:
    return _experience().filter(projects=project)


def experience_for_municipality_number(number: str) -> QuerySet[ExperienceEntry]:
    """Entries linked to any identity that had this municipality number."""
    return _experience().filter(municipalities__number=number).distinct()


@dataclass
class ProposalOutcome:
    proposal: Proposal
    cases: list[Case]
    decisions: list[CouncilDecision]


def proposals(network: Network) -> list[ProposalOutcome]:
    """What became of the network's proposals: the project's phase, the board cases that
    name it and the councils' decisions on their referrals."""
    rows = list(
        network.proposals.select_related("project").prefetch_related(
            Prefetch(
                "project__board_cases",
                queryset=Case.objects.prefetch_related(
                    Prefetch(
                        "referrals",
                        queryset=Referral.objects.prefetch_related(
                            Prefetch(
                                "decisions",
                                queryset=CouncilDecision.objects.select_related(
                                    "municipality"
                                ).order_by("municipality__name"),
                            )
                        ),
                    )
                ),
            )
        )
    )
    out = []
    for proposal in rows:
        cases = list(proposal.project.board_cases.all())
        decisions = [
            d
            for case in cases
            for referral in case.referrals.all()
            for d in referral.decisions.all()
        ]
        out.append(ProposalOutcome(proposal, cases, decisions))
    return out


# --- training and competence ----------------------------------------------------------------


def programmes() -> QuerySet[Programme]:
    return Programme.objects.select_related("network", "project").annotate(
        course_count=Count("courses", distinct=True)
    )


def programme_by_slug(slug: str) -> Programme:
    return get_object_or_404(
        Programme.objects.select_related("network", "project").prefetch_related(
            Prefetch(
                "courses",
                queryset=Course.objects.prefetch_related(
                    Prefetch(
                        "sessions",
                        queryset=Session.objects.prefetch_related(
                            Prefetch(
                                "attendance",
                                queryset=Attendance.objects.select_related("municipality"),
                            )
                        ),
                    )
                ),
            )
        ),
        slug=slug,
    )


@dataclass(frozen=True)
class CompetenceRow:
    """Competence raised in a municipality in a year: people taking part (counted per
    session) and participant-hours (participants × the session's hours)."""

    year: int
    municipality: str  # name; "" when the source does not say
    municipality_number: str
    participants: int
    participant_hours: Decimal


def competence_summary(
    *, programme: Programme | None = None, year: int | None = None
) -> list[CompetenceRow]:
    """Per municipality and year, for the training page and the reports. One query."""
    qs = Attendance.objects.all()
    if programme is not None:
        qs = qs.filter(session__course__programme=programme)
    qs = qs.annotate(year=ExtractYear("session__date"))
    if year is not None:
        qs = qs.filter(year=year)
    rows = (
        qs.values("year", "municipality__name", "municipality__number")
        .annotate(
            people=Sum("participants"),
            hours=Sum(
                F("participants") * F("session__hours"),
                output_field=DecimalField(max_digits=14, decimal_places=1),
            ),
        )
        .order_by("year", "municipality__name")
    )
    return [
        CompetenceRow(
            year=r["year"],
            municipality=r["municipality__name"] or "",
            municipality_number=r["municipality__number"] or "",
            participants=r["people"] or 0,
            participant_hours=Decimal(r["hours"] or 0).quantize(Decimal("0.1")),
        )
        for r in rows
    ]


def competence_by_year(rows: list[CompetenceRow]) -> dict[int, list[CompetenceRow]]:
    grouped: dict[int, list[CompetenceRow]] = defaultdict(list)
    for row in rows:
        grouped[row.year].append(row)
    return dict(grouped)


def municipalities_choices() -> QuerySet[Municipality]:
    return Municipality.objects.filter(valid_to__isnull=True).order_by("name")
