"""Query counts of the public pages do not grow with rows; an edit shows on the next request
to every public page that shows it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance import services as gov
from projects.models import Participation, Project
from tests.governance.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx)


def _grow(world, n: int) -> None:
    for i in range(n):
        p = ProjectFactory(
            cooperation=world.cooperation,
            name=f"Ekstra {i}",
            slug=f"ekstra-{i}",
            phase=Project.Phase.STUDY,
            start_date=dt.date(2004, 1, 1),
            host_municipality=world.tonsberg,
        )
        Participation.objects.create(project=p, municipality=world.re)
        Participation.objects.create(project=p, municipality=world.tonsberg)
        p.tags.create(name=f"tagg {i}", slug=f"tagg-{i}")
        case = gov.case_create(
            actor=None, cooperation=world.cooperation, number=f"{i + 50}/2004", title=f"Sak {i}"
        )
        case.projects.add(world.public)
        gov.referral_create(
            actor=None,
            case=case,
            referred_on=dt.date(2002, 6, 1),  # older than the world's: it stays on page 1
            municipalities=[world.re, world.tonsberg],
        )


def test_query_counts_do_not_grow_with_rows(client, world, today_municipality):
    urls = [
        reverse("portal:home"),
        reverse("portal:projects"),
        reverse("portal:projects") + "?per_page=50&q=prosjekt",
        reverse("portal:project", args=[world.public.slug]),
        reverse("portal:municipalities"),
        reverse("portal:municipality", args=[today_municipality.number]),
        reverse("portal:cases"),
        reverse("portal:case", args=[world.case.pk]),
        reverse("portal:embed", args=[today_municipality.number]),
        reverse("portal:embed_json", args=[world.re.number]),
    ]
    before = {url: _count(client, url) for url in urls}
    _grow(world, 12)
    after = {url: _count(client, url) for url in urls}
    assert after == before


def test_an_edit_shows_on_the_next_request_to_every_public_page(client, world, today_municipality):
    pages = [
        reverse("portal:projects"),
        reverse("portal:project", args=[world.public.slug]),
        reverse("portal:municipality", args=[today_municipality.number]),
        reverse("portal:case", args=[world.case.pk]),
        reverse("portal:embed", args=[today_municipality.number]),
        reverse("portal:embed_json", args=[today_municipality.number]),
    ]
    for url in pages:  # warm whatever cache there is
        assert "Felles innkjøp" in client.get(url).content.decode(), url
    from projects import services as project_services

    project_services.project_update(
        actor=None,
        project=Project.objects.get(pk=world.public.pk),
        expected_version=Project.objects.get(pk=world.public.pk).version,
        changes={"name": "Felles anskaffelser"},
    )
    for url in pages:
        body = client.get(url).content.decode()
        assert "Felles anskaffelser" in body, url
    # Taking a project off the portal removes it at once, and its page is 404.
    project = Project.objects.get(pk=world.public.pk)
    project_services.project_update(
        actor=None, project=project, expected_version=project.version, changes={"is_public": False}
    )
    for url in pages[:1] + pages[2:]:
        assert "Felles anskaffelser" not in client.get(url).content.decode(), url
    assert client.get(pages[1]).status_code == 404
    # A case taken off the portal disappears from the list and its page.
    gov.case_update(
        actor=None,
        case=world.case,
        number=world.case.number,
        title=world.case.title,
        is_public=False,
    )
    assert world.case.title not in client.get(reverse("portal:cases")).content.decode()
    assert client.get(reverse("portal:case", args=[world.case.pk])).status_code == 404
