"""The widget for the members' websites: HTML for an <iframe>, a JSON twin, headers."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_widget_lists_current_public_projects(client, world, today_municipality):
    response = client.get(reverse("portal:embed", args=[today_municipality.number]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Felles innkjøp" in page and "Geodata Vestfold" in page
    assert world.internal.name not in page
    assert "--samarbeid-accent" not in page  # the properties live in embed.css
    assert "embed.css" in page and "embed-frame.js" in page
    assert 'class="hearings"' not in page  # no hearings yet: the list is left out
    assert reverse("hearings:embed_follow", args=[today_municipality.number]) in page


def test_widget_may_be_framed_by_any_site_but_nothing_else_may(client, world, today_municipality):
    widget = client.get(reverse("portal:embed", args=[today_municipality.number]))
    assert "frame-ancestors *" in widget["Content-Security-Policy"]
    assert "frame-ancestors 'none'" not in widget["Content-Security-Policy"]
    assert "script-src 'self'" in widget["Content-Security-Policy"]
    assert "X-Frame-Options" not in widget
    assert widget["Cache-Control"] == "public, max-age=300"
    for url in [
        reverse("portal:home"),
        reverse("portal:municipality", args=[today_municipality.number]),
        reverse("portal:project", args=[world.public.slug]),
        "/",
    ]:
        response = client.get(url)
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"], url
        assert response["X-Frame-Options"] == "DENY", url


def test_json_twin_with_cors_and_cache_headers(client, world, today_municipality):
    for url in [
        reverse("portal:embed_json", args=[today_municipality.number]),
        reverse("portal:embed", args=[today_municipality.number]) + "?format=json",
    ]:
        response = client.get(url)
        assert response.status_code == 200
        assert response["Access-Control-Allow-Origin"] == "*"
        assert response["Cache-Control"] == "public, max-age=300"
        data = response.json()
        names = [p["name"] for p in data["projects"]]
        assert "Felles innkjøp" in names and world.internal.name not in names
        assert data["hearings"] == []
        assert data["answered_for_successor"] is False
        assert all(p["url"].startswith("http") for p in data["projects"])


def test_merged_away_number_answers_for_its_successor(client, world, today_municipality):
    data = client.get(reverse("portal:embed_json", args=[world.re.number])).json()
    assert data["answered_for_successor"] is True
    assert data["asked_for"]["number"] == world.re.number
    assert data["municipality"]["number"] == today_municipality.number
    assert "Re" in data["note"] and today_municipality.name in data["note"]
    page = client.get(reverse("portal:embed", args=[world.re.number])).content.decode()
    assert "er nå en del av" in page and "Felles innkjøp" in page


def test_ended_projects_are_not_current(client, world, today_municipality):
    from projects.models import Project

    Project.objects.filter(pk=world.hosted.pk).update(phase=Project.Phase.CLOSED)
    data = client.get(reverse("portal:embed_json", args=[today_municipality.number])).json()
    assert "Geodata Vestfold" not in [p["name"] for p in data["projects"]]


def test_unknown_number_is_404_in_html_and_json(client, world):
    assert client.get(reverse("portal:embed", args=["0000"])).status_code == 404
    response = client.get(reverse("portal:embed_json", args=["0000"]))
    assert response.status_code == 404
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "detail" in response.json()
    assert client.get("/embed/municipality/abc/").status_code == 404


def test_framable_policy_replaces_only_frame_ancestors():
    from samarbeid.common.middleware import framable_policy

    policy = framable_policy("default-src 'self'; frame-ancestors 'none'; img-src 'self'")
    assert policy == "default-src 'self'; img-src 'self'; frame-ancestors *"
    assert framable_policy("default-src 'self'") == "default-src 'self'; frame-ancestors *"
