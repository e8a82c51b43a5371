"""Import 001, export it in each format, import the export into a fresh cooperation:
the structured data must be the same."""

from io import StringIO

import pytest
from django.core.management import call_command

from importers.exporters import export_overview
from importers.plan import canonical_project
from importers.readers import detect_format
from importers.services import import_overview
from projects.models import Project
from tests.importers.factories import make_cooperation

pytestmark = pytest.mark.django_db


def structured(cooperation) -> dict:
    out = {}
    projects = Project.objects.filter(cooperation=cooperation).prefetch_related(
        "participations", "money", "deliverables", "spin_offs", "unresolved", "links_out__target"
    )
    for project in projects:
        data = canonical_project(project)
        data["fields"].pop("source_text")
        data["unresolved"] = sorted((u[0], u[1], u[3]) for u in data["unresolved"])
        out[project.slug] = data
    return out


@pytest.fixture
def original(coop, source_bytes):
    import_overview(actor=None, cooperation=coop, data=source_bytes, filename="001.txt")
    return coop


@pytest.mark.parametrize("fmt", ["tsv", "csv", "xlsx", "docx", "json"])
def test_round_trip(original, fmt, tmp_path):
    data = export_overview(cooperation=original, fmt=fmt)
    assert detect_format(data, f"export.{fmt}") == fmt
    fresh = make_cooperation("fresh-" + fmt)
    report = import_overview(actor=None, cooperation=fresh, data=data, filename=f"x.{fmt}")
    assert report.summary == {"created": 58, "updated": 0, "unchanged": 0}
    before, after = structured(original), structured(fresh)
    assert before.keys() == after.keys()
    for slug in before:
        assert before[slug] == after[slug], slug
    again = import_overview(actor=None, cooperation=fresh, data=data, filename=f"x.{fmt}")
    assert again.summary["unchanged"] == 58


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
