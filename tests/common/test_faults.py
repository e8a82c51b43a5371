"""Faults (issue 17, point 8): an unreachable database gives a friendly 503, and the site
recovers by itself when the database is back."""

from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _database_down():
    def refuse(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1, port 5432 failed")

    return mock.patch.object(connection, "ensure_connection", refuse)


@pytest.mark.parametrize("signed_in", [False, True])
def test_pages_answer_503_while_the_database_is_down_and_recover(secretariat_user, signed_in):
    # as in production: an error outside a view reaches handler500 instead of the test
    client = Client(raise_request_exception=False)
    if signed_in:
        client.force_login(secretariat_user)
    client.cookies["django_language"] = "nb"
    urls = [reverse("home")]
    if signed_in:  # (signed out, the other pages send to the sign-in page without a query)
        urls += [reverse("projects:list"), reverse("governance:dashboard")]
    with _database_down():
        for url in urls:
            response = client.get(url)
            assert response.status_code == 503, url
            html = response.content.decode()
            assert "Midlertidig utilgjengelig" in html
            assert "Samarbeid får ikke kontakt med databasen" in html
            assert 'class="topbar"' in html  # the site's frame
            assert response["Retry-After"] == "30"
            assert "Content-Security-Policy" in response
    # the database is back: the same client gets its pages without a restart
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert client.get(reverse("projects:list")).status_code in (200, 302)


def test_a_database_error_outside_a_view_is_a_503_too(rf):
    from samarbeid.common.middleware import server_error

    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = server_error(rf.get("/"))
    assert response.status_code == 503
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(rf.get("/"))
    assert response.status_code == 500
