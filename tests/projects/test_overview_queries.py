"""The overview pages run the same number of SQL queries at 10 and at 500 projects."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.models import MoneyEntry, Participation, Project
from tests.projects.test_overview_data import bulk_portfolio, vestfold

PAGES = [
    ("overview:municipality", {"number": "3905"}, {}),
    ("overview:municipalities", {}, {}),
    ("overview:timeline", {}, {}),
    ("overview:timeline", {}, {"category": ["operations", "planning"], "year_from": "1999"}),
    ("overview:matrix", {}, {"organisations": "on"}),
    ("overview:money", {}, {}),
    ("overview:money", {}, {"year_from": "2000", "year_to": "2004"}),
]


def _count(client, name, kwargs, params) -> int:
    url = reverse(name, kwargs=kwargs)
    client.get(url, params)  # warm caches (session, content types)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_query_counts_do_not_grow_with_projects(client, plain_user):
    client.force_login(plain_user)
    v = vestfold()
    bulk_portfolio(v, 10)
    small = {(n, str(p)): _count(client, n, k, p) for n, k, p in PAGES}

    bulk_portfolio(v, 490, start=10)
    assert Project.objects.count() == 500
    assert Participation.objects.count() == 1500
    assert MoneyEntry.objects.count() == 1000
    large = {(n, str(p)): _count(client, n, k, p) for n, k, p in PAGES}

    assert small == large
