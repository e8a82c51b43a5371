"""The page shell's header is kept per user, name, role and language
(samarbeid/common/templatetags/site_shell.py): a change of any of them shows on the next
request, and the CSRF token and the page address are each request's own."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client

from samarbeid.common.permissions import SECRETARIAT

pytestmark = pytest.mark.django_db


def _header(response) -> str:
    html = response.content.decode()
    return html[html.index('<header class="topbar"') : html.index("</header>")]


def test_a_new_name_and_a_new_role_show_on_the_next_request(client, django_user_model):
    user = django_user_model.objects.create_user("ola", password="x", first_name="Ola")
    client.force_login(user)
    first = _header(client.get("/projects/"))
    assert "Ola" in first and "/import/" not in first
    user.first_name, user.last_name = "Kari", "Nordmann"
    user.save()
    user.groups.add(Group.objects.get_or_create(name=SECRETARIAT)[0])
    again = _header(client.get("/projects/"))
    assert "Kari Nordmann" in again and "/import/" in again


def test_the_csrf_token_and_the_address_are_each_requests_own(client, django_user_model):
    user = django_user_model.objects.create_user("per", password="x")
    client.force_login(user)
    other = Client()
    other.force_login(user)
    for c, path in ((client, "/projects/"), (other, "/projects/?q=vei")):
        response = c.get(path)
        header = _header(response)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', header).group(1)
        assert _unmask_cipher_token(token) == c.cookies["csrftoken"].value
        assert f'name="next" type="hidden" value="{path.replace("&", "&amp;")}"' in header
    assert client.cookies["csrftoken"].value != other.cookies["csrftoken"].value


def test_signed_out_the_header_links_to_sign_in_from_this_page(client):
    header = _header(client.get("/accounts/login/"))
    assert "Logg inn" in header or "Sign in" in header
