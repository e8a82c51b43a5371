"""The networks on the portal (issue 18, point 1): the list and a network's page with its
public documents, in nb and en, linked from the menu and the municipality pages; only public
documents, downloadable only while public; query counts that do not grow with rows."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from networks.models import Document, DocumentVersion, Network, NetworkMembership
from networks.services import document_update
from tests.factories import PersonFactory
from tests.networks.factories import NetworkFactory, make_document

pytestmark = pytest.mark.django_db


def _get(client, url, language="nb"):
    client.cookies["django_language"] = language
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_network_list_in_both_languages_linked_from_the_menu(client, world):
    network = Network.objects.get()
    home = _get(client, reverse("portal:home"))
    assert f'href="{reverse("portal:networks")}"' in home
    nb = _get(client, reverse("portal:networks"))
    assert "<h1>Nettverk</h1>" in nb and network.name in nb
    assert "Koordinator Kristiansen" not in nb  # the list names no people
    en = _get(client, reverse("portal:networks"), "en")
    assert "<h1>Networks</h1>" in en and "Public documents" in en


def test_network_page_shows_members_over_time_and_only_public_documents(client, world):
    network = Network.objects.get()
    page = _get(client, reverse("portal:network", args=[network.slug]))
    assert "Veileder for skytjenester" in page
    assert "Koordinator Kristiansen" in page  # the coordinator, an office holder, by name
    assert reverse("portal:municipality", args=[world.re.number]) in page
    public = DocumentVersion.objects.get(document__visibility="public")
    assert reverse("portal:network_file", args=[public.pk]) in page
    response = client.get(reverse("portal:network_file", args=[public.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client.get(reverse("portal:network", args=["nope"])).status_code == 404


def test_a_document_taken_off_the_portal_disappears_and_stops_downloading(client, world):
    network = Network.objects.get()
    url = reverse("portal:network", args=[network.slug])
    assert "Veileder for skytjenester" in _get(client, url)
    document = Document.objects.get(visibility="public")
    version = document.versions.get()
    document_update(
        actor=None, document=document, changes={"visibility": Document.Visibility.MEMBERS}
    )
    assert "Veileder for skytjenester" not in _get(client, url)
    assert client.get(reverse("portal:network_file", args=[version.pk])).status_code == 404


def test_municipality_page_links_its_networks(client, world):
    network = Network.objects.get()
    page = _get(client, reverse("portal:municipality", args=[world.re.number]))
    assert reverse("portal:network", args=[network.slug]) in page


def test_network_pages_query_counts_do_not_grow_with_rows(client, world):
    network = Network.objects.get()
    urls = [reverse("portal:networks"), reverse("portal:network", args=[network.slug])]

    def count(url):
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = {url: count(url) for url in urls}
    for i in range(3):
        other = NetworkFactory(cooperation=world.cooperation, coordinator=PersonFactory())
        NetworkMembership.objects.create(network=other, municipality=world.tonsberg)
        for target in (other, network):
            make_document(target, title=f"Offentlig {i}", visibility="public")
    assert {url: count(url) for url in urls} == before


def test_municipality_page_shows_a_network_once_across_a_merger(client, world, today_municipality):
    """Re (2005-2016) and the old Tønsberg (2005-) both took part; today's Tønsberg, their
    successor, shows the network once, from 2005 and still going."""
    network = Network.objects.get()
    page = _get(client, reverse("portal:municipality", args=[today_municipality.number]))
    assert page.count(f'href="{reverse("portal:network", args=[network.slug])}"') == 1
    assert "2005 – </span>" in page
