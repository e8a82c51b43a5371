"""The portfolio admin opens, and writes only through projects.services: an admin edit keeps
the search text, the project's version and the history (reason and user) right, and a
service's refusal comes back as a form error."""

from __future__ import annotations

import pytest
from django.urls import reverse

from members.models import Organisation
from projects import selectors, services
from projects.models import (
    Deliverable,
    MoneyEntry,
    Participation,
    PhaseTransition,
    Project,
    ProjectLink,
    SpinOff,
    Tag,
    UnresolvedMention,
)
from tests.projects.test_overview_data import vestfold

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin-test", "a@example.org", "pw")
    client.force_login(user)
    return user


def _plain(value):
    if isinstance(value, list | tuple):
        return [str(getattr(v, "pk", v)) for v in value]
    return str(getattr(value, "pk", value))


def _form_data(form, data: dict) -> None:
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False or hasattr(value, "url"):
            continue
        data[form.add_prefix(name)] = "on" if value is True else _plain(value)


def change_form_data(response) -> dict:
    """What the admin change page would post back unchanged (main form and inlines)."""
    data: dict = {}
    _form_data(response.context["adminform"].form, data)
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        _form_data(formset.management_form, data)
        for form in formset.forms:
            _form_data(form, data)
    return data


def _search(cooperation, words: str) -> list[Project]:
    return list(
        selectors.project_list(cooperation=cooperation, filters=selectors.ProjectFilter(q=words))
    )


def _project(v, name="Havnevesen"):
    return services.project_create(
        actor=None, cooperation=v.cooperation, name=name, category="planning"
    )


def _post_change(client, model: str, obj, changes: dict):
    url = reverse(f"admin:projects_{model}_change", args=[obj.pk])
    data = change_form_data(client.get(url))
    data.update(changes)
    return client.post(url, data)


def test_admin_pages_open(client, admin_user):
    v = vestfold()
    project = _project(v)
    services.participation_add(actor=None, project=project, municipality=v.re)
    changelist = reverse("admin:projects_project_changelist")
    assert client.get(changelist, {"q": "havn", "phase": "idea"}).status_code == 200
    assert (
        client.get(reverse("admin:projects_project_change", args=[project.pk])).status_code == 200
    )
    assert (
        client.get(reverse("admin:projects_project_history", args=[project.pk])).status_code == 200
    )
    for name in ("participation", "moneyentry", "deliverable", "spinoff", "projectlink"):
        assert client.get(reverse(f"admin:projects_{name}_changelist")).status_code == 200
    assert Project.objects.count() == 1


def test_project_admin_edit_goes_through_the_service(client, admin_user):
    v = vestfold()
    project = _project(v)
    services.participation_add(actor=None, project=project, municipality=v.re)
    response = _post_change(client, "project", project, {"name": "Fyrvesen", "phase": "study"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    project.refresh_from_db()
    assert project.name == "Fyrvesen"
    assert project.version == 2
    assert _search(v.cooperation, "fyrvesen") == [project]
    assert _search(v.cooperation, "re") == [project]  # the participation stayed
    latest = project.history.first()
    assert latest.history_change_reason == "edited in the admin"
    assert latest.history_user == admin_user
    # The phase change is recorded as a transition, as on the page.
    assert list(project.transitions.values_list("phase", flat=True)) == ["study"]


def test_project_admin_inline_rows_go_through_the_service(client, admin_user):
    v = vestfold()
    project = _project(v)
    services.participation_add(actor=None, project=project, municipality=v.re)
    url = reverse("admin:projects_project_change", args=[project.pk])
    data = change_form_data(client.get(url))
    data["participations-0-municipality"] = str(v.horten.pk)
    response = client.post(url, data)
    assert response.status_code == 302
    assert _search(v.cooperation, "horten") == [project]
    assert _search(v.cooperation, "re") == []
    row = Participation.objects.get(project=project)
    assert row.history.first().history_change_reason == "saved with the project form"
    assert row.history.first().history_user == admin_user
    assert Project.objects.get(pk=project.pk).version == 2


def test_project_admin_add_goes_through_the_service(client, admin_user):
    v = vestfold()
    url = reverse("admin:projects_project_add")
    data = change_form_data(client.get(url))
    data.update(
        {
            "cooperation": str(v.cooperation.pk),
            "name": "Felles innkjøp",
            "slug": "felles-innkjop",
            "category": "operations",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    project = Project.objects.get(slug="felles-innkjop")
    assert project.version == 1
    assert _search(v.cooperation, "innkjøp") == [project]
    latest = project.history.first()
    assert (latest.history_change_reason, latest.history_user) == (
        "created in the admin",
        admin_user,
    )


def test_project_admin_save_over_a_newer_version_is_a_form_error(client, admin_user):
    v = vestfold()
    project = _project(v)
    url = reverse("admin:projects_project_change", args=[project.pk])
    data = change_form_data(client.get(url))
    services.project_update(
        actor=None, project=project, expected_version=1, changes={"name": "Losvesen"}
    )
    data["name"] = "Fyrvesen"
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors()
    project.refresh_from_db()
    assert (project.name, project.version) == ("Losvesen", 2)


def test_project_admin_delete_goes_through_the_service(client, admin_user):
    v = vestfold()
    project = _project(v)
    url = reverse("admin:projects_project_delete", args=[project.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Project.objects.exists()
    assert project.history.first().history_user == admin_user


def test_participation_admin_rename_makes_the_project_findable_at_once(client, admin_user):
    v = vestfold()
    project = _project(v)
    row = services.participation_add(actor=None, project=project, municipality=v.re)
    response = _post_change(client, "participation", row, {"municipality": str(v.stokke.pk)})
    assert response.status_code == 302
    assert _search(v.cooperation, "stokke") == [project]
    assert _search(v.cooperation, "re") == []
    latest = Participation.objects.get(pk=row.pk).history.first()
    assert latest.history_change_reason == "participation changed in the admin"
    assert latest.history_user == admin_user
    assert Project.objects.get(pk=project.pk).version == 1  # the project itself is unchanged


def test_participation_admin_add_and_refusal(client, admin_user):
    v = vestfold()
    project = _project(v)
    url = reverse("admin:projects_participation_add")
    data = change_form_data(client.get(url))
    data.update({"project": str(project.pk), "municipality": str(v.horten.pk)})
    assert client.post(url, data).status_code == 302
    assert _search(v.cooperation, "horten") == [project]
    row = Participation.objects.get(project=project)
    assert row.history.first().history_user == admin_user
    # Neither municipality nor organisation: a form error, nothing written.
    data.pop("municipality")
    response = client.post(url, data)
    assert response.status_code == 200
    assert Participation.objects.count() == 1


def test_spin_off_admin_edit_refreshes_the_search_text(client, admin_user):
    v = vestfold()
    project = _project(v)
    spin_off = services.spin_off_add(actor=None, project=project, kind="network", name="IKT-forum")
    assert _search(v.cooperation, "ikt-forum") == [project]
    response = _post_change(client, "spinoff", spin_off, {"name": "Havneforum"})
    assert response.status_code == 302
    assert _search(v.cooperation, "havneforum") == [project]
    latest = SpinOff.objects.get(pk=spin_off.pk).history.first()
    assert latest.history_change_reason == "spin-off changed in the admin"
    assert latest.history_user == admin_user


def test_spin_off_admin_add_refreshes_the_search_text(client, admin_user):
    v = vestfold()
    project = _project(v)
    org = Organisation.objects.create(name="Vestfold Havn")
    url = reverse("admin:projects_spinoff_add")
    data = change_form_data(client.get(url))
    data.update(
        {"project": str(project.pk), "kind": "limited_company", "organisation": str(org.pk)}
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert _search(v.cooperation, "vestfold havn") == [project]
    assert SpinOff.objects.get().history.first().history_user == admin_user


def test_tag_admin_rename_refreshes_the_search_text(client, admin_user):
    v = vestfold()
    project = services.project_create(
        actor=None, cooperation=v.cooperation, name="Havnevesen", category="planning", tags=["sjø"]
    )
    tag = Tag.objects.get()
    response = _post_change(client, "tag", tag, {"name": "Kyst", "slug": "kyst"})
    assert response.status_code == 302
    assert _search(v.cooperation, "kyst") == [project]
    url = reverse("admin:projects_tag_add")
    assert client.post(url, {"name": "Fjell", "slug": "fjell"}).status_code == 302
    assert Tag.objects.filter(slug="fjell").exists()


@pytest.mark.parametrize(
    "model", [MoneyEntry, Deliverable, PhaseTransition, ProjectLink, UnresolvedMention]
)
def test_rows_without_their_own_service_are_read_only_in_the_admin(client, admin_user, model):
    v = vestfold()
    project = _project(v)
    other = _project(v, "Fyrvesen")
    rows = {
        MoneyEntry: lambda: services.money_entry_add(
            actor=None, project=project, kind="grant", amount_nok=1000
        ),
        Deliverable: lambda: Deliverable.objects.create(project=project, title="Rapport"),
        PhaseTransition: lambda: services.phase_transition_add(
            actor=None, project=project, phase="study", date=None
        ),
        ProjectLink: lambda: services.project_link_add(
            actor=None, source=project, target=other, kind="continues"
        ),
        UnresolvedMention: lambda: services.unresolved_mention_add(
            actor=None, project=project, column="deltakere", text="?"
        ),
    }
    row = rows[model]()
    name = model._meta.model_name
    change = reverse(f"admin:projects_{name}_change", args=[row.pk])
    assert client.get(change).status_code == 200  # shown
    assert client.post(change, {}).status_code == 403  # not edited here
    assert client.get(reverse(f"admin:projects_{name}_add")).status_code == 403
    assert client.post(reverse(f"admin:projects_{name}_delete", args=[row.pk])).status_code == 403
    assert model.objects.filter(pk=row.pk).exists()
