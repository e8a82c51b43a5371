import os
import subprocess
import sys
from pathlib import Path

from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def test_home_page_renders_for_anonymous_visitor(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert b"Samarbeid" in response.content


def test_default_language_is_norwegian_and_english_is_available(client, db):
    response = client.get(reverse("home"))
    assert response.headers["Content-Language"] == "nb"
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("home"))
    assert response.headers["Content-Language"] == "en"


def test_login_page_has_labelled_fields(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b'for="id_username"' in response.content
    assert b'for="id_password"' in response.content


def test_api_docs_are_served(client, db):
    assert client.get("/api/docs").status_code == 200
    assert client.get("/api/health").json() == {"status": "ok"}


def test_governance_api_is_mounted_and_closed_to_anonymous_visitors(client, db):
    schema = client.get("/api/openapi.json").json()
    assert "/api/governance/referrals" in schema["paths"]
    assert client.get("/api/governance/referrals").status_code == 401


def test_settings_refuse_to_start_without_secret_key_when_not_debugging():
    env = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "PYTEST_VERSION"}
    }
    env["DJANGO_SETTINGS_MODULE"] = "samarbeid.settings"
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_site_stylesheet_and_htmx_are_served(client, db):
    html = client.get("/").content.decode()
    for asset in ("samarbeid/site.css", "samarbeid/htmx.min.js"):
        assert f"/static/{asset}" in html
        response = client.get(f"/static/{asset}")
        assert response.status_code == 200, asset
        assert b"".join(response.streaming_content)
