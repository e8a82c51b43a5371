"""Cross-cutting reads of the portfolio: money totals, timeline rows, the participation
matrix and everything the cooperation did for one municipality across mergers.

Every function here runs a fixed number of SQL queries whatever the amount of data, and
returns plain data classes ready for templates and for `projects.charts`.

Money over a period: an entry for several years ("ca 35 mill kr 2002-04") is **spread
evenly across its years** (2002, 2003 and 2004 get a third each; the last year takes the
rounding remainder so the parts add up to the entry exactly). An entry with only one year
belongs to that year; an entry with no year at all falls back to its project's start
year, and otherwise is counted as "year not stated". Entries without an amount (e.g. a
non-monetary benefit) are counted but add nothing to the sums.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, QuerySet

from members.models import Cooperation, Membership, Municipality, MunicipalityEvent
from members.selectors import predecessors, successors
from projects.models import MoneyEntry, Participation, Project, SpinOff

ZERO = Decimal("0")
CENT = Decimal("0.01")

GRANT = MoneyEntry.Kind.GRANT.value
COST = MoneyEntry.Kind.COST.value
BENEFIT = MoneyEntry.Kind.BENEFIT.value


# ---------------------------------------------------------------- filters


@dataclass(frozen=True)
class PortfolioFilter:
    """What the overview pages can be narrowed to: categories and an inclusive year range."""

    categories: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None

    def year_in_range(self, year: int | None) -> bool:
        if year is None:
            return self.year_from is None and self.year_to is None
        if self.year_from is not None and year < self.year_from:
            return False
        return not (self.year_to is not None and year > self.year_to)

    def project_q(self, prefix: str = "") -> Q:
        """Projects in the categories whose period overlaps the year range."""
        q = Q()
        if self.categories:
            q &= Q(**{f"{prefix}category__in": list(self.categories)})
        if self.year_to is not None:
            q &= Q(**{f"{prefix}start_date__lte": dt.date(self.year_to, 12, 31)})
        if self.year_from is not None:
            q &= Q(**{f"{prefix}end_date__isnull": True}) | Q(
                **{f"{prefix}end_date__gte": dt.date(self.year_from, 1, 1)}
            )
            q &= Q(**{f"{prefix}start_date__isnull": False})
        return q


NO_FILTER = PortfolioFilter()


# ---------------------------------------------------------------- money


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    kind: str


def money_series() -> list[Series]:
    """The series money is broken down into: grants, costs and each benefit category."""
    result = [
        Series(GRANT, str(MoneyEntry.Kind.GRANT.label), GRANT),
        Series(COST, str(MoneyEntry.Kind.COST.label), COST),
    ]
    for value, label in MoneyEntry.BenefitCategory.choices:
        result.append(Series(f"{BENEFIT}:{value}", str(label), BENEFIT))
    return result


def series_key(kind: str, benefit_category: str) -> str:
    if kind == BENEFIT:
        return f"{BENEFIT}:{benefit_category or MoneyEntry.BenefitCategory.NON_MONETARY}"
    return kind


def spread_amount(
    amount: Decimal | None,
    year_from: int | None,
    year_to: int | None,
    fallback_year: int | None = None,
) -> list[tuple[int | None, Decimal]]:
    """Split an amount over the years it covers, evenly; see the module docstring."""
    if amount is None:
        return []
    first = year_from or year_to or fallback_year
    last = year_to or year_from or fallback_year
    if first is None or last is None:
        return [(None, amount)]
    years = list(range(first, last + 1))
    if len(years) == 1:
        return [(first, amount)]
    share = (amount / len(years)).quantize(CENT, rounding=ROUND_HALF_UP)
    parts = [(y, share) for y in years[:-1]]
    parts.append((years[-1], amount - share * (len(years) - 1)))
    return parts


@dataclass
class MoneyItem:
    """One entry's share for one year."""

    entry_id: int
    year: int | None
    kind: str
    key: str
    amount: Decimal
    project_id: int
    municipality_id: int | None


def _money_entries(
    cooperation: Cooperation, flt: PortfolioFilter, extra: Q | None = None
) -> QuerySet[MoneyEntry]:
    qs = MoneyEntry.objects.filter(project__cooperation=cooperation)
    if flt.categories:
        qs = qs.filter(project__category__in=list(flt.categories))
    if extra is not None:
        qs = qs.filter(extra)
    return qs.select_related("project", "municipality", "funder").order_by(
        "project__name", "kind", "year_from", "pk"
    )


def _items(entries: Iterable[MoneyEntry], flt: PortfolioFilter) -> list[MoneyItem]:
    items: list[MoneyItem] = []
    for entry in entries:
        start = entry.project.start_date.year if entry.project.start_date else None
        for year, amount in spread_amount(entry.amount_nok, entry.year_from, entry.year_to, start):
            if year is not None and not flt.year_in_range(year):
                continue
            if year is None and (flt.year_from is not None or flt.year_to is not None):
                continue
            items.append(
                MoneyItem(
                    entry_id=entry.pk,
                    year=year,
                    kind=entry.kind,
                    key=series_key(entry.kind, entry.benefit_category),
                    amount=amount,
                    project_id=entry.project_id,
                    municipality_id=entry.municipality_id,
                )
            )
    return items


@dataclass
class YearRow:
    year: int | None
    values: dict[str, Decimal]
    amounts: list[Decimal]
    """The values in the order of `MoneyByYear.series`."""

    @property
    def total(self) -> Decimal:
        """Grants plus benefits; costs are not added in."""
        return sum((v for k, v in self.values.items() if k != COST), ZERO)


@dataclass
class MoneyByYear:
    series: list[Series]
    rows: list[YearRow]
    totals: dict[str, Decimal]
    entry_count: int
    without_amount: int

    @property
    def years(self) -> list[int]:
        return [r.year for r in self.rows if r.year is not None]

    @property
    def total_amounts(self) -> list[Decimal]:
        return [self.totals.get(s.key, ZERO) for s in self.series]

    @property
    def grand_total(self) -> Decimal:
        """Grants plus benefits over all years."""
        return sum((v for k, v in self.totals.items() if k != COST), ZERO)

    def series_values(self) -> dict[str, list[float]]:
        """Per series key, the amounts for `years` (for charts)."""
        dated = [r for r in self.rows if r.year is not None]
        return {s.key: [float(r.values.get(s.key, ZERO)) for r in dated] for s in self.series}


def _by_year(
    items: list[MoneyItem], entries: Sequence[MoneyEntry], kinds: Sequence[str] | None
) -> MoneyByYear:
    if kinds:
        items = [i for i in items if i.kind in kinds]
        entries = [e for e in entries if e.kind in kinds]
    used = {i.key for i in items}
    series = [s for s in money_series() if s.key in used]
    table: dict[int | None, dict[str, Decimal]] = defaultdict(dict)
    totals: dict[str, Decimal] = {}
    for item in items:
        table[item.year][item.key] = table[item.year].get(item.key, ZERO) + item.amount
        totals[item.key] = totals.get(item.key, ZERO) + item.amount
    dated_years = sorted(y for y in table if y is not None)
    if dated_years:
        dated_years = list(range(dated_years[0], dated_years[-1] + 1))
    order: list[int | None] = [*dated_years, *([None] if None in table else [])]
    rows = []
    for year in order:
        values = table.get(year, {})
        rows.append(YearRow(year, values, [values.get(s.key, ZERO) for s in series]))
    return MoneyByYear(
        series=series,
        rows=rows,
        totals=totals,
        entry_count=len(entries),
        without_amount=sum(1 for e in entries if e.amount_nok is None),
    )


def money_totals_by_year(
    cooperation: Cooperation,
    flt: PortfolioFilter = NO_FILTER,
    *,
    kinds: Sequence[str] | None = None,
) -> MoneyByYear:
    """Grants, costs and benefits (by category) per year, periods spread evenly. 1 query."""
    entries = list(_money_entries(cooperation, flt))
    return _by_year(_items(entries, flt), entries, kinds)


@dataclass
class MoneyTotals:
    """Totals by kind for one municipality or project."""

    grant: Decimal = ZERO
    cost: Decimal = ZERO
    benefit: Decimal = ZERO

    def add(self, kind: str, amount: Decimal) -> None:
        setattr(self, kind, getattr(self, kind) + amount)

    @property
    def total(self) -> Decimal:
        return self.grant + self.benefit


@dataclass
class MunicipalityMoney:
    municipality: Municipality | None
    totals: MoneyTotals


def money_totals_by_municipality(
    cooperation: Cooperation, flt: PortfolioFilter = NO_FILTER
) -> list[MunicipalityMoney]:
    """Money attributed to a municipality identity (MoneyEntry.municipality), by kind.

    Entries attributed to no municipality come last, with `municipality` None. 1 query.
    """
    entries = list(_money_entries(cooperation, flt))
    by_pk = {e.municipality_id: e.municipality for e in entries}
    sums: dict[int | None, MoneyTotals] = defaultdict(MoneyTotals)
    for item in _items(entries, flt):
        sums[item.municipality_id].add(item.kind, item.amount)
    named = sorted(
        (pk for pk in sums if pk is not None),
        key=lambda pk: (by_pk[pk].name, by_pk[pk].valid_from),
    )
    result = [MunicipalityMoney(by_pk[pk], sums[pk]) for pk in named]
    if None in sums:
        result.append(MunicipalityMoney(None, sums[None]))
    return result


@dataclass
class ProjectMoney:
    project: Project
    totals: MoneyTotals


def money_totals_by_project(
    cooperation: Cooperation, flt: PortfolioFilter = NO_FILTER
) -> list[ProjectMoney]:
    """Money per project by kind, largest grants+benefits first. 1 query."""
    entries = list(_money_entries(cooperation, flt))
    projects = {e.project_id: e.project for e in entries}
    sums: dict[int, MoneyTotals] = defaultdict(MoneyTotals)
    for item in _items(entries, flt):
        sums[item.project_id].add(item.kind, item.amount)
    rows = [ProjectMoney(projects[pk], totals) for pk, totals in sums.items()]
    rows.sort(key=lambda r: (-r.totals.total, -r.totals.cost, r.project.name))
    return rows


def sum_totals(rows: Iterable[MunicipalityMoney | ProjectMoney]) -> MoneyTotals:
    result = MoneyTotals()
    for row in rows:
        for kind in (GRANT, COST, BENEFIT):
            result.add(kind, getattr(row.totals, kind))
    return result


# ---------------------------------------------------------------- timeline


@dataclass
class TimelineRow:
    project: Project
    start: dt.date
    end: dt.date
    is_open: bool
    year_precision: bool

    @property
    def period_label(self) -> str:
        return period_label(self.project)

    @property
    def category_label(self) -> str:
        return str(self.project.get_category_display())


@dataclass
class Timeline:
    rows: list[TimelineRow]
    undated: list[Project]
    today: dt.date

    @property
    def first_year(self) -> int | None:
        return min((r.start.year for r in self.rows), default=None)

    @property
    def last_year(self) -> int | None:
        return max((r.end.year for r in self.rows), default=None)


def period_label(project: Project) -> str:
    """“1999”, “2000–2002”, “2001–” or full dates where the precision is a day or month."""

    def fmt(day: dt.date | None, precision: str) -> str:
        if day is None:
            return ""
        if precision == "year":
            return str(day.year)
        if precision == "month":
            return f"{day.month:02d}.{day.year}"
        return f"{day.day:02d}.{day.month:02d}.{day.year}"

    start = fmt(project.start_date, project.start_precision)
    end = fmt(project.end_date, project.end_precision)
    if not start:
        return ""
    if project.open_ended or not end:
        return f"{start}–"
    if start == end:
        return start
    return f"{start}–{end}"


def _projects(cooperation: Cooperation, flt: PortfolioFilter) -> QuerySet[Project]:
    return (
        Project.objects.filter(cooperation=cooperation)
        .filter(flt.project_q())
        .select_related("host_municipality", "owner_municipality", "owner_organisation")
    )


def timeline_rows(
    cooperation: Cooperation,
    flt: PortfolioFilter = NO_FILTER,
    *,
    today: dt.date | None = None,
) -> Timeline:
    """Projects as bars from start to end, grouped by category then start. 1 query.

    Open-ended projects, and projects with a start but no end, run to `today`.
    """
    today = today or dt.date.today()
    order = {value: i for i, (value, _label) in enumerate(Project.Category.choices)}
    rows: list[TimelineRow] = []
    undated: list[Project] = []
    for project in _projects(cooperation, flt).order_by("start_date", "name"):
        if project.start_date is None:
            undated.append(project)
            continue
        is_open = project.end_date is None
        end = project.end_date or max(today, project.start_date)
        rows.append(
            TimelineRow(
                project=project,
                start=project.start_date,
                end=end,
                is_open=is_open,
                year_precision=project.start_precision == "year",
            )
        )
    rows.sort(key=lambda r: (order.get(r.project.category, 99), r.start, r.project.name))
    return Timeline(rows=rows, undated=undated, today=today)


# ---------------------------------------------------------------- participation matrix

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


def participation_matrix(
    cooperation: Cooperation,
    flt: PortfolioFilter = NO_FILTER,
    *,
    include_organisations: bool = False,
    include_idle_members: bool = False,
) -> Matrix:
    """Projects × municipalities (and optionally organisations) with each party's role.

    Columns are the municipality identities that were members at some time (within the
    year range when one is given), ordered by name then date, followed by non-member
    municipalities that took part in a shown project. Members without any role in the
    shown projects are listed in `idle_members` instead, unless `include_idle_members`.
    The project's host and owner municipality count as such even without a participation
    row. 3 queries.
    """
    order = {value: i for i, (value, _label) in enumerate(Project.Category.choices)}
    projects = sorted(
        _projects(cooperation, flt).order_by("start_date", "name"),
        key=lambda p: (order.get(p.category, 99), p.start_date or dt.date.max, p.name),
    )
    project_ids = [p.pk for p in projects]
    memberships = Membership.objects.filter(cooperation=cooperation).select_related("municipality")
    if flt.year_from is not None:
        memberships = memberships.filter(
            Q(left__isnull=True) | Q(left__gte=dt.date(flt.year_from, 1, 1))
        )
    if flt.year_to is not None:
        memberships = memberships.filter(joined__lte=dt.date(flt.year_to, 12, 31))
    members: dict[int, Municipality] = {m.municipality_id: m.municipality for m in memberships}
    participations = (
        Participation.objects.filter(project_id__in=project_ids)
        .select_related("municipality", "organisation")
        .order_by("pk")
        if project_ids
        else Participation.objects.none()
    )

    roles: dict[tuple[int, str], str] = {}
    guests: dict[int, Municipality] = {}
    organisations: dict[int, object] = {}
    for p in participations:
        if p.municipality_id:
            key = f"m{p.municipality_id}"
            if p.municipality_id not in members:
                guests[p.municipality_id] = p.municipality
        else:
            if not include_organisations:
                continue
            key = f"o{p.organisation_id}"
            organisations[p.organisation_id] = p.organisation
        roles[(p.project_id, key)] = _stronger(roles.get((p.project_id, key), ""), p.role)
    for project in projects:
        for attr, role in (
            ("host_municipality", Participation.Role.HOST),
            ("owner_municipality", Participation.Role.OWNER),
        ):
            muni = getattr(project, attr)
            if muni is None:
                continue
            if muni.pk not in members:
                guests[muni.pk] = muni
            key = f"m{muni.pk}"
            roles[(project.pk, key)] = _stronger(roles.get((project.pk, key), ""), role)

    def muni_order(m: Municipality):
        return (m.name, m.valid_from)

    columns = [
        MatrixColumn(
            key=f"m{m.pk}",
            label=m.name,
            number=m.number,
            title=f"{m.name} ({m.number}, {_years(m)})",
        )
        for m in sorted(members.values(), key=muni_order)
    ]
    columns += [
        MatrixColumn(
            key=f"m{m.pk}",
            label=m.name,
            number=m.number,
            is_member=False,
            title=f"{m.name} ({m.number})",
        )
        for m in sorted(guests.values(), key=muni_order)
    ]
    columns += [
        MatrixColumn(
            key=f"o{o.pk}",
            label=o.abbreviation or o.name,
            is_organisation=True,
            title=o.name,
        )
        for o in sorted(organisations.values(), key=lambda o: o.name)
    ]
    rows = [
        MatrixRow(project, [MatrixCell(roles.get((project.pk, c.key), "")) for c in columns])
        for project in projects
    ]
    counts = [sum(1 for r in rows if r.cells[i].role) for i in range(len(columns))]
    idle: list[MatrixColumn] = []
    if not include_idle_members:
        keep = [i for i, c in enumerate(columns) if counts[i] or not c.is_member]
        kept = set(keep)
        idle = [c for i, c in enumerate(columns) if i not in kept]
        columns = [columns[i] for i in keep]
        counts = [counts[i] for i in keep]
        for row in rows:
            row.cells = [row.cells[i] for i in keep]
    return Matrix(columns=columns, rows=rows, column_counts=counts, idle_members=idle)


# ---------------------------------------------------------------- one municipality


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
