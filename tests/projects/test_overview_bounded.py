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
