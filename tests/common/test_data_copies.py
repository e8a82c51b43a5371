"""The clone carries its own copies of the SSB snapshot and the source documents, so
`make run` and the suite work wherever it is checked out. Where the workplace's shared
originals are present, the copies must not drift from them."""

import filecmp
from pathlib import Path

import pytest
from django.conf import settings

SHARED = Path(settings.BASE_DIR).parent / "shared"
COPIES = [
    (settings.SSB_KLASS_DIR, SHARED / "data" / "ssb-klass-131"),
    (settings.SOURCE_DOCUMENTS_DIR, SHARED / "source-documents"),
]


@pytest.mark.parametrize(("copy", "original"), COPIES, ids=["ssb-klass-131", "documents"])
def test_copy_is_complete_and_matches_the_shared_original(copy, original):
    copy = Path(copy)
    assert (copy / "README.md").is_file()
    if not original.is_dir():
        pytest.skip(f"{original} is not on this machine")
    names = sorted(p.name for p in original.iterdir() if p.is_file())
    _match, mismatch, errors = filecmp.cmpfiles(original, copy, names, shallow=False)
    assert (mismatch, errors) == ([], [])
