"""The officer's desk: a hearing for a case, a project or a plan (with the "Send på høring"
links from the case and project pages), the warning below six weeks, the states draft →
open → closed → processed, and an officer's failing action that loses nothing."""

import pytest
from django.urls import reverse

from hearings import services
from hearings.models import Comment, Hearing
from tests.governance.factories import CaseFactory
from tests.hearings.factories import municipality, open_hearing, submit, token_from_mail
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def _data(**extra):
    mun = municipality("3905")
    data = {
        "title": "Høring",
        "summary": "Kort om saken.",
        "municipalities": [mun.pk],
        "start_date": "2026-03-02",
    }
    data.update(extra)
    return data


def test_hearing_for_a_case_from_the_case_page(secretariat_client):
    case = CaseFactory(title="Felles renovasjon")
    page = secretariat_client.get(reverse("governance:case", args=[case.pk])).content.decode()
    link = f"{reverse('hearings:new')}?case={case.pk}"
    assert link in page and "Send på høring" in page
    form = secretariat_client.get(link)
    assert form.status_code == 200
    checked = f'name="case" value="{case.pk}" id="pick-case-{case.pk}" checked'
    assert checked in form.content.decode()
    response = secretariat_client.post(reverse("hearings:new"), _data(case=case.pk))
    assert response.status_code == 302
    hearing = Hearing.objects.get()
    assert hearing.case == case and hearing.state == Hearing.State.DRAFT
    assert (hearing.deadline - hearing.start_date).days == 42
    page = secretariat_client.get(response["Location"]).content.decode()
    assert "seks uker" not in page


def test_hearing_for_a_project_warns_but_saves_a_short_deadline(secretariat_client):
    project = ProjectFactory()
    page = secretariat_client.get(reverse("projects:detail", args=[project.slug])).content
    assert f"{reverse('hearings:new')}?project={project.pk}" in page.decode()
    response = secretariat_client.post(
        reverse("hearings:new"), _data(project=project.pk, deadline="2026-03-16"), follow=True
    )
    assert response.status_code == 200
    assert Hearing.objects.get().project == project
    assert "seks uker" in response.content.decode()


def test_exactly_one_owner(secretariat_client):
    case = CaseFactory()
    mun = municipality("3905")
    both = secretariat_client.post(
        reverse("hearings:new"),
        _data(case=case.pk, plan_municipality=mun.pk, plan_identifier="1"),
    )
    assert both.status_code == 422
    none = secretariat_client.post(reverse("hearings:new"), _data())
    assert none.status_code == 422
    plan_without_id = secretariat_client.post(
        reverse("hearings:new"), _data(plan_municipality=mun.pk)
    )
    assert plan_without_id.status_code == 422
    assert "Høring" in plan_without_id.content.decode()  # what was typed stays
    assert not Hearing.objects.exists()


def test_states_from_the_desk(secretariat_client):
    mun = municipality("3905")
    hearing = services.hearing_create(
        actor=None,
        title="Plan",
        summary="S",
        start_date=__import__("django.utils.timezone").utils.timezone.localdate(),
        municipalities=[mun],
        plan_municipality=mun,
        plan_identifier="1",
    )
    url = reverse("hearings:desk_hearing", args=[hearing.pk])
    for action, state in [
        ("close", Hearing.State.DRAFT),  # not allowed from draft: nothing changes
        ("open", Hearing.State.OPEN),
        ("processed", Hearing.State.OPEN),
        ("close", Hearing.State.CLOSED),
        ("open", Hearing.State.CLOSED),
        ("processed", Hearing.State.PROCESSED),
    ]:
        response = secretariat_client.post(
            reverse("hearings:hearing_action", args=[hearing.pk, action]), follow=True
        )
        assert response.status_code == 200
        hearing.refresh_from_db()
        assert hearing.state == state, action
    assert hearing.processed_at is not None
    assert "Behandlet" in secretariat_client.get(url).content.decode()


def test_a_failing_officer_action_loses_nothing(secretariat_client):
    hearing = open_hearing()
    comment = submit(hearing, text="Viktig merknad", attachments=[("a.pdf", b"%PDF-1.4 a")])
    services.comment_confirm(token=token_from_mail())
    hold = secretariat_client.post(
        reverse("hearings:comment_action", args=[comment.pk, "hold"]), {"reason": ""}, follow=True
    )
    assert hold.status_code == 200
    too_long = secretariat_client.post(
        reverse("hearings:comment_action", args=[comment.pk, "process"]),
        {"topic": "x" * 500, "response": "Svar"},
        follow=True,
    )
    assert too_long.status_code == 200
    comment.refresh_from_db()
    assert (comment.state, comment.text, comment.topic) == (
        Comment.State.RECEIVED,
        "Viktig merknad",
        "",
    )
    assert comment.confirmed_at is not None and comment.attachments.count() == 1
    assert "Viktig merknad" in too_long.content.decode()


def test_the_desk_list_is_kept_and_a_new_hearing_shows_at_once(secretariat_client, plain_user):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    assert secretariat_client.get(reverse("hearings:desk")).status_code == 200
    with CaptureQueriesContext(connection) as kept:
        assert secretariat_client.get(reverse("hearings:desk")).status_code == 200
    assert len(kept) == 1  # the sign-in query only
    hearing = open_hearing(title="Kystsoneplan for Vestfold")
    assert hearing.title in secretariat_client.get(reverse("hearings:desk")).content.decode()
    other = Client()
    other.force_login(plain_user)  # neither secretariat nor a contact: never the kept page
    assert other.get(reverse("hearings:desk")).status_code == 403
    assert other.get(reverse("hearings:desk")).status_code == 403
