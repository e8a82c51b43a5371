"""Every report, and the reports page, read in a number of queries that does not grow with
the number of projects."""

import datetime as dt

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.selectors import municipality_on
from projects.models import MoneyEntry, Participation, Project
from reports import registry

pytestmark = pytest.mark.django_db

QUERIES = {
    "overview": "",
    "municipality": "number=3905",
    "annual": "year=2004",
    "presentation": "on=2010-11-30",
}


def _more_projects(coop, n: int) -> None:
    re_ = municipality_on("Re", dt.date(2004, 6, 1))
    for i in range(n):
        p = Project.objects.create(
            cooperation=coop,
            name=f"Ekstra {i}",
            slug=f"ekstra-{i}",
            category="operations",
            phase="in_operation",
            start_date=dt.date(2004, 1, 1),
        )
        Participation.objects.create(project=p, municipality=re_)
        MoneyEntry.objects.create(project=p, kind="grant", amount_nok=1000, year_from=2004)


@pytest.mark.parametrize("name", list(QUERIES))
def test_report_queries_do_not_grow_with_projects(demo, name):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            registry.build(name, lang="nb", params=QueryDict(QUERIES[name]))
        return len(ctx.captured_queries)

    before = count()
    _more_projects(demo, 25)
    assert count() == before


def test_reports_page_queries_do_not_grow_with_projects(demo, client, plain_user):
    client.force_login(plain_user)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("reports:index")).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    _more_projects(demo, 25)
    assert count() == before


def test_reports_page_is_kept_whole(demo, client, plain_user):
    """A second visit is served from the kept page: only the sign-in query."""
    client.force_login(plain_user)
    assert client.get(reverse("reports:index")).status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("reports:index"))
    assert response.status_code == 200
    assert len(ctx.captured_queries) == 1
