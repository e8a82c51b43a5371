"""The portfolio admin opens (changelist with search and filters, change page with inlines)."""

import pytest
from django.urls import reverse

from projects import services
from projects.models import Project
from tests.projects.test_overview_data import vestfold

pytestmark = pytest.mark.django_db


def test_admin_pages_open(client, django_user_model):
    v = vestfold()
    project = services.project_create(
        actor=None, cooperation=v.cooperation, name="Havnevesen", category="planning"
    )
    services.participation_add(actor=None, project=project, municipality=v.re)
    admin = django_user_model.objects.create_superuser("admin-test", "a@example.org", "pw")
    client.force_login(admin)
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
