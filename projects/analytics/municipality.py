"""Everything the cooperation did for one municipality, across mergers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet

from members.models import Cooperation, Membership, Municipality, MunicipalityEvent
from members.selectors import predecessors, successors
from projects.analytics.filters import NO_FILTER
from projects.analytics.matrix import _stronger
from projects.analytics.money import BENEFIT, COST, GRANT, ZERO, MoneyByYear, _by_year, _items
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
    hosted_projects: list[ParticipationLine]
    hosted_spin_offs: list[SpinOff]
    attributed_money: list[MoneyLine]
    attributed_by_year: MoneyByYear
    attributed_totals: dict[str, Decimal]
    project_money_by_year: MoneyByYear
    project_money_totals: dict[str, Decimal]

    @property
    def is_current(self) -> bool:
        return self.municipality.valid_on(self.on)

    @property
    def project_count(self) -> int:
        return len({line.project.pk for line in self.participations})

    @property
    def host_role_count(self) -> int:
        return len(self.hosted_projects) + len(self.hosted_spin_offs)


def _as(identity: Municipality | None, municipality: Municipality) -> Municipality | None:
    if identity is None or identity.pk == municipality.pk:
        return None
    return identity


def _kind_totals(entries: Iterable[MoneyEntry]) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {GRANT: ZERO, COST: ZERO, BENEFIT: ZERO}
    for e in entries:
        if e.amount_nok is not None:
            totals[e.kind] = totals.get(e.kind, ZERO) + e.amount_nok
    return totals


def municipality_overview(
    municipality: Municipality,
    *,
    on: dt.date | None = None,
    cooperation: Cooperation | None = None,
) -> MunicipalityOverview:
    """What the cooperation did for a municipality, including for all its predecessors.

    Today's Tønsberg (3905) gets the projects of Tønsberg 0704, Re, Våle, Ramnes and Sem,
    each line saying which identity took part. The number of queries depends on the
    municipality's merger history, never on the amount of projects or money.
    """
    on = on or dt.date.today()
    preds = predecessors(municipality)
    succ = [m for m in successors(municipality, on) if m.pk != municipality.pk]
    identities = [municipality, *preds]
    by_pk = {m.pk: m for m in identities}
    pks = list(by_pk)

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

    project_filter = Q(cooperation=cooperation) if cooperation is not None else Q()
    parts = list(
        Participation.objects.filter(municipality_id__in=pks)
        .filter(**({"project__cooperation": cooperation} if cooperation else {}))
        .select_related("project", "municipality")
        .order_by("project__start_date", "project__name", "pk")
    )
    hosted = list(
        Project.objects.filter(project_filter)
        .filter(Q(host_municipality_id__in=pks) | Q(owner_municipality_id__in=pks))
        .select_related("host_municipality", "owner_municipality")
        .order_by("start_date", "name")
    )
    spin_offs = list(
        SpinOff.objects.filter(host_municipality_id__in=pks)
        .filter(**({"project__cooperation": cooperation} if cooperation else {}))
        .select_related("project", "organisation", "host_municipality")
        .order_by("date", "pk")
    )

    lines: dict[int, ParticipationLine] = {}
    for p in parts:
        line = lines.setdefault(p.project_id, ParticipationLine(p, p.project, p.role))
        line.add(p.role, _as(by_pk.get(p.municipality_id), municipality), p)
    hosted_lines: list[ParticipationLine] = []
    for project in hosted:
        if project.host_municipality_id in by_pk:
            identity = by_pk[project.host_municipality_id]
            role = Participation.Role.HOST
        else:
            identity = by_pk[project.owner_municipality_id]
            role = Participation.Role.OWNER
        hosted_lines.append(
            ParticipationLine(None, project, role, [i for i in [_as(identity, municipality)] if i])
        )
        line = lines.setdefault(project.pk, ParticipationLine(None, project, role))
        line.add(role, _as(identity, municipality))
    participations = sorted(
        lines.values(),
        key=lambda line: (line.project.start_date or dt.date.max, line.project.name),
    )

    direct_qs = MoneyEntry.objects.filter(municipality_id__in=pks)
    if cooperation is not None:
        direct_qs = direct_qs.filter(project__cooperation=cooperation)
    direct = list(
        direct_qs.select_related("project", "municipality", "funder").order_by(
            "year_from", "project__name", "pk"
        )
    )
    project_ids = list(lines)
    project_entries = list(
        MoneyEntry.objects.filter(project_id__in=project_ids)
        .select_related("project")
        .order_by("pk")
        if project_ids
        else []
    )
    return MunicipalityOverview(
        municipality=municipality,
        on=on,
        identities=identities,
        predecessors=preds,
        successors=succ,
        events=events,
        memberships=memberships,
        participations=participations,
        hosted_projects=hosted_lines,
        hosted_spin_offs=spin_offs,
        attributed_money=[
            MoneyLine(e, _as(by_pk.get(e.municipality_id), municipality)) for e in direct
        ],
        attributed_by_year=_by_year(_items(direct, NO_FILTER), direct, None),
        attributed_totals=_kind_totals(direct),
        project_money_by_year=_by_year(_items(project_entries, NO_FILTER), project_entries, None),
        project_money_totals=_kind_totals(project_entries),
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
