"""The municipality registry loaded from the offline SSB Klass 131 snapshot."""

import datetime as dt
import json

import pytest
from django.conf import settings
from django.utils import translation

from members.models import Municipality, MunicipalityEvent, MunicipalityNameVariant
from members.registry import SnapshotError, clean_name, load_snapshot

pytestmark = pytest.mark.django_db


def _load(directory=None, **kwargs):
    return load_snapshot(
        directory=directory or settings.SSB_KLASS_DIR,
        overrides=settings.MUNICIPALITY_OVERRIDES_FILE,
        **kwargs,
    )


def test_second_load_changes_nothing():
    report = _load()
    assert report.created == 0
    assert report.updated == 0
    assert report.deleted == 0
    assert report.unchanged > 900
    assert report.municipalities.unchanged == Municipality.objects.count()


def test_dry_run_reports_without_writing():
    Municipality.objects.filter(number="0716").update(name="Feil")
    report = _load(dry_run=True)
    assert report.municipalities.updated == 2
    assert set(Municipality.objects.filter(number="0716").values_list("name", flat=True)) == {
        "Feil"
    }
    report = _load()
    assert report.municipalities.updated == 2
    assert set(Municipality.objects.filter(number="0716").values_list("name", flat=True)) == {
        "Våle",
        "Re",
    }


def test_all_of_norway_is_loaded_with_reused_numbers():
    vale, re = Municipality.objects.filter(number="0716").order_by("valid_from")
    assert (vale.name, vale.valid_to) == ("Våle", dt.date(2001, 12, 31))
    assert (re.name, re.valid_from, re.valid_to) == (
        "Re",
        dt.date(2002, 1, 1),
        dt.date(2019, 12, 31),
    )
    assert re.county_name == "Vestfold"
    assert (
        Municipality.objects.filter(valid_to__isnull=True).count() == 358
    )  # version-2024.json lists 358


def test_county_suffix_and_spaces_do_not_create_identities():
    hof = Municipality.objects.filter(number="0714")
    assert hof.count() == 1
    assert hof.get().name == "Hof"
    assert MunicipalityNameVariant.objects.filter(
        municipality=hof.get(), name="Hof (Vestfold)"
    ).exists()
    sande = Municipality.objects.get(number="0713")
    assert (sande.name, sande.official_name) == ("Sande", "Sande (Vestfold)")
    borre = Municipality.objects.get(number="0701", valid_from=dt.date(1988, 1, 1))
    assert borre.name == "Borre"


def test_borre_renamed_horten_on_the_legal_date():
    borre = Municipality.objects.get(number="0701", valid_from=dt.date(1988, 1, 1))
    assert borre.valid_to == dt.date(2002, 5, 31)
    horten = Municipality.objects.get(number="0701", valid_from=dt.date(2002, 6, 1))
    event = MunicipalityEvent.objects.get(predecessors=borre, successors=horten)
    assert event.kind == MunicipalityEvent.Kind.RENAME
    assert event.date == dt.date(2002, 6, 1)
    assert "1. juni 2002" in event.source


def test_vear_is_a_boundary_adjustment_not_a_succession():
    stokke = Municipality.objects.get(number="0720")
    tonsberg = Municipality.objects.get(number="0704", valid_from=dt.date(1988, 1, 1))
    assert tonsberg.valid_to == dt.date(2019, 12, 31), "Tønsberg continues through 2017"
    boundary = MunicipalityEvent.objects.get(kind="boundary", predecessors=stokke)
    assert list(boundary.successors.all()) == [tonsberg]
    assert "Vear" in boundary.note
    merger = MunicipalityEvent.objects.get(kind="merger", predecessors=stokke)
    assert [m.number for m in merger.successors.all()] == ["0710"]


def test_clean_name():
    assert clean_name(" Borre ") == "Borre"
    assert clean_name("Sande (Vestfold)") == "Sande"
    assert clean_name("Porsanger - Porsáŋgu - Porsanki") == "Porsanger - Porsáŋgu - Porsanki"


def _assert_nothing_written(report_call):
    before = (Municipality.objects.count(), MunicipalityEvent.objects.count())
    with translation.override("en"), pytest.raises(SnapshotError) as info:
        report_call()
    assert (Municipality.objects.count(), MunicipalityEvent.objects.count()) == before
    assert not Municipality.objects.filter(name="Halden endret").exists()
    return str(info.value)


def _rename_halden(directory):
    path = directory / "version-1971.json"
    data = json.loads(path.read_text())
    data["classificationItems"][0]["name"] = "Halden endret"
    path.write_text(json.dumps(data))


def test_broken_json_names_file_and_line_and_writes_nothing(snapshot_copy):
    _rename_halden(snapshot_copy)
    path = snapshot_copy / "version-2024.json"
    lines = path.read_text().splitlines()
    lines[9] = lines[9] + ",,"
    path.write_text("\n".join(lines))
    message = _assert_nothing_written(lambda: _load(snapshot_copy))
    assert "version-2024.json" in message
    assert "line 10" in message


def test_error_messages_are_norwegian_by_default(snapshot_copy):
    path = snapshot_copy / "version-1995.json"
    path.write_text(path.read_text().replace('"validFrom": "1995-01-01"', '"validFrom": "1995"'))
    with translation.override("nb"), pytest.raises(SnapshotError) as info:
        _load(snapshot_copy)
    assert "version-1995.json" in str(info.value)
    assert "er ikke en dato" in str(info.value)


def test_missing_key_names_file_and_item(snapshot_copy):
    _rename_halden(snapshot_copy)
    path = snapshot_copy / "version-2004.json"
    data = json.loads(path.read_text())
    del data["classificationItems"][3]["name"]
    code = data["classificationItems"][3]["code"]
    path.write_text(json.dumps(data))
    message = _assert_nothing_written(lambda: _load(snapshot_copy))
    assert "version-2004.json" in message
    assert f"item 3 (code {code})" in message
    assert "name" in message


def test_bad_date_in_change_table(snapshot_copy):
    _rename_halden(snapshot_copy)
    path = snapshot_copy / "changes-1972-2024.json"
    data = json.loads(path.read_text())
    data["codeChanges"][5]["changeOccurred"] = "1972-13-01"
    path.write_text(json.dumps(data))
    message = _assert_nothing_written(lambda: _load(snapshot_copy))
    assert "changes-1972-2024.json" in message
    assert "change row 5" in message
    assert "1972-13-01" in message


def test_a_good_copy_loads_the_edit(snapshot_copy):
    _rename_halden(snapshot_copy)
    report = _load(snapshot_copy)
    assert report.municipalities.created == 1, "a name change without a change row"
    halden = Municipality.objects.filter(number="0101").order_by("valid_from")
    assert [(m.name, m.valid_to) for m in halden] == [
        ("Halden endret", dt.date(1971, 12, 31)),
        ("Halden", dt.date(2019, 12, 31)),
    ]
    assert MunicipalityEvent.objects.get(predecessors=halden[0]).kind == "rename"
