from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_load_municipalities_prints_counts():
    out = StringIO()
    with translation.override("en"):
        call_command("load_municipalities", stdout=out)
    text = out.getvalue()
    assert "0 created, 0 updated" in text


def test_load_municipalities_dry_run(tmp_path):
    out = StringIO()
    with translation.override("en"):
        call_command("load_municipalities", "--dry-run", stdout=out)
    assert "Dry run" in out.getvalue()


def test_load_municipalities_bad_dir(tmp_path):
    with pytest.raises(CommandError) as info:
        call_command("load_municipalities", "--dir", str(tmp_path))
    assert str(tmp_path) in str(info.value)
