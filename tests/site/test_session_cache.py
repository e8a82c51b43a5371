"""Signed-in responses kept per session (samarbeid/site/session_cache.py): a repeat request
is answered before the middleware and the view with one query, and never with what another
session, an older password, an ended session, an older back link or another language saw.
(The networks pages' per-user access is in tests/networks/test_page_cache.py.)"""

from __future__ import annotations

from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.sessions.models import Session
from django.db import connection
from django.db.models import F
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.demo import load_demo
from governance.models import Case
from samarbeid.common.models import DataVersion
from samarbeid.site import session_cache
from tests.governance.factories import cooperation_with_members, nine

pytestmark = pytest.mark.django_db

API = "/api/governance/referrals"


@pytest.fixture
def havnevesen(db) -> Case:
    cooperation_with_members(nine())
    load_demo()
    return Case.objects.get(title="Havnevesen")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _inner_runs():
    """Counts the requests that reached the middleware behind the kept answer."""
    return mock.patch.object(
        session_cache.SessionMiddleware,
        "process_request",
        autospec=True,
        side_effect=session_cache.SessionMiddleware.process_request,
    )


def test_a_repeat_request_is_answered_before_the_view_with_one_query(havnevesen, board_user):
    client = _client(board_user)
    first = client.get(API)
    assert first.status_code == 200
    with _inner_runs() as inner, CaptureQueriesContext(connection) as queries:
        again = client.get(API)
    assert inner.call_count == 0  # the session middleware, auth and the view did not run
    assert len(queries) == 1, [q["sql"] for q in queries.captured_queries]
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    assert again["Content-Length"] == str(len(again.content))
    assert "Cookie" in again["Vary"]
    assert again["X-Frame-Options"] == first["X-Frame-Options"]
    assert again.cookies == {}  # no session cookie sent again


def test_a_miss_reads_the_session_once(havnevesen, board_user):
    client = _client(board_user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(API).status_code == 200
    sql = [q["sql"] for q in queries.captured_queries]
    assert sum("django_session" in s for s in sql) == 1, sql


def test_an_edit_shows_on_the_next_request(havnevesen, board_user):
    client = _client(board_user)
    client.get(API)
    client.get(API)
    Case.objects.filter(pk=havnevesen.pk).update(title="Felles havnevesen")
    DataVersion.objects.filter(pk=1).update(counter=F("counter") + 1)  # as a commit elsewhere
    assert "Felles havnevesen" in client.get(API).content.decode()


def test_another_session_of_another_user_is_never_answered_with_this_one(
    havnevesen, board_user, secretariat_user
):
    board = _client(board_user)
    board.get(API)
    board.get(API)
    with _inner_runs() as inner:
        assert _client(secretariat_user).get(API).status_code == 200
    assert inner.call_count == 1  # its own session: the usual path


def test_a_password_changed_by_another_process_signs_out_at_once(havnevesen, board_user):
    client = _client(board_user)
    client.get(API)
    client.get(API)
    user_model = get_user_model()
    user_model.objects.filter(pk=board_user.pk).update(password="!changed-elsewhere")
    DataVersion.objects.filter(pk=1).update(sign_in=F("sign_in") + 1)  # that commit's
    assert client.get(API).status_code == 401


def test_a_closed_account_in_this_process_is_not_answered(havnevesen, board_user):
    client = _client(board_user)
    client.get(API)
    client.get(API)
    board_user.is_active = False
    board_user.save()
    assert client.get(API).status_code == 401


def test_an_ended_session_is_not_answered(havnevesen, board_user):
    client = _client(board_user)
    client.get(API)
    client.get(API)
    Session.objects.all().delete()
    assert client.get(API).status_code == 401


def test_each_language_has_its_own_answer(havnevesen, board_user):
    client = _client(board_user)
    url = reverse("governance:case", args=[havnevesen.pk])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    client.get(url)
    assert 'lang="nb"' in client.get(url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(url)
    assert 'lang="en"' in english.content.decode()
    assert english["Content-Language"] == "en"


def test_a_kept_page_carries_the_visitors_own_csrf_token(havnevesen, secretariat_user):
    client = _client(secretariat_user)
    url = reverse("governance:case", args=[havnevesen.pk])
    client.get(url)
    secret = client.cookies[settings.CSRF_COOKIE_NAME].value
    with _inner_runs() as inner:
        page = client.get(url).content.decode()
    assert inner.call_count == 0
    tokens = set(
        value.split('"')[0] for value in page.split('name="csrfmiddlewaretoken" value="')[1:]
    )
    assert tokens and all(_unmask_cipher_token(t) == secret for t in tokens)
    # A second browser of the same user, with no CSRF cookie yet: one of its own.
    other = _client(secretariat_user)
    other.cookies[settings.SESSION_COOKIE_NAME] = client.cookies[settings.SESSION_COOKIE_NAME]
    answer = other.get(url)
    assert settings.CSRF_COOKIE_NAME in answer.cookies
    fresh = answer.cookies[settings.CSRF_COOKIE_NAME].value
    assert fresh != secret
    assert "@@samarbeid" not in answer.content.decode()


def test_the_back_link_follows_the_list_as_left(world, secretariat_user):
    client = _client(secretariat_user)
    project = reverse("projects:detail", args=[world.public.slug])
    for query in ("q=innkj%C3%B8p", "q=havn", "q=innkj%C3%B8p"):
        client.get(f"{reverse('projects:list')}?{query}")
        client.get(f"{reverse('projects:list')}?{query}")
        client.get(project)
        page = client.get(project).content.decode()
        assert f'href="{reverse("projects:list")}?{query}"' in page, query


def test_a_message_is_shown_once(world, secretariat_user):
    client = _client(secretariat_user)
    url = reverse("projects:detail", args=[world.public.slug])
    client.get(url)
    client.get(url)  # kept
    storage = CookieStorage(RequestFactory().get(url))
    client.cookies["messages"] = storage._encode([Message(25, "Prosjektet er lagret.")])
    assert "Prosjektet er lagret." in client.get(url).content.decode()
    assert "Prosjektet er lagret." not in client.get(url).content.decode()


def test_htmx_requests_take_the_usual_path(world, secretariat_user):
    client = _client(secretariat_user)
    url = reverse("projects:list")
    client.get(url)
    client.get(url)
    with _inner_runs() as inner:
        partial = client.get(url, HTTP_HX_REQUEST="true")
    assert inner.call_count == 1
    assert b"<html" not in partial.content


def test_the_trash_and_a_history_page_are_kept_and_show_a_delete_at_once(world, secretariat_user):
    from projects import services

    client = _client(secretariat_user)
    trash = reverse("trash")
    history = f"/history/projects.project/{world.public.pk}/"
    for url in (trash, history, reverse("hearings:new")):
        assert client.get(url).status_code == 200
        with _inner_runs() as inner:
            assert client.get(url).status_code == 200
        assert inner.call_count == 0, url
    assert world.public.name not in client.get(trash).content.decode()
    services.project_delete(actor=secretariat_user, project=world.public)
    assert world.public.name in client.get(trash).content.decode()
    assert "papirkurven" in client.get(history).content.decode().lower()
