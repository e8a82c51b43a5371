"""History pages, restore of a version, the trash and purging (issue 17, point 5)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance import services as gov_services
from governance.models import Case
from members import services as member_services
from members.models import Membership, Person
from projects import selectors as project_selectors
from projects import services
from projects.models import MoneyEntry, Participation, Project
from samarbeid.common.models import AuditEvent
from tests.factories import OrganisationFactory
from tests.projects.test_overview_data import vestfold

pytestmark = pytest.mark.django_db


def history_url(obj) -> str:
    return reverse("history", args=[obj._meta.label_lower, obj.pk])


@pytest.fixture
def v():
    return vestfold()


@pytest.fixture
def project(v, secretariat_user):
    p = services.project_create(
        actor=secretariat_user,
        cooperation=v.cooperation,
        name="Felles lønnssystem",
        category=Project.Category.OPERATIONS,
        fields={"start_date": dt.date(2001, 1, 1), "host_municipality": v.re},
    )
    return p


def edit(project, actor, **changes):
    project.refresh_from_db()
    return services.project_update(
        actor=actor, project=project, expected_version=project.version, changes=changes
    )


# --- the history page ----------------------------------------------------------------


def test_history_page_shows_who_when_reason_and_a_readable_diff_in_norwegian(
    client, project, secretariat_user, v
):
    edit(
        project,
        secretariat_user,
        phase=Project.Phase.STUDY,
        host_municipality=v.stokke,
        end_date=dt.date(2003, 6, 30),
    )
    client.force_login(secretariat_user)
    page = client.get(history_url(project), HTTP_ACCEPT_LANGUAGE="nb").content.decode()
    assert "Historikk" in page
    assert "endret" in page  # the reason "edited", translated
    assert "Fase" in page and "idé" in page and "utredning" in page  # choice labels
    assert "Re" in page and "Stokke" in page  # foreign keys by name
    assert "30.06.2003" in page  # dates in Norwegian form
    assert page.index("utredning") < page.index("opprettet")  # newest first
    en = client.get(history_url(project), HTTP_ACCEPT_LANGUAGE="en")
    assert "study" in en.content.decode()


def test_history_page_query_count_does_not_grow_with_versions(client, project, secretariat_user):
    client.force_login(secretariat_user)
    url = history_url(project)
    for i in range(3):
        edit(project, secretariat_user, comments=f"runde {i}")
    client.get(url)
    cache.clear()  # a page as it is rendered, not the kept one (samarbeid.site.session_cache)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for i in range(40):
        edit(project, secretariat_user, comments=f"mange {i}")
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.content.decode().count('class="diff"') == 25  # 25 a page
    assert len(many) == len(few)
    assert client.get(url + "?page=2").status_code == 200


@pytest.mark.parametrize("kind", ["participation", "money", "deliverable", "case", "person"])
def test_each_object_has_a_history_page(client, project, secretariat_user, v, kind):
    if kind == "participation":
        obj = services.participation_add(actor=secretariat_user, project=project, municipality=v.re)
    elif kind == "money":
        obj = services.money_entry_add(
            actor=secretariat_user, project=project, kind="grant", amount_nok=Decimal(1000)
        )
    elif kind == "deliverable":
        obj = project.deliverables.create(title="Sluttrapport")
    elif kind == "case":
        obj = gov_services.case_create(
            actor=secretariat_user, cooperation=v.cooperation, number="1/2003", title="Lønn"
        )
    else:
        obj = member_services.person_create(actor=secretariat_user, name="Kari Nordmann")
    client.force_login(secretariat_user)
    assert client.get(history_url(obj)).status_code == 200


def test_project_page_links_to_its_history(client, project, secretariat_user, v):
    services.participation_add(actor=secretariat_user, project=project, municipality=v.re)
    client.force_login(secretariat_user)
    page = client.get(reverse("projects:detail", args=[project.slug])).content.decode()
    assert history_url(project) in page
    assert history_url(project.participations.get()) in page


# --- restore -------------------------------------------------------------------------


def test_restore_brings_back_the_old_values_through_the_service(
    client, project, secretariat_user, v
):
    first = project.history.earliest("history_date")
    edit(project, secretariat_user, name="Nytt navn", host_municipality=v.stokke)
    client.force_login(secretariat_user)
    url = reverse("history_restore", args=["projects.project", project.pk, first.history_id])
    confirm = client.get(url, HTTP_ACCEPT_LANGUAGE="nb").content.decode()
    assert "Nytt navn" in confirm and "Felles lønnssystem" in confirm
    response = client.post(url, HTTP_ACCEPT_LANGUAGE="nb")
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.name == "Felles lønnssystem" and project.host_municipality == v.re
    latest = project.history.latest("history_date")
    assert latest.history_change_reason == "restored version from %(date)s"
    assert latest.history_restored_from == first.history_date
    assert latest.history_user == secretariat_user
    page = client.get(history_url(project), HTTP_ACCEPT_LANGUAGE="nb").content.decode()
    when = timezone.localtime(first.history_date).strftime("%d.%m.%Y")
    assert f"gjenopprettet versjon fra {when}" in page


def test_restoring_the_current_values_writes_no_history(client, project, secretariat_user):
    first = project.history.earliest("history_date")
    client.force_login(secretariat_user)
    before = project.history.count()
    client.post(reverse("history_restore", args=["projects.project", project.pk, first.history_id]))
    services.project_restore(actor=secretariat_user, instance=project, version=first)
    assert project.history.count() == before


def test_a_restore_that_breaks_a_rule_says_why_and_changes_nothing(client, v, secretariat_user):
    case = gov_services.case_create(
        actor=secretariat_user, cooperation=v.cooperation, number="1/2003", title="Lønn"
    )
    first = case.history.earliest("history_date")
    gov_services.case_update(actor=secretariat_user, case=case, number="2/2003", title="Lønn")
    gov_services.case_create(
        actor=secretariat_user, cooperation=v.cooperation, number="1/2003", title="Annen sak"
    )
    client.force_login(secretariat_user)
    rows = case.history.count()
    response = client.post(
        reverse("history_restore", args=["governance.case", case.pk, first.history_id]),
        HTTP_ACCEPT_LANGUAGE="nb",
        follow=True,
    )
    assert (
        "1/2003" in response.content.decode() and "ikke gjenopprettet" in response.content.decode()
    )
    case.refresh_from_db()
    assert case.number == "2/2003" and case.history.count() == rows


def test_restore_of_a_participation_a_membership_and_a_person(secretariat_user, project, v):
    part = services.participation_add(
        actor=secretariat_user, project=project, municipality=v.re, note="først"
    )
    old = part.history.earliest("history_date")
    services.participation_update(
        actor=secretariat_user, participation=part, changes={"note": "så"}
    )
    services.participation_restore(actor=secretariat_user, instance=part, version=old)
    assert Participation.objects.get(pk=part.pk).note == "først"

    person = member_services.person_create(actor=secretariat_user, name="Kari")
    old = person.history.earliest("history_date")
    member_services.person_update(actor=secretariat_user, person=person, changes={"name": "Ola"})
    member_services.person_restore(actor=secretariat_user, instance=person, version=old)
    assert Person.objects.get(pk=person.pk).name == "Kari"

    membership = Membership.objects.get(cooperation=v.cooperation, municipality=v.re)
    member_services.membership_update(
        actor=secretariat_user, membership=membership, changes={"note": "a"}
    )
    old = membership.history.latest("history_date")
    member_services.membership_update(
        actor=secretariat_user, membership=membership, changes={"note": "b"}
    )
    member_services.membership_restore(actor=secretariat_user, instance=membership, version=old)
    assert Membership.objects.get(pk=membership.pk).note == "a"


# --- permissions ---------------------------------------------------------------------


def test_others_get_403_and_nothing_changes(client, board_user, project, secretariat_user):
    first = project.history.earliest("history_date")
    edit(project, secretariat_user, name="Nytt navn")
    client.force_login(board_user)
    assert client.get(history_url(project)).status_code == 200  # reading is for everyone inside
    assert (
        "Gjenopprett denne versjonen"
        not in client.get(history_url(project), HTTP_ACCEPT_LANGUAGE="nb").content.decode()
    )
    restore = reverse("history_restore", args=["projects.project", project.pk, first.history_id])
    assert client.get(restore).status_code == 403
    assert client.post(restore).status_code == 403
    assert client.post(reverse("projects:delete", args=[project.slug])).status_code == 403
    assert client.get(reverse("trash")).status_code == 403
    services.project_delete(actor=secretariat_user, project=project)
    key = ["projects.project", project.pk]
    assert client.post(reverse("trash_restore", args=key)).status_code == 403
    assert client.post(reverse("trash_purge", args=key)).status_code == 403
    stored = Project.all_objects.get(pk=project.pk)
    assert stored.name == "Nytt navn" and stored.deleted_at is not None
    assert not AuditEvent.objects.exists()


def test_restore_and_purge_need_post_with_csrf(project, secretariat_user):
    from django.test import Client

    first = project.history.earliest("history_date")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(secretariat_user)
    url = reverse("history_restore", args=["projects.project", project.pk, first.history_id])
    assert strict.post(url).status_code == 403


# --- trash ---------------------------------------------------------------------------


def test_a_project_in_the_trash_is_hidden_everywhere_and_comes_back(
    client, project, secretariat_user, v
):
    services.participation_add(actor=secretariat_user, project=project, municipality=v.re)
    services.money_entry_add(
        actor=secretariat_user, project=project, kind="grant", amount_nok=Decimal(1000)
    )
    client.force_login(secretariat_user)
    response = client.post(reverse("projects:delete", args=[project.slug]))
    assert response.status_code == 302
    assert not Project.objects.filter(pk=project.pk).exists()
    assert not Participation.objects.filter(project_id=project.pk).exists()
    assert not MoneyEntry.objects.filter(project_id=project.pk).exists()
    assert (
        not project_selectors.project_list(
            cooperation=v.cooperation, filters=project_selectors.ProjectFilter()
        )
        .filter(pk=project.pk)
        .exists()
    )
    assert client.get(reverse("projects:detail", args=[project.slug])).status_code == 404
    assert "Felles lønnssystem" not in client.get(reverse("projects:list")).content.decode()

    trash_page = client.get(reverse("trash"), HTTP_ACCEPT_LANGUAGE="nb").content.decode()
    assert "Felles lønnssystem" in trash_page and "Papirkurv" in trash_page
    client.post(reverse("trash_restore", args=["projects.project", project.pk]))
    assert Project.objects.filter(pk=project.pk).exists()
    assert Participation.objects.filter(project_id=project.pk).count() == 1
    assert client.get(reverse("projects:detail", args=[project.slug])).status_code == 200


def test_rows_deleted_in_the_project_form_go_to_the_trash(project, secretariat_user, v):
    part = services.participation_add(actor=secretariat_user, project=project, municipality=v.re)
    project.refresh_from_db()
    services.project_update(
        actor=secretariat_user,
        project=project,
        expected_version=project.version,
        changes={},
        inlines=[services.InlineChanges(deleted=[part])],
    )
    assert not project.participations.exists()
    assert Participation.all_objects.get(pk=part.pk).deleted_by == secretariat_user
    services.project_row_restore_from_trash(
        actor=secretariat_user, instance=Participation.all_objects.get(pk=part.pk)
    )
    assert project.participations.count() == 1


def test_a_new_project_does_not_take_the_slug_of_one_in_the_trash(project, secretariat_user, v):
    services.project_delete(actor=secretariat_user, project=project)
    again = services.project_create(
        actor=secretariat_user,
        cooperation=v.cooperation,
        name="Felles lønnssystem",
        category=Project.Category.OPERATIONS,
    )
    assert again.slug != project.slug


def test_a_case_in_the_trash_keeps_its_number(secretariat_user, v):
    case = gov_services.case_create(
        actor=secretariat_user, cooperation=v.cooperation, number="7/2003", title="Havn"
    )
    gov_services.case_delete(actor=secretariat_user, case=case)
    assert not Case.objects.filter(pk=case.pk).exists()
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match=r"papirkurv|trash"):
        gov_services.case_create(
            actor=secretariat_user, cooperation=v.cooperation, number="7/2003", title="Ny"
        )


def test_purge_deletes_for_good_and_is_logged(client, project, secretariat_user):
    services.project_delete(actor=secretariat_user, project=project)
    client.force_login(secretariat_user)
    key = ["projects.project", project.pk]
    confirm = client.get(reverse("trash_purge", args=key), HTTP_ACCEPT_LANGUAGE="nb")
    assert "Slett for godt" in confirm.content.decode()
    assert Project.all_objects.filter(pk=project.pk).exists()  # GET changes nothing
    client.post(reverse("trash_purge", args=key))
    assert not Project.all_objects.filter(pk=project.pk).exists()
    event = AuditEvent.objects.get()
    assert event.actor == secretariat_user and event.object_repr == "Felles lønnssystem"
    assert event.action == AuditEvent.Action.PURGED
    page = client.get(reverse("trash"), HTTP_ACCEPT_LANGUAGE="nb").content.decode()
    assert "Felles lønnssystem" in page and "Slettet for godt" in page
    # the history page still shows what it was
    assert client.get(history_url(project)).status_code == 200


def test_only_what_is_in_the_trash_can_be_purged(client, project, secretariat_user):
    client.force_login(secretariat_user)
    assert (
        client.post(reverse("trash_purge", args=["projects.project", project.pk])).status_code
        == 404
    )
    assert Project.objects.filter(pk=project.pk).exists()


def test_trash_page_query_count_does_not_grow(client, secretariat_user, v):
    client.force_login(secretariat_user)

    def trash_some(n):
        for i in range(n):
            p = services.project_create(
                actor=secretariat_user,
                cooperation=v.cooperation,
                name=f"P {i} {n}",
                category="other",
            )
            services.project_delete(actor=secretariat_user, project=p)

    trash_some(2)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("trash"))
    trash_some(15)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("trash"))
    assert len(many) == len(few)


def test_purge_trash_command(project, secretariat_user, capsys):
    services.project_delete(actor=secretariat_user, project=project)
    Project.all_objects.filter(pk=project.pk).update(
        deleted_at=timezone.now() - dt.timedelta(days=40)
    )
    call_command("purge_trash", "--older-than", "60")
    assert Project.all_objects.filter(pk=project.pk).exists()
    call_command("purge_trash", "--older-than", "30", "--dry-run")
    assert "would delete 1" in capsys.readouterr().out
    assert Project.all_objects.filter(pk=project.pk).exists()
    call_command("purge_trash", "--older-than", "30")
    assert not Project.all_objects.filter(pk=project.pk).exists()
    assert AuditEvent.objects.get().actor is None


def test_an_unknown_model_has_no_history_page(client, secretariat_user):
    client.force_login(secretariat_user)
    assert client.get(reverse("history", args=["auth.user", 1])).status_code == 404
    OrganisationFactory()


def test_admin_pages_of_people_and_memberships_link_to_their_history(
    client, django_user_model, secretariat_user, v
):
    person = member_services.person_create(actor=secretariat_user, name="Kari")
    membership = Membership.objects.get(cooperation=v.cooperation, municipality=v.re)
    admin = django_user_model.objects.create_superuser("admin-h", "a@example.org", "pw")
    client.force_login(admin)
    for obj, name in ((person, "person"), (membership, "membership")):
        page = client.get(reverse(f"admin:members_{name}_change", args=[obj.pk])).content
        assert history_url(obj) in page.decode()


def test_a_persons_history_is_for_the_secretariat_only(client, board_user, secretariat_user):
    person = member_services.person_create(
        actor=secretariat_user, name="Kari", email="kari@example.org", notes="privat"
    )
    client.force_login(board_user)
    assert client.get(history_url(person)).status_code == 403
    client.force_login(secretariat_user)
    assert "kari@example.org" in client.get(history_url(person)).content.decode()
