"""Every reader stops at its limits with a message naming the limit, before a parser sees
a bomb; a worker reading the whole corpus stays small."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import translation

from importers.readers import ReadError, keep_as_written, read_overview
from tests.hostile import corpus

pytestmark = pytest.mark.usefixtures("english")

REFUSED = {
    "xlsx_far_cell": "the limit for rows",
    "xlsx_many_rows": "the limit for uncompressed size",
    "xlsx_rows_over_limit": "the limit for rows",
    "xlsx_bomb": "the limit for uncompressed size",
    "docx_bomb": "the limit for uncompressed size",
    "zip_lying_sizes": "damaged archive",
    "xlsx_xxe": "declares a DTD or entities",
    "docx_xxe": "declares a DTD or entities",
    "docx_billion_laughs": "declares a DTD or entities",
}


@pytest.mark.parametrize(("key", "message"), REFUSED.items())
def test_bombs_are_refused_with_a_message_naming_the_limit(hostile, key, message):
    path = hostile[key]
    with pytest.raises(ReadError) as caught:
        read_overview(path.read_bytes(), path.name)
    assert message in str(caught.value)
    assert path.name in str(caught.value)


def test_messages_are_norwegian_too(hostile):
    path = hostile["docx_bomb"]
    with translation.override("nb"), pytest.raises(ReadError) as caught:
        read_overview(path.read_bytes(), path.name)
    assert "grensen for ukomprimert størrelse" in str(caught.value)


@pytest.mark.parametrize("key", corpus.ACTIVE)
def test_active_content_is_not_read_as_an_overview(hostile, key):
    path = hostile[key]
    with pytest.raises(ReadError):
        read_overview(path.read_bytes(), path.name)


@pytest.mark.parametrize("key", corpus.FORMULA_FILES)
def test_formula_cells_are_read_as_text_as_written(hostile, key):
    path = hostile[key]
    overview = read_overview(path.read_bytes(), path.name)
    comments = [row.cells["comment"] for row in overview.rows]
    assert comments == [*corpus.FORMULAS, " =1+1"]


def test_text_readers_stop_at_rows_columns_and_cells(settings):
    settings.IMPORT_MAX_ROWS = 10
    settings.IMPORT_MAX_COLUMNS = 8
    settings.IMPORT_MAX_CELLS = 30
    header = "\t".join(corpus.HEADER)
    many_rows = "\n".join([header] + [f"P{i}\t2001" for i in range(20)]).encode()
    with pytest.raises(ReadError, match="more than 10 rows, the limit for rows"):
        read_overview(many_rows, "rows.txt")
    wide = (header + "\n" + "\t".join(["x"] * 9)).encode()
    with pytest.raises(ReadError, match="row 2: more than 8 columns, the limit for columns"):
        read_overview(wide, "wide.txt")
    full = "\n".join([header] + ["\t".join(["x"] * 7)] * 5).encode()
    with pytest.raises(ReadError, match="more than 30 filled cells, the limit for cells"):
        read_overview(full, "cells.txt")
    with pytest.raises(ReadError, match="the limit for rows"):
        read_overview(json.dumps({"projects": [{}] * 11}).encode(), "many.json")


def test_keep_as_written():
    assert keep_as_written(" =1+1 ") == " =1+1"
    assert keep_as_written("  Geodata ") == "Geodata"
    assert keep_as_written("'=1+1") == "=1+1"  # our CSV/TSV escape, read back
    assert keep_as_written("'quoted'") == "'quoted'"


PROBE = """
import os, sys, django
django.setup()
from importers.readers import ReadError, read_overview
for path in sys.argv[1:]:
    try:
        read_overview(open(path, "rb").read(), os.path.basename(path))
    except ReadError:
        pass
# VmHWM is this process image's own peak: ru_maxrss would also count the pytest process
# the child was forked from (Linux keeps the larger of the two across exec).
status = open("/proc/self/status").read().split("VmHWM:")[1]
print(int(status.split()[0]) // 1024)
"""


def test_a_worker_reading_the_whole_corpus_stays_small(hostile):
    """The reader runs in a fresh process over every file; its peak memory (VmHWM)
    stays under 300 MB (it was 4 GB for the far cell alone)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "samarbeid.settings",
        "SAMARBEID_ALLOW_DEV_SECRET": "1",
        "PYTHONPATH": str(Path(django_settings.BASE_DIR)),
    }
    paths = [str(p) for p in hostile.values()]
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *paths],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=True,
    )
    peak_mb = int(done.stdout.strip().splitlines()[-1])
    assert peak_mb < 300, peak_mb


def test_a_csv_title_line_that_breaks_the_csv_reader_is_a_message():
    """The delimiter is chosen from the header line; a title line above it with an
    unclosed quote or a field over the csv module's limit is a ReadError naming the row."""
    title = '"Oversikt; ' + "x" * 200_000 + "\n"
    data = (title + "Prosjekt;Periode;Deltakere\nA;2004;Re\n").encode()
    with pytest.raises(ReadError, match="row"):
        read_overview(data, "tittel.csv")
    quoted = b'"Oversikt, 2006;\nProsjekt;Periode;Deltakere\nA;2004;Re\n'
    try:
        overview = read_overview(quoted, "sitat.csv")
    except ReadError as exc:
        assert "sitat.csv" in str(exc)
    else:
        assert all(row.cells["name"] for row in overview.rows)
