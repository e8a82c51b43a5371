"""refresh_municipalities: fetch from SSB's Klass API (faked here), diff, write on request."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from members import klass
from members.registry import read_versions


def _fake_api(snapshot: Path, *, rename: tuple[str, str] | None = None):
    versions = {}
    for path in snapshot.glob("version-*.json"):
        data = json.loads(path.read_text())
        versions[str(data["id"])] = data
    classification = json.loads((snapshot / "classification-131.json").read_text())
    changes = json.loads((snapshot / "changes-1972-2024.json").read_text())
    changes["codeChanges"].append(
        {
            "oldCode": "3911",
            "oldName": "Færder",
            "oldShortName": "",
            "newCode": "3911",
            "newName": "Færder",
            "changeOccurred": "2024-01-01",
        }
    )
    if rename:
        for item in versions[_id_for(versions, "2024-01-01")]["classificationItems"]:
            if item["name"] == rename[0]:
                item["name"] = rename[1]
    calls = []

    def fetch(url: str):
        calls.append(url)
        if "/changes" in url:
            return changes
        if "/classifications/131" in url:
            return classification
        version_id = url.split("/versions/")[1].split("?")[0]
        return versions[version_id]

    fetch.calls = calls
    return fetch


def _id_for(versions, valid_from):
    return next(k for k, v in versions.items() if v["validFrom"] == valid_from)


@pytest.fixture
def fake_api(monkeypatch):
    def install(fetch):
        monkeypatch.setattr(klass, "urllib_fetcher", lambda timeout: fetch)

    return install


def _run(*args):
    out = StringIO()
    with translation.override("en"):
        call_command("refresh_municipalities", *args, stdout=out)
    return out.getvalue()


def test_shows_the_diff_and_writes_nothing_by_default(snapshot_copy, fake_api):
    fake_api(_fake_api(snapshot_copy, rename=("Færder", "Færder ny")))
    before = (snapshot_copy / "version-2024.json").read_bytes()
    out = _run("--into", str(snapshot_copy))
    assert "Names changed: 1" in out
    assert "'Færder' -> 'Færder ny'" in out
    assert "Change rows added: 1" in out
    assert "Versions changed: 1" in out
    assert "Nothing written" in out
    assert (snapshot_copy / "version-2024.json").read_bytes() == before


def test_write_replaces_the_snapshot_files(snapshot_copy, fake_api):
    fake_api(_fake_api(snapshot_copy, rename=("Færder", "Færder ny")))
    out = _run("--into", str(snapshot_copy), "--write")
    assert "files written" in out
    latest = read_versions(snapshot_copy)[-1]
    assert latest.items["3911"].name == "Færder ny"
    assert (snapshot_copy / "county-names-numbers.csv").exists()
    assert not list(snapshot_copy.glob(".*.new"))
    assert "No differences" in _run("--into", str(snapshot_copy))


def test_no_differences(snapshot_copy, fake_api):
    fetch = _fake_api(snapshot_copy)
    fake_api(fetch)
    out = _run("--into", str(snapshot_copy))
    assert "Change rows added: 1" in out
    assert "Names changed: 0" in out
    assert any("/versions/" in url for url in fetch.calls)


def test_unreachable_api_leaves_the_snapshot_alone(snapshot_copy, monkeypatch):
    monkeypatch.setattr(klass, "API", "http://127.0.0.1:9/api/klass/v1")
    before = sorted(p.name for p in snapshot_copy.iterdir())
    with translation.override("en"), pytest.raises(CommandError) as info:
        call_command("refresh_municipalities", "--into", str(snapshot_copy), "--timeout", "2")
    message = str(info.value)
    assert "SSB's Klass API could not be reached (" in message
    assert f"the offline snapshot in {snapshot_copy} is unchanged" in message
    assert sorted(p.name for p in snapshot_copy.iterdir()) == before


def test_unusable_answer_is_reported(snapshot_copy, fake_api):
    fake_api(lambda url: {"unexpected": True})
    with translation.override("en"), pytest.raises(CommandError) as info:
        call_command("refresh_municipalities", "--into", str(snapshot_copy))
    assert "could not be reached" in str(info.value)
