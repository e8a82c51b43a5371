"""The front page: today's members across mergers, key figures, and counts for insiders."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.selectors import municipality_on
from tests.factories import CooperationFactory, MembershipFactory
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cooperation():
    coop = CooperationFactory(
        name="9-kommunesamarbeidet",
        purpose="Å utvikle tjenester sammen.",
        purpose_en="To develop services together.",
    )
    # Re's membership was never ended; Re merged into today's Tønsberg in 2020.
    re = municipality_on("Re", dt.date(2004, 1, 1))
    MembershipFactory(cooperation=coop, municipality=re, joined=dt.date(2002, 1, 1), left=None)
    return coop


def _home(client, lang="nb"):
    return client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE=lang).content.decode()


def test_members_today_are_the_successors_of_open_memberships(client, cooperation):
    html = _home(client)
    assert "Tønsberg" in html and "3905" in html
    assert "forgjengerne" in html  # the note that the list is inferred
    assert "Å utvikle tjenester sammen." in html


def test_purpose_follows_the_language(client, cooperation):
    assert "To develop services together." in _home(client, "en")


def test_counts_only_for_signed_in_users(client, cooperation, plain_user):
    ProjectFactory.create_batch(3, cooperation=cooperation)
    assert "projects in the portfolio" not in _home(client, "en")
    client.force_login(plain_user)
    html = _home(client, "en")
    assert "projects in the portfolio" in html


def test_query_count_does_not_grow_with_projects(client, cooperation, plain_user):
    client.force_login(plain_user)
    ProjectFactory.create_batch(2, cooperation=cooperation)
    with CaptureQueriesContext(connection) as few:
        _home(client)
    ProjectFactory.create_batch(40, cooperation=cooperation)
    with CaptureQueriesContext(connection) as many:
        _home(client)
    assert len(many) == len(few)
