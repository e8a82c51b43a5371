from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from tests.importers.factories import make_cooperation

SOURCE = Path(settings.SOURCE_DOCUMENTS_DIR) / "001_b9a3c9e30057edf0.txt"


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English; the nb catalogue is checked separately."""
    with translation.override("en"):
        yield


@pytest.fixture
def source_bytes() -> bytes:
    if not SOURCE.exists():
        pytest.skip("the source document 001 is not available")
    return SOURCE.read_bytes()


@pytest.fixture
def coop(db):
    return make_cooperation()
