"""The overview pages run the same number of SQL queries at 10 and at 500 projects."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import Organisation
from projects.models import MoneyEntry, Participation, Project, SpinOff
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


def _spin_offs_and_organisations(v, projects, organisations) -> None:
    """Per project: an organisation as partner and a spin-off hosted by Tønsberg, and a
    project hosted and owned by it (rows the municipality page and the matrix show)."""
    Participation.objects.bulk_create(
        [
            Participation(
                project=p, organisation=organisations[i % len(organisations)], role="partner"
            )
            for i, p in enumerate(projects)
        ]
    )
    SpinOff.objects.bulk_create(
        [
            SpinOff(
                project=p,
                kind=SpinOff.Kind.NETWORK,
                name=f"Nettverk {p.pk}",
                organisation=organisations[i % len(organisations)],
                host_municipality=v.tonsberg if i % 2 else v.tonsberg_0704,
            )
            for i, p in enumerate(projects)
        ]
    )
    for p in projects:
        p.owner_municipality = v.tonsberg_0704
    Project.objects.bulk_update(projects, ["owner_municipality"])


@pytest.mark.django_db
def test_query_counts_do_not_grow_with_spin_offs_and_organisations(client, plain_user):
    """The municipality page, the matrix with organisations and the money page run the same
    number of queries with N and 3N spin-offs, partner organisations and owned projects."""
    client.force_login(plain_user)
    v = vestfold()
    organisations = [
        Organisation.objects.create(name=f"Selskap {i}", kind=Organisation.Kind.COMPANY)
        for i in range(30)
    ]
    bulk_portfolio(v, 10)
    _spin_offs_and_organisations(v, list(Project.objects.all()), organisations[:10])
    small = {(n, str(p)): _count(client, n, k, p) for n, k, p in PAGES}

    bulk_portfolio(v, 20, start=10)
    _spin_offs_and_organisations(
        v, list(Project.objects.filter(spin_offs__isnull=True)), organisations
    )
    assert SpinOff.objects.count() == 30
    assert Participation.objects.filter(organisation__isnull=False).count() == 30
    large = {(n, str(p)): _count(client, n, k, p) for n, k, p in PAGES}

    assert small == large


@pytest.mark.django_db
def test_query_counts_on_a_cache_miss_do_not_grow_with_projects(client, plain_user):
    """The same, with the overview cache empty before each request (the first visitor
    after an edit): the work behind the cache is bounded too."""
    from django.core.cache import cache

    def count(name, kwargs, params) -> int:
        url = reverse(name, kwargs=kwargs)
        client.get(url, params)
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, params)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    client.force_login(plain_user)
    v = vestfold()
    bulk_portfolio(v, 10)
    small = {(n, str(p)): count(n, k, p) for n, k, p in PAGES}
    bulk_portfolio(v, 490, start=10)
    large = {(n, str(p)): count(n, k, p) for n, k, p in PAGES}
    assert small == large


@pytest.mark.django_db
def test_municipality_page_builds_the_succession_graph_once(client, plain_user):
    """Predecessors, successors, the council section and the permission checks all ask
    for the merger graph; one request builds it once (4 queries, not 4 per question)."""
    from django.core.cache import cache

    client.force_login(plain_user)
    vestfold()
    url = reverse("overview:municipality", kwargs={"number": "3905"})
    client.get(url)
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    graph_reads = [
        q["sql"]
        for q in ctx.captured_queries
        if 'FROM "members_municipalityevent_predecessors"' in q["sql"]
    ]
    assert len(graph_reads) == 1
