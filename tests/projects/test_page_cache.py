"""The project page and the list are rendered once per data version: an edit through the
services shows on the very next request, and the per-user parts (edit buttons, back link)
are never shared between users."""

import pytest
from django.conf import settings
from django.urls import reverse

from projects import services
from projects.models import Project
from tests.projects.test_overview_data import (
    geodata_url,
    vestfold_with_geodata,
)


@pytest.fixture
def v(db, client, plain_user):
    client.force_login(plain_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    return vestfold_with_geodata()


_url = geodata_url


def test_an_edit_shows_on_the_next_request_to_the_project_page(client, v):
    url = _url()
    page = client.get(url).content.decode()
    assert "Geodata" in page and "Horten" not in page
    body = page[page.index('<div class="grid2">') :]
    again = client.get(url).content.decode()
    assert again[again.index('<div class="grid2">') :] == body  # from the cache, unchanged
    geodata = Project.objects.get(name="Geodata")
    services.project_update(
        actor=None, project=geodata, expected_version=geodata.version, changes={"name": "Kart"}
    )
    services.participation_add(actor=None, project=geodata, municipality=v.horten)
    page = client.get(url).content.decode()
    assert "Kart" in page and "Horten" in page


def test_the_edit_buttons_follow_the_user_not_the_cache(client, v, plain_user, secretariat_user):
    url = _url()
    assert "/edit/" not in client.get(url).content.decode()
    client.force_login(secretariat_user)
    assert reverse("projects:edit", args=[url.rstrip("/").rsplit("/", 1)[1]]) in (
        client.get(url).content.decode()
    )
    client.force_login(plain_user)
    assert "/edit/" not in client.get(url).content.decode()


def test_a_project_in_the_trash_is_not_found_though_its_page_was_cached(client, v):
    url = _url()
    assert client.get(url).status_code == 200
    services.project_delete(actor=None, project=Project.objects.get(name="Geodata"))
    assert client.get(url).status_code == 404
