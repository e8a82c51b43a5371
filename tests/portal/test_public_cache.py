"""Whole public responses kept per data version (samarbeid/site/public_cache.py): a visitor
without a session gets the kept bytes with the right headers, an edit shows on the next
request (also one made through another process), and nothing with a CSRF token or a
session is kept."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.db.models import F
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samarbeid.common.models import DataVersion
from tests.hearings.factories import open_hearing

pytestmark = pytest.mark.django_db


def _anon() -> Client:
    return Client()


def test_a_second_visitor_gets_the_kept_page_with_one_query(world):
    url = reverse("portal:project", args=[world.public.slug])
    first = _anon().get(url)
    assert first.status_code == 200 and first.has_header("ETag")
    with CaptureQueriesContext(connection) as ctx:
        again = _anon().get(url)
    assert again.content == first.content
    assert again.context is None  # the view did not run
    assert len(ctx) == 1  # the data version
    assert again["ETag"] == first["ETag"]
    assert "frame-ancestors 'none'" in again["Content-Security-Policy"]
    assert again["X-Frame-Options"] == "DENY"
    assert again["Content-Length"] == str(len(again.content))  # not sent chunked


def test_an_edit_shows_on_the_next_request(world):
    url = reverse("portal:project", args=[world.public.slug])
    assert "Felles innkjøp" in _anon().get(url).content.decode()
    world.public.name = "Omdøpt fellesprosjekt"
    world.public.save()
    page = _anon().get(url).content.decode()
    assert "Omdøpt fellesprosjekt" in page


def test_another_processs_commit_makes_the_kept_page_stale(world):
    url = reverse("portal:projects")
    first = _anon().get(url)
    # Another worker's rename: the row changes and the database counter moves; this
    # process's own cache token knows nothing of it.
    type(world.public).objects.filter(pk=world.public.pk).update(name="Endret i en annen prosess")
    DataVersion.objects.filter(pk=1).update(counter=F("counter") + 1)
    again = _anon().get(url)
    assert again.content != first.content
    assert "Endret i en annen prosess" in again.content.decode()


def test_if_none_match_is_answered_304_with_the_headers(world, today_municipality):
    url = reverse("portal:embed_json", args=[today_municipality.number])
    first = _anon().get(url)
    assert first["Access-Control-Allow-Origin"] == "*"
    kept = _anon().get(url)
    assert kept["Access-Control-Allow-Origin"] == "*"
    assert kept["Cache-Control"] == "public, max-age=300"
    assert kept["Content-Type"].startswith("application/json")
    not_modified = _anon().get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert not_modified.status_code == 304
    assert not_modified["ETag"] == first["ETag"]
    assert not_modified["Access-Control-Allow-Origin"] == "*"


def test_the_widget_stays_framable_and_only_the_widget(world, today_municipality):
    url = reverse("portal:embed", args=[today_municipality.number])
    for _ in range(2):  # the miss, then the kept answer
        widget = _anon().get(url)
        assert "frame-ancestors *" in widget["Content-Security-Policy"]
        assert "X-Frame-Options" not in widget
    for _ in range(2):
        page = _anon().get(reverse("portal:home"))
        assert "frame-ancestors 'none'" in page["Content-Security-Policy"]


def test_the_api_list_is_kept_and_moves_with_the_data(world):
    url = "/api/v1/projects"
    first = _anon().get(url)
    assert first.status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        assert _anon().get(url).content == first.content
    assert len(ctx) == 1
    world.public.name = "API-navn endret"
    world.public.save()
    assert "API-navn endret" in _anon().get(url).content.decode()


def _token_and_secret(response) -> tuple[str, str]:
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())
    assert token, "the language form carries a token"
    return token.group(1), response.cookies["csrftoken"].value


def test_a_kept_page_with_a_csrf_token_gets_each_visitors_own_token(world):
    first = Client().get("/")
    assert first.context is not None  # rendered
    token, secret = _token_and_secret(first)
    assert _unmask_cipher_token(token) == secret
    second = Client().get("/")
    assert second.context is None  # kept
    token2, secret2 = _token_and_secret(second)
    assert secret2 != secret and _unmask_cipher_token(token2) == secret2
    assert "@@" not in second.content.decode()
    # A visitor who already has a CSRF cookie keeps it: the token matches it.
    returning = Client()
    returning.cookies["csrftoken"] = secret
    token3, _ = _token_and_secret(returning.get("/"))
    assert _unmask_cipher_token(token3) == secret


def test_the_comment_form_of_a_hearing_is_kept_and_moves_with_the_data():
    hearing = open_hearing()
    url = reverse("hearings:detail", args=[hearing.pk])
    assert Client().get(url).status_code == 200
    kept = Client().get(url)
    assert kept.status_code == 200 and kept.context is None
    hearing.title = "Ny tittel på høringen"
    hearing.save()
    assert "Ny tittel på høringen" in Client().get(url).content.decode()


def test_a_signed_in_visitor_is_never_served_a_kept_page(world, secretariat_client):
    url = reverse("portal:projects")
    _anon().get(url)
    response = secretariat_client.get(url)
    assert "ETag" not in response  # the view answered, not the anonymous copy


def test_the_language_is_part_of_the_key(world):
    url = reverse("portal:projects")
    nb = _anon().get(url).content.decode()
    english = Client()
    english.cookies["django_language"] = "en"
    en = english.get(url).content.decode()
    assert 'lang="nb"' in nb and 'lang="en"' in en
