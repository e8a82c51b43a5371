"""An import writes through projects.services: the version moves in
project_claim_version, the history reason is a constant msgid, and a row that does not
validate or a project saved by someone else fails the whole import with nothing written."""

import pytest
from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import translation

from importers import services
from importers.services import IMPORT_REASON, ImportFailed, overview_import
from projects import services as projects
from projects.models import Project

pytestmark = pytest.mark.django_db


def harmo9_changed(source: bytes) -> bytes:
    data = source.replace(b"Harmo9\t2005\tAlle\t", b"Harmo9\t2005\tAlle (minus Stokke)\t")
    assert data != source
    return data


def test_a_changed_row_moves_the_version_once_through_project_claim_version(
    shared_coop, source_bytes, monkeypatch
):
    claims = []
    claim = projects.project_claim_version

    def spy(*, project, expected_version):
        claims.append((project.slug, expected_version))
        claim(project=project, expected_version=expected_version)

    monkeypatch.setattr(projects, "project_claim_version", spy)
    before = Project.objects.get(cooperation=shared_coop, slug="harmo9")
    report = overview_import(
        actor=None, cooperation=shared_coop, data=harmo9_changed(source_bytes), filename="ny.txt"
    )
    assert report.summary == {"created": 0, "updated": 1, "unchanged": 57}
    assert claims == [("harmo9", before.version)]
    after = Project.objects.get(pk=before.pk)
    assert after.version == before.version + 1
    assert after.participants_text == "Alle (minus Stokke)"
    assert after.history.first().history_change_reason == IMPORT_REASON
    assert (after.imported_as["file"], after.imported_as["row"]) == ("ny.txt", 61)


def test_the_history_reason_is_shown_in_the_readers_language(shared_coop):
    from projects.history import project_history

    project = Project.objects.get(cooperation=shared_coop, slug="harmo9")
    with translation.override("nb"):
        reasons = {entry.reason for entry in project_history(project)}
    assert "importert fra en fil" in reasons


def test_a_project_saved_during_the_import_fails_it(shared_coop, source_bytes, monkeypatch):
    plan = services.overview_plan

    def plan_then_someone_saves(**kwargs):
        report = plan(**kwargs)
        Project.objects.filter(cooperation=shared_coop, slug="harmo9").update(
            version=F("version") + 1
        )
        return report

    monkeypatch.setattr(services, "overview_plan", plan_then_someone_saves)
    with pytest.raises(ImportFailed) as error:
        overview_import(
            actor=None, cooperation=shared_coop, data=harmo9_changed(source_bytes), filename="f"
        )
    assert "Harmo9 was saved by someone else during the import" in str(error.value)
    harmo9 = Project.objects.get(cooperation=shared_coop, slug="harmo9")
    assert harmo9.participants_text == "Alle"


def test_a_row_that_does_not_validate_is_named_and_nothing_is_written(
    coop, source_bytes, monkeypatch
):
    calls = {"n": 0}
    create = projects.project_create

    def failing(**kwargs):
        calls["n"] += 1
        if kwargs["name"] == "Harmo9":
            raise ValidationError({"name": "boom"})
        return create(**kwargs)

    monkeypatch.setattr(projects, "project_create", failing)
    with pytest.raises(ImportFailed) as error:
        overview_import(actor=None, cooperation=coop, data=source_bytes, filename="f")
    assert "Row 61 (Harmo9): boom" in str(error.value)
    assert calls["n"] > 1
    assert not Project.objects.filter(cooperation=coop).exists()
