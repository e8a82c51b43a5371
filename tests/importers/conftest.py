from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.utils import translation

from members.models import Cooperation
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


@contextmanager
def kept_for_the_module(django_db_blocker) -> Iterator[None]:
    """Data made inside stays for the tests of one module, then is rolled back.

    An outer transaction is open around the module's tests; pytest-django runs each test
    in a savepoint inside it, so a test's own changes roll back and the next test sees the
    shared data as it was made. (Tests that need a flushed or transactional database, the
    browser tests, must not use it.)"""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@dataclass(frozen=True)
class Imported001:
    """001 imported once by the command into its own cooperation (see `imported_001`)."""

    cooperation_slug: str
    output: str  # what the command printed


SHARED_SLUG = "9k-shared-001"


@pytest.fixture(scope="module")
def _imported_001_once(django_db_setup, django_db_blocker, tmp_path_factory):
    if not SOURCE.exists():
        pytest.skip("the source document 001 is not available")
    path = tmp_path_factory.mktemp("shared") / "001.txt"
    path.write_bytes(SOURCE.read_bytes())
    with kept_for_the_module(django_db_blocker):
        with django_db_blocker.unblock(), translation.override("en"):
            cooperation = make_cooperation(SHARED_SLUG)
            out = StringIO()
            call_command(
                "import_overview", str(path), "--cooperation", cooperation.slug, stdout=out
            )
        yield Imported001(cooperation.slug, out.getvalue())


@pytest.fixture
def imported_001(_imported_001_once, db) -> Imported001:
    """001 as the import command stored it, imported once per test module. Tests may
    change it: their changes roll back after each test."""
    return _imported_001_once


@pytest.fixture
def shared_coop(imported_001) -> Cooperation:
    """The cooperation 001 was imported into, fresh from the database."""
    return Cooperation.objects.get(slug=imported_001.cooperation_slug)
