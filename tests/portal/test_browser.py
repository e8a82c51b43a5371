"""The public portal in a real browser: axe-core on every page, networks and hearings
included (no serious or critical finding), keyboard use, the language switch, screenshots at
1366 and 390 px without sideways scrolling, and the widget embedded in a stand-in
municipality website (the `municipality_site` fixture of tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import axe_playwright_python
import pytest
from django.urls import reverse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


def _axe(page) -> list[str]:
    """axe-core's serious and critical violations on the page, one line each."""
    page.evaluate(AXE)  # evaluated through the DevTools protocol: the page's CSP allows it
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def _pages(world, today_municipality) -> dict[str, str]:
    from hearings.models import Hearing
    from networks.models import Network

    return {
        "home": reverse("portal:home"),
        "projects": reverse("portal:projects"),
        "projects-filtered": reverse("portal:projects") + "?phase=in_operation&per_page=50",
        "project": reverse("portal:project", args=[world.public.slug]),
        "municipalities": reverse("portal:municipalities"),
        "municipality": reverse("portal:municipality", args=[today_municipality.number]),
        "municipality-merged": reverse("portal:municipality", args=[world.re.number]),
        "cases": reverse("portal:cases"),
        "case": reverse("portal:case", args=[world.case.pk]),
        "networks": reverse("portal:networks"),
        "network": reverse("portal:network", args=[Network.objects.get().slug]),
        "hearings": reverse("hearings:list"),
        "hearing": reverse("hearings:detail", args=[Hearing.objects.get().pk]),
        "widget": reverse("portal:embed", args=[today_municipality.number]),
        "widget-successor": reverse("portal:embed", args=[world.re.number]),
    }


def test_every_portal_page_passes_axe_and_fits_390_px(
    browser_page, live_server, world, hearing_with_comments, today_municipality, artifacts_dir
):
    page = browser_page
    out = artifacts_dir / "portal"
    out.mkdir(exist_ok=True)
    problems = []
    for name, url in _pages(world, today_municipality).items():
        for width, height in ((1366, 900), (390, 844)):
            page.set_viewport_size({"width": width, "height": height})
            response = page.goto(live_server.url + url)
            assert response is not None and response.status == 200, url
            page.screenshot(path=str(out / f"{name}-{width}.png"), full_page=True)
            scroll = page.evaluate("document.documentElement.scrollWidth")
            if scroll > width:
                problems.append(f"{url} at {width} px scrolls sideways ({scroll} px)")
            if width == 1366:
                problems += [f"{url}: {v}" for v in _axe(page)]
    assert not problems, "\n".join(problems)


def test_keyboard_skip_link_focus_and_landmarks(browser_page, live_server, world):
    page = browser_page
    page.goto(live_server.url + reverse("portal:projects"))
    for landmark in ("header", "nav", "main", "footer", "form[role=search]"):
        assert page.locator(landmark).count() >= 1, landmark
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    page.keyboard.press("Tab")  # the next stop is inside main: the search field
    assert page.evaluate("document.activeElement.closest('main') !== null")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    # Every form control has a label.
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
        .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
        .map(el => el.name)"""
    )
    assert unlabelled == []


def test_language_switch_to_english_and_back(browser_page, live_server, world):
    page = browser_page
    page.goto(live_server.url + reverse("portal:project", args=[world.public.slug]))
    assert page.get_attribute("html", "lang") == "nb"
    assert page.locator("h2", has_text="Deltakere").count() == 1
    with page.expect_navigation():
        page.click(".langs a[lang=en]")
    assert page.get_attribute("html", "lang") == "en"
    assert page.locator("h2", has_text="Participants").count() == 1
    assert page.url.endswith(reverse("portal:project", args=[world.public.slug]))
    with page.expect_navigation():
        page.click(".langs a[lang=nb]")
    assert page.get_attribute("html", "lang") == "nb"


HOST_PAGE = """<!doctype html><html lang="nb"><head><meta charset="utf-8">
<title>Tønsberg kommune</title>
<style>
body {{ font-family: serif; margin: 2rem; }}
iframe[data-samarbeid-widget] {{
  --samarbeid-accent: rgb(122, 31, 43); --samarbeid-font: Georgia, serif; }}
</style></head><body><h1>Tønsberg kommune</h1><p>Interkommunalt samarbeid:</p>
{snippet}
<p id="after">Bunntekst</p></body></html>"""


def test_widget_embedded_in_a_municipality_website(
    browser_page, live_server, world, today_municipality, municipality_site, artifacts_dir
):
    page = browser_page
    # The snippet exactly as the municipality's portal page offers it.
    page.goto(live_server.url + reverse("portal:municipality", args=[today_municipality.number]))
    snippet = page.input_value("#snippet")
    assert "<iframe" in snippet and "embed.js" in snippet
    state, site_url = municipality_site
    state["html"] = HOST_PAGE.format(snippet=snippet)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(site_url)
    frame_element = page.locator("iframe[data-samarbeid-widget]")
    frame_element.wait_for()
    frame = page.frame_locator("iframe[data-samarbeid-widget]")
    frame.locator("a", has_text="Felles innkjøp").wait_for()
    # The script sized the frame to its content (an iframe is 150 px high by default).
    page.wait_for_function(
        "document.querySelector('iframe[data-samarbeid-widget]').style.height !== ''"
    )
    height = frame_element.evaluate("el => el.getBoundingClientRect().height")
    inner = frame.locator("html").evaluate("el => el.getBoundingClientRect().height")
    assert abs(height - inner) <= 2 and height > 150
    # The host page's custom property reached the widget.
    link = frame.locator("a", has_text="Felles innkjøp")
    color = ""
    for _ in range(50):
        color = link.evaluate("el => getComputedStyle(el).color")
        if color == "rgb(122, 31, 43)":
            break
        page.wait_for_timeout(100)
    assert color == "rgb(122, 31, 43)"
    assert world.internal.name not in frame.locator("body").inner_text()
    (artifacts_dir / "portal").mkdir(exist_ok=True)
    page.screenshot(path=str(artifacts_dir / "portal" / "widget-on-municipality-site-1366.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(300)
    page.screenshot(
        path=str(artifacts_dir / "portal" / "widget-on-municipality-site-390.png"), full_page=True
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
