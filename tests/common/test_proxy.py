"""Behind the proxy: login throttling counts the address the proxy saw (X-Forwarded-For
only with SECURE_PROXY=1), and stored files are sent by nginx (X-Accel-Redirect)."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse

from projects.models import Deliverable
from samarbeid.common.auth import client_ip
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def _request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_the_proxy_setting_x_forwarded_for_is_ignored(settings):
    settings.SECURE_PROXY = False
    assert client_ip(_request("198.51.100.7", "203.0.113.9")) == "198.51.100.7"


def test_behind_the_proxy_the_entry_the_proxy_added_counts(settings):
    settings.SECURE_PROXY = True
    settings.TRUSTED_PROXY_COUNT = 1
    # the client sent "1.2.3.4" itself; nginx appended the address it saw
    assert client_ip(_request("127.0.0.1", "1.2.3.4, 203.0.113.9")) == "203.0.113.9"
    assert client_ip(_request("127.0.0.1", "203.0.113.9")) == "203.0.113.9"
    assert client_ip(_request("127.0.0.1")) == "127.0.0.1"  # no header: the peer
    settings.TRUSTED_PROXY_COUNT = 2  # a load balancer in front of nginx
    assert client_ip(_request("127.0.0.1", "1.2.3.4, 203.0.113.9, 10.0.0.2")) == "203.0.113.9"


def _fail(client, user, forwarded: str):
    return client.post(
        reverse("login"),
        {"username": user.username, "password": "feil"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_behind_the_proxy_a_client_cannot_dodge_the_lock_by_forging_the_header(
    client, secretariat_user, settings
):
    settings.SECURE_PROXY = True
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _fail(client, secretariat_user, f"10.9.9.{n}, 203.0.113.9").status_code == 200
    assert _fail(client, secretariat_user, "10.9.9.99, 203.0.113.9").status_code == 429
    # someone else behind the same proxy is not locked out
    assert _fail(client, secretariat_user, "198.51.100.20").status_code == 200


def test_without_the_proxy_setting_all_failures_count_for_the_peer(
    client, secretariat_user, settings
):
    settings.SECURE_PROXY = False
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _fail(client, secretariat_user, f"203.0.113.{n}").status_code == 200
    assert _fail(client, secretariat_user, "203.0.113.200").status_code == 429


def test_stored_files_go_out_through_x_accel_redirect(client, plain_user, settings):
    project = ProjectFactory()
    deliverable = Deliverable.objects.create(
        project=project, title="Rapport", file=SimpleUploadedFile("r.pdf", b"%PDF-1.4 x")
    )
    settings.DEBUG = False
    settings.ACCEL_REDIRECT = True
    client.force_login(plain_user)
    url = reverse("projects:deliverable_file", kwargs={"pk": deliverable.pk})
    response = client.get(url)
    assert response.status_code == 200
    assert response.content == b""
    assert response["X-Accel-Redirect"] == f"/protected-media/{deliverable.file.name}"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    client.logout()
    assert "X-Accel-Redirect" not in client.get(url)  # anonymous: to sign-in, no file
    settings.ACCEL_REDIRECT = False
    client.force_login(plain_user)
    response = client.get(url)
    assert "X-Accel-Redirect" not in response
    assert b"".join(response.streaming_content) == b"%PDF-1.4 x"


def test_the_default_is_to_serve_through_django():
    assert settings.ACCEL_REDIRECT is False
