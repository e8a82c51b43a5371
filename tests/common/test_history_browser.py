"""The history page and the trash in a browser, at 1366 and 390 px (screenshots into
artifacts/history-*.png, trash-*.png): readable, Norwegian, no sideways scrolling."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group

from governance import services as gov_services
from projects import services
from projects.models import Project
from samarbeid.common import permissions
from tests.conftest import browser_login, load_registry
from tests.factories import OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desk": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


def _data(django_user_model):
    load_registry()
    from tests.projects.test_overview_data import vestfold

    v = vestfold()
    user = django_user_model.objects.create_user(
        username="sekretær", password="pw-sekretær", first_name="Torill", last_name="Sekretær"
    )
    user.groups.add(Group.objects.get_or_create(name=permissions.SECRETARIAT)[0])
    project = services.project_create(
        actor=user,
        cooperation=v.cooperation,
        name="Felles lønns- og personalsystem",
        category=Project.Category.OPERATIONS,
        fields={"start_date": dt.date(2001, 1, 1), "host_municipality": v.re},
    )
    for changes in (
        {"phase": Project.Phase.STUDY, "description": "Utredning av felles lønnssystem."},
        {"phase": Project.Phase.JOINT_REPORT, "end_date": dt.date(2003, 6, 30)},
        {"host_municipality": v.stokke, "consultant": OrganisationFactory(name="Agenda AS")},
    ):
        project.refresh_from_db()
        services.project_update(
            actor=user, project=project, expected_version=project.version, changes=changes
        )
    first = project.history.earliest("history_date")
    project.refresh_from_db()
    services.project_restore(actor=user, instance=project, version=first)
    money = services.money_entry_add(
        actor=user, project=project, kind="grant", amount_nok=Decimal(350000), year_from=2002
    )
    services.project_row_delete(actor=user, row=money)
    other = services.project_create(
        actor=user, cooperation=v.cooperation, name="Felles innkjøp", category="other"
    )
    services.project_delete(actor=user, project=other)
    case = gov_services.case_create(
        actor=user, cooperation=v.cooperation, number="12/2003", title="Felles lønnssystem"
    )
    gov_services.case_delete(actor=user, case=case)
    return user, project


def _fits(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1"
    )


def test_history_and_trash_pages(live_server, browser_page, django_user_model, artifacts_dir):
    _user, project = _data(django_user_model)
    page = browser_page
    browser_login(page, live_server, "sekretær", "pw-sekretær")
    pages = {
        "history": f"/history/projects.project/{project.pk}/",
        "trash": "/trash/",
    }
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        for name, path in pages.items():
            page.goto(live_server.url + path)
            text = page.inner_text("main")
            page.screenshot(path=str(artifacts_dir / f"{name}-{size}.png"), full_page=True)
            assert _fits(page), f"{name} scrolls sideways at {viewport['width']} px"
            if name == "history":
                assert "Historikk" in text and "gjenopprettet versjon fra" in text
                assert "Gjenopprett denne versjonen" in text
            else:
                assert "Papirkurv" in text and "Felles innkjøp" in text and "12/2003" in text
                assert "1–3 av 3, sist slettet først." in text
    # One kind at a time: the select sends its form when it changes.
    page.goto(live_server.url + pages["trash"])
    with page.expect_navigation():
        page.select_option("#trash-kind", "governance.case")
    text = page.inner_text("main")
    assert "kind=governance.case" in page.url and "12/2003" in text
    assert "Felles innkjøp" not in text and "1–1 av 1" in text
    page.set_viewport_size(SIZES["desk"])
    page.goto(live_server.url + pages["history"])
    page.click("text=Gjenopprett denne versjonen >> nth=0")
    page.screenshot(path=str(artifacts_dir / "history-restore-desk.png"), full_page=True)
    assert "Disse feltene endres" in page.inner_text("main")
