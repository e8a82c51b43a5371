"""The officer's hearing desk in a real browser at 1366 and 390 px: the list, the new-hearing
form and a hearing with its comments fit without sideways scrolling and pass axe-core; the
officer holds a comment back with a reason and adds a document through the file field; the
officer sends a project out for comment, finding it and a municipality that is not a member
by search (Enter searches, it does not send the half-filled form)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from hearings import services
from hearings.models import Comment, Hearing
from members.models import Membership, Municipality
from projects.services import refresh_search_text
from tests.conftest import browser_login, load_registry
from tests.factories import CooperationFactory
from tests.hearings.factories import municipality, open_hearing, submit, token_from_mail
from tests.portal.test_browser import _axe
from tests.projects.factories import ProjectFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _confirmed(hearing, **kwargs) -> Comment:
    submit(hearing, **kwargs)
    return services.comment_confirm(token=token_from_mail())


def test_the_desk_fits_both_widths_and_the_officer_holds_back_and_adds_a_document(
    browser_page, live_server, artifacts_dir, secretariat_user
):
    page = browser_page
    if not Municipality.objects.filter(number="3905").exists():  # flushed by a live server
        load_registry()
    hearing = open_hearing(title="Reguleringsplan for Kaldnes brygge")
    _confirmed(
        hearing,
        name="Kari Nordmann",
        organisation="Kaldnes vel",
        text="Gang- og sykkelveien langs sjøen må gå gjennom hele planområdet.",
        attachments=[("kart.pdf", b"%PDF-1.4 kart")],
    )
    published = _confirmed(hearing, name="Per Hansen", email="per@example.org")
    services.comment_publish(actor=None, comment=published)
    services.comment_process(
        actor=None, comment=published, topic="§ 3.2 Byggehøyder", response="Tas til følge."
    )
    browser_login(page, live_server, secretariat_user.username, "pw-sekretariat-test")
    desk = live_server.url + reverse("hearings:desk_hearing", args=[hearing.pk])
    pages = {
        "desk-list": live_server.url + reverse("hearings:desk"),
        "desk-new": live_server.url + reverse("hearings:new"),
        "desk-hearing": desk,
    }
    problems: list[str] = []
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        for name, url in pages.items():
            page.goto(url)
            page.screenshot(path=str(artifacts_dir / f"{name}-{width}.png"), full_page=True)
            if page.evaluate("document.documentElement.scrollWidth") > width:
                problems.append(f"{name} scrolls sideways at {width}")
            problems += [f"{name} {width}: {v}" for v in _axe(page)]
    assert not problems, problems

    page.goto(desk)
    first = page.locator("article.comment").first
    first.get_by_label("Begrunnelse for tilbakeholding").fill("Inneholder personopplysninger.")
    first.locator("button", has_text="Hold tilbake").click()
    page.wait_for_url(desk)
    held = Comment.objects.get(name="Kari Nordmann")
    assert held.state == Comment.State.HELD_BACK
    page.get_by_label("Tittel").fill("Plankart")
    page.set_input_files(
        "input[type=file]",
        files=[{"name": "plankart.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 x"}],
    )
    page.locator("button", has_text="Legg til dokument").click()
    page.wait_for_url(desk)
    assert [d.title for d in hearing.documents.all()] == ["Plankart"]
    page.set_viewport_size({"width": 390, "height": 900})
    page.screenshot(path=str(artifacts_dir / "desk-hearing-after-390.png"), full_page=True)


def test_the_officer_sends_a_project_out_for_comment_found_by_search(
    browser_page, live_server, artifacts_dir, secretariat_user
):
    page = browser_page
    if not Municipality.objects.filter(number="3905").exists():  # flushed by a live server
        load_registry()
    coop = CooperationFactory(name="Vestfoldsamarbeidet")
    tonsberg, bodo = municipality("3905"), municipality("1804")
    for member in (municipality("3901"), tonsberg):
        Membership.objects.create(cooperation=coop, municipality=member, joined=dt.date(2020, 1, 1))
    for i in range(6):
        ProjectFactory(cooperation=coop, name=f"Annet prosjekt {i}")
    project = ProjectFactory(cooperation=coop, name="Bredbånd i Vestfold")
    refresh_search_text(project)
    browser_login(page, live_server, secretariat_user.username, "pw-sekretariat-test")
    new = live_server.url + reverse("hearings:new")
    page.goto(new)
    page.get_by_label("Tittel").fill("Høring om bredbånd")
    page.get_by_label("Sammendrag i klarspråk").fill("Utbygging av bredbånd i hele Vestfold.")
    page.get_by_label("Et prosjekt", exact=True).check()
    search = page.get_by_label("Søk etter prosjekt")
    search.fill("bredbaand")
    search.press("Enter")
    page.locator("#pick-project-status", has_text="1 treff").wait_for()
    assert page.url == new and not Hearing.objects.exists()
    page.locator("#pick-project").get_by_label("Bredbånd i Vestfold").check()
    concerned = page.locator("fieldset.municipalities")
    concerned.get_by_label("Tønsberg").check()
    concerned.get_by_label("En annen kommune").fill("bodo")
    concerned.get_by_label("Bodø").check()
    concerned.get_by_label("En annen kommune").fill("baerum")
    page.locator("#pick-municipalities-status", has_text="treff").wait_for()
    assert concerned.get_by_label("Bodø").is_checked()  # kept while searching for another
    problems: list[str] = []
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(artifacts_dir / f"desk-new-searched-{width}.png"), full_page=True)
        if page.evaluate("document.documentElement.scrollWidth") > width:
            problems.append(f"the searched form scrolls sideways at {width}")
        problems += [f"searched form {width}: {v}" for v in _axe(page)]
    assert not problems, problems
    page.get_by_label("Startdato").fill("2026-03-02")
    page.locator("button", has_text="Lagre som utkast").click()
    page.wait_for_url(f"{live_server.url}/hearings/*/")
    hearing = Hearing.objects.get()
    assert hearing.project == project
    assert set(hearing.municipalities.all()) == {tonsberg, bodo}
