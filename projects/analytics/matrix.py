"""Which municipality took part in which project, in what role."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Q

from members.models import Cooperation, Membership, Municipality, Organisation
from projects.analytics.filters import NO_FILTER, PortfolioFilter
from projects.analytics.timeline import _projects
from projects.models import Participation, Project

ROLE_RANK = {
    Participation.Role.OWNER: 0,
    Participation.Role.HOST: 1,
    Participation.Role.PARTICIPANT: 2,
    Participation.Role.PARTNER: 3,
    Participation.Role.FUNDER: 4,
    Participation.Role.OBSERVER: 5,
}


@dataclass
class MatrixColumn:
    key: str
    label: str
    number: str = ""
    is_member: bool = True
    is_organisation: bool = False
    title: str = ""


@dataclass
class MatrixCell:
    role: str = ""

    @property
    def role_label(self) -> str:
        return str(Participation.Role(self.role).label) if self.role else ""

    @property
    def marker(self) -> str:
        """owner / host are spelled out (short), any other role is a check mark."""
        if not self.role:
            return ""
        if self.role in (Participation.Role.OWNER, Participation.Role.HOST):
            return self.role
        return "check"


@dataclass
class MatrixRow:
    project: Project
    cells: list[MatrixCell]

    @property
    def count(self) -> int:
        return sum(1 for c in self.cells if c.role)


@dataclass
class Matrix:
    columns: list[MatrixColumn]
    rows: list[MatrixRow]
    column_counts: list[int] = field(default_factory=list)
    idle_members: list[MatrixColumn] = field(default_factory=list)
    """Member columns left out because they have no role in any shown project."""


def _stronger(current: str, new: str) -> str:
    if not current:
        return new
    return new if ROLE_RANK.get(new, 9) < ROLE_RANK.get(current, 9) else current


def _years(m: Municipality) -> str:
    return f"{m.valid_from.year}–{m.valid_to.year if m.valid_to else ''}"


def _members(cooperation: Cooperation, flt: PortfolioFilter) -> dict[int, Municipality]:
    """Municipality identities that were members (within the year range when given)."""
    memberships = Membership.objects.filter(cooperation=cooperation).select_related("municipality")
    if flt.year_from is not None:
        memberships = memberships.filter(
            Q(left__isnull=True) | Q(left__gte=dt.date(flt.year_from, 1, 1))
        )
    if flt.year_to is not None:
        memberships = memberships.filter(joined__lte=dt.date(flt.year_to, 12, 31))
    return {m.municipality_id: m.municipality for m in memberships}


@dataclass
class _Roles:
    """Each party's strongest role per project, and the parties that are not members."""

    members: dict[int, Municipality]
    roles: dict[tuple[int, str], str] = field(default_factory=dict)
    guests: dict[int, Municipality] = field(default_factory=dict)
    organisations: dict[int, Organisation] = field(default_factory=dict)

    def add_municipality(self, project_id: int, municipality: Municipality, role: str) -> None:
        if municipality.pk not in self.members:
            self.guests[municipality.pk] = municipality
        self._add(project_id, f"m{municipality.pk}", role)

    def add_organisation(self, project_id: int, organisation: Organisation, role: str) -> None:
        self.organisations[organisation.pk] = organisation
        self._add(project_id, f"o{organisation.pk}", role)

    def _add(self, project_id: int, key: str, role: str) -> None:
        self.roles[(project_id, key)] = _stronger(self.roles.get((project_id, key), ""), role)


def _collect_roles(
    projects: list[Project], members: dict[int, Municipality], *, include_organisations: bool
) -> _Roles:
    """Roles from participation rows, and host/owner municipalities as such. 1 query."""
    found = _Roles(members)
    participations = (
        Participation.objects.filter(project_id__in=[p.pk for p in projects])
        .select_related("municipality", "organisation")
        .order_by("pk")
    )
    for p in participations if projects else ():
        if p.municipality_id:
            found.add_municipality(p.project_id, p.municipality, p.role)
        elif include_organisations:
            found.add_organisation(p.project_id, p.organisation, p.role)
    for project in projects:
        for attr, role in (
            ("host_municipality", Participation.Role.HOST),
            ("owner_municipality", Participation.Role.OWNER),
        ):
            muni = getattr(project, attr)
            if muni is not None:
                found.add_municipality(project.pk, muni, role)
    return found


def _muni_order(m: Municipality) -> tuple[str, dt.date]:
    return (m.name, m.valid_from)


def _columns(found: _Roles) -> list[MatrixColumn]:
    """Members by name then date, then non-member municipalities, then organisations."""
    columns = [
        MatrixColumn(
            key=f"m{m.pk}",
            label=m.name,
            number=m.number,
            title=f"{m.name} ({m.number}, {_years(m)})",
        )
        for m in sorted(found.members.values(), key=_muni_order)
    ]
    columns += [
        MatrixColumn(
            key=f"m{m.pk}",
            label=m.name,
            number=m.number,
            is_member=False,
            title=f"{m.name} ({m.number})",
        )
        for m in sorted(found.guests.values(), key=_muni_order)
    ]
    columns += [
        MatrixColumn(
            key=f"o{o.pk}",
            label=o.abbreviation or o.name,
            is_organisation=True,
            title=o.name,
        )
        for o in sorted(found.organisations.values(), key=lambda o: o.name)
    ]
    return columns


def _without_idle_members(matrix: Matrix) -> Matrix:
    """Move member columns without any role to `idle_members`."""
    keep = [i for i, c in enumerate(matrix.columns) if matrix.column_counts[i] or not c.is_member]
    kept = set(keep)
    matrix.idle_members = [c for i, c in enumerate(matrix.columns) if i not in kept]
    matrix.columns = [matrix.columns[i] for i in keep]
    matrix.column_counts = [matrix.column_counts[i] for i in keep]
    for row in matrix.rows:
        row.cells = [row.cells[i] for i in keep]
    return matrix


def participation_matrix(
    cooperation: Cooperation,
    flt: PortfolioFilter = NO_FILTER,
    *,
    include_organisations: bool = False,
    include_idle_members: bool = False,
    projects: Sequence[Project] | None = None,
) -> Matrix:
    """Projects × municipalities (and optionally organisations) with each party's role.

    Columns are the municipality identities that were members at some time (within the
    year range when one is given), ordered by name then date, followed by non-member
    municipalities that took part in a shown project. Members without any role in the
    shown projects are listed in `idle_members` instead, unless `include_idle_members`.
    The project's host and owner municipality count as such even without a participation
    row. `projects` (e.g. one page of `ordered_projects`) limits the rows, the roles read
    and the columns to those projects. 3 queries.
    """
    if projects is None:
        order = {value: i for i, (value, _label) in enumerate(Project.Category.choices)}
        projects = sorted(
            _projects(cooperation, flt).order_by("start_date", "name"),
            key=lambda p: (order.get(p.category, 99), p.start_date or dt.date.max, p.name),
        )
    projects = list(projects)
    found = _collect_roles(
        projects, _members(cooperation, flt), include_organisations=include_organisations
    )
    columns = _columns(found)
    rows = [
        MatrixRow(project, [MatrixCell(found.roles.get((project.pk, c.key), "")) for c in columns])
        for project in projects
    ]
    counts = [sum(1 for r in rows if r.cells[i].role) for i in range(len(columns))]
    matrix = Matrix(columns=columns, rows=rows, column_counts=counts, idle_members=[])
    return matrix if include_idle_members else _without_idle_members(matrix)
