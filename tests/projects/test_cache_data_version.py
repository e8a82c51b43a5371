"""The data version (projects.analytics.cache): read in one query that does not count rows,
and moved by every path that writes without model signals (bulk inserts, bulk deletes, the
registry load, the search texts, a restore: tests/site/test_backup.py)."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.registry import load_snapshot
from projects import services as project_services
from projects.analytics import cache as data_cache
from projects.models import MoneyEntry, Project
from samarbeid.common.models import DataVersion
from tests.projects.factories import MoneyEntryFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def test_one_query_without_a_row_count():
    with CaptureQueriesContext(connection) as queries:
        data_cache.data_version()
    assert len(queries) == 1
    assert "COUNT(" not in queries[0]["sql"].upper()


def test_a_bulk_insert_moves_the_version():
    project = ProjectFactory()
    before = data_cache.data_version()
    token = data_cache._token()
    MoneyEntry.objects.bulk_create([MoneyEntry(project=project, kind="grant", amount_nok=5)])
    assert data_cache._token() == token  # no signal was sent
    assert data_cache.data_version() != before


def test_a_cached_value_is_recomputed_after_a_bulk_insert():
    project = ProjectFactory()
    calls = []
    data_cache.cached("t", 1, lambda: calls.append(1) or len(calls))
    Project.objects.bulk_create(
        [
            Project(
                cooperation=project.cooperation,
                name="Bulk",
                slug="bulk",
                category=Project.Category.OPERATIONS,
            )
        ]
    )
    assert data_cache.cached("t", 1, lambda: calls.append(1) or len(calls)) == 2


def test_a_bulk_delete_below_the_highest_id_moves_the_version():
    """Deleting rows that are not the highest leaves the highest ids as they are; the
    queryset delete sends post_delete for each row (no fast delete), which moves it."""
    project = ProjectFactory()
    low = MoneyEntryFactory(project=project)
    MoneyEntryFactory(project=project)
    before = data_cache.data_version()
    fingerprint = data_cache._fingerprint()
    MoneyEntry.objects.filter(pk=low.pk).delete()
    assert data_cache._fingerprint() == fingerprint
    assert data_cache.data_version() != before


def test_the_registry_load_moves_the_version(django_capture_on_commit_callbacks):
    """The load writes municipalities with bulk_update (no signals)."""
    before = data_cache.data_version()
    counter = DataVersion.objects.get_or_create(pk=1)[0].counter
    with django_capture_on_commit_callbacks(execute=True):
        load_snapshot(
            directory=settings.SSB_KLASS_DIR, overrides=settings.MUNICIPALITY_OVERRIDES_FILE
        )
    assert data_cache.data_version() != before
    assert DataVersion.objects.get(pk=1).counter == counter + 1


def test_a_new_search_text_moves_the_version():
    project = ProjectFactory()
    before = data_cache.data_version()
    Project.objects.filter(pk=project.pk).update(name="Nytt navn")  # as an importer writes
    project.refresh_from_db()
    project_services.refresh_search_text(project)
    assert data_cache.data_version() != before


def test_restart_moves_the_counter_past_every_value():
    row = DataVersion.objects.get_or_create(pk=1)[0]
    row.counter = 5
    row.save()
    before = data_cache.data_version()
    data_cache.restart_data_version()
    first = DataVersion.objects.get(pk=1).counter
    assert first > 10**15  # the clock in microseconds
    data_cache.restart_data_version()
    assert DataVersion.objects.get(pk=1).counter > first
    assert data_cache.data_version() != before
    DataVersion.objects.all().delete()
    data_cache.restart_data_version()
    assert DataVersion.objects.get(pk=1).counter > first
