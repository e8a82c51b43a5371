"""The sign-in reads (samarbeid.common.signin): the session row with one plain query, the
user kept per sign-in version. What a user notices: staying signed in, and being signed out
everywhere at once when the password changes, the account is closed or the session ends."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from samarbeid.common import permissions
from samarbeid.common.models import DataVersion

pytestmark = pytest.mark.django_db

PAGE = "/api/governance/referrals"


@pytest.fixture
def member_of_staff():
    user = get_user_model().objects.create_user("saksbehandler", password="gammelt-passord-1")
    user.groups.add(Group.objects.get_or_create(name=permissions.SECRETARIAT)[0])
    return user


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """A write as another process makes it: its on-commit work (the version) runs."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def signed_in(member_of_staff) -> Client:
    client = Client()
    assert client.login(username="saksbehandler", password="gammelt-passord-1")
    return client


def test_signed_in_cached_page_makes_one_query(signed_in):
    assert signed_in.get(PAGE).status_code == 200
    assert signed_in.get(PAGE).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert signed_in.get(PAGE).status_code == 200
    sql = [q["sql"] for q in queries.captured_queries]
    assert not any('FROM "auth_user"' in s for s in sql), sql  # the user from the cache
    assert sum("django_session" in s for s in sql) == 1, sql
    # The session, the sign-in version and the data version, in one statement.
    assert len(sql) == 1, sql


def test_password_change_elsewhere_signs_the_session_out(signed_in, member_of_staff, committed):
    assert signed_in.get(PAGE).status_code == 200  # the user is now cached
    with committed():
        member_of_staff.set_password("nytt-passord-2")
        member_of_staff.save()
    assert signed_in.get(PAGE).status_code == 401


def test_closed_account_is_signed_out_at_once(signed_in, member_of_staff, committed):
    assert signed_in.get(PAGE).status_code == 200
    with committed():
        member_of_staff.is_active = False
        member_of_staff.save()
    assert signed_in.get(PAGE).status_code == 401


def test_deleted_account_is_signed_out(signed_in, member_of_staff, committed):
    assert signed_in.get(PAGE).status_code == 200
    with committed():
        member_of_staff.delete()
    assert signed_in.get(PAGE).status_code == 401


def test_session_ended_in_another_process_signs_out(signed_in):
    assert signed_in.get(PAGE).status_code == 200
    Session.objects.all().delete()  # as a sign-out served by another process
    assert signed_in.get(PAGE).status_code == 401


def test_expired_session_is_not_read(signed_in):
    assert signed_in.get(PAGE).status_code == 200
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    assert signed_in.get(PAGE).status_code == 401


def test_sign_out_and_in_again(signed_in):
    assert signed_in.post("/accounts/logout/").status_code in (200, 302)
    assert signed_in.get(PAGE).status_code == 401
    assert signed_in.login(username="saksbehandler", password="gammelt-passord-1")
    assert signed_in.get(PAGE).status_code == 200


def test_user_change_moves_the_sign_in_version(member_of_staff, committed):
    before = DataVersion.objects.get(pk=1).sign_in
    with committed():
        member_of_staff.first_name = "Kari"
        member_of_staff.save()
    assert DataVersion.objects.get(pk=1).sign_in == before + 1


def test_renamed_user_shows_on_the_next_page(signed_in, member_of_staff, committed):
    """The page header shows the user's name: a change shows on the next request."""
    assert signed_in.get("/projects/").status_code == 200
    with committed():
        member_of_staff.first_name = "Ingrid"
        member_of_staff.last_name = "Brekke"
        member_of_staff.save()
    assert "Ingrid" in signed_in.get("/projects/").content.decode()
