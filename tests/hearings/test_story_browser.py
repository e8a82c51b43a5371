"""The whole hearing in a real browser (issue 21, point 7): a page standing in for
Tønsberg's website embeds the widget's <iframe> snippet exactly as the portal gives it; a
citizen comments inside the frame and confirms by the link in the mail; the officer signs
in, publishes, tags and answers the comment; the summary of comments and responses
downloads. Screenshots at 1366 and 390 px; axe-core on the widget, the portal hearing page
and the officer's page (no serious or critical finding)."""

from __future__ import annotations

import subprocess

import pytest
from django.core import mail
from django.urls import reverse

from hearings.models import Comment
from members.models import Municipality
from tests.conftest import browser_login, load_registry
from tests.governance.factories import contact_user
from tests.hearings.factories import municipality, open_hearing, token_from_mail
from tests.portal.test_browser import _axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SITE = """<!doctype html><html lang="nb"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tønsberg kommune – Høringer</title>
<style>
body {{ font-family: Georgia, serif; margin: 0; color: #222; }}
header {{ background: rgb(122, 31, 43); color: #fff; padding: 1rem 1.5rem; }}
main {{ max-width: 60rem; margin: 0 auto; padding: 1rem 1.5rem; }}
iframe[data-samarbeid-widget] {{ --samarbeid-accent: rgb(122, 31, 43); }}
</style></head><body>
<header><p>Tønsberg kommune</p></header>
<main><h1>Høringer og offentlig ettersyn</h1>
<p>Si din mening om planer og saker som er ute på høring.</p>
{snippet}
</main></body></html>"""

TEXT = "Byggene langs sjøen blir for høye. Husk utsikten fra Kaldnesveien."
RESPONSE = "Byggehøyden er senket til fire etasjer i revidert forslag."


def _fits(page, width: int, name: str) -> list[str]:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    return [f"{name} scrolls sideways at {width} px ({scroll})"] if scroll > width else []


def _shots(page, url: str, name: str, out) -> list[str]:
    """Screenshots at 1366 and 390 px, sideways scrolling and axe at both widths."""
    problems: list[str] = []
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(url)
        page.screenshot(path=str(out / f"{name}-{width}.png"), full_page=True)
        problems += _fits(page, width, name)
        problems += [f"{name} {width}: {v}" for v in _axe(page)]
    return problems


def _frame_fitted(page) -> None:
    """Wait until the host page has sized the frame to its new document (embed.js)."""
    frame = _widget_frame(page)
    inner = outer = 0.0
    for _ in range(100):
        inner = frame.evaluate("Math.ceil(document.documentElement.getBoundingClientRect().height)")
        outer = page.evaluate(
            "document.querySelector('iframe[data-samarbeid-widget]').getBoundingClientRect().height"
        )
        if abs(inner - outer) <= 2:
            break
        page.wait_for_timeout(100)
    assert abs(inner - outer) <= 2, (inner, outer)
    assert frame.evaluate("window.scrollY") == 0


def _widget_frame(page):
    for frame in page.frames:
        if "/embed/" in frame.url:
            return frame
    raise AssertionError([f.url for f in page.frames])


def test_comment_through_the_widget_to_the_summary(
    browser_page, live_server, municipality_site, artifacts_dir, django_user_model
):
    page = browser_page
    page.set_default_timeout(90000)  # making the PDF takes seconds on a busy machine
    if not Municipality.objects.filter(number="3905").exists():  # flushed by a live server
        load_registry()
    hearing = open_hearing(title="Reguleringsplan for Kaldnes brygge")
    officer = contact_user(django_user_model, "tonsberg", municipality("3905"))
    out = artifacts_dir / "hearings-story"
    out.mkdir(exist_ok=True)
    problems: list[str] = []

    # The snippet exactly as the municipality's portal page offers it, on the stand-in site.
    page.goto(live_server.url + reverse("portal:municipality", args=["3905"]))
    snippet = page.input_value("#snippet")
    assert "<iframe" in snippet
    state, site_url = municipality_site
    state["html"] = SITE.format(snippet=snippet)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(site_url)
    frame = page.frame_locator("iframe[data-samarbeid-widget]")
    frame.locator("a", has_text=hearing.title).wait_for()
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        _frame_fitted(page)
        page.screenshot(path=str(out / f"site-widget-{width}.png"), full_page=True)
        problems += _fits(page, width, "stand-in site with the widget")
        problems += [f"widget {width}: {v}" for v in _axe(_widget_frame(page))]

    # The citizen comments inside the frame.
    page.set_viewport_size({"width": 390, "height": 900})
    frame.locator("a", has_text=hearing.title).click()
    frame.locator("#id_text").fill(TEXT)
    frame.locator("#id_name").fill("Kari Nordmann")
    frame.locator("#id_email").fill("kari@example.org")
    page.wait_for_timeout(300)
    page.screenshot(path=str(out / "site-widget-form-390.png"), full_page=True)
    problems += [f"widget form 390: {v}" for v in _axe(_widget_frame(page))]
    frame.locator("button[type=submit]").click()
    frame.locator("[role=status]").wait_for()
    _frame_fitted(page)
    page.screenshot(path=str(out / "site-widget-sent-390.png"), full_page=True)
    problems += _fits(page, 390, "stand-in site with the sent form")
    comment = Comment.objects.get()
    assert comment.confirmed_at is None and comment.text == TEXT

    # The link from the mail confirms it.
    assert mail.outbox and mail.outbox[-1].to == ["kari@example.org"]
    page.goto(live_server.url + reverse("hearings:confirm", args=[token_from_mail()]))
    assert comment.reference in page.locator("body").inner_text()
    comment.refresh_from_db()
    assert comment.confirmed_at is not None

    # The officer publishes, tags and answers it.
    page.set_viewport_size({"width": 1366, "height": 900})
    browser_login(page, live_server, officer.username, "pw-tonsberg")
    desk = live_server.url + reverse("hearings:desk_hearing", args=[hearing.pk])
    page.goto(desk)
    page.locator("article.comment button", has_text="Publiser").click()
    page.wait_for_url(desk)
    page.fill("article.comment input[name=topic]", "§ 3.2 Byggehøyder")
    page.fill("article.comment textarea[name=response]", RESPONSE)
    page.locator("article.comment button", has_text="Lagre tema og svar").click()
    page.wait_for_url(desk)
    comment.refresh_from_db()
    assert comment.state == Comment.State.PUBLISHED and comment.response == RESPONSE
    problems += _shots(page, desk, "officer", out)

    # The summary downloads from the officer's page.
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(desk)
    with page.expect_download() as info:
        page.locator("a", has_text="Last ned som PDF").click()
    download = info.value
    assert download.suggested_filename == f"merknadsbehandling-{hearing.pk}.pdf"
    pdf = out / "summary.pdf"
    download.save_as(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(out / "summary")], check=True)
    text = " ".join(
        subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
    )
    assert "Merknadsbehandling: Reguleringsplan for Kaldnes brygge" in text
    assert comment.reference in text and "Kari Nordmann" in text
    assert TEXT in text and RESPONSE in text and "§ 3.2 Byggehøyder" in text
    assert "kari@example.org" not in text

    # The portal's hearing page lists it, without the address.
    public = live_server.url + reverse("hearings:detail", args=[hearing.pk])
    problems += _shots(page, public, "portal-hearing", out)
    body = page.locator("body").inner_text()
    assert RESPONSE in body and "kari@example.org" not in body
    assert not problems, problems
