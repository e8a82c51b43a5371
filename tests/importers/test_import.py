"""Importing the legacy overview 001 with the management command and the service."""

import datetime as dt
import json
import re
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from importers.services import overview_import
from projects.models import (
    Deliverable,
    MoneyEntry,
    Participation,
    Project,
    ProjectLink,
    SpinOff,
    UnresolvedMention,
)
from samarbeid.common.text import fold_for_search

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("import_overview", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def imported(shared_coop, imported_001, source_bytes, tmp_path):
    """001 as the command imported it (once per module, see conftest.imported_001)."""
    path = tmp_path / "001.txt"
    path.write_bytes(source_bytes)
    return shared_coop, path, imported_001.output


def parties(project, role="participant"):
    return sorted(
        str(p.municipality.name if p.municipality else p.organisation.name)
        for p in project.participations.filter(role=role)
    )


def test_counts_sections_and_idempotence(imported):
    coop, path, output = imported
    assert "58 created, 0 updated, 0 unchanged" in output
    projects = Project.objects.filter(cooperation=coop)
    by_category = {c: projects.filter(category=c).count() for c in ("operations", "planning")}
    assert by_category["operations"] + by_category["planning"] == 49
    assert by_category == {"operations": 39, "planning": 10}
    assert projects.filter(category="network").count() == 3
    assert set(projects.filter(category="other").values_list("name", flat=True)) == {
        "MVA-reformen",
        "Styringsmodeller",
        "Informasjon",
        "Næringsseminarer",
        "Digital kompetanse",
        "Tunge trender",
    }
    before = Project.history.count()
    assert "0 created, 0 updated, 58 unchanged" in run(str(path), "--cooperation", coop.slug)
    assert Project.history.count() == before


def test_two_styringsmodeller_have_distinct_slugs(imported):
    coop = imported[0]
    slugs = set(
        Project.objects.filter(cooperation=coop, name="Styringsmodeller").values_list(
            "slug", flat=True
        )
    )
    assert slugs == {"styringsmodeller", "other-styringsmodeller"}
    project = Project.objects.get(slug="styringsmodeller")
    assert project.working_form == "external_consultant"
    assert project.consultant.name == "ECON"
    (grant,) = project.money.all()
    assert (grant.kind, grant.amount_nok, grant.funder.abbreviation) == (
        "grant",
        Decimal("1000000.00"),
        "KRD",
    )


def test_participants_resolved_on_the_start_date(imported):
    coop = imported[0]
    nmt = Project.objects.get(cooperation=coop, name="Felles næringsmiddeltilsyn")
    names = parties(nmt)
    assert "Svelvik" in names and "Sande" in names
    assert "Andebu" not in names and "Stokke" not in names
    assert nmt.participations.get(municipality__name="Sande").municipality.number == "0713"
    geodata = Project.objects.get(cooperation=coop, slug="geodata")
    assert "Stokke" not in parties(geodata) and "Tønsberg" in parties(geodata)
    assert geodata.host_municipality.name == "Tønsberg"
    arealis = Project.objects.get(cooperation=coop, name="AREALIS i fullskala (temakart)")
    assert parties(arealis, "owner") == ["Fylkesmannen i Vestfold"]
    assert arealis.owner_organisation.abbreviation == "FM"
    assert "Stokke" not in parties(arealis)
    school = Project.objects.get(cooperation=coop, name="Ungdomsfilm")
    re_part = school.participations.get(municipality__name="Re")
    assert "Revetal u-skole" in re_part.note
    assert parties(school) == ["Hof", "Høgskolen i Vestfold", "Re"]
    solid = Project.objects.get(cooperation=coop, name__endswith="SOLID")
    assert parties(solid, "owner") == ["Høgskolen i Vestfold"]
    assert solid.owner_organisation.abbreviation == "HVE"
    spania = Project.objects.get(cooperation=coop, name="Bygging av omsorgsboliger i Spania")
    assert all("frafall underveis" in p.note for p in spania.participations.all())


def test_unresolved_kept_with_rows_and_source_text(imported):
    coop = imported[0]
    fiber = Project.objects.get(cooperation=coop, name="Bredbånd i klasserommet")
    (mention,) = fiber.unresolved.all()
    assert (mention.column, mention.text, mention.source_row) == (
        "participants",
        "Fiberkommunene",
        fiber.source_text["row"],
    )
    assert fiber.source_text["cells"]["Deltagere"] == "Fiberkommunene"
    shifted = Project.objects.get(cooperation=coop, name="Tilpasset opplæring, barneskoler")
    assert shifted.result_text == "Avsluttet"
    assert shifted.status_text.startswith("Prosjektet har eget nettsted")
    assert shifted.unresolved.filter(column="status").exists()
    planning = Project.objects.get(cooperation=coop, name__startswith="Regionalt samarbeid")
    assert planning.source_text["cells"]["Resultat"].startswith("Sluttrapport levert")
    assert planning.comments.startswith("Sluttrapport levert")


def test_money_hosts_spin_offs_due_dates_and_links(imported):
    coop = imported[0]
    strom = Project.objects.get(cooperation=coop, name__startswith="Felles innkjøp av strøm til k")
    (saving,) = strom.money.all()
    assert (saving.kind, saving.benefit_category, saving.amount_nok, saving.approximate) == (
        "benefit",
        "budget_saving",
        Decimal("35000000.00"),
        True,
    )
    assert (saving.year_from, saving.year_to) == (2002, 2004)
    assert strom.host_municipality.name == "Stokke"
    company = SpinOff.objects.get(project__cooperation=coop, name="GigaFib AS")
    assert company.kind == "limited_company" and company.organisation.name == "GigaFib AS"
    handed = SpinOff.objects.get(project__cooperation=coop, name="GigaFib")
    assert handed.date == dt.date(2004, 1, 1) and handed.date_precision == "year"
    due = Deliverable.objects.get(project__cooperation=coop, project__name="Fellessystem sak/arkiv")
    assert (due.due_date, due.due_precision, due.kind) == (dt.date(2005, 6, 1), "month", "proposal")
    done = Deliverable.objects.get(project__cooperation=coop, project__name="Næringsarealer (2)")
    assert done.delivered_date == dt.date(2005, 3, 1) and done.due_date is None
    link = ProjectLink.objects.get(source__cooperation=coop)
    assert (link.source.name, link.kind, link.target.name) == (
        "Næringsarealer (2)",
        "continues",
        "Næringsarealer (1)",
    )
    assert link.target.status == "closed"
    assert link.source.phase == "council_treatment"
    assert MoneyEntry.objects.filter(project__cooperation=coop).count() >= 18


def test_search_text_and_phase(imported):
    coop = imported[0]
    project = Project.objects.get(cooperation=coop, slug="offentlig-eid-bredband")
    assert fold_for_search("Uninett ABC") in project.search_text
    assert project.phase == "in_operation" and project.open_ended
    assert Project.objects.get(cooperation=coop, name="Legevakt-samarbeid").phase == "stopped"


def test_changed_row_updates_and_keeps_history(imported, source_bytes):
    coop, path, _output = imported
    changed = source_bytes.replace(
        "Tønsberg\tProsjektgruppe Tønsberg /HVE".encode(), "Tønsberg, Re\tProsjektgruppe".encode()
    )
    assert changed != source_bytes
    path.write_bytes(changed)
    assert "0 created, 1 updated, 57 unchanged" in run(str(path), "--cooperation", coop.slug)
    project = Project.objects.get(cooperation=coop, slug="fiberskoleprosjektet")
    assert parties(project) == ["Re", "Tønsberg"]
    assert project.history.count() == 2
    assert project.version == 2
    assert project.history.first().participants_text == "Tønsberg, Re"


def test_dry_run_writes_nothing(coop, source_bytes, tmp_path):
    path = tmp_path / "001.txt"
    path.write_bytes(source_bytes)
    output = run(str(path), "--cooperation", coop.slug, "--dry-run")
    assert "58 created" in output and "dry run" in output
    assert not Project.objects.filter(cooperation=coop).exists()


def test_json_document(coop, source_bytes, tmp_path):
    path = tmp_path / "001.txt"
    path.write_bytes(source_bytes)
    doc = json.loads(run(str(path), "--cooperation", coop.slug, "--json"))
    assert doc["summary"] == {"created": 58, "updated": 0, "unchanged": 0}
    assert doc["errors"] == []
    assert any("Fiberkommunene" in w for w in doc["warnings"])
    item = next(p for p in doc["projects"] if p["name"] == "Sola for alle?")
    assert item["start"] == "2001-01-01" and item["end"] == "2004-12-31"
    assert item["host"] == ["Tønsberg"]
    assert {"name", "number", "kind", "role"} <= set(item["participants"][0])
    assert item["money"] == [
        {
            "kind": "grant",
            "benefit_category": None,
            "amount_nok": 300000.0,
            "approximate": False,
            "funder": "Sosial- og helsedepartementet",
            "period": None,
        }
    ]
    assert item["source_row"] == 30
    for key in ("status", "result", "working_form", "due", "unresolved", "open_ended"):
        assert key in item


def test_service_as_system_and_counts_of_rows(coop, source_bytes):
    report = overview_import(actor=None, cooperation=coop, data=source_bytes, filename="001.txt")
    assert report.summary["created"] == 58
    assert Participation.objects.filter(project__cooperation=coop).count() > 200
    assert UnresolvedMention.objects.filter(project__cooperation=coop).count() == len(
        [w for p in report.plans for w in p.unresolved]
    )


def test_progress_bar_only_when_asked(coop, source_bytes, tmp_path, capsys):
    path = tmp_path / "001.txt"
    path.write_bytes(source_bytes)
    call_command(
        "import_overview", str(path), "--cooperation", coop.slug, "--progress", "--dry-run"
    )
    err = capsys.readouterr().err
    assert "Checking" in err and "58/58" in err  # reading and resolving the rows
    assert "Importing" not in err  # a dry run writes nothing
    call_command("import_overview", str(path), "--cooperation", coop.slug, "--progress")
    err = capsys.readouterr().err
    assert "Checking" in err and "Importing" in err and "58/58" in err
    call_command("import_overview", str(path), "--cooperation", coop.slug, "--json")
    err = capsys.readouterr().err
    assert "Importing" not in err and "Checking" not in err


ISSUE_KEYS = {
    "name",
    "category",
    "start",
    "end",
    "open_ended",
    "participants",
    "unresolved",
    "money",
    "host",
    "status",
    "result",
    "working_form",
    "due",
    "source_row",
}


def documented_example() -> dict:
    text = (Path(__file__).resolve().parents[2] / "docs" / "import-format.md").read_text()
    block = re.search(r"## `--json`.*?```json\n(.*?)```", text, re.S).group(1)
    return json.loads(block)


def test_json_keys_are_exactly_the_documented_ones(coop, source_bytes, tmp_path):
    path = tmp_path / "001.txt"
    path.write_bytes(source_bytes)
    doc = json.loads(run(str(path), "--cooperation", coop.slug, "--json", "--dry-run"))
    example = documented_example()
    assert set(doc) == set(example) == {"projects", "warnings", "errors", "summary"}
    assert set(doc["summary"]) == set(example["summary"]) == {"created", "updated", "unchanged"}
    documented = example["projects"][0]
    assert set(documented) >= ISSUE_KEYS
    for item in doc["projects"]:
        assert set(item) == set(documented), item["name"]
        for party in item["participants"]:
            assert (
                set(party)
                == set(documented["participants"][0])
                == {
                    "name",
                    "number",
                    "kind",
                    "role",
                }
            )
        for entry in item["money"]:
            assert set(entry) == set(documented["money"][0])
            assert {"kind", "amount_nok", "funder", "period"} <= set(entry)
        for mention in item["unresolved"]:
            assert set(mention) == {"column", "text", "note"}
        for due in item["due"]:
            assert set(due) == {"title", "kind", "due", "delivered", "precision"}
    item = next(p for p in doc["projects"] if p["name"] == "Sola for alle?")
    for key in ("name", "category", "start", "end", "participants", "money", "host"):
        assert item[key] == documented[key], key


def test_same_data_whatever_language_the_importer_reads(coop, source_bytes, settings):
    """Notes stored on the data are in the site's language; warnings in the reader's."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "nb"
    with translation.override("en"):
        first = overview_import(actor=None, cooperation=coop, data=source_bytes, filename="f")
    assert any("participants that cannot be named" in w for w in first.warnings)
    with translation.override("nb"):
        again = overview_import(actor=None, cooperation=coop, data=source_bytes, filename="f")
    assert again.summary == {"created": 0, "updated": 0, "unchanged": 58}
    assert any("deltakere som ikke kan navngis: «7 kommuner»" in w for w in again.warnings)
    mention = UnresolvedMention.objects.get(project__cooperation=coop, text="7 kommuner")
    assert mention.note == "deltakere som ikke kan navngis"
    spania = Project.objects.get(cooperation=coop, slug="bygging-av-omsorgsboliger-i-spania")
    assert "skrevet «Horten»" in spania.participations.get(municipality__name="Borre").note


def test_stated_count_that_differs_from_the_members_then_is_a_warning(coop, source_bytes):
    """The test cooperation has ten members from 1998, so "Alle 7 kommunene" warns (on
    the demo registry, with seven members then, it does not: test_source_rows.py)."""
    from importers.services import overview_plan

    report = overview_plan(actor=None, cooperation=coop, data=source_bytes, filename="001.txt")
    seven = [w for w in report.warnings if "the text says 7 municipalities" in w]
    assert len(seven) == 3
    assert seven[0] == (
        "Row 67 (Regionalt samarbeid om vekst, bosettingsmønster (Vekst og bo 1)): the text "
        "says 7 municipalities, the cooperation had 10 members on 1998-01-01"
    )
    vekst = next(p for p in report.plans if p.row.number == 67)
    assert len([x for x in vekst.participations if x["municipality"]]) == 10
