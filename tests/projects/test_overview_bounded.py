"""The overview pages send a bounded page, never every project: at most 50 rows per page
on the timeline and the matrix, the 50 largest projects on the money page, with Norwegian
page navigation that keeps the filter."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from projects import views_overview
from tests.projects.test_overview_data import bulk_portfolio, vestfold

SIZE = views_overview.PAGE_SIZE


@pytest.fixture
def many(db, client, plain_user):
    client.force_login(plain_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    v = vestfold()
    bulk_portfolio(v, 2 * SIZE + 10)
    return v


def _rows(html: str) -> int:
    return len(set(re.findall(r"Bulk project \d{4}", html)))


@pytest.mark.parametrize("name", ["overview:timeline", "overview:matrix"])
def test_each_page_holds_at_most_the_page_size_and_navigation_keeps_the_filter(client, many, name):
    url = reverse(name)
    html = client.get(url).content.decode()
    assert _rows(html) == SIZE
    assert "Side 1 av 3" in html and "Neste" in html
    assert f"viser 1–{SIZE} av {2 * SIZE + 10}, {SIZE} per side" in html

    html = client.get(
        url,
        {
            "category": [
                "operations",
                "planning",
                "project",
                "network",
                "competence",
                "service",
                "other",
            ],
            "page": "3",
        },
    )
    html = html.content.decode()
    assert _rows(html) <= SIZE
    assert "Side 3 av 3" in html and "Forrige" in html
    # the filter survives in the page links
    assert re.search(r'href="\?category=[^"]*page=2"', html)

    # every project is reachable across the pages, none twice
    seen: set[str] = set()
    for page in (1, 2, 3):
        seen |= set(
            re.findall(r"Bulk project \d{4}", client.get(url, {"page": page}).content.decode())
        )
    assert len(seen) == 2 * SIZE + 10


def test_a_bad_page_number_is_the_nearest_page_not_a_500(client, many):
    for value in ("abc", "999", "-1"):
        response = client.get(reverse("overview:matrix"), {"page": value})
        assert response.status_code == 200
        assert _rows(response.content.decode()) <= SIZE


def test_money_lists_the_largest_projects_and_totals_them_all(client, many):
    html = client.get(reverse("overview:money")).content.decode()
    assert _rows(html) == views_overview.MONEY_PROJECT_LIMIT
    assert f"Viser de {views_overview.MONEY_PROJECT_LIMIT} største av {2 * SIZE + 10}" in html


def test_municipality_page_pages_its_projects_and_windows_its_lists(client, many):
    """Tønsberg 3905 took part (as Tønsberg 0704) in every one of the 110 projects: the page
    lists 50 a page and the first 50 attributed amounts, and counts and sums them all."""
    from projects.analytics.municipality import MUNICIPALITY_PAGE_SIZE

    total = 2 * SIZE + 10
    url = reverse("overview:municipality", kwargs={"number": "3905"})
    html = client.get(url).content.decode()
    section = html[html.index('id="participations"') : html.index('id="host-roles"')]
    assert _rows(section) == MUNICIPALITY_PAGE_SIZE
    assert f"viser 1–{MUNICIPALITY_PAGE_SIZE} av {total}" in section
    assert "Side 1 av 3" in section and "Neste" in section
    assert f'<span class="stat-n">{total}</span>' in html

    seen: set[str] = set()
    for page in (1, 2, 3):
        html = client.get(url, {"page": page}).content.decode()
        section = html[html.index('id="participations"') : html.index('id="host-roles"')]
        seen |= set(re.findall(r"Bulk project \d{4}", section))
    assert len(seen) == total
    assert "Forrige" in section


def test_municipality_page_says_when_a_list_is_cut(client, many):
    # Every project's benefit is attributed to Våle or Re, both predecessors of Tønsberg.
    html = client.get(reverse("overview:municipality", kwargs={"number": "3905"})).content
    html = html.decode()
    money_part = html[html.index('id="money"') :]
    assert "Viser de første 50 av 110; summene tar med alle." in money_part
