"""The hearing pages in a real browser: the public page and the widget's comment form at
1366 and 390 px (no sideways scrolling, axe-core clean), and a comment sent through the
form with an attachment; the municipality's hearings page and the widget's follow form."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hearings.models import Comment
from members.models import Municipality
from tests.conftest import load_registry
from tests.hearings.factories import open_hearing
from tests.portal.test_browser import _axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_hearing_pages_fit_390_px_pass_axe_and_take_a_comment(
    browser_page, live_server, artifacts_dir
):
    page = browser_page
    if not Municipality.objects.filter(number="3905").exists():  # flushed by a live server
        load_registry()
    hearing = open_hearing(title="Reguleringsplan for Kaldnes brygge")
    pages = {
        "list": reverse("hearings:list"),
        "detail": reverse("hearings:detail", args=[hearing.pk]),
        "widget-form": reverse("hearings:embed", args=[hearing.pk]),
        "municipality": reverse("hearings:municipality", args=["3905"]),
        "widget-follow": reverse("hearings:embed_follow", args=["3905"]),
    }
    problems: list[str] = []
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        for name, url in pages.items():
            page.goto(live_server.url + url)
            page.screenshot(
                path=str(artifacts_dir / f"hearings-{name}-{width}.png"), full_page=True
            )
            if page.evaluate("document.documentElement.scrollWidth") > width:
                problems.append(f"{name} scrolls sideways at {width}")
            problems += [f"{name}: {v}" for v in _axe(page)]
    assert not problems, problems
    page.goto(live_server.url + pages["widget-form"])
    page.fill("#id_text", "Husk gang- og sykkelveien langs sjøen.")
    page.fill("#id_name", "Kari Nordmann")
    page.fill("#id_email", "kari@example.org")
    page.set_input_files(
        "#id_attachments",
        files=[{"name": "kart.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 kart"}],
    )
    page.click("button[type=submit]")
    page.wait_for_selector("[role=status]")
    comment = Comment.objects.get()
    assert comment.confirmed_at is None
    assert [a.title for a in comment.attachments.all()] == ["kart.pdf"]
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(live_server.url + pages["widget-follow"])
    page.fill("#id_email", "per@example.org")
    page.click("button[type=submit]")
    page.wait_for_selector("[role=status]")
    page.screenshot(path=str(artifacts_dir / "hearings-widget-follow-sent-390.png"), full_page=True)
