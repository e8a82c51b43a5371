"""Backup and restore (issue 17, point 4): a round trip reproduces every row, every history
row and every file; a damaged archive or a non-empty database is refused."""

import io
import json
import tarfile

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from samarbeid.site import backup

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "cases" / "2003").mkdir(parents=True)
    (settings.MEDIA_ROOT / "cases" / "2003" / "saksframlegg.pdf").write_bytes(b"%PDF-1.4 sak")
    (settings.MEDIA_ROOT / "vedlegg æøå.txt").write_text("Vedlegg", encoding="utf-8")
    return settings.MEDIA_ROOT


def _wipe() -> None:
    """Empty every table (inside the test's transaction), as a fresh database is."""
    with connection.constraint_checks_disabled():
        for model in reversed(backup.backed_up_models()):
            if model._meta.label not in backup.FILLED_BY_MIGRATE:
                model._base_manager.all()._raw_delete(connection.alias)


def test_round_trip_reproduces_every_row_history_row_and_file(tmp_path, media):
    call_command("load_demo", stdout=io.StringIO())
    tables = backup.table_digests()
    files = backup.file_digests()
    history_rows = {
        label: n
        for label, n in (
            (m._meta.label, m._base_manager.count()) for m in backup.backed_up_models()
        )
        if "Historical" in label
    }
    assert sum(history_rows.values()) > 100
    archive = tmp_path / "backup.tar"
    out = io.StringIO()
    call_command("backup", str(archive), stdout=out)
    assert "Sikkerhetskopi skrevet til" in out.getvalue()

    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
    assert manifest["format_version"] == backup.FORMAT_VERSION
    assert manifest["files"] == len(files) >= 2  # the fixture's two and the demo's uploads
    assert ["projects", "0001_initial"] in manifest["migrations"]

    # a database that holds data is refused
    with pytest.raises(CommandError, match="Databasen er ikke tom"):
        call_command("restore", str(archive), stdout=io.StringIO())

    _wipe()
    for path in media.rglob("*"):
        if path.is_file():
            path.unlink()
    call_command("restore", str(archive), stdout=io.StringIO())
    restored = backup.table_digests()
    # the data version's counter (a cache key, not data) is moved on by the restore
    assert restored.pop("common.DataVersion") != tables.pop("common.DataVersion")
    assert restored == tables
    assert backup.file_digests() == files
    restored_history = {
        label: n
        for label, n in (
            (m._meta.label, m._base_manager.count()) for m in backup.backed_up_models()
        )
        if "Historical" in label
    }
    assert restored_history == history_rows  # none invented, none lost


def test_a_damaged_archive_is_refused_before_anything_is_written(tmp_path, media):
    archive = tmp_path / "backup.tar"
    backup.create_backup(archive)
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w") as target:
        for info in source.getmembers():
            data = source.extractfile(info).read()
            if info.name.endswith("saksframlegg.pdf"):
                data = b"%PDF-1.4 endret"
                info.size = len(data)
            target.addfile(info, io.BytesIO(data))
    _wipe()
    with pytest.raises(CommandError, match=r"Feil sjekksum for media/cases/2003/saksframlegg\.pdf"):
        call_command("restore", str(damaged), stdout=io.StringIO())
    with pytest.raises(CommandError, match="er ikke et sikkerhetskopiarkiv"):
        (tmp_path / "junk.tar").write_bytes(b"junk")
        call_command("restore", str(tmp_path / "junk.tar"), stdout=io.StringIO())


def test_a_restore_rebuilds_the_library_search_index(tmp_path, media):
    """The SQLite FTS5 table is no Django model and is not in the archive: the restore fills
    it again, so a restored library document is found by a word inside it."""
    from networks.models import Document
    from networks.search import FTS_TABLE, matching, terms_of
    from tests.networks.factories import NetworkFactory, make_document

    network = NetworkFactory()
    make_document(network, title="Mal", text="verjemålsregnskap for kommunene")
    archive = tmp_path / "backup.tar"
    call_command("backup", str(archive), stdout=io.StringIO())
    _wipe()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")  # as in a freshly migrated database
    call_command("restore", str(archive), stdout=io.StringIO())
    assert list(matching(Document.objects.all(), terms_of("verjemalsregnskap"))) != []


def test_a_restore_never_serves_a_value_cached_from_the_old_database(tmp_path, media):
    """The archive brings back its data-version counter and highest ids, which the old
    database had with other data: a process whose token did not change (no signal reaches
    it) must not take the old value for the restored data."""
    from django.db.models import F

    from projects.analytics import cache as data_cache
    from projects.models import Project
    from samarbeid.common.models import DataVersion
    from tests.projects.factories import ProjectFactory

    def names():
        return data_cache.cached(
            "names", None, lambda: sorted(Project.objects.values_list("name", flat=True))
        )

    def another_process_commits():
        DataVersion.objects.update_or_create(pk=1)
        DataVersion.objects.filter(pk=1).update(counter=F("counter") + 1)

    project = ProjectFactory(name="Før")
    archive = tmp_path / "backup.tar"
    call_command("backup", str(archive), stdout=io.StringIO())
    project.name = "Etter"
    project.save()
    another_process_commits()
    assert names() == ["Etter"]

    _wipe()
    call_command("restore", str(archive), stdout=io.StringIO())
    another_process_commits()  # the counter is where it was when "Etter" was cached
    assert names() == ["Før"]
