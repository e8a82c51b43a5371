"""Reports never write a live formula: the hostile formula corpus imported, then every
report as XLSX (string cells, quote prefix) and CSV (the one OWASP escaping)."""

import csv
import io

import openpyxl
import pytest
from django.http import QueryDict

from importers.services import overview_import
from reports import registry
from tests.hostile import corpus
from tests.importers.factories import make_cooperation

pytestmark = pytest.mark.django_db
START = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def imported(db):
    coop = make_cooperation()
    overview_import(actor=None, cooperation=coop, data=corpus.formulas_tsv(), filename="f.txt")
    return coop


@pytest.mark.parametrize("name", ["overview", "annual"])
def test_report_xlsx_has_no_formula_cell(imported, name):
    params = QueryDict("year=2002" if name == "annual" else "")
    data = registry.generate(name, fmt="xlsx", lang="nb", params=params).data
    book = openpyxl.load_workbook(io.BytesIO(data))
    cells = [c for ws in book for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    risky = [c for c in cells if isinstance(c.value, str) and c.value.startswith(START)]
    assert all(c.quotePrefix for c in risky)
    if name == "overview":  # the comments carry the corpus
        assert len(risky) >= len(corpus.FORMULAS)


def test_report_csv_escapes_every_formula(imported):
    data = registry.generate("overview", fmt="csv", lang="nb").data.decode("utf-8-sig")
    cells = [c for row in csv.reader(io.StringIO(data)) for c in row]
    assert not any(c.startswith(START) for c in cells)
    assert "'=cmd|' /C calc'!A0" in cells and "'@SUM(1)" in cells
