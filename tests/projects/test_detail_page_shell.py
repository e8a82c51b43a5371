"""The desk's list and project pages are kept whole (shell, header and body) per data
version, user and address (projects.page_shell): what differs per request still
differs (each visitor's CSRF token, a message after a save, the user's name), and a cache
miss or hit runs as many queries with few rows as with many."""

import re

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import Organisation
from projects import services
from projects.analytics.cache import bump_data_version
from projects.models import Participation, Project
from samarbeid.common import permissions
from samarbeid.common.kept import CSRF_PLACEHOLDER
from tests.projects.test_overview_data import (
    geodata_url,
    vestfold_with_geodata,
)

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def v(db):
    return vestfold_with_geodata()


_url = geodata_url


def _strict(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    return client


def test_every_visitor_gets_a_csrf_token_of_their_own_that_works(v, secretariat_user):
    url = _url()
    first, second = _strict(secretariat_user), _strict(secretariat_user)
    page = first.get(url).content.decode()
    again = second.get(url).content.decode()  # the same page, from the cache
    assert CSRF_PLACEHOLDER not in page and CSRF_PLACEHOLDER not in again
    assert TOKEN.search(page) and TOKEN.search(again)
    assert TOKEN.search(page).group(1) != TOKEN.search(again).group(1)
    assert "csrftoken" in second.cookies
    # The token in the cached page is the visitor's own: the trash button's form works.
    slug = url.rstrip("/").rsplit("/", 1)[1]
    response = second.post(
        reverse("projects:delete", args=[slug]),
        {"csrfmiddlewaretoken": TOKEN.search(again).group(1)},
    )
    assert response.status_code == 302
    assert Project.objects.filter(name="Geodata").count() == 0


def test_a_message_after_a_save_shows_once_on_the_cached_list(client, v, secretariat_user):
    client.force_login(secretariat_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    list_url = reverse("projects:list")
    client.get(list_url)
    client.get(list_url)  # kept
    slug = _url().rstrip("/").rsplit("/", 1)[1]
    response = client.post(reverse("projects:delete", args=[slug]), follow=True)
    assert "is moved to the trash" in response.content.decode()
    assert "is moved to the trash" not in client.get(list_url).content.decode()


def test_a_renamed_user_shows_on_the_next_request_to_the_cached_pages(client, v, plain_user):
    client.force_login(plain_user)
    for url in (_url(), reverse("projects:list")):
        client.get(url)
        plain_user.first_name, plain_user.last_name = "Kari", "Nordmann"
        plain_user.save()
        assert "Kari Nordmann" in client.get(url).content.decode()
        plain_user.first_name = plain_user.last_name = ""
        plain_user.save()
        assert "Kari Nordmann" not in client.get(url).content.decode()


def test_the_pages_are_not_shared_between_users(client, v, plain_user, secretariat_user):
    secretariat_user.first_name = "Sekretær"
    secretariat_user.save()
    other = Client()
    other.force_login(secretariat_user)
    for url in (_url(), reverse("projects:list")):
        assert "Sekretær" in other.get(url).content.decode()
        client.force_login(plain_user)
        page = client.get(url).content.decode()
        assert "Sekretær" not in page and "/edit/" not in page


def _counts(client, url) -> tuple[int, int]:
    bump_data_version()  # a miss: the page, its fragments and look-ups are computed again
    with CaptureQueriesContext(connection) as miss:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as hit:
        assert client.get(url).status_code == 200
    return len(miss.captured_queries), len(hit.captured_queries)


def _grow(v, n: int) -> None:
    geodata = Project.objects.get(name="Geodata")
    start = Organisation.objects.count()
    organisations = Organisation.objects.bulk_create(
        [Organisation(name=f"Org {start + i}", kind="company") for i in range(n)]
    )
    Participation.objects.bulk_create(
        [Participation(project=geodata, organisation=o) for o in organisations]
    )
    for i in range(n):
        services.project_create(
            actor=None, cooperation=v.cooperation, name=f"Bulk {i}", category="other"
        )


def _page(name: str) -> str:
    if name == "projects:detail":
        return _url()
    if name == "overview:municipality":
        return reverse(name, args=["3905"])
    return reverse(name)


@pytest.mark.parametrize("name", ["projects:detail", "projects:list", "overview:municipality"])
def test_miss_and_hit_queries_do_not_grow_with_rows(client, v, plain_user, name):
    client.force_login(plain_user)
    url = _page(name)
    client.get(url)
    _grow(v, 3)
    small = _counts(client, url)
    _grow(v, 40)
    large = _counts(client, url)
    assert small == large
    assert large[1] <= 3  # a hit: the session, the user and the data version


def test_a_changed_role_shows_on_the_next_request(client, v, secretariat_user):
    """The roles are read from the cache per data version; joining or leaving a group, and
    deleting the group, move the data version."""
    client.force_login(secretariat_user)
    create = reverse("projects:create")
    edit = reverse("projects:edit", args=[_url().rstrip("/").rsplit("/", 1)[1]])
    group = Group.objects.get(name=permissions.SECRETARIAT)

    def shown() -> tuple[bool, bool]:
        return (
            create in client.get(reverse("projects:list")).content.decode(),
            edit in client.get(_url()).content.decode(),
        )

    assert shown() == (True, True)
    secretariat_user.groups.remove(group)
    assert shown() == (False, False)
    group.user_set.add(secretariat_user)
    assert shown() == (True, True)
    group.delete()
    assert shown() == (False, False)


def test_a_renamed_project_shows_on_the_next_request_to_the_cached_municipality_page(
    client, v, secretariat_user
):
    """The municipality page is kept whole too; a rename through the services shows on the
    next request (Tønsberg 3905 includes the Våle that takes part in Geodata)."""
    client.force_login(secretariat_user)
    url = reverse("overview:municipality", args=["3905"])
    assert "Geodata" in client.get(url).content.decode()
    geodata = Project.objects.get(name="Geodata")
    services.project_update(
        actor=secretariat_user,
        project=geodata,
        expected_version=geodata.version,
        changes={"name": "Geodata 2.0"},
    )
    page = client.get(url).content.decode()
    assert "Geodata 2.0" in page
