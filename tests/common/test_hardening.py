"""Hardening (issue 17, point 6): deploy checks, CSP, login throttling, session expiry."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from samarbeid.common.middleware import DEFAULT_CSP

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def test_production_settings_pass_check_deploy_without_a_warning(tmp_path):
    env = {
        k: v for k, v in os.environ.items() if k not in {"DEBUG", "PYTEST_VERSION", "DATABASE_URL"}
    }
    env |= {
        "DEBUG": "0",
        "SECRET_KEY": "a-long-random-production-secret-" + "k7Qx9!zR2" * 6,
        "SECURE_PROXY": "1",
        "ALLOWED_HOSTS": "samarbeid.example.no",
        "SAMARBEID_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_every_page_sends_a_csp_without_inline_scripts(client, secretariat_user, admin_client):
    pages = [reverse("home"), reverse("login"), "/no-such-page/"]
    for url in pages:
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        script_src = re.search(r"script-src ([^;]*)", policy).group(1)
        assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
        assert "frame-ancestors 'none'" in policy
    client.force_login(secretariat_user)
    for url in [reverse("home"), reverse("projects:list"), reverse("governance:dashboard")]:
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY
        html = response.content.decode()
        # no inline script and no event-handler attributes on the page
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert not re.search(r"\son[a-z]+=\"", html), url
        assert "samarbeid/site.js" in html
    response = admin_client.get(reverse("admin:index"))
    assert response["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", response.content.decode())
    assert "samarbeid/site.js" in response.content.decode()


def test_default_policy_matches_the_settings():
    assert "script-src 'self'" in DEFAULT_CSP
    assert "script-src 'self';" in settings.CONTENT_SECURITY_POLICY


def test_login_is_throttled_after_ten_failures_with_a_norwegian_message(client, secretariat_user):
    url = reverse("login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(url, {"username": secretariat_user.username, "password": "feil"})
        assert response.status_code == 200
    response = client.post(url, {"username": secretariat_user.username, "password": "feil"})
    assert response.status_code == 429
    html = response.content.decode()
    assert "For mange mislykkede innlogginger" in html
    assert "15 minutter" in html
    # even the right password is refused now
    response = client.post(
        url, {"username": secretariat_user.username, "password": "pw-sekretariat-test"}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # another user from the same address still signs in
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user(username="annen", password="riktig-passord-1")
    response = client.post(url, {"username": "annen", "password": "riktig-passord-1"})
    assert response.status_code == 302


def test_a_right_password_signs_in_after_a_few_failures(client, secretariat_user):
    url = reverse("login")
    for _ in range(3):
        client.post(url, {"username": secretariat_user.username, "password": "feil"})
    response = client.post(
        url, {"username": secretariat_user.username, "password": "pw-sekretariat-test"}
    )
    assert response.status_code == 302


def test_sessions_expire_after_eight_hours(client, secretariat_user):
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    client.force_login(secretariat_user)
    assert client.session.get_expiry_age() == 8 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
