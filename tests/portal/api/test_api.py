"""The open-data API under /api/v1/: what anonymous readers get, paging, errors, caching."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.models import Project

from .factories import build_world

pytestmark = pytest.mark.django_db

V1 = "/api/v1"


@pytest.fixture
def world():
    return build_world()


def test_project_list_shows_public_projects_with_filters(client, world):
    data = client.get(f"{V1}/projects").json()
    assert [p["name"] for p in data["items"]] == ["Felles legevakt"]
    assert data["count"] == 1 and data["next"] is None and data["previous"] is None
    slug = world.cooperation.slug
    assert client.get(f"{V1}/projects?cooperation={slug}&phase=in_operation").json()["count"] == 1
    assert client.get(f"{V1}/projects?phase=idea").json()["count"] == 0
    assert client.get(f"{V1}/projects?municipality=0701").json()["count"] == 1  # Horten takes part
    assert client.get(f"{V1}/projects?municipality=0714").json()["count"] == 0
    assert client.get(f"{V1}/projects?year_from=2000&year_to=2001").json()["count"] == 1
    assert client.get(f"{V1}/projects?year_from=1990&year_to=1995").json()["count"] == 0
    assert client.get(f"{V1}/projects?q=legevakt").json()["count"] == 1


def test_project_detail_and_private_project_is_404(client, world):
    data = client.get(f"{V1}/projects/{world.public_project.pk}").json()
    assert data["host_municipality"]["number"] == "0704"
    assert {p["municipality"]["name"] for p in data["participations"] if p["municipality"]} == {
        "Horten"
    }
    assert data["money"][0]["amount_nok"] == 250000.0
    assert data["deliverables"][0]["title"] == "Sluttrapport"
    assert data["spin_offs"][0]["host_municipality"]["name"] == "Tønsberg"
    assert data["board_cases"] == [
        {"id": world.public_case.pk, "number": "12/2003", "title": "Felles legevakt"}
    ]
    hidden = client.get(f"{V1}/projects/{world.private_project.pk}")
    assert hidden.status_code == 404 and hidden.json() == {"detail": "Not Found"}
    assert client.get(f"{V1}/projects/999999").status_code == 404


def test_bad_filters_are_422_naming_the_field(client, world):
    for query, name in [
        ("phase=flying", "phase"),
        ("ordering=secret", "ordering"),
        ("year_from=abc", "year_from"),
        ("cooperation=nope", "cooperation"),
        ("municipality=0001", "municipality"),
        ("page=0", "page"),
        ("year_from=2005&year_to=2001", "year_to"),
    ]:
        response = client.get(f"{V1}/projects?{query}")
        assert response.status_code == 422, query
        assert name in str(response.json()["detail"]), query


def test_page_size_is_capped_and_pages_link(client, world):
    Project.objects.bulk_create(
        Project(cooperation=world.cooperation, name=f"P{i:03d}", slug=f"p{i}", category="other")
        for i in range(230)
    )
    data = client.get(f"{V1}/projects?page_size=500").json()
    assert len(data["items"]) == 200 and data["count"] == 231
    assert "page=2" in data["next"]
    second = client.get(data["next"]).json()
    assert len(second["items"]) == 31 and second["next"] is None and "page=1" in second["previous"]
    assert len(client.get(f"{V1}/projects").json()["items"]) == 50


def test_etag_and_last_modified_give_304_until_an_edit(client, world):
    first = client.get(f"{V1}/projects")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert client.get(f"{V1}/projects", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(f"{V1}/projects", HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    assert client.get(f"{V1}/projects?page=1", HTTP_IF_NONE_MATCH=etag).status_code == 200
    project = world.public_project
    from projects.services import project_update

    project_update(actor=None, project=project, expected_version=1, changes={"name": "Ny legevakt"})
    again = client.get(f"{V1}/projects", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200 and again.json()["items"][0]["name"] == "Ny legevakt"


def test_query_count_does_not_grow_with_rows(client, world):
    def count(url):
        from django.core.cache import cache

        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    urls = [
        f"{V1}/projects",
        f"{V1}/projects?ordering=-phase&municipality=0704",
        f"{V1}/projects/{world.public_project.pk}",
        f"{V1}/cases",
        f"{V1}/referrals",
        f"{V1}/council-decisions",
        f"{V1}/cooperations/{world.cooperation.slug}/memberships",
        f"{V1}/cooperations/{world.cooperation.slug}/posts",
        f"{V1}/organisations",
        f"{V1}/municipalities?on=2003-01-01",
        f"{V1}/cooperations",
    ]
    before = {url: count(url) for url in urls}
    from governance.models import CouncilDecision, Referral
    from tests.governance.factories import CaseFactory

    Project.objects.bulk_create(
        Project(cooperation=world.cooperation, name=f"P{i:03d}", slug=f"p{i}", category="other")
        for i in range(30)
    )
    for i in range(5):
        case = CaseFactory(cooperation=world.cooperation, number=f"Q{i}/2004")
        case.projects.add(world.public_project)
        referral = Referral.objects.create(case=case, referred_on=dt.date(2003, 1, 1))
        for m in list(world.members.values())[:4]:
            CouncilDecision.objects.create(referral=referral, municipality=m)
    after = {url: count(url) for url in urls}
    assert after == before


def test_municipality_by_number_and_date_with_history(client, world):
    data = client.get(f"{V1}/municipalities/0722?on=2010-01-01").json()
    assert data["name"] == "Nøtterøy" and data["valid_on_date"]
    assert [m["name"] for m in data["successors"]] == ["Færder"]
    today = client.get(f"{V1}/municipalities/3911").json()
    assert {m["name"] for m in today["predecessors"]} >= {"Nøtterøy", "Tjøme"}
    assert client.get(f"{V1}/municipalities/0000").status_code == 404
    assert client.get(f"{V1}/municipalities/0722?on=notaday").status_code == 422


def test_popolo_memberships_and_posts_without_contact_details(client, world):
    slug = world.cooperation.slug
    members = client.get(f"{V1}/cooperations/{slug}/memberships").json()
    assert members["count"] == 9
    first = members["items"][0]
    assert first["organization_id"] == slug and first["start_date"] == "1997-01-01"
    assert first["member"]["type"] == "organization"
    posts = client.get(f"{V1}/cooperations/{slug}/posts").json()["items"]
    assert posts[0]["memberships"][0]["person"] == {"name": "Ordfører Olsen"}
    assert posts[0]["on_behalf_of"]["name"] == "Tønsberg"
    assert client.get(f"{V1}/cooperations/nope/posts").status_code == 404
    assert client.get(f"{V1}/cooperations/{slug}").json()["id"] == slug


def test_cases_referrals_and_council_decisions_with_resolution(client, world):
    cases = client.get(f"{V1}/cases").json()
    assert [c["number"] for c in cases["items"]] == ["12/2003"]
    assert cases["items"][0]["projects"] == [
        {"id": world.public_project.pk, "name": "Felles legevakt"}
    ]
    case = client.get(f"{V1}/cases/{world.public_case.pk}").json()
    assert [d["title"] for d in case["documents"]] == ["Utredning"]
    assert case["referrals"][0]["counts"]["waiting"] == 3
    assert client.get(f"{V1}/cases/{world.private_case.pk}").status_code == 404
    referrals = client.get(f"{V1}/referrals").json()
    assert [r["id"] for r in referrals["items"]] == [world.referral.pk]
    decisions = client.get(f"{V1}/council-decisions?municipality=0704").json()["items"]
    assert [d["case"]["number"] for d in decisions] == ["12/2003"]
    assert decisions[0]["resolution"]["state"] == "waiting"
    assert client.get(f"{V1}/council-decisions/999999").status_code == 404
