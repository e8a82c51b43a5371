"""The demo (registry, members with the cooperation's address, 001 imported, governance)
loaded once per test module; each test's changes roll back."""

import re
import subprocess
import zlib
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.importers.conftest import kept_for_the_module


@pytest.fixture(scope="module")
def _demo_once(django_db_setup, django_db_blocker):
    with kept_for_the_module(django_db_blocker):
        with django_db_blocker.unblock():
            call_command("load_demo", stdout=StringIO())
        yield


@pytest.fixture
def demo(_demo_once, db):
    from members.selectors import default_cooperation

    return default_cooperation()


def pdf_text(data: bytes, tmp_path: Path, *, layout: bool = False) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    args = ["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), str(path), "-"]
    return subprocess.run(args, capture_output=True, check=True, text=True).stdout


def pdf_info(data: bytes, tmp_path: Path, *options: str) -> str:
    path = tmp_path / "info.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdfinfo", *options, str(path)], capture_output=True, check=True, text=True
    ).stdout


def pdf_objects(data: bytes) -> bytes:
    """The PDF's objects, object streams inflated (to find /Lang in the catalogue)."""
    out = [data]
    for match in re.finditer(rb"(?<!end)stream\r?\n", data):
        try:
            out.append(zlib.decompressobj().decompress(data[match.end() :]))
        except zlib.error:
            continue
    return b"\n".join(out)
