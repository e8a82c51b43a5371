"""Money in the portfolio by year, municipality and project.

Money over a period: an entry for several years ("ca 35 mill kr 2002-04") is **spread
evenly across its years** (2002, 2003 and 2004 get a third each; the last year takes the
rounding remainder so the parts add up to the entry exactly). An entry with only one year
belongs to that year; an entry with no year at all falls back to its project's start
year, and otherwise is counted as "year not stated". Entries without an amount (e.g. a
non-monetary benefit) are counted but add nothing to the sums.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import connections
from django.db.models import IntegerField, Q, QuerySet
from django.db.models.functions import Cast, Coalesce, ExtractYear

from members.models import Cooperation, Municipality
from projects.analytics.filters import NO_FILTER, PortfolioFilter
from projects.models import MoneyEntry, Project
from projects.selectors import MoneyTotals

ZERO = Decimal("0")
CENT = Decimal("0.01")

GRANT = MoneyEntry.Kind.GRANT.value
COST = MoneyEntry.Kind.COST.value
BENEFIT = MoneyEntry.Kind.BENEFIT.value


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


def _money_entries(cooperation: Cooperation, flt: PortfolioFilter) -> QuerySet[MoneyEntry]:
    qs = MoneyEntry.objects.filter(project__cooperation=cooperation)
    if flt.categories:
        qs = qs.filter(project__category__in=list(flt.categories))
    return qs


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


# ---------------------------------------------------------------- the spread, in SQL
#
# The yearly shares are computed by the database, in whole øre so that SQLite (which has no
# decimal type) and PostgreSQL give the same sums as `spread_amount`: an entry's first years
# get round-half-up(amount / n) each and its last year the remainder. A recursive common
# table expression (SQLite and PostgreSQL both have WITH RECURSIVE) lists the years between
# the lowest and highest year of the entries; each entry is joined to the years it covers.

_HALF_UP = (
    "(CASE WHEN e.cents < 0 THEN -((2 * -e.cents + e.n) / (2 * e.n))"
    " ELSE (2 * e.cents + e.n) / (2 * e.n) END)"
)
_SHARE = (
    "(CASE WHEN e.n = 1 THEN e.cents"
    f" WHEN e.year = e.y1 THEN e.cents - (e.n - 1) * {_HALF_UP} ELSE {_HALF_UP} END)"
)
_COLUMNS = ("year", "kind", "benefit_category", "certainty", "municipality_id", "project_id")


def _shares_sql(entries: QuerySet[MoneyEntry], flt: PortfolioFilter) -> tuple[str, list, str]:
    """SQL of a WITH clause whose `shares` table has one row per entry and year it covers
    (year NULL when it has none), with the columns `_COLUMNS` and `share` (in øre)."""
    start = Cast(ExtractYear("project__start_date"), IntegerField())
    inner = (
        entries.filter(amount_nok__isnull=False)
        .order_by()
        .annotate(
            y0=Coalesce("year_from", "year_to", start, output_field=IntegerField()),
            y1=Coalesce("year_to", "year_from", start, output_field=IntegerField()),
        )
        .values(
            "kind",
            "benefit_category",
            "certainty",
            "municipality_id",
            "project_id",
            "amount_nok",
            "y0",
            "y1",
        )
    )
    sql, params = inner.query.get_compiler(using=inner.db).as_sql()
    cols = "kind, benefit_category, certainty, municipality_id, project_id"
    where = ""
    if flt.year_from is not None or flt.year_to is not None:
        where = " WHERE e.year IS NOT NULL"
        if flt.year_from is not None:
            where += f" AND e.year >= {int(flt.year_from)}"
        if flt.year_to is not None:
            where += f" AND e.year <= {int(flt.year_to)}"
    with_sql = (
        f"WITH RECURSIVE raw AS ({sql}), "
        f"ent AS (SELECT {cols}, y0, y1, CAST(ROUND(amount_nok * 100) AS BIGINT) AS cents "
        "FROM raw), "
        "bounds AS (SELECT MIN(y0) AS lo, MAX(y1) AS hi FROM ent), "
        "years(y) AS (SELECT lo FROM bounds WHERE lo IS NOT NULL "
        "UNION ALL SELECT y + 1 FROM years, bounds WHERE y < hi), "
        f"spread AS (SELECT {cols}, y1, cents, years.y AS year, y1 - y0 + 1 AS n "
        "FROM ent JOIN years ON years.y BETWEEN ent.y0 AND ent.y1 "
        f"UNION ALL SELECT {cols}, y1, cents, NULL, 1 FROM ent WHERE y0 IS NULL), "
        f"shares AS (SELECT {', '.join('e.' + c for c in _COLUMNS)}, {_SHARE} AS share "
        f"FROM spread e{where}) "
    )
    return with_sql, list(params), inner.db


def _share_sums(
    entries: QuerySet[MoneyEntry],
    flt: PortfolioFilter,
    group: Sequence[str],
) -> list[tuple]:
    """The sums of the yearly shares (as Decimal NOK, last column) per `group` columns. 1 query."""
    assert all(c in _COLUMNS for c in group)
    with_sql, params, alias = _shares_sql(entries, flt)
    cols = ", ".join(group)
    sql = f"{with_sql}SELECT {cols + ', ' if cols else ''}SUM(share) FROM shares"
    if cols:
        sql += f" GROUP BY {cols}"
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [(*row[:-1], _nok(row[-1])) for row in rows if row[-1] is not None]


def _nok(cents) -> Decimal:
    return (Decimal(int(cents)) / 100).quantize(CENT)


def _counts(entries: QuerySet[MoneyEntry]) -> tuple[int, int]:
    """(entries, entries without an amount). 1 query."""
    from django.db.models import Count

    c = entries.order_by().aggregate(
        n=Count("pk"), none=Count("pk", filter=Q(amount_nok__isnull=True))
    )
    return c["n"], c["none"]


def money_by_year(
    entries: QuerySet[MoneyEntry],
    flt: PortfolioFilter = NO_FILTER,
    kinds: Sequence[str] | None = None,
) -> MoneyByYear:
    """`entries` by year and series, periods spread evenly, summed in SQL. 2 queries."""
    if kinds:
        entries = entries.filter(kind__in=list(kinds))
    table: dict[int | None, dict[str, Decimal]] = defaultdict(dict)
    totals: dict[str, Decimal] = {}
    for year, kind, category, amount in _share_sums(
        entries, flt, ["year", "kind", "benefit_category"]
    ):
        key = series_key(kind, category)
        table[year][key] = table[year].get(key, ZERO) + amount
        totals[key] = totals.get(key, ZERO) + amount
    used = set(totals)
    series = [s for s in money_series() if s.key in used]
    dated_years = sorted(y for y in table if y is not None)
    if dated_years:
        dated_years = list(range(dated_years[0], dated_years[-1] + 1))
    order: list[int | None] = [*dated_years, *([None] if None in table else [])]
    rows = []
    for year in order:
        values = table.get(year, {})
        rows.append(YearRow(year, values, [values.get(s.key, ZERO) for s in series]))
    entry_count, without_amount = _counts(entries)
    return MoneyByYear(
        series=series,
        rows=rows,
        totals=totals,
        entry_count=entry_count,
        without_amount=without_amount,
    )


def money_totals_by_year(
    cooperation: Cooperation,
    flt: PortfolioFilter = NO_FILTER,
    *,
    kinds: Sequence[str] | None = None,
) -> MoneyByYear:
    """Grants, costs and benefits (by category) per year, periods spread evenly. 2 queries."""
    return money_by_year(_money_entries(cooperation, flt), flt, kinds)


@dataclass
class MunicipalityMoney:
    municipality: Municipality | None
    totals: MoneyTotals


_TOTAL_GROUP = ["kind", "certainty", "benefit_category"]


def money_totals_by_municipality(
    cooperation: Cooperation, flt: PortfolioFilter = NO_FILTER
) -> list[MunicipalityMoney]:
    """Money attributed to a municipality identity (MoneyEntry.municipality), by kind.

    Entries attributed to no municipality come last, with `municipality` None. 2 queries.
    """
    sums: dict[int | None, MoneyTotals] = defaultdict(MoneyTotals)
    for pk, kind, certainty, category, amount in _share_sums(
        _money_entries(cooperation, flt), flt, ["municipality_id", *_TOTAL_GROUP]
    ):
        sums[pk].add(kind, amount, certainty, category)
    by_pk = Municipality.objects.in_bulk([pk for pk in sums if pk is not None])
    named = sorted(
        (pk for pk in sums if pk is not None),
        key=lambda pk: (by_pk[pk].name, by_pk[pk].valid_from),
    )
    result = [MunicipalityMoney(by_pk[pk], sums[pk]) for pk in named]
    if None in sums:
        result.append(MunicipalityMoney(None, sums[None]))
    return result


@dataclass
class MunicipalityAccountMoney:
    by_municipality: list[MunicipalityMoney]
    """The money attributed to each of the identities, as `money_totals_by_municipality`."""
    projects: MoneyTotals
    """The whole money of the projects, as the sum of their `money_totals_by_project` rows."""


def money_for_municipality(
    cooperation: Cooperation,
    flt: PortfolioFilter,
    *,
    identities: Sequence[Municipality],
    project_ids: Iterable[int],
) -> MunicipalityAccountMoney:
    """A municipality's account in one read: the money attributed to its identities and the
    whole money of the projects it took part in, from the same shares the money page sums
    (so the totals agree with its per-municipality and per-project tables). 1 query."""
    by_pk = {m.pk: m for m in identities}
    wanted = set(project_ids)
    entries = _money_entries(cooperation, flt).filter(
        Q(municipality_id__in=list(by_pk)) | Q(project_id__in=list(wanted))
    )
    sums: dict[int, MoneyTotals] = defaultdict(MoneyTotals)
    projects = MoneyTotals()
    for m_pk, p_pk, kind, certainty, category, amount in _share_sums(
        entries, flt, ["municipality_id", "project_id", *_TOTAL_GROUP]
    ):
        if m_pk in by_pk:
            sums[m_pk].add(kind, amount, certainty, category)
        if p_pk in wanted:
            projects.add(kind, amount, certainty, category)
    named = sorted(sums, key=lambda pk: (by_pk[pk].name, by_pk[pk].valid_from))
    return MunicipalityAccountMoney(
        [MunicipalityMoney(by_pk[pk], sums[pk]) for pk in named], projects
    )


@dataclass
class ProjectMoney:
    project: Project
    totals: MoneyTotals


def _project_rows(entries: QuerySet[MoneyEntry], flt: PortfolioFilter) -> list[ProjectMoney]:
    sums: dict[int, MoneyTotals] = defaultdict(MoneyTotals)
    for pk, kind, certainty, category, amount in _share_sums(
        entries, flt, ["project_id", *_TOTAL_GROUP]
    ):
        sums[pk].add(kind, amount, certainty, category)
    projects = Project.objects.in_bulk(list(sums))
    rows = [ProjectMoney(projects[pk], totals) for pk, totals in sums.items()]
    rows.sort(key=lambda r: (-r.totals.total, -r.totals.costs, r.project.name))
    return rows


def money_totals_by_project(
    cooperation: Cooperation, flt: PortfolioFilter = NO_FILTER
) -> list[ProjectMoney]:
    """Money per project by kind, largest grants+benefits first. 2 queries."""
    return _project_rows(_money_entries(cooperation, flt), flt)


@dataclass
class TopProjects:
    rows: list[ProjectMoney]
    count: int
    """How many projects have money in the filter (the rows are the largest of them)."""


def money_top_projects(
    cooperation: Cooperation, flt: PortfolioFilter = NO_FILTER, *, limit: int = 50
) -> TopProjects:
    """The `limit` projects with the largest grants + benefits (then costs, then name),
    chosen by the database, and how many projects have money. 3 queries."""
    entries = _money_entries(cooperation, flt)
    cost = MoneyEntry.Kind.COST.value
    with_sql, params, alias = _shares_sql(entries, flt)
    # One pass: the projects ranked and cut to `limit`, with how many there are in all
    # (a window over the groups, before the LIMIT).
    sql = (
        f"{with_sql}SELECT project_id, COUNT(*) OVER () FROM shares GROUP BY project_id"
        f" ORDER BY SUM(CASE WHEN kind = '{cost}' THEN 0 ELSE share END) DESC,"
        f" SUM(CASE WHEN kind = '{cost}' THEN share ELSE 0 END) DESC,"
        f" (SELECT name FROM {Project._meta.db_table} p WHERE p.id = project_id)"
        f" LIMIT {int(limit)}"
    )
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        ranked = cursor.fetchall()
    top = [row[0] for row in ranked]
    count = ranked[0][1] if ranked else 0
    rows = _project_rows(entries.filter(project_id__in=top), flt) if top else []
    return TopProjects(rows=rows, count=int(count))


def sum_totals(rows: Iterable[MunicipalityMoney | ProjectMoney]) -> MoneyTotals:
    result = MoneyTotals()
    for row in rows:
        result.add_totals(row.totals)
    return result
