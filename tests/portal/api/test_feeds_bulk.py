"""Atom feeds and the bulk download: public items only, and an edit shows at once."""

import io
import json
import xml.etree.ElementTree as ET
import zipfile

import pytest

from governance.services import council_decision_record
from projects.services import project_update

from .factories import build_world

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def world():
    return build_world()


def _titles(client, url):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    return [e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")]


def test_board_and_council_decision_feeds_per_cooperation_and_municipality(client, world):
    slug = world.cooperation.slug
    assert _titles(client, f"/feeds/cooperation/{slug}/board-decisions.atom") == [
        "12/2003 Felles legevakt: adopted"
    ]
    assert _titles(client, f"/feeds/cooperation/{slug}/council-decisions.atom") == []
    council_decision_record(
        actor=None, decision=world.decision, outcome="adopted", decision_text="Ja."
    )
    titles = _titles(client, "/feeds/municipality/0704/council-decisions.atom")
    assert titles == ["Tønsberg: adopted – 12/2003 Felles legevakt"]
    assert _titles(client, "/feeds/municipality/0701/council-decisions.atom") == []
    assert _titles(client, "/feeds/municipality/0704/board-decisions.atom") == [
        "12/2003 Felles legevakt: adopted"
    ]


def test_project_feed_shows_a_phase_change_on_the_next_request(client, world):
    url = f"/feeds/cooperation/{world.cooperation.slug}/project-changes.atom"
    before = client.get(url)
    assert b"skjult" not in before.content
    project = world.public_project
    project_update(actor=None, project=project, expected_version=1, changes={"phase": "closed"})
    titles = _titles(client, url)
    assert titles[0] == "Felles legevakt: phase closed"
    assert client.get(url, HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 200
    assert _titles(client, "/feeds/municipality/0701/project-changes.atom")[0] == titles[0]


def test_unknown_feeds_are_404(client, world):
    assert client.get("/feeds/cooperation/nope/board-decisions.atom").status_code == 404
    assert client.get("/feeds/municipality/0001/board-decisions.atom").status_code == 404
    assert client.get(f"/feeds/cooperation/{world.cooperation.slug}/x.atom").status_code == 404


def _zip(client):
    response = client.get("/data/samarbeid.zip")
    assert response.status_code == 200
    return response, zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_bulk_zip_is_a_valid_frictionless_package(client, world, tmp_path):
    from frictionless import Package, validate

    _response, archive = _zip(client)
    archive.extractall(tmp_path)
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "note"])
    package = Package(str(tmp_path / "datapackage.json"))
    for resource in package.resources:
        for f in resource.schema.fields:
            assert f.description, (resource.name, f.name)
    projects = json.loads(archive.read("samarbeid.json"))["projects"]
    assert [p["name"] for p in projects] == ["Felles legevakt"]


def test_bulk_zip_follows_the_data_and_keeps_its_url(client, world):
    first, archive = _zip(client)
    assert b"Felles legevakt" in archive.read("projects.csv")
    assert client.get("/data/samarbeid.zip", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    project_update(
        actor=None, project=world.public_project, expected_version=1, changes={"name": "Legevakt 2"}
    )
    second, archive = _zip(client)
    assert second["ETag"] != first["ETag"]
    assert b"Legevakt 2" in archive.read("projects.csv")
    assert json.loads(client.get("/data/datapackage.json").content)["name"] == "samarbeid"


def test_feed_query_count_does_not_grow_with_rows(client, world):
    import datetime as dt

    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from governance.models import CouncilDecision, Referral
    from projects.models import Project
    from tests.governance.factories import CaseFactory

    slug = world.cooperation.slug
    urls = [
        f"/feeds/cooperation/{slug}/{kind}.atom"
        for kind in ("board-decisions", "council-decisions", "project-changes")
    ] + ["/feeds/municipality/0704/council-decisions.atom"]

    def count(url):
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = {url: count(url) for url in urls}
    for i in range(8):
        Project.objects.create(
            cooperation=world.cooperation, name=f"N{i}", slug=f"n{i}", category="other"
        )
        case = CaseFactory(cooperation=world.cooperation, number=f"Q{i}/2004")
        referral = Referral.objects.create(case=case, referred_on=dt.date(2003, 1, 1))
        CouncilDecision.objects.create(
            referral=referral, municipality=world.members["Tønsberg"], outcome="adopted"
        )
    assert {url: count(url) for url in urls} == before


def test_feed_entries_link_to_portal_pages_that_answer_anonymously(client, world):
    from urllib.parse import urlparse

    council_decision_record(
        actor=None, decision=world.decision, outcome="adopted", decision_text="Ja."
    )
    project_update(
        actor=None, project=world.public_project, expected_version=1, changes={"phase": "closed"}
    )
    checked = 0
    for scope, key in (("cooperation", world.cooperation.slug), ("municipality", "0704")):
        for kind in ("board-decisions", "council-decisions", "project-changes"):
            response = client.get(f"/feeds/{scope}/{key}/{kind}.atom")
            root = ET.fromstring(response.content)
            links = [
                e.get("href")
                for e in root.iter(f"{ATOM}link")
                if e.get("rel") in (None, "alternate")
            ]
            assert links, (scope, kind)
            for link in links:
                path = urlparse(link).path
                assert path.startswith("/portal/"), link
                assert client.get(path).status_code == 200, link
                checked += 1
    assert checked >= 9  # each feed's own link and its entries


def test_bulk_zip_holds_the_networks_and_only_public_documents(client, world):
    _response, archive = _zip(client)
    data = json.loads(archive.read("samarbeid.json"))
    assert [n["name"] for n in data["networks"]] == ["IKT-ledere"]
    assert [d["title"] for d in data["network_documents"]] == ["Veileder for skytjenester"]
    assert len(data["network_document_versions"]) == 1
    assert len(data["network_memberships"]) == 2
    package = json.loads(archive.read("datapackage.json"))
    names = {r["name"] for r in package["resources"]}
    assert {"networks", "network_memberships", "network_documents"} <= names
