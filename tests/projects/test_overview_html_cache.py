"""The timeline, matrix and money pages keep their results section as rendered HTML per
data version, language, day and query string: a hit reads no rows and runs the same
queries at any number of projects, the response stays the same size as the projects grow,
an edit through the services shows on the next request to every page (and every page of
projects, full page or htmx), and nothing of the user or the session is kept in the HTML."""

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects import analytics, services
from projects.models import Project
from tests.projects.test_overview_data import bulk_portfolio, vestfold

PAGES = [
    reverse("overview:timeline"),
    reverse("overview:matrix"),
    reverse("overview:money"),
]
HTMX = {"HX-Request": "true"}


def _results(html: str) -> str:
    return html[html.index('<section id="results"') : html.index("</section>")]


@pytest.fixture
def v(db, client, plain_user):
    client.force_login(plain_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    v = vestfold()
    bulk_portfolio(v, 60)
    return v


def _hit_queries(client, url: str) -> list[str]:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


def test_a_hit_reads_no_rows_and_its_queries_do_not_grow_with_projects(client, v, monkeypatch):
    calls = []
    for name in ("ordered_projects", "money_totals_by_year"):
        real = getattr(analytics, name)
        monkeypatch.setattr(
            analytics, name, lambda *a, _real=real, **k: calls.append(1) or _real(*a, **k)
        )
    small = {url: _hit_queries(client, url) for url in PAGES}
    assert len(calls) == 3  # one computation per page, none on the hit

    bulk_portfolio(v, 240, start=60)
    large = {url: _hit_queries(client, url) for url in PAGES}
    assert len(calls) == 6
    assert {u: len(q) for u, q in small.items()} == {u: len(q) for u, q in large.items()}
    for queries in large.values():
        # Session, user and the data version: no project, participation or money rows.
        assert len(queries) <= 4, queries
        assert not any('"projects_project"."name"' in sql for sql in queries), queries


def test_the_response_does_not_grow_with_projects(client, v):
    small = {url: len(client.get(url).content) for url in PAGES}
    bulk_portfolio(v, 540, start=60)
    assert Project.objects.count() == 10 * 60
    for url in PAGES:
        size = len(client.get(url).content)
        assert size < 1.1 * small[url], (url, small[url], size)
        assert size < 200_000, (url, size)


def _both_pages(client, url: str, **kwargs) -> str:
    return "".join(client.get(url, {"page": n}, **kwargs).content.decode() for n in (1, 2))


def test_an_edit_shows_on_the_next_request_to_every_page_full_or_htmx(client, v):
    # Fill the cache: both pages of projects, full and htmx, and the money page.
    for url in PAGES:
        for kwargs in ({}, {"headers": HTMX}):
            assert "Bulk project 0059" in _both_pages(client, url, **kwargs), url
    top = Project.objects.get(name="Bulk project 0059")  # the largest grant
    services.project_update(
        actor=None, project=top, expected_version=top.version, changes={"name": "Omdøpt"}
    )
    for url in PAGES:
        for kwargs in ({}, {"headers": HTMX}):
            html = _both_pages(client, url, **kwargs)
            assert "Omdøpt" in html and "Bulk project 0059" not in html, (url, kwargs)


def test_a_new_participant_shows_on_the_next_request_to_the_matrix(client, v):
    url = reverse("overview:matrix")
    column = re.compile(r'<th scope="col" class="colhead[^"]*" title="Ramnes')
    assert not column.search(_both_pages(client, url))  # a member without a role
    services.participation_add(
        actor=None, project=Project.objects.get(name="Bulk project 0007"), municipality=v.ramnes
    )
    html = _both_pages(client, url)
    row = re.search(r"Bulk project 0007.*?</tr>", html, flags=re.S)
    assert column.search(html) and row and "mark-check" in row.group(0)


def test_the_kept_html_holds_nothing_of_the_user(client, v, secretariat_user):
    plain = {url: client.get(url).content.decode() for url in PAGES}
    client.force_login(secretariat_user)
    for url in PAGES:
        html = client.get(url).content.decode()
        assert _results(html) == _results(plain[url])  # the same kept section
        assert "sekretariat-test" in html and "vanlig-test" not in html
        assert "vanlig-test" in plain[url]
        assert "csrfmiddlewaretoken" not in _results(html)


def test_htmx_and_full_page_share_the_section_but_not_the_tabs(client, v):
    url = reverse("overview:timeline")
    partial = client.get(url, {"year_from": "2001"}, headers=HTMX).content.decode()
    assert "<html" not in partial and 'hx-swap-oob="true"' in partial
    full = client.get(url, {"year_from": "2001"}).content.decode()
    assert "<html" in full and 'hx-swap-oob="true"' not in full
    assert _results(full) == _results(partial)
    assert "/overview/matrix/?year_from=2001" in partial  # the tabs keep the filter


def test_each_language_has_its_own_kept_section(client, v):
    url = reverse("overview:timeline")
    assert "Prosjekter etter periode" in client.get(url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(url).content.decode()
    assert "Projects by period" in html and "Prosjekter etter periode" not in html
