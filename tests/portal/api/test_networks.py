"""The API's networks and their public documents (issue 18, point 3): only documents marked
public, members over time, the coordinator by name only; filters, 404/422, capped pages,
304, and query counts that do not grow with rows."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from networks.models import Document, NetworkMembership
from tests.factories import PersonFactory
from tests.networks.factories import NetworkFactory, make_document

from .factories import NETWORK_MARKERS, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build_world()


def test_network_list_shows_members_over_time_and_the_coordinator_by_name(client, world):
    body = client.get("/api/v1/networks").json()
    assert body["count"] == 1
    network = body["items"][0]
    assert network["name"] == "IKT-ledere"
    assert network["coordinator"] == {"name": "Koordinator Kristiansen"}
    assert network["public_document_count"] == 1
    periods = {(m["municipality"]["name"], m["end_date"]) for m in network["memberships"]}
    assert periods == {("Stokke", "2016-12-31"), ("Tønsberg", None)}
    text = client.get("/api/v1/networks").content.decode()
    assert not [m for m in NETWORK_MARKERS if m in text]


def test_network_filters_and_bad_input(client, world):
    assert client.get("/api/v1/networks?municipality=0720").json()["count"] == 1  # Stokke
    assert client.get("/api/v1/networks?municipality=0701").json()["count"] == 0
    assert client.get("/api/v1/networks?status=ended").json()["count"] == 0
    assert client.get("/api/v1/networks?q=ikt").json()["count"] == 1
    for query, name in (
        ("status=nope", "status"),
        ("municipality=0001", "municipality"),
        ("ordering=size", "ordering"),
        ("cooperation=nope", "cooperation"),
    ):
        response = client.get(f"/api/v1/networks?{query}")
        assert response.status_code == 422, query
        assert response.json()["detail"][0]["loc"] == ["query", name]
    response = client.get("/api/v1/network-documents?network=nope")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "network"]
    assert client.get("/api/v1/networks/999999").status_code == 404
    assert client.get("/api/v1/networks/999999").json() == {"detail": "Not Found"}


def test_only_public_documents_are_listed_and_downloadable(client, world):
    detail = client.get(f"/api/v1/networks/{world.network.pk}").json()
    assert [d["title"] for d in detail["documents"]] == ["Veileder for skytjenester"]
    listed = client.get("/api/v1/network-documents?network=" + world.network.slug).json()
    assert [d["title"] for d in listed["items"]] == ["Veileder for skytjenester"]
    version = listed["items"][0]["versions"][0]
    assert version["number"] == 1 and version["change_note"] == "Første utgave"
    download = client.get(version["url"])
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    for hidden in Document.objects.exclude(visibility="public"):
        assert client.get(f"/api/v1/network-documents/{hidden.pk}").status_code == 404
        url = f"/portal/network-files/{hidden.versions.get().pk}/"
        assert client.get(url).status_code == 404
    public = Document.objects.get(visibility="public")
    assert client.get(f"/api/v1/network-documents/{public.pk}").status_code == 200


def test_network_answers_are_cached_with_etag_and_page_size_is_capped(client, world):
    first = client.get("/api/v1/networks")
    assert first["ETag"] and first["Last-Modified"]
    assert client.get("/api/v1/networks", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    capped = client.get("/api/v1/network-documents?page_size=5000")
    assert capped.status_code == 200 and capped.json()["count"] == 1


def test_network_query_counts_do_not_grow_with_rows(client, world):
    urls = [
        "/api/v1/networks",
        "/api/v1/network-documents",
        f"/api/v1/networks/{world.network.pk}",
    ]

    def count(url):
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200, url
        return len(ctx.captured_queries)

    before = {url: count(url) for url in urls}
    for i in range(3):
        network = NetworkFactory(cooperation=world.cooperation, coordinator=PersonFactory())
        NetworkMembership.objects.create(network=network, municipality=world.members["Horten"])
        for target in (network, world.network):
            make_document(target, title=f"Offentlig {i}", visibility="public")
    assert {url: count(url) for url in urls} == before


def test_a_token_does_not_widen_what_the_network_reads_show(client, world, secretariat_user):
    from portal.models import ApiToken
    from portal.services import hash_secret

    secret = "smb_0badc0de_network-reads"
    ApiToken.objects.create(
        user=secretariat_user, name="t", prefix="0badc0de", secret_hash=hash_secret(secret)
    )
    anonymous = client.get("/api/v1/network-documents").json()
    with_token = client.get(
        "/api/v1/network-documents", HTTP_AUTHORIZATION=f"Bearer {secret}"
    ).json()
    assert with_token == anonymous
    assert [d["title"] for d in with_token["items"]] == ["Veileder for skytjenester"]


def test_schema_names_are_not_shadowed_by_other_routers(client, world):
    """The networks' and governance's routers have their own VersionOut, DocumentOut …:
    the open-data API's shapes keep names of their own in the one OpenAPI document."""
    schemas = client.get("/api/openapi.json").json()["components"]["schemas"]
    assert "url" in schemas["NetworkVersionOut"]["properties"]
    assert set(schemas["CaseDocumentOut"]["properties"]) == {"id", "title"}
    assert "resolution" in schemas["PublicDecisionOut"]["properties"]
