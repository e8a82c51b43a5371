"""The secretariat refers a case and records council decisions in a real browser."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group

from governance.models import Case, CouncilDecision
from samarbeid.common import permissions
from tests.conftest import browser_login, load_registry

from .factories import CaseFactory, ProjectFactory, cooperation_with_members, nine

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _secretariat(django_user_model):
    user = django_user_model.objects.create_user(username="sekretær", password="pw-sekretær")
    user.groups.add(Group.objects.get_or_create(name=permissions.SECRETARIAT)[0])
    return user


def _record(page, decision, outcome, requires=None):
    page.click(f"#decision-row-{decision.pk} button")
    form = page.locator(f"#decision-form-{decision.pk}")
    form.wait_for()
    form.locator(f"#id_d{decision.pk}-outcome").select_option(outcome)
    form.locator(f"#id_d{decision.pk}-date").fill("2003-06-20")
    if requires is not None:
        form.locator(f'input[name="d{decision.pk}-requires"][value="{requires.pk}"]').check()
        form.locator(f"#id_d{decision.pk}-conditions_text").fill(
            "ja m/forbehold om Tønsbergs deltakelse"
        )
    form.locator("button[type=submit]").click()
    page.wait_for_selector(f"#decision-row-{decision.pk}.gov-saved")


def _state(page, name):
    return page.get_attribute(f'tr[data-municipality="{name}"]', "data-state")


def test_refer_and_record_decisions(browser_page, live_server, django_user_model, artifacts_dir):
    load_registry()
    muns = nine()
    coop = cooperation_with_members(muns)
    case = CaseFactory(cooperation=coop, number="12/2003", title="Havnevesen")
    case.projects.add(ProjectFactory(cooperation=coop, name="Havnevesen"))
    _secretariat(django_user_model)
    page = browser_page
    browser_login(page, live_server, "sekretær", "pw-sekretær")

    page.goto(f"{live_server.url}/governance/cases/{case.pk}/")
    page.fill("#id_referred_on", "2003-06-02")
    page.fill("#id_deadline", "2003-09-01")
    page.click("form[action$='/refer/'] button[type=submit]")
    page.wait_for_selector("table.data tbody tr[data-municipality]")
    assert page.locator("tr[data-municipality]").count() == 9
    assert {_state(page, name) for name in muns} == {"waiting"}

    referral = Case.objects.get(pk=case.pk).referrals.get()
    decision = {d.municipality.name: d for d in referral.decisions.select_related("municipality")}
    _record(page, decision["Horten"], CouncilDecision.Outcome.ADOPTED)
    assert _state(page, "Horten") == "committed"
    _record(page, decision["Tønsberg"], CouncilDecision.Outcome.POSTPONED)
    _record(
        page,
        decision["Stokke"],
        CouncilDecision.Outcome.ADOPTED_WITH_CONDITIONS,
        requires=muns["Tønsberg"],
    )
    stokke = page.locator('tr[data-municipality="Stokke"]')
    assert stokke.get_attribute("data-state") == "waiting"
    assert "venter på Tønsberg, som utsatte saken" in stokke.inner_text()
    assert "ja m/forbehold om Tønsbergs deltakelse" in stokke.inner_text()
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(artifacts_dir / "governance-case-waiting.png"), full_page=True)

    # A decision dated before the referral is refused with a message, in place.
    stokke_pk = decision["Stokke"].pk
    page.click(f"#decision-row-{stokke_pk} button")
    form = page.locator(f"#decision-form-{stokke_pk}")
    assert (
        form.locator(f'input[name="d{stokke_pk}-requires"][value="{muns["Stokke"].pk}"]').count()
        == 0
    )
    form.locator(f"#id_d{stokke_pk}-date").fill("2003-01-15")
    form.locator("button[type=submit]").click()
    page.wait_for_selector(f"#decision-form-{stokke_pk} .errorlist")
    assert "2003-06-02" in form.locator(".errorlist").inner_text()
    assert _state(page, "Stokke") == "waiting"
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(artifacts_dir / "governance-decision-error.png"), full_page=True)

    _record(page, decision["Tønsberg"], CouncilDecision.Outcome.ADOPTED)
    assert _state(page, "Stokke") == "committed"
    assert _state(page, "Tønsberg") == "committed"
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(artifacts_dir / "governance-case-committed.png"), full_page=True)

    page.goto(f"{live_server.url}/governance/")
    assert page.locator("h1").inner_text() == "Saker og vedtak"
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(artifacts_dir / "governance-dashboard.png"), full_page=True)


def test_havnevesen_demo_pages(browser_page, live_server, django_user_model, artifacts_dir):
    from governance.demo import load_demo

    load_registry()
    cooperation_with_members(nine(dt.date(2003, 1, 31)))
    load_demo()
    _secretariat(django_user_model)
    page = browser_page
    browser_login(page, live_server, "sekretær", "pw-sekretær")
    case = Case.objects.get(title="Havnevesen")
    page.goto(f"{live_server.url}/governance/cases/{case.pk}/")
    assert _state(page, "Tjøme") == "waiting"
    assert _state(page, "Hof") == "not_committed"
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(artifacts_dir / "governance-havnevesen.png"), full_page=True)
    page.goto(f"{live_server.url}/governance/")
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(artifacts_dir / "governance-havnevesen-dashboard.png"), full_page=True)
    page.goto(f"{live_server.url}/governance/municipality/0720/")
    page.click("text=Registrer kommunestyrets vedtak")
    page.wait_for_selector("form[id^=decision-form-]")
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(artifacts_dir / "governance-municipality.png"), full_page=True)
    page.goto(f"{live_server.url}/governance/meetings/{case.meeting_id}/")
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(artifacts_dir / "governance-meeting.png"), full_page=True)


def test_tonsberg_contact_settles_havnevesen(
    browser_page, live_server, django_user_model, artifacts_dir
):
    """Tønsberg's contact records its council's yes on its own page; Stokke and Tjøme,
    who said yes on condition that Tønsberg takes part, are then in."""
    from governance.demo import load_demo
    from members.models import Municipality

    from .factories import contact_user

    load_registry()
    cooperation_with_members(nine(dt.date(2003, 1, 31)))
    load_demo()
    tonsberg = Municipality.objects.get(name="Tønsberg", council_decisions__isnull=False)
    contact_user(django_user_model, "tonsberg-kontakt", tonsberg)
    page = browser_page
    browser_login(page, live_server, "tonsberg-kontakt", "pw-tonsberg-kontakt")
    page.goto(f"{live_server.url}/governance/municipality/{tonsberg.number}/")
    card = page.locator("article[data-state]")
    assert card.get_attribute("data-state") == "waiting"
    assert "Stokke og Tjøme venter på vedtaket" in card.inner_text()
    page.click("text=Registrer kommunestyrets vedtak")
    form = page.locator("form[id^=decision-form-]")
    form.wait_for()
    form.locator("select[name$=-outcome]").select_option(CouncilDecision.Outcome.ADOPTED)
    form.locator("input[name$=-date]").fill("2003-09-15")
    form.locator("textarea[name$=-decision_text]").fill("Tønsberg slutter seg til forslaget.")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("article[data-state=committed]")
    page.screenshot(path=str(artifacts_dir / "governance-tonsberg-contact.png"), full_page=True)

    case = Case.objects.get(title="Havnevesen")
    page.goto(f"{live_server.url}/governance/cases/{case.pk}/")
    for name in ("Tønsberg", "Stokke", "Tjøme", "Horten"):
        assert _state(page, name) == "committed", name
    assert _state(page, "Hof") == "not_committed"
    # The contact may record only Tønsberg's (and its merged predecessors') decisions.
    stokke = page.locator('tr[data-municipality="Stokke"] button')
    assert stokke.count() == 0
