"""Overview data and charts are computed once per data version, and an edit through the
services shows on the next request to every page that shows it."""

import pytest
from django.conf import settings
from django.urls import reverse

from projects import analytics, services
from projects.models import MoneyEntry, Project
from tests.projects.test_overview_data import money, project, take_part, vestfold


def _results(response) -> str:
    html = response.content.decode()
    return html[html.index('<section id="results"') : html.index("</section>")]


PAGES = [
    reverse("overview:timeline"),
    reverse("overview:matrix"),
    reverse("overview:money"),
    reverse("overview:municipality", kwargs={"number": "3905"}),
]


@pytest.fixture
def v(db, client, plain_user):
    client.force_login(plain_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    v = vestfold()
    geodata = project(v.cooperation, "Geodata", 1999, 2004, host_municipality=v.tonsberg_0704)
    take_part(geodata, v.vale, v.horten)
    money(geodata, "grant", 300_000, 1999, 2001)
    return v


def test_money_and_charts_are_computed_once_per_data_version(client, v, monkeypatch):
    calls = []
    real = analytics.money_totals_by_year
    monkeypatch.setattr(
        analytics, "money_totals_by_year", lambda *a, **k: calls.append(1) or real(*a, **k)
    )
    url = reverse("overview:money")
    first = _results(client.get(url))
    assert _results(client.get(url)) == first
    assert len(calls) == 1
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # another language: its own entry
    assert "Grants and costs per year" in client.get(url).content.decode()
    assert len(calls) == 2


def test_an_edit_shows_on_the_next_request_to_every_page(client, v):
    for url in PAGES:
        assert "Geodata" in client.get(url).content.decode(), url
    geodata = Project.objects.get(name="Geodata")
    services.project_update(
        actor=None,
        project=geodata,
        expected_version=geodata.version,
        changes={"name": "Felles kartdata"},
    )
    for url in PAGES:
        html = client.get(url).content.decode()
        assert "Felles kartdata" in html and "Geodata" not in html, url


def test_a_new_money_entry_shows_on_the_money_page(client, v):
    url = reverse("overview:money")
    assert "1 beløpspost" in client.get(url).content.decode()
    services.money_entry_add(
        actor=None,
        project=Project.objects.get(name="Geodata"),
        kind=MoneyEntry.Kind.GRANT,
        amount_nok=90_000,
        year_from=2002,
    )
    assert "2 beløpsposter" in client.get(url).content.decode()


def test_a_new_money_entry_shows_on_the_municipality_page_and_its_chart(client, v):
    """The municipality page's overview (per page of projects) and its chart (shared by
    the pages) are cached; an amount attributed to Re shows on the next request to both."""
    url = reverse("overview:municipality", kwargs={"number": "3905"})
    html = client.get(url).content.decode()
    assert "Et formål som vises" not in html
    chart_before = html[html.index("<svg") : html.index("</svg>")]
    services.money_entry_add(
        actor=None,
        project=Project.objects.get(name="Geodata"),
        kind=MoneyEntry.Kind.GRANT,
        amount_nok=250_000,
        year_from=2003,
        municipality=v.re,
        purpose="Et formål som vises",
    )
    for page_url in (url, url + "?page=1"):
        html = client.get(page_url).content.decode()
        assert "Et formål som vises" in html
        assert "2003" in html[html.index('class="chart-data"') :]
        assert html[html.index("<svg") : html.index("</svg>")] != chart_before
