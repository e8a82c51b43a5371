import datetime as dt
from decimal import Decimal

import pytest

from members import selectors as member_selectors
from members.models import Organisation
from projects import analytics
from projects.analytics import PortfolioFilter, spread_amount
from projects.models import MoneyEntry, Participation, Project
from tests.projects.test_overview_data import money, project, take_part, vestfold

D = Decimal
GRANT, COST, BENEFIT = "grant", "cost", "benefit"
TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def v(db):
    return vestfold(TODAY)


# ---------------------------------------------------------------- spreading


def test_spread_evenly_over_the_years_with_remainder_in_the_last():
    assert spread_amount(D("35000000"), 2002, 2004) == [
        (2002, D("11666666.67")),
        (2003, D("11666666.67")),
        (2004, D("11666666.66")),
    ]
    assert sum(a for _y, a in spread_amount(D("100"), 2001, 2003)) == D("100")


def test_spread_single_year_fallback_and_missing():
    assert spread_amount(D("350000"), 2003, None) == [(2003, D("350000"))]
    assert spread_amount(D("350000"), None, 2004) == [(2004, D("350000"))]
    assert spread_amount(D("10"), None, None, fallback_year=1999) == [(1999, D("10"))]
    assert spread_amount(D("10"), None, None) == [(None, D("10"))]
    assert spread_amount(None, 2001, 2002) == []


# ---------------------------------------------------------------- money totals


def test_money_totals_by_year_hand_computed(v):
    broadband = project(v.cooperation, "Offentlig eid bredbånd", 2001, open_ended=True)
    power = project(v.cooperation, "Felles innkjøp av strøm", 2000, 2001)
    money(broadband, GRANT, 5_000_000, 2001, 2003)  # 1 666 666.67 ×2 + .66
    money(broadband, COST, 10_000_000, 2001, 2003)
    money(power, BENEFIT, 35_000_000, 2002, 2004)
    money(power, BENEFIT, 800_000, None, None, benefit_category="public_sector")  # start 2000
    money(power, BENEFIT, None, 2002, benefit_category="non_monetary")

    data = analytics.money_totals_by_year(v.cooperation)

    assert data.years == [2000, 2001, 2002, 2003, 2004]
    rows = {r.year: r for r in data.rows}
    assert rows[2000].values == {"benefit:public_sector": D("800000")}
    assert rows[2001].values[GRANT] == D("1666666.67")
    assert rows[2002].values == {
        GRANT: D("1666666.67"),
        COST: D("3333333.33"),
        "benefit:budget_saving": D("11666666.67"),
    }
    assert rows[2003].values[GRANT] == D("1666666.66")
    # Grants + benefits per year, costs not added in.
    assert rows[2002].total == D("13333333.34")
    assert data.totals[GRANT] == D("5000000")
    assert data.totals[COST] == D("10000000")
    assert data.totals["benefit:budget_saving"] == D("35000000")
    assert data.grand_total == D("40800000")
    assert data.entry_count == 5
    assert data.without_amount == 1
    assert [s.key for s in data.series] == [
        GRANT,
        COST,
        "benefit:budget_saving",
        "benefit:public_sector",
    ]


def test_money_by_year_filters_category_and_years(v):
    a = project(v.cooperation, "A", 2001, 2003)
    b = project(v.cooperation, "B", 2001, 2003, category=Project.Category.PLANNING)
    money(a, GRANT, 300, 2001, 2003)
    money(b, GRANT, 1000, 2002)

    flt = PortfolioFilter(categories=("operations",), year_from=2002, year_to=2003)
    data = analytics.money_totals_by_year(v.cooperation, flt)

    assert [(r.year, r.values[GRANT]) for r in data.rows] == [(2002, D(100)), (2003, D(100))]


def test_money_totals_by_municipality_and_project(v):
    a = project(v.cooperation, "Sensitiv driftsentral", 2003)
    b = project(v.cooperation, "Geodata", 1999, 2004)
    money(a, GRANT, 1_000_000, 2003, municipality=v.re)
    money(a, BENEFIT, 500_000, 2003, municipality=v.re)
    money(a, COST, 150_000, 2004, municipality=v.re)
    money(b, GRANT, 200_000, 1999, municipality=v.vale)
    money(b, BENEFIT, 40_000, 2000)

    by_muni = analytics.money_totals_by_municipality(v.cooperation)
    assert [(r.municipality and r.municipality.name) for r in by_muni] == ["Re", "Våle", None]
    re_row = by_muni[0].totals
    assert (re_row.grants, re_row.benefits, re_row.costs, re_row.total) == (
        D(1_000_000),
        D(500_000),
        D(150_000),
        D(1_500_000),
    )
    assert by_muni[2].totals.benefits == D(40_000)

    by_project = analytics.money_totals_by_project(v.cooperation)
    assert [r.project.name for r in by_project] == ["Sensitiv driftsentral", "Geodata"]
    assert by_project[1].totals.total == D(240_000)
    total = analytics.sum_totals(by_project)
    assert (total.grants, total.benefits, total.costs) == (D(1_200_000), D(540_000), D(150_000))


# ---------------------------------------------------------------- timeline


def test_timeline_rows_open_ended_to_today_grouped_by_category(v):
    project(v.cooperation, "Vei samarbeid", 2002, open_ended=True)
    project(v.cooperation, "Geodata", 1999, 2004)
    project(v.cooperation, "Næringsplan", 2000, 2001, category=Project.Category.PLANNING)
    project(v.cooperation, "Idea without period", None)

    tl = analytics.timeline_rows(v.cooperation, today=TODAY)

    assert [r.project.name for r in tl.rows] == ["Geodata", "Vei samarbeid", "Næringsplan"]
    vei = tl.rows[1]
    assert vei.is_open and vei.end == TODAY
    assert vei.period_label == "2002–"
    assert tl.rows[0].period_label == "1999–2004"
    assert [p.name for p in tl.undated] == ["Idea without period"]
    assert (tl.first_year, tl.last_year) == (1999, 2026)


def test_timeline_filter_by_year_range(v):
    project(v.cooperation, "Old", 1998, 1999)
    project(v.cooperation, "Open", 2003, open_ended=True)
    project(v.cooperation, "Mid", 2001, 2002)

    names = [
        r.project.name
        for r in analytics.timeline_rows(
            v.cooperation, PortfolioFilter(year_from=2002, year_to=2004), today=TODAY
        ).rows
    ]
    assert names == ["Mid", "Open"]


def test_period_label_single_year_and_days():
    p = Project(start_date=dt.date(1999, 1, 1), end_date=dt.date(1999, 12, 31))
    assert analytics.period_label(p) == "1999"
    p = Project(
        start_date=dt.date(2005, 3, 1),
        start_precision="day",
        end_date=dt.date(2005, 6, 1),
        end_precision="day",
    )
    assert analytics.period_label(p) == "01.03.2005–01.06.2005"


# ---------------------------------------------------------------- matrix


def test_participation_matrix_roles_columns_and_organisations(v):
    hve = Organisation.objects.create(name="Høgskolen i Vestfold", abbreviation="HVE")
    sola = project(v.cooperation, "Sola for alle", 2001, 2004, host_municipality=v.tonsberg_0704)
    take_part(sola, v.tonsberg_0704, v.horten, v.re, hve)
    nmt = project(v.cooperation, "Felles næringsmiddeltilsyn", 1999, 2001)
    take_part(nmt, v.vale, v.svelvik)
    take_part(nmt, v.horten, role=Participation.Role.OWNER)

    matrix = analytics.participation_matrix(v.cooperation)
    labels = [(c.label, c.number, c.is_member) for c in matrix.columns]
    # Members first (by name), then the non-member Svelvik.
    assert ("Svelvik", v.svelvik.number, False) == labels[-1]
    assert [c.label for c in matrix.columns if c.is_member] == sorted(
        c.label for c in matrix.columns if c.is_member
    )
    col = {c.key: i for i, c in enumerate(matrix.columns)}
    rows = {r.project.name: r for r in matrix.rows}
    sola_cells = rows["Sola for alle"].cells
    assert sola_cells[col[f"m{v.tonsberg_0704.pk}"]].marker == "host"
    assert sola_cells[col[f"m{v.re.pk}"]].marker == "check"
    assert sola_cells[col[f"m{v.vale.pk}"]].marker == ""
    assert rows["Felles næringsmiddeltilsyn"].cells[col[f"m{v.horten.pk}"]].marker == "owner"
    assert rows["Sola for alle"].count == 3
    assert not any(c.is_organisation for c in matrix.columns)

    with_orgs = analytics.participation_matrix(v.cooperation, include_organisations=True)
    assert with_orgs.columns[-1].label == "HVE"
    assert with_orgs.column_counts[-1] == 1


def test_matrix_year_range_limits_member_columns_and_hides_idle_ones(v):
    late = project(v.cooperation, "Late", 2010, 2011)
    take_part(late, v.horten)
    matrix = analytics.participation_matrix(v.cooperation, PortfolioFilter(year_from=2010))
    assert [c.label for c in matrix.columns] == ["Horten"]
    idle = {c.label for c in matrix.idle_members}
    assert "Re" in idle and "Våle" not in idle  # Våle left in 2001
    everyone = analytics.participation_matrix(
        v.cooperation, PortfolioFilter(year_from=2010), include_idle_members=True
    )
    assert {"Horten", "Re"} <= {c.label for c in everyone.columns}
    assert everyone.idle_members == []


def test_member_list_folds_predecessors_into_todays_members(v):
    members = member_selectors.member_list(v.cooperation, on=TODAY)
    assert [c.municipality for c in members.current] == [v.tonsberg]
    assert not members.inferred
    tonsberg = members.current[0]
    assert tonsberg.since == dt.date(1997, 1, 1)
    assert {e.municipality for e in tonsberg.earlier} >= {v.re, v.vale, v.ramnes, v.tonsberg_0704}
    # Stokke merged into Sandefjord, which is no member here; Horten left in 2019.
    assert {m.municipality for m in members.former} == {v.stokke, v.horten}


# ---------------------------------------------------------------- one municipality


def test_municipality_overview_across_mergers(v):
    re_project = project(v.cooperation, "Sensitiv driftsentral", 2004)
    take_part(re_project, v.re)
    vale_project = project(v.cooperation, "Geodata", 1999, 2004)
    take_part(vale_project, v.vale)
    own = project(v.cooperation, "Fiberskoleprosjektet", 2001, 2002)
    take_part(own, v.tonsberg_0704, role=Participation.Role.OWNER)
    project(v.cooperation, "Avlastningsboliger", 2002, 2004, host_municipality=v.re)
    other = project(v.cooperation, "Horten only", 2002)
    take_part(other, v.horten)
    money(re_project, GRANT, 1_000_000, 2004, municipality=v.re)
    money(vale_project, BENEFIT, 30_000, 1999, 2000, municipality=v.vale)
    money(vale_project, GRANT, 99, 2000)  # not attributed: counts for the project only

    o = analytics.municipality_overview(v.tonsberg, on=TODAY, cooperation=v.cooperation)

    lines = {line.project.name: line for line in o.participations}
    assert set(lines) == {
        "Sensitiv driftsentral",
        "Geodata",
        "Fiberskoleprosjektet",
        "Avlastningsboliger",
    }
    assert lines["Sensitiv driftsentral"].as_identity == v.re
    assert lines["Geodata"].as_identity == v.vale
    assert lines["Avlastningsboliger"].role == Participation.Role.HOST
    assert lines["Fiberskoleprosjektet"].role == Participation.Role.OWNER
    assert [h.project.name for h in o.hosted_projects] == ["Avlastningsboliger"]
    assert {v.re, v.vale, v.ramnes, v.tonsberg_0704} <= set(o.identities)
    assert v.stokke not in o.identities  # the Vear boundary change is no merger ...
    # ... but it is part of Tønsberg's history, with its note.
    boundary = [e for e in o.events if e.kind == "boundary"]
    assert boundary and v.stokke in boundary[0].predecessors.all()
    assert o.attributed_totals[GRANT] == D(1_000_000)
    assert o.attributed_totals[BENEFIT] == D(30_000)
    assert o.attributed_by_year.rows[0].year == 1999
    assert o.project_money_totals[GRANT] == D(1_000_099)
    assert {m.municipality for m in o.memberships} >= {v.re, v.vale, v.tonsberg}


def test_municipality_for_number_falls_back_to_latest_identity(v):
    assert member_selectors.municipality_for_number("0716", TODAY) == v.re
    assert member_selectors.municipality_for_number("716", dt.date(1999, 1, 1)) == v.vale
    assert member_selectors.municipality_for_number("3905", TODAY) == v.tonsberg
    with pytest.raises(LookupError):
        member_selectors.municipality_for_number("2222", TODAY)


def test_money_entry_without_amount_is_counted_not_summed(v):
    p = project(v.cooperation, "Non-monetary", 2003)
    money(p, BENEFIT, None, 2003, benefit_category=MoneyEntry.BenefitCategory.NON_MONETARY)
    data = analytics.money_totals_by_year(v.cooperation)
    assert data.rows == [] and data.without_amount == 1


def test_member_list_carries_open_memberships_to_todays_successors(v):
    from members.models import Membership

    Membership.objects.filter(municipality=v.tonsberg).delete()
    Membership.objects.filter(municipality__in=[v.re, v.tonsberg_0704]).update(left=None)
    members = member_selectors.member_list(v.cooperation, on=TODAY)
    assert members.inferred
    assert [c.municipality for c in members.current] == [v.tonsberg]
    assert members.current[0].membership is None
    assert members.current[0].since == dt.date(1997, 1, 1)
