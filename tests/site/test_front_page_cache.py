"""The front page's figures are computed once per data version: a new project shows in
the count on the very next request."""

from django.conf import settings
from django.urls import reverse

from tests.projects.test_overview_data import project, vestfold


def test_a_new_project_shows_in_the_front_page_count_at_once(client, db, plain_user):
    v = vestfold()
    project(v.cooperation, "Geodata", 1999, 2004)
    client.force_login(plain_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("home")
    assert '<span class="n">1</span><span class="l">project in the portfolio' in (
        client.get(url).content.decode()
    )
    client.get(url)  # from the cache
    project(v.cooperation, "Bredbånd", 2001, 2005)
    assert '<span class="n">2</span><span class="l">projects in the portfolio' in (
        client.get(url).content.decode()
    )
