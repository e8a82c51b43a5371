"""The signed-in networks pages and the library API are kept per data version, user, day,
language and address (networks.page_cache): an edit through the services shows on the next
request, and what one user may see is never served to another. (The query counts, a miss
and a hit with N and 3N rows, are in test_pages.py.)"""

import datetime as dt

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from networks import services
from networks.models import NetworkMember
from tests.networks.factories import make_document

pytestmark = pytest.mark.django_db

API = "/api/networks/documents"


def _pages(network) -> list[tuple[str, dict]]:
    """Every kept page and API list that shows a network's documents."""
    return [
        (reverse("networks:detail", args=[network.slug]), {}),
        (reverse("networks:library"), {}),
        (reverse("networks:library"), {"q": "alfa"}),
        (reverse("networks:library"), {"q": "alfa", "network": network.slug}),
        (API, {}),
        (API, {"q": "alfa"}),
        (API, {"network": network.slug, "page": 1}),
    ]


def _text(client, url, params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, (url, params)
    return response.content.decode()


def _warm(client, pages) -> None:
    for url, params in pages:
        _text(client, url, params)
        _text(client, url, params)  # kept


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    return client


# --- an edit shows on the next request ---------------------------------------------------------


def test_an_upload_shows_on_the_next_request_to_every_kept_page(client, member_user, network):
    make_document(network, title="Gammel rutine", text="alfa")
    client.force_login(member_user)
    pages = _pages(network)
    _warm(client, pages)
    services.document_create(
        actor=member_user,
        network=network,
        title="Ny sjekkliste",
        kind="template",
        upload=ContentFile(b"alfa beta", name="ny.txt"),
    )
    for url, params in pages:
        assert "Ny sjekkliste" in _text(client, url, params), (url, params)


def test_a_new_version_shows_on_the_next_request(client, member_user, network):
    document = make_document(network, title="Verjemaal", text="gammel tekst")
    client.force_login(member_user)
    search = reverse("networks:library")
    assert "Verjemaal" not in _text(client, search, {"q": "alfa"})
    assert _text(client, API, {"q": "alfa"}).count('"id"') == 0
    listed = client.get(API).json()["results"]
    assert [v["number"] for v in listed[0]["versions"]] == [1]
    services.document_version_add(
        actor=member_user,
        document=document,
        upload=ContentFile(b"ny tekst med alfa", name="v2.txt"),
        change_note="alfa inn",
    )
    # The search finds the new text; the version and its text status are listed.
    assert "Verjemaal" in _text(client, search, {"q": "alfa"})
    found = client.get(API, {"q": "alfa"}).json()
    assert [d["title"] for d in found["results"]] == ["Verjemaal"]
    assert "<mark>alfa</mark>" in found["results"][0]["passage"]
    services.document_version_add(
        actor=member_user,
        document=document,
        upload=ContentFile(b"\x89PNG\r\n\x1a\n" + b"\0" * 50, name="skannet.png"),
    )
    versions = client.get(API).json()["results"][0]["versions"]
    assert [(v["number"], v["text_status"]) for v in versions] == [
        (3, "unreadable"),
        (2, "ok"),
        (1, "ok"),
    ]


def test_a_renamed_network_shows_on_the_next_request_to_the_list_and_its_page(
    client, member_user, network
):
    client.force_login(member_user)
    urls = [reverse("networks:list"), reverse("networks:detail", args=[network.slug])]
    for url in urls:
        assert "Overformynderi" in _text(client, url, {})
    services.network_update(actor=None, network=network, changes={"name": "Verjemål Vest"})
    for url in urls:
        page = _text(client, url, {})
        assert "Verjemål Vest" in page and "Overformynderi" not in page


def test_an_ended_membership_hides_the_network_documents_on_the_next_request(
    client, member_user, network
):
    make_document(network, title="Intern rutine", text="alfa")
    client.force_login(member_user)
    pages = _pages(network)
    for url, params in pages:
        assert "Intern rutine" in _text(client, url, params), (url, params)
    member = NetworkMember.objects.get(person__user=member_user)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    services.member_update(actor=None, member=member, start=member.start, end=yesterday)
    for url, params in pages:
        assert "Intern rutine" not in _text(client, url, params), (url, params)


def test_a_membership_ending_today_hides_the_documents_tomorrow(
    client, member_user, network, monkeypatch
):
    """The day is in every key: what a membership that ended lets one see changes at
    midnight without any write."""
    make_document(network, title="Intern rutine", text="alfa")
    member = NetworkMember.objects.get(person__user=member_user)
    today = timezone.localdate()
    services.member_update(actor=None, member=member, start=member.start, end=today)
    client.force_login(member_user)
    pages = _pages(network)
    for url, params in pages:
        assert "Intern rutine" in _text(client, url, params), (url, params)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: today + dt.timedelta(days=1))
    for url, params in pages:
        assert "Intern rutine" not in _text(client, url, params), (url, params)


def test_a_message_after_a_save_shows_once_on_the_kept_network_page(
    client, coordinator_user, network
):
    client.force_login(coordinator_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("networks:detail", args=[network.slug])
    _text(client, url, {})
    _text(client, url, {})  # kept
    response = client.post(
        reverse("networks:edit", args=[network.slug]),
        {"name": "Overformynderi", "field": "Verjemål", "status": "active"},
        follow=True,
    )
    page = response.content.decode()
    assert "The network is saved." in page and "Verjemål" in page
    assert "The network is saved." not in _text(client, url, {})


# --- never shared between users --------------------------------------------------------------


@pytest.fixture
def own_and_theirs(network, other_network):
    return (
        make_document(network, title="Verjemaal sjekkliste", text="hemmelig alfa"),
        make_document(other_network, title="IKT-strategi", text="deres alfa"),
    )


def test_users_with_different_access_never_see_each_others_kept_results(
    member_user, outsider_user, board_user, network, own_and_theirs
):
    member, outsider, board = (_signed_in(u) for u in (member_user, outsider_user, board_user))
    for url, params in _pages(network):
        # The same address, one after the other, in the same data version.
        assert "Verjemaal sjekkliste" in _text(member, url, params), (url, params)
        assert "Verjemaal sjekkliste" not in _text(outsider, url, params), (url, params)
        assert "Verjemaal sjekkliste" in _text(board, url, params), (url, params)
        assert "Verjemaal sjekkliste" in _text(member, url, params), (url, params)
    for url in (reverse("networks:library"), API):
        for client in (outsider, board):
            assert "IKT-strategi" in _text(client, url, {"q": "alfa"})
        assert "IKT-strategi" not in _text(member, url, {"q": "alfa"})
    # The coordinator's buttons are the coordinator's.
    detail = reverse("networks:detail", args=[network.slug])
    upload = reverse("networks:document_new", args=[network.slug])
    assert upload in _text(member, detail, {})
    assert upload not in _text(outsider, detail, {})


def test_a_user_made_superuser_sees_everything_on_the_next_request(
    outsider_user, network, own_and_theirs
):
    """The superuser flag is no data of the watched apps (it does not move the data
    version): it is in the key itself."""
    outsider = _signed_in(outsider_user)
    pages = _pages(network)
    for url, params in pages:
        assert "Verjemaal sjekkliste" not in _text(outsider, url, params), (url, params)
    outsider_user.is_superuser = True
    outsider_user.save()
    for url, params in pages:
        assert "Verjemaal sjekkliste" in _text(outsider, url, params), (url, params)
    outsider_user.is_superuser = False
    outsider_user.save()
    for url, params in pages:
        assert "Verjemaal sjekkliste" not in _text(outsider, url, params), (url, params)


def test_a_new_role_shows_on_the_next_request(outsider_user, network, own_and_theirs):
    from django.contrib.auth.models import Group

    from samarbeid.common.permissions import BOARD

    outsider = _signed_in(outsider_user)
    pages = _pages(network)
    for url, params in pages:
        assert "Verjemaal sjekkliste" not in _text(outsider, url, params), (url, params)
    outsider_user.groups.add(Group.objects.get_or_create(name=BOARD)[0])
    for url, params in pages:
        assert "Verjemaal sjekkliste" in _text(outsider, url, params), (url, params)


def test_the_api_pages_and_searches_are_kept_apart(client, member_user, network):
    for i in range(55):
        make_document(network, title=f"Dokument {i:02}", text=f"alfa {i}")
    client.force_login(member_user)
    first, second = client.get(API).json(), client.get(API, {"page": 2}).json()
    assert (first["page"], second["page"], first["pages"]) == (1, 2, 2)
    assert len(first["results"]) == 50 and len(second["results"]) == 5
    assert client.get(API, {"q": "alfa 54"}).json()["count"] == 1
    assert client.get(API, {"q": "alfa"}).json()["count"] == 55
    assert client.get(API, {"network": "ikke-her"}).json()["count"] == 55
    assert client.get(API).json() == first
