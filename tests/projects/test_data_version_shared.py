"""The data version lives in the database, so an edit made by one process shows on the next
request in every other process, even when each keeps its own local-memory cache."""

from django.db.models import F

from projects.analytics import cache as data_cache
from samarbeid.common.models import DataVersion
from tests.projects.factories import ProjectFactory


def test_another_processs_commit_moves_the_version(db):
    before = data_cache.data_version()
    # What another gunicorn worker's commit does: only the row in the database moves; this
    # process's local cache (its token) knows nothing of it.
    DataVersion.objects.filter(pk=1).update(counter=F("counter") + 1)
    assert data_cache.data_version() != before


def test_a_cached_value_is_recomputed_after_another_processs_commit(db):
    calls = []
    data_cache.cached("t", 1, lambda: calls.append(1) or len(calls))
    data_cache.cached("t", 1, lambda: calls.append(1) or len(calls))
    assert len(calls) == 1
    DataVersion.objects.filter(pk=1).update(counter=F("counter") + 1)
    data_cache.cached("t", 1, lambda: calls.append(1) or len(calls))
    assert len(calls) == 2


def test_one_count_per_transaction_however_many_rows(db, django_capture_on_commit_callbacks):
    counter = DataVersion.objects.get_or_create(pk=1)[0].counter
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for _ in range(3):
            ProjectFactory()
    assert [c for c in callbacks if c is data_cache._count_commit] == [data_cache._count_commit]
    assert DataVersion.objects.get(pk=1).counter == counter + 1


def test_the_count_recreates_a_missing_row(db):
    DataVersion.objects.all().delete()  # a flushed test database
    data_cache._count_commit()
    assert DataVersion.objects.filter(pk=1).exists()
