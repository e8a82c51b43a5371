from io import StringIO

import pytest

from importers import demo
from projects.models import Project

pytestmark = pytest.mark.django_db


def test_demo_imports_001_once(coop, source_bytes, settings):
    out = StringIO()
    demo.load_demo(out)
    assert "58 created" in out.getvalue()
    assert Project.objects.filter(cooperation=coop).count() == 58
    out = StringIO()
    demo.load_demo(out)
    assert "0 created, 0 updated, 58 unchanged" in out.getvalue()


def test_demo_skips_without_the_source(coop, settings, tmp_path):
    settings.SOURCE_DOCUMENTS_DIR = tmp_path
    out = StringIO()
    demo.load_demo(out)
    assert "missing" in out.getvalue()
    assert not Project.objects.exists()
