"""The timeline with a project known only until its last record, at 1366 and 390 px."""

import datetime as dt

import pytest

from projects import services as projects
from tests.conftest import browser_login
from tests.projects.test_overview_data import project, vestfold

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_timeline_fades_after_the_last_record(browser_page, live_server, plain_user, artifacts_dir):
    from tests.conftest import load_registry

    load_registry()  # live_server flushes the database afterwards: bring our own data
    v = vestfold()
    ongoing = project(v.cooperation, "Vei samarbeid, kommunale veier", 2002, open_ended=True)
    projects.project_last_recorded_set(
        actor=None, project=ongoing, on=dt.date(2005, 12, 31), precision="year"
    )
    project(v.cooperation, "Geodata", 1999, 2004)
    project(v.cooperation, "Offentlig eid bredbånd", 2001, open_ended=True)
    plain_user.set_password("pw-browser-1")
    plain_user.save()
    page = browser_page
    browser_login(page, live_server, plain_user.username, "pw-browser-1")
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{live_server.url}/overview/timeline/")
        assert page.locator("#results svg[role=img]:visible").count() == 1
        assert page.get_by_text("sist registrert 2005").first.is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(
            path=str(artifacts_dir / f"timeline-last-record-{width}.png"), full_page=True
        )
