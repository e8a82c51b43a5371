"""Bad files: a clear message naming file and row, a non-zero exit, nothing written."""

import io
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from importers import services
from projects.models import Project

pytestmark = pytest.mark.django_db

HEADER = "Prosjekt\tPeriode\tDeltagere\tArbeidsform\t9k resultat\tStatus\tKommentar\n"


def run(path, coop, *extra):
    call_command(
        "import_overview",
        str(path),
        "--cooperation",
        coop.slug,
        *extra,
        stdout=StringIO(),
        stderr=StringIO(),
    )


def write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("empty.txt", b"", "is empty"),
        ("blank.csv", b"  \n\n", "is empty"),
        (
            "noheader.txt",
            b"Bare tekst\nog mer tekst\tuten overskrift\n",
            "no recognisable header",
        ),
        ("image.txt", bytes(range(256)) * 20, "binary file"),
        ("fake.xlsx", b"PK\x03\x04" + b"\x00" * 100, "damaged archive"),
        (
            "short.txt",
            ("1) Driftsprosjekter\n" + HEADER + "Havnevesen\t2001\tAlle\n").encode(),
            "row 3: too few cells (3, expected 7)",
        ),
        (
            "noname.txt",
            ("1) Driftsprosjekter\n" + HEADER + "\t2001\tAlle\tx\tGjennomført\t\t\n").encode(),
            "row 3: the project name is empty",
        ),
    ],
)
def test_bad_files_are_refused_with_a_clear_message(coop, tmp_path, name, data, message):
    path = write(tmp_path, name, data)
    with pytest.raises(CommandError) as error:
        run(path, coop)
    assert message in str(error.value)
    assert name in str(error.value)
    assert not Project.objects.filter(cooperation=coop).exists()


def test_file_over_the_size_limit(coop, tmp_path, settings):
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # a sparse 50 MB file: nothing big is written
    with pytest.raises(CommandError) as error:
        run(path, coop)
    assert "huge.csv is 50 MB; the limit is 20 MB" in str(error.value)
    settings.IMPORT_MAX_BYTES = 1024
    small = write(tmp_path, "small.txt", ("1) Driftsprosjekter\n" + HEADER).encode() * 20)
    with pytest.raises(CommandError, match="the limit is 1 KB"):
        run(small, coop)


def test_too_few_cells_after_good_rows_imports_nothing(coop, source_bytes, tmp_path):
    broken = source_bytes.replace("Havnevesen\t2001 – 2003\tAlle".encode(), b"Havnevesen")
    path = write(tmp_path, "broken.txt", broken)
    with pytest.raises(CommandError, match=r"broken.txt, row 24: too few cells"):
        run(path, coop)
    assert not Project.objects.filter(cooperation=coop).exists()


def test_failure_while_writing_rolls_everything_back(coop, source_bytes, monkeypatch):
    calls = {"n": 0}
    original = services._apply

    def failing(p, **kwargs):
        calls["n"] += 1
        if calls["n"] == 10:
            raise ValidationError({"name": "boom"})
        return original(p, **kwargs)

    monkeypatch.setattr(services, "_apply", failing)
    with pytest.raises(services.ImportFailed) as error:
        services.overview_import(actor=None, cooperation=coop, data=source_bytes, filename="f")
    assert "boom" in str(error.value)
    assert not Project.objects.filter(cooperation=coop).exists()


def test_json_mode_prints_errors_and_fails(coop, tmp_path):
    path = write(tmp_path, "empty.txt", b"")
    out = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_overview",
            str(path),
            "--cooperation",
            coop.slug,
            "--json",
            stdout=out,
            stderr=StringIO(),
        )
    import json

    doc = json.loads(out.getvalue())
    assert doc["errors"] and doc["summary"]["created"] == 0


def test_csv_and_docx_and_extension_is_not_trusted(coop, tmp_path):
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Faglige nettverksgrupper:"])
    writer.writerow(["Project", "Period", "Participants", "Working form", "Result", "Comment"])
    writer.writerow(
        ["IKT-ledere", "2000 –", "Alle", "Nettverks-gruppe", "Pågår", "Tekst, med komma"]
    )
    path = write(tmp_path, "network.docx", buffer.getvalue().encode())
    run(path, coop)
    project = Project.objects.get(cooperation=coop, name="IKT-ledere")
    assert project.category == "network" and project.comments == "Tekst, med komma"
    assert project.result == "ongoing"

    import docx

    document = docx.Document()
    document.add_paragraph("2) Plan-, areal og næringsprosjekter")
    table = document.add_table(rows=2, cols=7)
    for cell, text in zip(table.rows[0].cells, HEADER.strip().split("\t"), strict=True):
        cell.text = text
    values = [
        "Samferdsel",
        "1999- 2000",
        "Våle, Ramnes",
        "Arbeidsgruppe",
        "Gjennomført",
        "Avsluttet",
        "Sluttrapport levert.",
    ]
    for cell, text in zip(table.rows[1].cells, values, strict=True):
        cell.text = text
    data = io.BytesIO()
    document.save(data)
    path = write(tmp_path, "plan.txt", data.getvalue())
    run(path, coop)
    project = Project.objects.get(cooperation=coop, name="Samferdsel")
    assert project.category == "planning" and project.status == "closed"
    assert sorted(p.municipality.name for p in project.participations.all()) == ["Ramnes", "Våle"]
