"""What an import writes carries the import's history reason, also through the projects
services, and a re-import states the phase the file says without inventing a dated change."""

from io import StringIO

import pytest
from django.core.management import call_command

from importers.services import IMPORT_REASON
from projects.models import Participation, PhaseTransition, Project

pytestmark = pytest.mark.django_db

HARMO9 = "Harmo9\t2005\tAlle\tEkstern prosjektleder, arbeidsgruppe\tPågår\t\t"


def test_a_reimport_that_changes_phase_and_participants_keeps_the_import_reason(
    shared_coop, source_bytes, tmp_path
):
    project = Project.objects.get(cooperation=shared_coop, slug="harmo9")
    phase_before = project.phase
    transitions = set(PhaseTransition.objects.filter(project=project).values_list("pk"))
    changed = HARMO9.replace("\tAlle\t", "\tTønsberg, Horten\t").replace(
        "\tPågår\t", "\tAvsluttet\t"
    )
    data = source_bytes.replace(HARMO9.encode(), changed.encode())
    assert data != source_bytes
    path = tmp_path / "001.txt"
    path.write_bytes(data)
    call_command("import_overview", str(path), "--cooperation", shared_coop.slug, stdout=StringIO())

    project.refresh_from_db()
    assert project.phase != phase_before
    reasons = set(
        Participation.history.filter(project_id=project.pk).values_list(
            "history_change_reason", flat=True
        )
    )
    assert reasons == {IMPORT_REASON}
    assert set(PhaseTransition.objects.filter(project=project).values_list("pk")) == transitions
