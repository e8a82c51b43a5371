"""Drive the municipality page and the timeline in Chromium and keep screenshots."""

import pytest

from projects.models import Participation
from tests.conftest import browser_login
from tests.projects.test_overview_data import money, project, take_part, vestfold

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _data():
    from tests.conftest import load_registry

    load_registry()  # live_server flushes the database afterwards: bring our own data
    v = vestfold()
    sensitive = project(v.cooperation, "Sensitiv driftsentral", 2003, 2004)
    take_part(sensitive, v.re, role=Participation.Role.HOST)
    geodata = project(v.cooperation, "Geodata", 1999, 2004, host_municipality=v.tonsberg_0704)
    take_part(geodata, v.vale, v.ramnes, v.horten)
    broadband = project(v.cooperation, "Offentlig eid bredbånd", 2001, open_ended=True)
    take_part(broadband, v.tonsberg_0704, v.horten)
    project(v.cooperation, "Næringsarealer", 2004, 2005, category="planning")
    money(sensitive, "grant", 1_000_000, 2003, municipality=v.re)
    money(geodata, "benefit", 250_000, 2002, 2004, municipality=v.tonsberg_0704)
    money(broadband, "grant", 5_000_000, 2001, 2003)
    return v


def test_municipality_page_and_timeline(browser_page, live_server, plain_user, artifacts_dir):
    _data()
    plain_user.set_password("pw-browser-1")
    plain_user.save()
    page = browser_page
    browser_login(page, live_server, plain_user.username, "pw-browser-1")

    page.goto(f"{live_server.url}/municipalities/3905/")
    assert page.locator("h1").inner_text().startswith("Tønsberg")
    assert page.get_by_text("som Re").first.is_visible()
    assert page.get_by_text("som Våle").first.is_visible()
    assert page.locator("svg[role=img]:visible title").count() == 1
    page.screenshot(path=str(artifacts_dir / "overview-municipality-3905.png"), full_page=True)

    page.goto(f"{live_server.url}/overview/timeline/")
    assert page.locator("#results svg[role=img]:visible").count() == 1
    assert page.locator("#results tbody tr").count() == 4
    # With htmx the results are swapped in place, without it the form is submitted;
    # either way the filter ends up in the address and the table shows one project.
    page.check("input[name=category][value=planning]")
    page.click(".overview-filters button[type=submit]")
    page.wait_for_url("**category=planning**")
    page.wait_for_function("() => document.querySelectorAll('#results tbody tr').length === 1")
    page.uncheck("input[name=category][value=planning]")
    page.click(".overview-filters button[type=submit]")
    page.wait_for_function("() => document.querySelectorAll('#results tbody tr').length === 4")
    page.screenshot(path=str(artifacts_dir / "overview-timeline.png"), full_page=True)


def test_paged_matrix_timeline_and_money_at_1366_and_390(
    browser_page, live_server, plain_user, artifacts_dir
):
    """With more projects than a page holds, the matrix, timeline and money pages show 50
    rows and Norwegian page navigation that keeps the filter, at desktop and phone width."""
    from projects.views_overview import PAGE_SIZE
    from tests.projects.test_overview_data import bulk_portfolio

    v = _data()
    bulk_portfolio(v, PAGE_SIZE + 20)
    plain_user.set_password("pw-browser-1")
    plain_user.save()
    page = browser_page
    browser_login(page, live_server, plain_user.username, "pw-browser-1")
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{live_server.url}/overview/matrix/?year_from=1998")
        assert page.locator("#results tbody tr").count() == PAGE_SIZE
        assert page.get_by_text("Side 1 av 2").is_visible()
        page.screenshot(
            path=str(artifacts_dir / f"overview-matrix-paged-{width}.png"), full_page=True
        )
        page.get_by_role("link", name="Neste →").click()
        page.wait_for_url("**page=2**")
        assert "year_from=1998" in page.url
        page.wait_for_function("document.querySelectorAll('#results tbody tr').length < 50")
        page.goto(f"{live_server.url}/overview/timeline/")
        assert page.locator("#results tbody tr").count() == PAGE_SIZE
        assert page.locator("#results svg[role=img]:visible").count() == 1
        page.screenshot(
            path=str(artifacts_dir / f"overview-timeline-paged-{width}.png"), full_page=True
        )
        page.goto(f"{live_server.url}/overview/money/")
        assert page.get_by_text("Viser de 50 største av").is_visible()
        page.screenshot(
            path=str(artifacts_dir / f"overview-money-capped-{width}.png"), full_page=True
        )


def test_timeline_and_municipality_projects_are_cards_on_a_phone(
    browser_page, live_server, plain_user, artifacts_dir
):
    """At 390 px each project of the timeline table and of the municipality's project list
    is a card of its own with the column names, its short values sharing lines, and nothing
    scrolls sideways."""
    _data()
    plain_user.set_password("pw-browser-1")
    plain_user.save()
    page = browser_page
    browser_login(page, live_server, plain_user.username, "pw-browser-1")
    page.set_viewport_size({"width": 390, "height": 844})
    for name, url in (
        ("timeline", "/overview/timeline/"),
        ("municipality", "/municipalities/3905/"),
    ):
        page.goto(live_server.url + url)
        row = page.locator("table.stack-on-phone tbody tr").first
        assert row.evaluate("tr => getComputedStyle(tr).display") == "flex", name
        assert row.evaluate("tr => tr.getBoundingClientRect().height") < 200, name
        labels = row.locator("td[data-label]").evaluate_all(
            "tds => tds.map(td => getComputedStyle(td, '::before').content)"
        )
        # Each value has its column's name before it, but the category's own chip.
        assert sum(label.strip('"').endswith(": ") for label in labels) >= 2, (name, labels)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, name
        page.screenshot(path=str(artifacts_dir / f"phone-cards-{name}.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(live_server.url + "/overview/timeline/")
    row = page.locator("table.stack-on-phone tbody tr").first
    assert row.evaluate("tr => getComputedStyle(tr).display") == "table-row"
    page.screenshot(path=str(artifacts_dir / "desk-cards-timeline.png"), full_page=True)


CHART_PAGES = (
    ("timeline", "/overview/timeline/", 1),
    ("money", "/overview/money/", 2),
    ("municipality", "/municipalities/3905/", 1),
)

# Per chart shown: does it fit its box, and how large is its 9 pt text on the screen (px)?
MEASURE_CHARTS = """() => [...document.querySelectorAll('figure.chart svg[role=img]')]
  .filter(svg => svg.getBoundingClientRect().width > 0)
  .map(svg => {
    const box = svg.closest('figure').getBoundingClientRect();
    const r = svg.getBoundingClientRect();
    return {
      phone: !!svg.closest('.chart-phone'),
      inside: r.left >= box.left - 1 && r.right <= box.right + 1,
      boxFits: svg.closest('figure').scrollWidth <= svg.closest('figure').clientWidth + 1,
      textPx: 9 * r.width / svg.viewBox.baseVal.width,
    };
  })"""


def test_every_chart_is_legible_and_whole_at_390_and_1366(
    browser_page, live_server, plain_user, artifacts_dir
):
    """At 390 px each chart page shows the chart drawn for a phone: inside its box (nothing
    clipped, no sideways scrolling) with text at least 10 px; at 1366 px the desk's chart."""
    _data()
    plain_user.set_password("pw-browser-1")
    plain_user.save()
    page = browser_page
    browser_login(page, live_server, plain_user.username, "pw-browser-1")
    for width, height in ((390, 844), (1366, 900)):
        page.set_viewport_size({"width": width, "height": height})
        for name, url, count in CHART_PAGES:
            page.goto(live_server.url + url)
            shown = page.evaluate(MEASURE_CHARTS)
            assert len(shown) == count, (name, width, shown)
            for chart in shown:
                assert chart["phone"] == (width == 390), (name, width, chart)
                assert chart["inside"] and chart["boxFits"], (name, width, chart)
                assert chart["textPx"] >= 10, (name, width, chart)
            assert page.evaluate("document.documentElement.scrollWidth") <= width, name
            page.screenshot(path=str(artifacts_dir / f"chart-{name}-{width}.png"), full_page=True)
