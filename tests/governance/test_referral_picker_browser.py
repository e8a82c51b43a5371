"""After the demo load, the secretariat refers a new case to today's councils in a real
browser: the picker lists today's six members (memberships follow mergers)."""

import datetime as dt

import pytest

from members.demo import DEMO_PASSWORD, load_demo
from members.selectors import cooperation_by_slug
from tests.conftest import browser_login

from .factories import CaseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TODAYS_MEMBERS = ["Færder", "Holmestrand", "Horten", "Larvik", "Sandefjord", "Tønsberg"]


def test_refer_a_new_case_to_todays_councils(browser_page, live_server, artifacts_dir):
    load_demo()
    case = CaseFactory(
        cooperation=cooperation_by_slug("vestfold"), number="1/2026", title="Felles beredskap"
    )
    page = browser_page
    browser_login(page, live_server, "sekretariat", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/governance/cases/{case.pk}/")

    picker = page.locator("input[name=municipalities]")
    labels = [
        page.locator(f"label[for='{picker.nth(i).get_attribute('id')}']").inner_text().strip()
        for i in range(picker.count())
    ]
    assert [label.split(" (")[0] for label in labels] == TODAYS_MEMBERS
    assert all(label.split("(")[1].startswith("39") for label in labels)  # today's numbers

    for i in range(picker.count()):
        picker.nth(i).check()
    deadline = dt.date.today() + dt.timedelta(days=30)
    page.fill("#id_deadline", deadline.isoformat())
    page.screenshot(path=str(artifacts_dir / "governance-refer-today.png"), full_page=True)
    page.click("form[action$='/refer/'] button[type=submit]")
    page.wait_for_selector("table.data tbody tr[data-municipality]")
    rows = page.locator("tr[data-municipality]")
    names = sorted(rows.nth(i).get_attribute("data-municipality") for i in range(rows.count()))
    assert names == TODAYS_MEMBERS
    referral = case.referrals.get()
    assert referral.referred_on == dt.date.today()
    assert referral.decisions.count() == 6
