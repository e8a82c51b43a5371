"""The money page's sums are computed by the database (SQLite and PostgreSQL) and equal,
to the øre, the even spread of `spread_amount` summed in Python, whatever the amounts,
periods and year filter."""

import random
from collections import defaultdict
from decimal import Decimal

import pytest

from projects import analytics
from projects.analytics import PortfolioFilter, series_key, spread_amount
from projects.models import MoneyEntry, Project
from tests.projects.test_overview_data import money, project, vestfold

KINDS = [k for k, _label in MoneyEntry.Kind.choices]
CATEGORIES = [c for c, _label in MoneyEntry.BenefitCategory.choices]


def _expected(entries, flt):
    by_year: dict = defaultdict(lambda: defaultdict(Decimal))
    by_project: dict = defaultdict(Decimal)
    for e in entries:
        start = e.project.start_date.year if e.project.start_date else None
        for year, amount in spread_amount(e.amount_nok, e.year_from, e.year_to, start):
            if not flt.year_in_range(year):
                continue
            by_year[year][series_key(e.kind, e.benefit_category)] += amount
            if e.kind != MoneyEntry.Kind.COST:
                by_project[e.project_id] += amount
    return by_year, by_project


@pytest.mark.django_db
@pytest.mark.parametrize(
    "flt",
    [
        PortfolioFilter(),
        PortfolioFilter(year_from=2001, year_to=2003),
        PortfolioFilter(year_to=2000),
    ],
)
def test_sql_sums_equal_the_python_spread_to_the_ore(flt):
    rnd = random.Random(16)
    v = vestfold()
    projects = [
        project(v.cooperation, f"P{i}", rnd.choice([None, 1998, 2001, 2004])) for i in range(12)
    ]
    for _ in range(120):
        p = rnd.choice(projects)
        kind = rnd.choice(KINDS)
        year_from = rnd.choice([None, 1999, 2000, 2002])
        year_to = rnd.choice([None, year_from, (year_from or 2000) + rnd.randint(1, 6)])
        amount = rnd.choice([None, "0.01", "100", "1000.01", "35000000", "12345.67", "7"])
        money(
            p,
            kind,
            amount,
            year_from,
            year_to,
            **({"benefit_category": rnd.choice(CATEGORIES)} if kind == "benefit" else {}),
        )
    entries = list(MoneyEntry.objects.select_related("project"))
    by_year, by_project = _expected(entries, flt)

    data = analytics.money_totals_by_year(v.cooperation, flt)
    got = {r.year: dict(r.values) for r in data.rows if r.values}
    assert got == {y: dict(values) for y, values in by_year.items()}
    assert data.entry_count == len(entries)
    assert data.without_amount == sum(1 for e in entries if e.amount_nok is None)

    top = analytics.money_top_projects(v.cooperation, flt, limit=5)
    ranked = sorted(by_project.items(), key=lambda kv: (-kv[1], Project.objects.get(pk=kv[0]).name))
    assert [r.totals.total for r in top.rows] == [amount for _pk, amount in ranked[:5]]
    assert top.count == len(
        {
            e.project_id
            for e in entries
            if any(
                flt.year_in_range(y)
                for y, _a in spread_amount(
                    e.amount_nok,
                    e.year_from,
                    e.year_to,
                    e.project.start_date.year if e.project.start_date else None,
                )
            )
        }
    )
