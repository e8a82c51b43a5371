"""After the demo load the front page lists today's members from real memberships, with no
warning that they were inferred from their predecessors."""

import pytest
from django.urls import reverse

from members.demo import load_demo

pytestmark = pytest.mark.django_db

TODAYS_MEMBERS = ["Færder", "Holmestrand", "Horten", "Larvik", "Sandefjord", "Tønsberg"]


def test_front_page_shows_todays_members_without_the_warning(client):
    load_demo()
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="nb")
    page = response.context["page"]
    assert not page.members.inferred
    assert [c.municipality.name for c in page.members.current] == TODAYS_MEMBERS
    assert all(c.membership is not None for c in page.members.current)
    html = response.content.decode()
    assert "Det er ikke registrert medlemskap" not in html  # the inferred-list warning
    assert "Andebu" not in [c.municipality.name for c in page.members.current]
