"""Import 001, export it in each format, import the export into a fresh cooperation and
into the same one: the structured data (and the cells as written) must be the same."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from importers.canonical import canonical_project
from importers.exporters import overview_export
from importers.readers import detect_format
from importers.services import overview_import
from projects.models import Project
from tests.importers.conftest import SOURCE
from tests.importers.factories import make_cooperation

pytestmark = pytest.mark.django_db


def structured(cooperation) -> dict:
    out = {}
    projects = Project.objects.filter(cooperation=cooperation).prefetch_related(
        "participations", "money", "deliverables", "spin_offs", "unresolved", "links_out__target"
    )
    for project in projects:
        out[project.slug] = canonical_project(project)
    return out


@pytest.fixture
def original(shared_coop):
    """The cooperation 001 was imported into (once per module, see conftest)."""
    return shared_coop


@pytest.mark.parametrize("fmt", ["tsv", "csv", "xlsx", "docx", "json"])
def test_round_trip(original, fmt, tmp_path):
    data = overview_export(cooperation=original, fmt=fmt)
    assert detect_format(data, f"export.{fmt}") == fmt
    fresh = make_cooperation("fresh-" + fmt)
    report = overview_import(actor=None, cooperation=fresh, data=data, filename=f"x.{fmt}")
    assert report.summary == {"created": 58, "updated": 0, "unchanged": 0}
    before, after = structured(original), structured(fresh)
    assert before.keys() == after.keys()
    for slug in before:
        assert before[slug] == after[slug], slug
    again = overview_import(actor=None, cooperation=fresh, data=data, filename=f"x.{fmt}")
    assert again.summary["unchanged"] == 58


@pytest.mark.parametrize("fmt", ["tsv", "csv", "xlsx", "docx", "json"])
def test_export_reimported_into_the_same_cooperation_changes_nothing(original, fmt):
    before = structured(original)
    rows_before = dict(
        Project.objects.filter(cooperation=original).values_list("slug", "source_text")
    )
    history = Project.history.count()
    data = overview_export(cooperation=original, fmt=fmt)
    report = overview_import(actor=None, cooperation=original, data=data, filename=f"x.{fmt}")
    assert report.summary == {"created": 0, "updated": 0, "unchanged": 58}
    assert structured(original) == before
    assert Project.history.count() == history
    # the stored cells still point at the rows of the original file
    after = dict(Project.objects.filter(cooperation=original).values_list("slug", "source_text"))
    assert after == rows_before


def test_export_keeps_the_cells_as_written(original):
    lines = overview_export(cooperation=original, fmt="tsv").decode().splitlines()
    assert "Styringsmodeller\t2001-2002\tAlle\tInnleid konsulent (ECON)\tGjennomført" in "\n".join(
        lines
    )
    assert any(line.startswith("Samferdsel – tverrforbindelser\t1999- 2000\t") for line in lines)
    source = SOURCE.read_text(encoding="utf-8")

    def data_rows(text_lines):
        return {
            line.rstrip("\t")
            for line in text_lines
            if line.count("\t") >= 5 and line.split("\t")[1].strip() and line[:9] != "Prosjekt\t"
        }

    assert len(data_rows(source.splitlines())) == 52
    assert data_rows(lines) == data_rows(source.splitlines())  # every data row as in 001


def test_an_edited_period_is_exported_from_the_dates(original):
    project = Project.objects.get(cooperation=original, slug="harmo9")
    project.end_date = dt.date(2006, 12, 31)
    project.save()
    lines = overview_export(cooperation=original, fmt="tsv").decode().splitlines()
    assert any(line.startswith("Harmo9\t2005 – 2006\t") for line in lines)


def test_export_command_writes_sections_and_columns(original, tmp_path):
    out = StringIO()
    call_command("export_overview", "--format", "tsv", "--cooperation", original.slug, stdout=out)
    lines = out.getvalue().splitlines()
    assert "1) Driftsprosjekter" in lines
    assert "Faglige nettverksgrupper:" in lines
    assert "Prosjekt\tPeriode\tDeltagere\tArbeidsform\t9k resultat\tStatus\tKommentar" in lines
    assert "Prosjekt\tPeriode\tDeltagere\tArbeidsform\t9k resultat\tKommentar" in lines
    assert any(line.startswith("Offentlig eid bredbånd\t2001 –\t9K, Tønsberg") for line in lines)
    assert "9k har arrangert flere faglige seminarer, blant andre:\t" in lines
    target = tmp_path / "overview.xlsx"
    call_command(
        "export_overview",
        "--format",
        "xlsx",
        "--output",
        str(target),
        "--cooperation",
        original.slug,
        stdout=StringIO(),
        stderr=StringIO(),
    )
    assert detect_format(target.read_bytes()) == "xlsx"
