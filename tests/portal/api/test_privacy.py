"""Privacy of the open-data surfaces: phone numbers, e-mail addresses, people who are not
office holders and anything not marked public never appear in the anonymous API, the feeds
or the bulk download. The world seeds each with a unique marker; every response is searched."""

import io
import re
import zipfile

import pytest

from governance.models import CouncilDecision, Referral
from members.models import Organisation
from networks.models import Document, Network
from samarbeid.api import api

from .factories import MARKERS, build_world

pytestmark = pytest.mark.django_db


def _api_urls(world) -> list[str]:
    values = {
        "slug": [world.cooperation.slug],
        "number": ["0704", "0701"],
        "project_id": [world.public_project.pk, world.private_project.pk],
        "case_id": [world.public_case.pk, world.private_case.pk],
        "referral_id": list(Referral.objects.values_list("pk", flat=True)),
        "decision_id": list(CouncilDecision.objects.values_list("pk", flat=True)),
        "organisation_id": list(Organisation.objects.values_list("pk", flat=True)),
        "network_id": list(Network.objects.values_list("pk", flat=True)),
        "document_id": list(Document.objects.values_list("pk", flat=True)),
    }
    urls = []
    for path, operations in api.get_openapi_schema()["paths"].items():
        if not path.startswith("/api/v1/") or "get" not in operations:
            continue
        names = re.findall(r"{(\w+)}", path)
        if not names:
            urls.append(f"{path}?page_size=200")
            continue
        for value in values[names[0]]:
            urls.append(path.replace(f"{{{names[0]}}}", str(value)))
    return urls


def _assert_clean(where: str, body: bytes) -> None:
    text = body.decode("utf-8", errors="replace")
    for marker in MARKERS:
        assert marker not in text, f"{marker!r} leaks in {where}"


def test_no_private_value_in_any_api_answer(client, world_with_decisions):
    world = world_with_decisions
    urls = _api_urls(world)
    assert len(urls) > 20
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        _assert_clean(url, response.content)
    # …and the private things are really there to leak: the detail pages 404.
    assert client.get(f"/api/v1/projects/{world.private_project.pk}").status_code == 404
    assert client.get(f"/api/v1/cases/{world.private_case.pk}").status_code == 404
    hidden = Document.objects.exclude(visibility="public").values_list("pk", flat=True)
    assert len(hidden) == 2
    for pk in hidden:
        assert client.get(f"/api/v1/network-documents/{pk}").status_code == 404


def test_no_private_value_in_any_feed(client, world_with_decisions):
    world = world_with_decisions
    for scope, key in (("cooperation", world.cooperation.slug), ("municipality", "0704")):
        for kind in ("board-decisions", "council-decisions", "project-changes"):
            url = f"/feeds/{scope}/{key}/{kind}.atom"
            response = client.get(url)
            assert response.status_code == 200, url
            _assert_clean(url, response.content)


def test_no_private_value_in_the_bulk_download(client, world_with_decisions):
    response = client.get("/data/samarbeid.zip")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert "projects.csv" in archive.namelist()
    for name in archive.namelist():
        _assert_clean(name, archive.read(name))
    assert b"Ordf\xc3\xb8rer Olsen" in archive.read("board_posts.csv")  # office holders only
    assert b"Koordinator Kristiansen" in archive.read("networks.csv")
    assert b"Veileder for skytjenester" in archive.read("network_documents.csv")


@pytest.fixture
def world_with_decisions():
    from governance.services import council_decision_record

    world = build_world()
    council_decision_record(actor=None, decision=world.decision, outcome="adopted")
    return world
