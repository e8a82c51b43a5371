"""A re-import of a changed row keeps what people entered or edited by hand.

Rows the import wrote and nobody changed are replaced with what the file now says; rows
added by hand, and imported rows edited by hand, are kept; a project field edited by hand
is kept, and when the file now says something else too, that is reported as a conflict.
"""

import datetime as dt
import importlib
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from importers.services import IMPORT_REASON, overview_import, overview_plan
from members.models import Organisation
from members.selectors import municipality_on
from projects import services as projects
from projects.models import (
    Deliverable,
    MoneyEntry,
    Participation,
    Project,
    ProjectLink,
    SpinOff,
    UnresolvedMention,
)

pytestmark = pytest.mark.django_db

HARMO9 = "Harmo9\t2005\tAlle\tEkstern prosjektleder, arbeidsgruppe\tPågår\t\t"
HARMO9_COMMENT = "Utvikling av felles IKT-struktur i 9k. Støttet av FM med 700 000 kr."


def run(path, coop, *extra) -> str:
    out = StringIO()
    call_command("import_overview", str(path), "--cooperation", coop.slug, *extra, stdout=out)
    return out.getvalue()


def changed(source: bytes, old: str, new: str) -> bytes:
    data = source.replace(old.encode(), new.encode())
    assert data != source
    return data


@pytest.fixture
def harmo9(shared_coop, source_bytes, tmp_path):
    """Harmo9 as the import of 001 stored it (imported once per module, see conftest)."""
    path = tmp_path / "001.txt"
    path.write_bytes(source_bytes)
    return Project.objects.get(cooperation=shared_coop, slug="harmo9"), path


def test_the_import_records_what_it_wrote(harmo9):
    project, _path = harmo9
    assert project.imported_as["row"] == 61
    assert project.imported_as["values"]["name"] == "Harmo9"
    (grant,) = project.money.all()
    assert grant.imported_as == {"row": 61, "values": grant.import_values()}
    assert grant.is_imported and not grant.edited_since_import
    assert all(p.is_imported for p in project.participations.all())
    continuation = ProjectLink.objects.filter(source__cooperation=project.cooperation).first()
    assert continuation is not None and continuation.is_imported


def test_hand_added_rows_survive_a_reimport_of_the_changed_row(harmo9, source_bytes):
    project, path = harmo9
    coop = project.cooperation
    hve = Organisation.objects.get(abbreviation="HVE")
    other = Project.objects.get(cooperation=coop, slug="fiberskoleprosjektet")
    added = [
        projects.participation_add(actor=None, project=project, organisation=hve),
        projects.money_entry_add(
            actor=None, project=project, kind="cost", amount_nok=Decimal("50000"), year_from=2005
        ),
        projects.spin_off_add(actor=None, project=project, kind="network", name="IKT-forum"),
        projects.unresolved_mention_add(
            actor=None, project=project, column="comment", text="noted by hand"
        ),
        projects.project_link_add(actor=None, source=project, target=other, kind="follows_up"),
    ]
    project.refresh_from_db()
    projects.project_update(
        actor=None,
        project=project,
        expected_version=project.version,
        changes={},
        inlines=[
            projects.InlineChanges(
                saved=[Deliverable(title="Sluttrapport", due_date=dt.date(2005, 12, 1))]
            )
        ],
    )
    added.append(Deliverable.objects.get(project=project, title="Sluttrapport"))
    path.write_bytes(
        changed(
            source_bytes,
            f"{HARMO9}{HARMO9_COMMENT}",
            "Harmo9\t2005\tAlle (minus Stokke)\tEkstern prosjektleder, arbeidsgruppe\tPågår"
            "\t\tUtvikling av felles IKT-struktur i 9k. Støttet av FM med 800 000 kr.",
        )
    )

    assert "0 created, 1 updated, 57 unchanged" in run(path, coop)

    for row in added:  # every row entered by hand is still there, unchanged
        fresh = type(row).objects.get(pk=row.pk)
        assert fresh.import_values() == row.import_values()
        assert not fresh.is_imported
    project.refresh_from_db()
    grants = project.money.filter(kind="grant")
    assert [g.amount_nok for g in grants] == [Decimal("800000.00")]
    assert grants[0].imported_as["row"] == 61
    names = {p.party.name for p in project.participations.all()}
    assert "Stokke" not in names and "Tønsberg" in names and hve.name in names
    assert project.participants_text == "Alle (minus Stokke)"
    # the replaced grant is in the history; the search still finds the hand-added party
    assert MoneyEntry.history.filter(amount_nok=Decimal("700000.00"), history_type="-").exists()
    assert "hogskolen" in project.search_text or "hve" in project.search_text
    # the same file again: nothing to do
    before = Project.history.count(), MoneyEntry.history.count()
    assert "0 created, 0 updated, 58 unchanged" in run(path, coop)
    assert (Project.history.count(), MoneyEntry.history.count()) == before


def test_a_hand_edited_imported_row_is_kept(harmo9, source_bytes):
    project, path = harmo9
    coop = project.cooperation
    grant = project.money.get()
    grant.amount_nok = Decimal("750000")
    grant.purpose = "IKT-struktur"
    tonsberg = project.participations.get(municipality__name="Tønsberg")
    tonsberg.note = "kontakt: IT-sjefen"
    projects.project_update(
        actor=None,
        project=project,
        expected_version=project.version,
        changes={},
        inlines=[projects.InlineChanges(saved=[grant, tonsberg])],
    )
    assert MoneyEntry.objects.get(pk=grant.pk).edited_since_import

    # Only the participants change in the file: the edited rows are simply kept.
    path.write_bytes(changed(source_bytes, HARMO9, HARMO9.replace("\tAlle\t", "\tAlle 9k\t")))
    output = run(path, coop)
    assert "0 created, 1 updated, 57 unchanged" in output
    assert MoneyEntry.objects.get(pk=grant.pk).amount_nok == Decimal("750000.00")
    assert project.money.count() == 1
    assert Participation.objects.get(pk=tonsberg.pk).note == "kontakt: IT-sjefen"
    assert project.participations.filter(municipality__name="Tønsberg").count() == 1
    assert "edited by hand" not in output

    # Now the file changes the amount too: the hand value is kept, and that is reported.
    data = changed(source_bytes, HARMO9, HARMO9.replace("\tAlle\t", "\tAlle 9k\t"))
    data = changed(data, "FM med 700 000 kr", "FM med 800 000 kr")
    path.write_bytes(data)
    doc = json.loads(run(path, coop, "--dry-run", "--json"))
    (item,) = [p for p in doc["projects"] if p["slug"] == "harmo9"]
    assert item["action"] == "update"
    conflict = next(w for w in item["warnings"] if "edited by hand" in w)
    assert conflict.startswith("Row 61 (Harmo9): money: a row edited by hand is kept")
    assert "750" in conflict and "800 000 kr" in conflict
    assert conflict in doc["warnings"]
    run(path, coop)
    assert list(project.money.values_list("pk", "amount_nok")) == [(grant.pk, Decimal("750000.00"))]
    assert "800 000 kr" in Project.objects.get(pk=project.pk).source_text["cells"]["Kommentar"]
    # reported once: the same file again changes nothing and warns no more
    again = json.loads(run(path, coop, "--json"))
    assert again["summary"] == {"created": 0, "updated": 0, "unchanged": 58}
    assert not [w for w in again["warnings"] if "edited by hand" in w]


def test_an_edited_row_the_file_drops_is_kept_with_a_warning(harmo9, source_bytes):
    project, path = harmo9
    grant = project.money.get()
    grant.purpose = "IKT-struktur"
    projects.project_update(
        actor=None,
        project=project,
        expected_version=project.version,
        changes={},
        inlines=[projects.InlineChanges(saved=[grant])],
    )
    path.write_bytes(changed(source_bytes, " Støttet av FM med 700 000 kr.", ""))
    report = overview_import(
        actor=None, cooperation=project.cooperation, data=path.read_bytes(), filename="001.txt"
    )
    assert report.summary == {"created": 0, "updated": 1, "unchanged": 57}
    assert any("the file no longer says it" in w and "Harmo9" in w for w in report.warnings)
    kept = MoneyEntry.objects.get(pk=grant.pk)
    assert kept.purpose == "IKT-struktur" and not kept.is_imported


def test_a_scalar_field_edited_by_hand_is_kept_and_a_conflict_reported(harmo9, source_bytes):
    project, path = harmo9
    coop = project.cooperation
    projects.project_update(
        actor=None,
        project=project,
        expected_version=project.version,
        changes={"start_date": dt.date(2004, 1, 1), "status_text": "Pågår i 2006"},
    )
    # The file changes the period (edited by hand → conflict), the comment (not edited →
    # updated) and leaves the status alone (edited by hand → kept, nothing to report).
    data = changed(source_bytes, HARMO9, HARMO9.replace("\t2005\t", "\t2005-2006\t"))
    data = changed(data, "Utvikling av felles IKT-struktur", "Utvikling av felles IKT-plattform")
    path.write_bytes(data)

    report = overview_plan(actor=None, cooperation=coop, data=data, filename="001.txt")
    (plan,) = [p for p in report.plans if p.slug == "harmo9"]
    assert plan.action == "update"
    conflicts = [w for w in report.warnings if "edited by hand" in w]
    assert conflicts == [
        "Row 61 (Harmo9): period edited by hand is kept (“2004 – 2005”); "
        "the file now says “2005 – 2006”"
    ]

    output = run(path, coop)
    assert "0 created, 1 updated, 57 unchanged" in output
    project.refresh_from_db()
    assert (project.start_date, project.end_date) == (dt.date(2004, 1, 1), dt.date(2005, 12, 31))
    assert project.status_text == "Pågår i 2006"
    assert project.comments.startswith("Utvikling av felles IKT-plattform")
    assert project.source_text["cells"]["Periode"] == "2005-2006"
    assert project.imported_as["values"]["start_date"] == "2005-01-01"
    # the history reason is a constant msgid; which file and row wrote it is on the project
    assert project.history.first().history_change_reason == "imported from a file"
    assert project.imported_as["file"].endswith("001.txt") and project.imported_as["row"] == 61
    # the project's history shows what changed for people, not the import's bookkeeping
    from projects.history import project_history

    labels = {c.label for entry in project_history(project) for c in entry.changes}
    assert labels and not any("imported" in str(label).lower() for label in labels)
    # the same file again: unchanged, and the conflict is not reported a second time
    again = json.loads(run(path, coop, "--json"))
    assert again["summary"]["unchanged"] == 58
    assert not [w for w in again["warnings"] if "edited by hand" in w]


def test_a_hand_edit_the_file_agrees_with_is_no_conflict(harmo9, source_bytes):
    project, _path = harmo9
    projects.project_update(
        actor=None,
        project=project,
        expected_version=project.version,
        changes={"end_date": dt.date(2006, 12, 31)},
    )
    data = changed(source_bytes, HARMO9, HARMO9.replace("\t2005\t", "\t2005-2006\t"))
    report = overview_import(
        actor=None, cooperation=project.cooperation, data=data, filename="001.txt"
    )
    assert not [w for w in report.warnings if "edited by hand" in w]
    project.refresh_from_db()
    assert project.end_date == dt.date(2006, 12, 31)


def test_a_project_entered_by_hand_is_not_overwritten(coop, source_bytes):
    project = projects.project_create(
        actor=None,
        cooperation=coop,
        name="Harmo9",
        category="operations",
        slug="harmo9",
        fields={"start_date": dt.date(2004, 1, 1), "comments": "Skrevet for hånd."},
    )
    projects.participation_add(
        actor=None, project=project, municipality=municipality_on("0704", dt.date(2005, 1, 1))
    )
    report = overview_import(actor=None, cooperation=coop, data=source_bytes, filename="001.txt")
    (plan,) = [p for p in report.plans if p.slug == "harmo9"]
    assert plan.action == "update"
    project.refresh_from_db()
    assert project.comments == "Skrevet for hånd."
    assert project.start_date == dt.date(2004, 1, 1)
    assert any("comment edited by hand is kept" in w for w in plan.warnings)
    # the file's rows are added next to the hand-entered ones, not twice
    assert project.participations.filter(municipality__number="0704").count() == 1
    assert project.money.get().amount_nok == Decimal("700000.00")


def test_migration_backfills_rows_imported_before(harmo9, source_bytes):
    """Rows imported before `imported_as` existed are recognised by their history."""
    project, _path = harmo9
    grant = project.money.get()
    grant.purpose = "edited later"
    grant.save()
    expected = {
        model: dict(model.objects.values_list("pk", "imported_as"))
        for model in (Participation, MoneyEntry, Deliverable, SpinOff, UnresolvedMention)
    }
    expected_projects = {
        pk: {"row": record["row"], "values": record["values"]}
        for pk, record in Project.objects.values_list("pk", "imported_as")
    }
    # Those rows had the file and row in their history reason; today's imports write the
    # constant reason IMPORT_REASON (and the file on the project's `imported_as`).
    legacy = "Imported from 001.txt, row {}"
    for model in (*expected, ProjectLink):
        for pk, record in model.objects.exclude(imported_as=None).values_list("pk", "imported_as"):
            model.history.filter(id=pk, history_type="+").update(
                history_change_reason=legacy.format(record["row"])
            )
    for pk, record in Project.objects.values_list("pk", "imported_as"):
        Project.history.filter(id=pk, history_change_reason=IMPORT_REASON).update(
            history_change_reason=legacy.format(record["row"])
        )
    for model in (*expected, Project, ProjectLink):
        model.objects.update(imported_as=None)
    migration = importlib.import_module("projects.migrations.0002_imported_as")
    migration.backfill(apps, None)
    for model, rows in expected.items():
        assert dict(model.objects.values_list("pk", "imported_as")) == rows
    assert dict(Project.objects.values_list("pk", "imported_as")) == expected_projects
    assert MoneyEntry.objects.get(pk=grant.pk).edited_since_import
    assert all(link.is_imported for link in ProjectLink.objects.all())
