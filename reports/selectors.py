"""Reads for the reports: querysets already joined, or plain data classes. Every function
runs a fixed number of queries whatever the number of projects (tests/reports)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import QueryDict
from django.utils import timezone

from governance import selectors as governance_selectors
from governance.models import Case, CouncilDecision, Referral
from hearings.models import Comment, Hearing
from members import selectors as member_selectors
from members.models import Cooperation, CooperationName, Municipality
from networks import selectors as network_selectors
from networks.models import Network
from projects import analytics
from projects import selectors as project_selectors
from projects.analytics import PortfolioFilter
from projects.analytics.cache import cached
from projects.forms import ProjectFilterForm
from projects.models import Project


def cooperation() -> Cooperation | None:
    return member_selectors.default_cooperation()


def cooperation_name_on(coop: Cooperation, on: dt.date) -> str:
    return governance_selectors.cooperation_name_on(coop, on)


def cooperation_short_name_on(coop: Cooperation, on: dt.date) -> str:
    """The short name on the day (9k in 2003, 12k in 2010), one query."""
    found = (
        CooperationName.objects.filter(cooperation=coop, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("-valid_from")
        .values_list("short_name", flat=True)
        .first()
    )
    return found or coop.short_name


def overview_filter_form(*, coop: Cooperation | None, data: QueryDict) -> ProjectFilterForm:
    """The portfolio list's own filter form, so the list's query string carries over. Its
    options are the list's, kept under the list's own key per data version (at 20,000
    projects they take 0.8 s of EXISTS over every municipality and organisation)."""
    choices = cached(
        "filter-choices",
        (coop.pk if coop else None, timezone.localdate()),
        lambda: project_selectors.filter_choices(cooperation=coop),
    )
    return ProjectFilterForm(data if data else None, choices=choices)


def overview_projects(
    *, coop: Cooperation | None, filters: project_selectors.ProjectFilter
) -> QuerySet[Project]:
    """The projects the portfolio list shows for `filters`, joined for the overview."""
    return project_selectors.project_list(cooperation=coop, filters=filters).select_related(
        "consultant"
    )


@dataclass
class FooterAddress:
    postal: str
    visiting: str
    phone: str
    website: str


def footer_address(coop: Cooperation | None) -> FooterAddress:
    if coop is None:
        return FooterAddress("", "", "", "")
    return FooterAddress(coop.postal_address, coop.visiting_address, coop.phone, coop.website)


def municipality_for_number(number: str, on: dt.date) -> Municipality:
    """Raises member_selectors.UnknownMunicipality."""
    return member_selectors.municipality_for_number(number, on)


def municipality_activity(
    municipality: Municipality, *, coop: Cooperation | None
) -> analytics.MunicipalityActivity:
    """Every project, host role and spin-off of the municipality and all its predecessors
    (unpaged; no money: `municipality_money` reads that once)."""
    return analytics.municipality_activity(municipality, cooperation=coop)


def council_rows(identities: list[Municipality]) -> list[governance_selectors.Row]:
    """Every council decision of these identities (and their predecessors)."""
    return governance_selectors.municipality_rows(identities)


def municipality_money(
    coop: Cooperation,
    flt: PortfolioFilter,
    *,
    identities: list[Municipality],
    project_ids: list[int],
) -> analytics.MunicipalityAccountMoney:
    """The money of a municipality's account in one read: per identity (the money page's
    per-municipality rows) and the whole money of its projects (its per-project rows)."""
    return analytics.money_for_municipality(
        coop, flt, identities=identities, project_ids=project_ids
    )


def projects_in_year(coop: Cooperation, year: int) -> QuerySet[Project]:
    """Projects whose period overlaps the year (as the list's year filter), joined."""
    return (
        Project.objects.filter(cooperation=coop)
        .filter(project_selectors.overlaps_years(year, year))
        .select_related("host_municipality")
        .order_by("category", "start_date", "name")
    )


def cases_in_year(coop: Cooperation, year: int) -> QuerySet[Case]:
    """The board's cases at meetings in the year, with their projects."""
    return (
        governance_selectors.cases()
        .filter(cooperation=coop, meeting__date__year=year)
        .order_by("meeting__date", "number")
    )


def referrals_in_year(coop: Cooperation, year: int) -> QuerySet[Referral]:
    """Referrals made in the year, with every council's decision."""
    return (
        Referral.objects.filter(case__cooperation=coop, referred_on__year=year)
        .select_related("case")
        .prefetch_related(
            Prefetch(
                "decisions",
                queryset=CouncilDecision.objects.select_related("municipality").order_by(
                    "municipality__name"
                ),
            )
        )
        .order_by("referred_on", "pk")
    )


def money_by_year(coop: Cooperation, flt: PortfolioFilter) -> analytics.MoneyByYear:
    """The money page's table per year (periods spread evenly)."""
    return analytics.money_totals_by_year(coop, flt)


def timeline(coop: Cooperation, flt: PortfolioFilter, today: dt.date) -> analytics.Timeline:
    return analytics.timeline_rows(coop, flt, today=today)


def matrix(coop: Cooperation, flt: PortfolioFilter) -> analytics.Matrix:
    return analytics.participation_matrix(coop, flt)


def members_on(coop: Cooperation, on: dt.date) -> list[Municipality]:
    return member_selectors.member_municipalities_on(cooperation=coop, on=on)


def key_figures(coop: Cooperation, on: dt.date) -> dict[str, tuple[int, int, bool]]:
    """The cooperation's latest figure per kind up to the year of `on`: (value, year,
    approximate)."""
    found: dict[str, tuple[int, int, bool]] = {}
    for figure in member_selectors.key_figures_for(cooperation=coop).filter(year__lte=on.year):
        found.setdefault(figure.kind, (figure.value, figure.year, figure.approximate))
    return found


def board_on(coop: Cooperation, on: dt.date) -> tuple[list, dt.date | None]:
    """The board on the day, else the latest composition before it (with its first day)."""
    seats = list(governance_selectors.board_on(on=on, cooperation=coop))
    if seats:
        return seats, on
    earlier = [d for d in governance_selectors.board_periods(cooperation=coop) if d <= on]
    if not earlier:
        return [], None
    return list(governance_selectors.board_on(on=earlier[-1], cooperation=coop)), earlier[-1]


@dataclass
class NetworkLine:
    name: str
    field: str
    members: int
    """Member municipalities and organisations on the date."""


def networks_on(coop: Cooperation, on: dt.date) -> list[NetworkLine]:
    """The cooperation's active networks (the networks app's list) started by `on`, with
    their professional field and the members they had on that date (one query)."""
    current = (Q(memberships__start__isnull=True) | Q(memberships__start__lte=on)) & (
        Q(memberships__end__isnull=True) | Q(memberships__end__gte=on)
    )
    networks = (
        network_selectors.network_list()
        .filter(cooperation=coop, status=Network.Status.ACTIVE)
        .filter(Q(started__isnull=True) | Q(started__lte=on))
        .annotate(members_on=Count("memberships", filter=current, distinct=True))
        .order_by("name")
    )
    return [NetworkLine(n.name, n.field, n.members_on) for n in networks]


def portfolio(coop: Cooperation) -> QuerySet[Project]:
    """Every project of the cooperation with its spin-offs (for the presentation)."""
    return (
        Project.objects.filter(cooperation=coop)
        .prefetch_related("spin_offs__organisation")
        .order_by("-start_date", "name")
    )


@dataclass
class HearingComments:
    """What the summary of comments shows: the published comments; only counts of the rest."""

    published: list[Comment]
    held_back: int
    withdrawn: int
    waiting: int


def hearing_for_summary(pk: int) -> Hearing:
    """Raises Hearing.DoesNotExist."""
    return (
        Hearing.objects.select_related("case", "project", "plan_municipality")
        .prefetch_related(
            Prefetch("municipalities", queryset=Municipality.objects.order_by("name"))
        )
        .get(pk=pk)
    )


def hearing_exists(pk: int) -> bool:
    return Hearing.objects.filter(pk=pk).exists()


def hearing_comments(hearing: Hearing) -> HearingComments:
    """Confirmed comments only: an unconfirmed one does not count (docs/hearings.md)."""
    counts = hearing.comments.filter(confirmed_at__isnull=False).aggregate(
        held_back=Count("pk", filter=Q(state=Comment.State.HELD_BACK)),
        withdrawn=Count("pk", filter=Q(state=Comment.State.WITHDRAWN)),
        waiting=Count("pk", filter=Q(state=Comment.State.RECEIVED)),
    )
    published = list(
        hearing.comments.filter(state=Comment.State.PUBLISHED, confirmed_at__isnull=False)
        .only(
            "hearing_id",
            "reference",
            "text",
            "name",
            "organisation",
            "show_name",
            "purged_at",
            "submitted_at",
            "topic",
            "response",
        )
        .order_by("submitted_at", "pk")
    )
    return HearingComments(published, counts["held_back"], counts["withdrawn"], counts["waiting"])


@dataclass
class NetworkYear:
    name: str
    field: str
    meetings: int
    documents: int


def network_activity(coop: Cooperation, year: int) -> list[NetworkYear]:
    """Each of the cooperation's networks with its meetings and the documents added to its
    library in the year, through the networks app's own selectors (2 queries and one per
    network: the meetings selector is per network)."""
    documents = Counter(
        network_selectors.documents_for(user=None)
        .filter(network__cooperation=coop, created_at__year=year)
        .prefetch_related(None)
        .values_list("network_id", flat=True)
    )
    networks = network_selectors.network_list().filter(cooperation=coop).order_by("name")
    return [
        NetworkYear(
            name=n.name,
            field=n.field,
            meetings=network_selectors.meetings(n).filter(date__year=year).count(),
            documents=documents.get(n.pk, 0),
        )
        for n in networks
    ]


def competence_in_year(year: int) -> list[network_selectors.CompetenceRow]:
    """Training per municipality in the year: participants and participant-hours."""
    return network_selectors.competence_summary(year=year)
