"""A municipality's account across mergers: today's Tønsberg includes Re, Ramnes and Våle,
and its totals agree with the portfolio's money page."""

import datetime as dt
from decimal import Decimal

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import translation

from members.selectors import municipality_on
from projects.models import MoneyEntry, Project
from reports import registry
from reports.common import nok
from tests.reports.conftest import pdf_text

pytestmark = pytest.mark.django_db


def test_todays_tonsberg_includes_re_ramnes_and_vale(demo, tmp_path):
    doc = registry.build("municipality", lang="nb", params=QueryDict("number=3905"))
    including = dict(doc.title_page)["Medregnet"]
    for name in ("Re (0716)", "Ramnes (0718)", "Våle (0716)", "Tønsberg (0704)"):
        assert name in including
    projects = next(t for t in doc.tables() if t.sheet == "Prosjekter")
    assert any("Re (0716)" in row[3] for row in projects.rows)
    text = pdf_text(registry.render(doc, "pdf"), tmp_path)
    assert "Hva 12k gjorde for Tønsberg" in text and "Kommunestyrevedtak" in text


def test_totals_agree_with_the_money_page(demo, client, plain_user):
    re_ = municipality_on("Re", dt.date(2010, 1, 1))
    project = Project.objects.filter(cooperation=demo).order_by("pk").first()
    MoneyEntry.objects.create(
        project=project,
        kind="grant",
        amount_nok=Decimal("300000"),
        municipality=re_,
        year_from=2003,
        year_to=2005,
    )
    MoneyEntry.objects.create(
        project=project,
        kind="benefit",
        benefit_category="budget_saving",
        amount_nok=Decimal("90000"),
        municipality=re_,
        year_from=2004,
    )
    client.force_login(plain_user)
    page = client.get(reverse("overview:money") + "?year_from=2004&year_to=2005")
    rows = page.context["by_municipality"]
    doc = registry.build(
        "municipality", lang="en", params=QueryDict("number=3905&year_from=2004&year_to=2005")
    )
    money = next(t for t in doc.tables() if t.total)
    shown = {row[0]: row for row in money.rows}
    for row in rows:
        if (
            row.municipality is not None
            and f"{row.municipality.name} ({row.municipality.number})" in shown
        ):
            assert (
                shown[f"{row.municipality.name} ({row.municipality.number})"][1]
                == row.totals.grants
            )
    re_row = next(r for r in rows if r.municipality and r.municipality.pk == re_.pk)
    assert re_row.totals.grants == Decimal("200000.00")  # two of three years
    assert money.total[1] >= re_row.totals.grants
    assert money.total[-1] == sum(
        (
            r.totals.total
            for r in rows
            if r.municipality and f"{r.municipality.name} ({r.municipality.number})" in shown
        ),
        Decimal(0),
    )


def test_unknown_number_is_a_clear_error(demo, client, plain_user):
    client.force_login(plain_user)
    response = client.get(
        reverse("reports:download") + "?report=municipality&format=pdf&number=0001"
    )
    assert response.status_code == 400
    assert "0001" in response.content.decode()


def test_municipality_page_has_the_download_button(demo, client, plain_user):
    client.force_login(plain_user)
    html = client.get(reverse("overview:municipality", args=["3905"])).content.decode()
    assert "report=municipality&amp;format=pdf&amp;number=3905" in html


def test_the_account_reads_the_money_once_and_agrees_with_the_money_page(demo):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from projects.analytics import PortfolioFilter, money_totals_by_project

    re_ = municipality_on("Re", dt.date(2010, 1, 1))
    project = Project.objects.filter(cooperation=demo).order_by("pk").first()
    MoneyEntry.objects.create(
        project=project, kind="grant", amount_nok=Decimal("1000"), municipality=re_, year_from=2004
    )
    with CaptureQueriesContext(connection) as ctx:
        doc = registry.build(
            "municipality", lang="en", params=QueryDict("number=3905&year_from=2004&year_to=2005")
        )
    money_reads = [q for q in ctx.captured_queries if "moneyentry" in q["sql"].lower()]
    assert len(money_reads) == 1
    parts = next(t for t in doc.tables() if t.sheet == "Projects")
    names = {row[0] for row in parts.rows}
    by_project = money_totals_by_project(demo, PortfolioFilter(year_from=2004, year_to=2005))
    grants = sum((r.totals.grants for r in by_project if r.project.name in names), Decimal(0))
    facts = dict(
        pair
        for s in doc.sections
        for b in s.blocks
        if type(b).__name__ == "Facts"
        for pair in b.pairs
    )
    with translation.override("en"):
        assert facts["Grants in the projects it took part in"] == nok(grants)


def test_the_account_lists_every_project_not_a_page_of_them(demo):
    re_ = municipality_on("Re", dt.date(2004, 6, 1))
    for i in range(60):
        p = Project.objects.create(
            cooperation=demo, name=f"Ekstra {i:02d}", slug=f"ekstra-{i}", category="operations"
        )
        p.participations.create(municipality=re_)
    doc = registry.build("municipality", lang="en", params=QueryDict("number=3905"))
    parts = next(t for t in doc.tables() if t.sheet == "Projects")
    assert sum(1 for row in parts.rows if str(row[0]).startswith("Ekstra ")) == 60


def test_a_period_with_nothing_gives_a_document_saying_so(demo, tmp_path):
    out = registry.generate(
        "municipality",
        fmt="pdf",
        lang="nb",
        params=QueryDict("number=0301"),
    )
    assert out.document.empty
    assert "ingenting å vise" in " ".join(pdf_text(out.data, tmp_path).split())


def _host_roles(doc) -> list[str]:
    table = next((t for t in doc.tables() if t.sheet == "Host roles"), None)
    return [str(row[0]) for row in table.rows] if table else []


def test_an_undated_spin_off_counts_in_the_year_its_project_ended(demo):
    from projects.models import SpinOff
    from tests.projects.factories import ProjectFactory

    re_ = municipality_on("Re", dt.date(2004, 6, 1))
    ended = ProjectFactory(
        cooperation=demo, start_date=dt.date(2001, 1, 1), end_date=dt.date(2003, 6, 30)
    )
    running = ProjectFactory(
        cooperation=demo, start_date=dt.date(2006, 1, 1), end_date=None, open_ended=True
    )
    dated = ProjectFactory(cooperation=demo, start_date=dt.date(2001, 1, 1), end_date=None)
    for project, name, day in (
        (ended, "Udatert driftsenhet", None),
        (running, "Driftsenhet uten slutt", None),
        (dated, "Datert driftsenhet", dt.date(2005, 3, 1)),
    ):
        SpinOff.objects.create(
            project=project, kind="host_municipality", host_municipality=re_, name=name, date=day
        )

    def names(query: str) -> set[str]:
        doc = registry.build("municipality", lang="en", params=QueryDict(query))
        return {n.split(" (")[0] for n in _host_roles(doc) if "driftsenhet" in n.lower()}

    assert names("number=3905&year_from=2003&year_to=2003") == {"Udatert driftsenhet"}
    assert names("number=3905&year_from=2004&year_to=2004") == set()
    assert names("number=3905&year_from=2005&year_to=2005") == {"Datert driftsenhet"}
    # Neither dated nor ended: while its project runs (open-ended: from its start on).
    assert names("number=3905&year_from=2007&year_to=2008") == {"Driftsenhet uten slutt"}
    assert names("number=3905&year_from=1999&year_to=2000") == set()
    assert names("number=3905") == {
        "Udatert driftsenhet",
        "Driftsenhet uten slutt",
        "Datert driftsenhet",
    }


def test_the_account_lists_every_council_decision_in_a_fixed_number_of_queries(demo):
    """The council section reads the decisions set-based: 25 more referrals to Tønsberg
    (one with a conditional adoption that waits for it) cost no more queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from governance.models import Case, Condition, CouncilDecision, Referral

    def build():
        with CaptureQueriesContext(connection) as ctx:
            doc = registry.build("municipality", lang="nb", params=QueryDict("number=3905"))
        decisions = next(t for t in doc.tables() if t.sheet == "Kommunestyrevedtak")
        return len(ctx.captured_queries), decisions.rows

    before, rows = build()
    tonsberg = municipality_on("Tønsberg", dt.date.today())
    horten = municipality_on("Horten", dt.date.today())
    case = Case.objects.create(cooperation=demo, number="99/2020", title="Felles legevakt")
    referrals = Referral.objects.bulk_create(
        Referral(case=case, referred_on=dt.date(2020, 1, 1) + dt.timedelta(days=i))
        for i in range(25)
    )
    Out = CouncilDecision.Outcome
    CouncilDecision.objects.bulk_create(
        CouncilDecision(referral=r, municipality=tonsberg, outcome=Out.ADOPTED) for r in referrals
    )
    conditional = CouncilDecision.objects.create(
        referral=referrals[0], municipality=horten, outcome=Out.ADOPTED_WITH_CONDITIONS
    )
    Condition.objects.create(decision=conditional, kind=Condition.Kind.REQUIRES).municipalities.add(
        tonsberg
    )
    after, more = build()
    assert after == before
    assert len(more) == len(rows) + 25
    added = [row for row in more if row[0] == "99/2020 Felles legevakt"]
    assert len(added) == 25 and {row[3] for row in added} == {"Vedtatt"}
    assert [row[1] for row in added] == sorted((row[1] for row in added), reverse=True)
