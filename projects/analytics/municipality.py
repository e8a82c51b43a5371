"""Everything the cooperation did for one municipality, across mergers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import F, Q, QuerySet, Sum

from members.models import Cooperation, Membership, Municipality, MunicipalityEvent
from members.selectors import predecessors, successors
from projects.analytics.matrix import _stronger
from projects.analytics.money import BENEFIT, COST, GRANT, ZERO, MoneyByYear, money_by_year
from projects.models import MoneyEntry, Participation, Project, SpinOff


@dataclass
class ParticipationLine:
    participation: Participation | None
    project: Project
    role: str
    as_identities: list[Municipality] = field(default_factory=list)
    """The predecessor identities that took part, when not the municipality itself."""

    @property
    def as_identity(self) -> Municipality | None:
        return self.as_identities[0] if self.as_identities else None

    @property
    def role_label(self) -> str:
        return str(Participation.Role(self.role).label)

    def add(self, role: str, identity: Municipality | None, participation=None) -> None:
        if _stronger(self.role, role) != self.role:
            self.role = role
            self.participation = participation or self.participation
        if identity is not None and identity not in self.as_identities:
            self.as_identities.append(identity)
            self.as_identities.sort(key=lambda m: (m.valid_from, m.name))


@dataclass
class MoneyLine:
    entry: MoneyEntry
    as_identity: Municipality | None

    @property
    def as_identities(self) -> list[Municipality]:
        return [self.as_identity] if self.as_identity else []


# Rows per list on the municipality page: the response stays the same size whatever the
# number of projects (Tønsberg in all 2,000 projects sent 1.9 MB before).
MUNICIPALITY_PAGE_SIZE = 50


@dataclass
class MunicipalityOverview:
    municipality: Municipality
    on: dt.date
    identities: list[Municipality]
    predecessors: list[Municipality]
    successors: list[Municipality]
    events: list[MunicipalityEvent]
    memberships: list[Membership]
    participations: list[ParticipationLine]
    """The projects on `page` (50 a page), with the identities that took part."""
    page: Page
    project_count: int
    hosted_projects: list[ParticipationLine]
    """The first 50 hosted or owned projects (of `hosted_count`)."""
    hosted_count: int
    hosted_spin_offs: list[SpinOff]
    """The first 50 hosted spin-offs (of `spin_off_count`)."""
    spin_off_count: int
    attributed_money: list[MoneyLine]
    """The first 50 entries attributed to the municipality (of `attributed_count`)."""
    attributed_count: int
    attributed_by_year: MoneyByYear
    attributed_totals: dict[str, Decimal]
    project_money_by_year: MoneyByYear
    project_money_totals: dict[str, Decimal]

    @property
    def is_current(self) -> bool:
        return self.municipality.valid_on(self.on)

    @property
    def host_role_count(self) -> int:
        return self.hosted_count + self.spin_off_count

    @property
    def hosted_shown(self) -> int:
        return len(self.hosted_projects) + len(self.hosted_spin_offs)


def _as(identity: Municipality | None, municipality: Municipality) -> Municipality | None:
    if identity is None or identity.pk == municipality.pk:
        return None
    return identity


def _kind_totals(entries: QuerySet[MoneyEntry]) -> dict[str, Decimal]:
    """Recorded amounts by kind, summed in SQL. 1 query."""
    totals: dict[str, Decimal] = {GRANT: ZERO, COST: ZERO, BENEFIT: ZERO}
    for row in entries.order_by().values("kind").annotate(sum=Sum("amount_nok")):
        if row["sum"] is not None:
            totals[row["kind"]] = totals.get(row["kind"], ZERO) + row["sum"]
    return totals


def _page_lines(
    page_projects: list[Project],
    pks: list[int],
    by_pk: dict[int, Municipality],
    municipality: Municipality,
) -> list[ParticipationLine]:
    """One line per project on the page: its strongest role and the identities. 1 query."""
    parts = Participation.objects.filter(
        project__in=page_projects, municipality_id__in=pks
    ).order_by("pk")
    lines: dict[int, ParticipationLine] = {}
    by_project = {p.pk: p for p in page_projects}
    for part in parts:
        line = lines.setdefault(
            part.project_id, ParticipationLine(part, by_project[part.project_id], part.role)
        )
        line.add(part.role, _as(by_pk.get(part.municipality_id), municipality), part)
    result = []
    for project in page_projects:
        line = lines.get(project.pk)
        role, identity = None, None
        if project.host_municipality_id in by_pk:
            role, identity = Participation.Role.HOST, by_pk[project.host_municipality_id]
        elif project.owner_municipality_id in by_pk:
            role, identity = Participation.Role.OWNER, by_pk[project.owner_municipality_id]
        if role is not None:
            if line is None:
                line = ParticipationLine(None, project, role)
            line.add(role, _as(identity, municipality))
        if line is not None:
            result.append(line)
    return result


def municipality_overview(
    municipality: Municipality,
    *,
    on: dt.date | None = None,
    cooperation: Cooperation | None = None,
    page: int | str | None = 1,
) -> MunicipalityOverview:
    """What the cooperation did for a municipality, including for all its predecessors.

    Today's Tønsberg (3905) gets the projects of Tønsberg 0704, Re, Våle, Ramnes and Sem,
    each line saying which identity took part. The lists are windows of 50 (the projects
    paged by `page`); counts and sums are computed by the database. The number of queries
    depends on the municipality's merger history, never on the amount of projects or money.
    """
    on = on or dt.date.today()
    preds = predecessors(municipality)
    succ = [m for m in successors(municipality, on) if m.pk != municipality.pk]
    identities = [municipality, *preds]
    by_pk = {m.pk: m for m in identities}
    pks = list(by_pk)
    size = MUNICIPALITY_PAGE_SIZE

    events = list(
        MunicipalityEvent.objects.filter(Q(predecessors__in=pks) | Q(successors__in=pks))
        .distinct()
        .prefetch_related("predecessors", "successors")
        .order_by("date", "pk")
    )
    memberships_qs = Membership.objects.filter(municipality_id__in=pks).select_related(
        "municipality", "cooperation"
    )
    if cooperation is not None:
        memberships_qs = memberships_qs.filter(cooperation=cooperation)
    memberships = list(memberships_qs.order_by("joined", "pk"))

    in_cooperation = Q(cooperation=cooperation) if cooperation is not None else Q()
    hosted_q = Q(host_municipality_id__in=pks) | Q(owner_municipality_id__in=pks)
    took_part = Participation.objects.filter(municipality_id__in=pks).values("project_id")
    projects = (
        Project.objects.filter(in_cooperation)
        .filter(Q(pk__in=took_part) | hosted_q)
        .order_by(F("start_date").asc(nulls_last=True), "name", "pk")
    )
    project_page = Paginator(projects, size).get_page(page)
    page_projects = list(project_page.object_list)
    # The page is cached: keep its rows and counts, not the query of every project (pickling
    # a queryset runs it).
    project_page.paginator.num_pages  # noqa: B018 - computed (and kept) before the cut
    project_page.object_list = page_projects
    project_page.paginator.object_list = []
    participations = _page_lines(page_projects, pks, by_pk, municipality)

    hosted_qs = (
        Project.objects.filter(in_cooperation)
        .filter(hosted_q)
        .select_related("host_municipality", "owner_municipality")
        .order_by(F("start_date").asc(nulls_last=True), "name", "pk")
    )
    hosted_lines: list[ParticipationLine] = []
    for project in hosted_qs[:size]:
        if project.host_municipality_id in by_pk:
            identity = by_pk[project.host_municipality_id]
            role = Participation.Role.HOST
        else:
            identity = by_pk[project.owner_municipality_id]
            role = Participation.Role.OWNER
        hosted_lines.append(
            ParticipationLine(None, project, role, [i for i in [_as(identity, municipality)] if i])
        )
    spin_offs_qs = SpinOff.objects.filter(host_municipality_id__in=pks).filter(
        **({"project__cooperation": cooperation} if cooperation else {})
    )
    spin_offs = list(
        spin_offs_qs.select_related("project", "organisation", "host_municipality").order_by(
            "date", "pk"
        )[:size]
    )

    direct_qs = MoneyEntry.objects.filter(municipality_id__in=pks)
    if cooperation is not None:
        direct_qs = direct_qs.filter(project__cooperation=cooperation)
    direct = list(
        direct_qs.select_related("project", "municipality", "funder").order_by(
            "year_from", "project__name", "pk"
        )[:size]
    )
    project_entries = MoneyEntry.objects.filter(project__in=projects.order_by().values("pk"))
    return MunicipalityOverview(
        municipality=municipality,
        on=on,
        identities=identities,
        predecessors=preds,
        successors=succ,
        events=events,
        memberships=memberships,
        participations=participations,
        page=project_page,
        project_count=project_page.paginator.count,
        hosted_projects=hosted_lines,
        hosted_count=hosted_qs.count(),
        hosted_spin_offs=spin_offs,
        spin_off_count=spin_offs_qs.count(),
        attributed_money=[
            MoneyLine(e, _as(by_pk.get(e.municipality_id), municipality)) for e in direct
        ],
        attributed_count=direct_qs.count(),
        attributed_by_year=money_by_year(direct_qs),
        attributed_totals=_kind_totals(direct_qs),
        project_money_by_year=money_by_year(project_entries),
        project_money_totals=_kind_totals(project_entries),
    )


@dataclass
class MunicipalityActivity:
    """Every project, host role and spin-off of a municipality and its predecessors, unpaged
    and without money (the municipality account in reports reads the money once itself)."""

    identities: list[Municipality]
    participations: list[ParticipationLine]
    hosted_projects: list[ParticipationLine]
    hosted_spin_offs: list[SpinOff]


def municipality_activity(
    municipality: Municipality, *, cooperation: Cooperation | None = None
) -> MunicipalityActivity:
    """As `municipality_overview`'s lists, whole: the queries do not grow with projects."""
    identities = [municipality, *predecessors(municipality)]
    by_pk = {m.pk: m for m in identities}
    pks = list(by_pk)
    in_cooperation = Q(cooperation=cooperation) if cooperation is not None else Q()
    hosted_q = Q(host_municipality_id__in=pks) | Q(owner_municipality_id__in=pks)
    took_part = Participation.objects.filter(municipality_id__in=pks).values("project_id")
    projects = list(
        Project.objects.filter(in_cooperation)
        .filter(Q(pk__in=took_part) | hosted_q)
        .select_related("host_municipality", "owner_municipality")
        .order_by(F("start_date").asc(nulls_last=True), "name", "pk")
    )
    participations = _page_lines(projects, pks, by_pk, municipality)
    hosted: list[ParticipationLine] = []
    for project in projects:
        if project.host_municipality_id in by_pk:
            identity, role = by_pk[project.host_municipality_id], Participation.Role.HOST
        elif project.owner_municipality_id in by_pk:
            identity, role = by_pk[project.owner_municipality_id], Participation.Role.OWNER
        else:
            continue
        hosted.append(
            ParticipationLine(None, project, role, [i for i in [_as(identity, municipality)] if i])
        )
    spin_offs = SpinOff.objects.filter(host_municipality_id__in=pks).filter(
        **({"project__cooperation": cooperation} if cooperation else {})
    )
    return MunicipalityActivity(
        identities=identities,
        participations=participations,
        hosted_projects=hosted,
        hosted_spin_offs=list(
            spin_offs.select_related("project", "organisation", "host_municipality").order_by(
                "date", "pk"
            )
        ),
    )


def guest_municipalities(
    cooperation: Cooperation, *, exclude: Iterable[int] = ()
) -> QuerySet[Municipality]:
    """Municipalities that took part in the cooperation's projects without being members."""
    return (
        Municipality.objects.filter(participations__project__cooperation=cooperation)
        .exclude(pk__in=list(exclude))
        .distinct()
        .order_by("name", "valid_from")
    )
