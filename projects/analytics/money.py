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

from django.db.models import Q, QuerySet

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


@dataclass
class MoneyItem:
    """One entry's share for one year."""

    entry_id: int
    year: int | None
    kind: str
    key: str
    amount: Decimal
    certainty: str
    benefit_category: str
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
                    certainty=entry.certainty,
                    benefit_category=entry.benefit_category,
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
        sums[item.municipality_id].add(
            item.kind, item.amount, item.certainty, item.benefit_category
        )
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
        sums[item.project_id].add(item.kind, item.amount, item.certainty, item.benefit_category)
    rows = [ProjectMoney(projects[pk], totals) for pk, totals in sums.items()]
    rows.sort(key=lambda r: (-r.totals.total, -r.totals.costs, r.project.name))
    return rows


def sum_totals(rows: Iterable[MunicipalityMoney | ProjectMoney]) -> MoneyTotals:
    result = MoneyTotals()
    for row in rows:
        result.add_totals(row.totals)
    return result
