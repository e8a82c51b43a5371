"""The reports page in Chromium at 1366 and 390 px, and a download from it."""

import pytest

from tests.conftest import browser_login
from tests.projects.test_overview_data import project, take_part, vestfold

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reports_page_at_1366_and_390_and_a_download(
    browser_page, live_server, plain_user, artifacts_dir
):
    from tests.conftest import load_registry

    load_registry()  # live_server flushes the database afterwards: bring our own data
    v = vestfold()
    geodata = project(v.cooperation, "Geodata", 1999, 2004, host_municipality=v.tonsberg_0704)
    take_part(geodata, v.vale, v.ramnes, v.horten)
    plain_user.set_password("pw-browser-1")
    plain_user.save()
    page = browser_page
    page.set_default_timeout(90000)  # making a document takes seconds on a busy machine
    browser_login(page, live_server, plain_user.username, "pw-browser-1")
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/reports/")
        assert page.locator("h1").inner_text() == "Rapporter"
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(artifacts_dir / f"reports-page-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})
    with page.expect_download() as info:
        page.locator("#overview-heading ~ form button[value=xlsx]").click()
    assert info.value.suggested_filename.startswith("prosjektoversikt")


def test_the_html_annual_report_fits_a_phone(browser_page, live_server, plain_user, artifacts_dir):
    """The HTML report shown in the browser: at 390 px its charts keep a legible width and
    scroll inside their own box, the page itself does not scroll sideways."""
    from tests.conftest import load_registry

    load_registry()
    v = vestfold()
    geodata = project(v.cooperation, "Geodata", 1999, 2004, host_municipality=v.tonsberg_0704)
    take_part(geodata, v.vale, v.ramnes, v.horten)
    plain_user.set_password("pw-browser-1")
    plain_user.save()
    page = browser_page
    page.set_default_timeout(90000)
    browser_login(page, live_server, plain_user.username, "pw-browser-1")
    url = f"{live_server.url}/reports/download/?report=annual&format=html&lang=nb&year=2003"
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(url)
        assert page.locator("figure svg").count() >= 1
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        if width == 390:
            text_px = page.evaluate(
                """() => [...document.querySelectorAll('figure svg')].map(svg =>
                  9 * svg.getBoundingClientRect().width / svg.viewBox.baseVal.width)"""
            )
            assert min(text_px) >= 10, text_px
        page.screenshot(path=str(artifacts_dir / f"report-annual-html-{width}.png"), full_page=True)
