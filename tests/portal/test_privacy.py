"""Nothing internal and no personal contact data on any public surface (issue 18, point 5):
crawl every portal page and the widget (HTML and JSON) anonymously and look for markers."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlparse

import pytest
from django.urls import reverse

from tests.portal.conftest import MARKERS

pytestmark = pytest.mark.django_db

HEARING_MARKERS = {
    "withheld commenter name": "SKJULTNAVNX",
    "held-back commenter": "HOLDTILBAKEX",
    "unconfirmed commenter": "UBEKREFTETX",
    "withdrawn commenter": "TRUKKETX",
    "attachment of a held-back comment": "HEMMELIGVEDLEGGX",
}


@pytest.fixture
def hearing_world(world, monkeypatch):
    """An open hearing with comments in every state, each with its own e-mail address, the
    withheld and hidden ones marked; a follower. Returns the attachment nobody may fetch."""
    from django.utils import timezone

    from hearings import services
    from hearings.models import Comment
    from tests.hearings.factories import open_hearing

    hearing = open_hearing(title="Kommuneplan høring")

    def comment(name, email, *, show_name=True, state="published", attachment=None):
        made = services.comment_submit(
            hearing=hearing,
            text="Merknad uten personopplysninger.",
            name=name,
            email=email,
            show_name=show_name,
            attachments=[attachment] if attachment else [],
        )
        Comment.objects.filter(pk=made.pk).update(confirmed_at=timezone.now())
        made.refresh_from_db()
        if state == "published":
            services.comment_publish(actor=None, comment=made)
        elif state == "held_back":
            services.comment_hold_back(actor=None, comment=made, reason="Sjikane")
        elif state == "withdrawn":
            Comment.objects.filter(pk=made.pk).update(state=Comment.State.WITHDRAWN)
        return made

    comment("Åpen Person", "synlig@example.org", attachment=("kart.pdf", b"%PDF-1.4 kart"))
    comment(HEARING_MARKERS["withheld commenter name"], "skjult@example.org", show_name=False)
    held = comment(
        HEARING_MARKERS["held-back commenter"],
        "holdt@example.org",
        state="held_back",
        attachment=(HEARING_MARKERS["attachment of a held-back comment"] + ".pdf", b"%PDF-1.4"),
    )
    comment(HEARING_MARKERS["withdrawn commenter"], "trukket@example.org", state="withdrawn")
    services.comment_submit(
        hearing=hearing, text="x", name=HEARING_MARKERS["unconfirmed commenter"], email="u@ex.no"
    )
    monkeypatch.setattr("hearings.mail.transaction.on_commit", lambda func, **kw: None)
    services.follower_subscribe(municipality=hearing.plan_municipality, email="folger@example.org")
    return hearing, held.attachments.get()


LINK = re.compile(r'(?:href|src)="([^"#]+)')


def _crawl(client, starts: list[str]) -> dict[str, bytes]:
    """Every same-site page reachable from `starts` under /portal/ and /embed/."""
    seen: dict[str, bytes] = {}
    queue = list(starts)
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        response = client.get(url)
        assert response.status_code in (200, 404), (url, response.status_code)
        streaming = getattr(response, "streaming", False)
        seen[url] = b"".join(response.streaming_content) if streaming else response.content
        if "html" not in response.get("Content-Type", ""):
            continue
        for link in LINK.findall(seen[url].decode()):
            target = urlparse(urljoin("http://testserver" + url, link.replace("&amp;", "&")))
            if target.netloc not in ("", "testserver"):
                continue
            path = target.path + (f"?{target.query}" if target.query else "")
            language_switch = path.startswith("/portal/language/")
            if path.startswith(("/portal/", "/embed/")) and not language_switch and len(seen) < 400:
                queue.append(path)
    return seen


@pytest.mark.parametrize("language", ["nb", "en"])
def test_no_marker_on_any_public_page_widget_or_json(
    client, world, hearing_with_comments, hearing_world, today_municipality, language
):
    client.cookies["django_language"] = language
    hearing, hidden_attachment = hearing_world
    numbers = sorted({world.re.number, world.tonsberg.number, today_municipality.number})
    starts = [reverse("portal:home"), reverse("portal:projects") + "?per_page=50"]
    for number in numbers:
        starts += [
            reverse("portal:embed", args=[number]),
            reverse("portal:embed_json", args=[number]),
            reverse("portal:embed", args=[number]) + "?format=json",
            reverse("hearings:municipality", args=[number]),
            reverse("hearings:embed_follow", args=[number]),
        ]
    pages = _crawl(client, starts)
    # The crawl reached every kind of page.
    assert reverse("portal:project", args=[world.public.slug]) in pages
    assert reverse("portal:case", args=[world.case.pk]) in pages
    assert reverse("portal:municipality", args=[today_municipality.number]) in pages
    assert reverse("portal:document", args=[world.public_doc.pk]) in pages
    assert reverse("portal:networks") in pages
    network_pages = [u for u in pages if u.startswith("/portal/networks/") and u.count("/") == 4]
    assert network_pages, "no network page reached"
    assert [u for u in pages if u.startswith("/portal/network-files/")], "no download reached"
    hearing_pages = [u for u in pages if re.match(r"^/portal/hearings/\d+/$", u)]
    assert hearing_pages, "no hearing page reached"
    hearing_html = b"".join(pages[u] for u in hearing_pages).decode()
    assert "Synlig Innsender" in hearing_html  # the seeded comments are really on the page
    # Network documents that are not public do not download either.
    from networks.models import DocumentVersion

    for version in DocumentVersion.objects.exclude(document__visibility="public"):
        assert client.get(reverse("portal:network_file", args=[version.pk])).status_code == 404
    assert reverse("hearings:list") in pages
    assert reverse("hearings:detail", args=[hearing.pk]) in pages
    assert reverse("hearings:embed", args=[hearing.pk]) in pages
    assert "Åpen Person" in pages[reverse("hearings:detail", args=[hearing.pk])].decode()
    published_attachment = hearing.comments.get(name="Åpen Person").attachments.get()
    assert reverse("hearings:attachment", args=[published_attachment.pk]) in pages
    # Direct addresses of internal things do not answer either.
    for url in [
        reverse("portal:project", args=[world.internal.slug]),
        reverse("portal:case", args=[world.internal_case.pk]),
        reverse("portal:document", args=[world.internal_doc.pk]),
        reverse("portal:document", args=[world.doc_of_internal_case.pk]),
        reverse("hearings:attachment", args=[hidden_attachment.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    found = []
    for url, body in pages.items():
        text = body.decode("utf-8", errors="replace")
        for what, marker in {**MARKERS, **HEARING_MARKERS}.items():
            if marker.lower() in text.lower():
                found.append(f"{what} ({marker}) on {url}")
        if re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", text):
            found.append(f"an e-mail address on {url}")
    assert not found, found
    assert len(pages) >= 16
