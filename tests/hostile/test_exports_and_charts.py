"""Exports never write a live formula; the import keeps text as written; chart text is
plain (no mathtext); stored previews are cleaned up after a day."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from importers.exporters import escape_formula, overview_export
from importers.models import ImportBatch
from importers.services import overview_import
from projects.models import Project
from tests.hostile import corpus
from tests.importers.factories import make_cooperation
from tests.projects.test_overview_data import project, vestfold

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
WRITTEN = [*corpus.FORMULAS, " =1+1"]


@pytest.fixture
def imported(db):
    coop = make_cooperation()
    overview_import(actor=None, cooperation=coop, data=corpus.formulas_tsv(), filename="f.txt")
    return coop


def test_the_import_keeps_the_text_as_written(imported):
    comments = sorted(Project.objects.values_list("comments", flat=True))
    assert comments == sorted(WRITTEN)


def test_xlsx_export_writes_string_cells_never_formulas(imported):
    book = openpyxl.load_workbook(io.BytesIO(overview_export(cooperation=imported, fmt="xlsx")))
    cells = [c for row in book.active.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type == "s" for c in cells), [c.value for c in cells if c.data_type != "s"]
    values = {c.value for c in cells}
    assert set(WRITTEN) <= values


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_csv_and_tsv_escape_formula_cells_and_read_back_as_written(imported, fmt):
    data = overview_export(cooperation=imported, fmt=fmt).decode()
    delimiter = "," if fmt == "csv" else "\t"
    cells = [c for row in csv.reader(io.StringIO(data), delimiter=delimiter) for c in row]
    assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells)
    assert "'=cmd|' /C calc'!A0" in cells and "'@SUM(1)" in cells and " =1+1" in cells
    again = make_cooperation("9k-again")
    overview_import(actor=None, cooperation=again, data=data.encode(), filename=f"x.{fmt}")
    comments = sorted(Project.objects.filter(cooperation=again).values_list("comments", flat=True))
    assert comments == sorted(WRITTEN)


def test_escape_formula():
    assert [escape_formula(c) for c in ["=1", "+1", "-1", "@A", "\tx", "\rx", "a=b", ""]] == [
        "'=1",
        "'+1",
        "'-1",
        "'@A",
        "'\tx",
        "'\rx",
        "a=b",
        "",
    ]


NAMES = ["REL $x^$ test", "Kostnad $5 og $6", "C:\\mappe\\fil", "snake_case_navn", "$\\alpha$"]


def test_timeline_draws_names_with_dollars_backslashes_and_underscores(client, plain_user):
    v = vestfold()
    for name in NAMES:
        project(v.cooperation, name, 2001, 2003)
    client.force_login(plain_user)
    response = client.get(reverse("overview:timeline"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "REL $x^$ test" in html


def test_cleanup_import_previews(db, secretariat_user):
    coop = make_cooperation()
    now = timezone.now()
    rows = []
    for days, confirmed in [(2, False), (2, True), (0, False)]:
        batch = ImportBatch.objects.create(
            token=f"t{days}{confirmed}",
            cooperation=coop,
            filename="f.txt",
            data=b"bytes",
            confirmed_at=now if confirmed else None,
        )
        ImportBatch.objects.filter(pk=batch.pk).update(created_at=now - dt.timedelta(days=days))
        rows.append(batch)
    out = io.StringIO()
    call_command("cleanup_import_previews", stdout=out)
    assert "Deleted 1 unconfirmed" in out.getvalue()
    assert set(ImportBatch.objects.values_list("token", flat=True)) == {"t2True", "t0False"}
    assert bytes(ImportBatch.objects.get(token="t2True").data) == b""
    assert bytes(ImportBatch.objects.get(token="t0False").data) == b"bytes"
