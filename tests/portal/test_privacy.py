"""Nothing internal and no personal contact data on any public surface (issue 18, point 5):
crawl every portal page and the widget (HTML and JSON) anonymously and look for markers."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlparse

import pytest
from django.urls import reverse

from tests.portal.conftest import MARKERS

pytestmark = pytest.mark.django_db

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
    client, world, hearing_with_comments, today_municipality, language
):
    client.cookies["django_language"] = language
    numbers = sorted({world.re.number, world.tonsberg.number, today_municipality.number})
    starts = [reverse("portal:home"), reverse("portal:projects") + "?per_page=50"]
    for number in numbers:
        starts += [
            reverse("portal:embed", args=[number]),
            reverse("portal:embed_json", args=[number]),
            reverse("portal:embed", args=[number]) + "?format=json",
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
    hearing = b"".join(pages[u] for u in hearing_pages).decode()
    assert "Synlig Innsender" in hearing  # the seeded comments are really on the page
    # Network documents that are not public do not download either.
    from networks.models import DocumentVersion

    for version in DocumentVersion.objects.exclude(document__visibility="public"):
        assert client.get(reverse("portal:network_file", args=[version.pk])).status_code == 404
    # Direct addresses of internal things do not answer either.
    for url in [
        reverse("portal:project", args=[world.internal.slug]),
        reverse("portal:case", args=[world.internal_case.pk]),
        reverse("portal:document", args=[world.internal_doc.pk]),
        reverse("portal:document", args=[world.doc_of_internal_case.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    found = []
    for url, body in pages.items():
        text = body.decode("utf-8", errors="replace")
        for what, marker in MARKERS.items():
            if marker.lower() in text.lower():
                found.append(f"{what} ({marker}) on {url}")
        if re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", text):
            found.append(f"an e-mail address on {url}")
    assert not found, found
    assert len(pages) >= 16
