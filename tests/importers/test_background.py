"""Large web imports run as a background job (django-rq) with a progress page; stored
previews are cleaned after a day."""

import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from importers import jobs
from importers import services as import_services
from importers.models import ImportBatch
from projects.models import Project
from tests.conftest import local_redis

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_pages(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    settings.IMPORT_BACKGROUND_ROWS = 10  # 001 has 58 rows: it goes to the queue


def rows_file(n: int) -> bytes:
    header = "Prosjekt\tPeriode\tDeltagere\tArbeidsform\t9k resultat\tStatus\tKommentar\n"
    lines = [
        f"Prosjekt nummer {i}\t2001\tTønsberg\tProsjekt\tRapport\tAvsluttet\t\n" for i in range(n)
    ]
    return ("1) Driftsprosjekter\n" + header + "".join(lines)).encode()


def confirm(client, batch, capture):
    """Post the confirmation; the job is enqueued when the request's transaction commits
    (django-rq's default), which the test's transaction stands in for."""
    with capture(execute=True):
        return client.post(reverse("importers:confirm"), {"token": batch.token})


def stage(client, coop, data: bytes, name="oversikt.txt") -> ImportBatch:
    response = client.post(
        reverse("importers:upload"),
        {"file": SimpleUploadedFile(name, data), "cooperation": coop.pk},
    )
    assert response.status_code == 200, response.content.decode()[:2000]
    return ImportBatch.objects.get(token=response.context["batch"].token)


def test_a_large_import_runs_as_a_job_and_shows_its_result(
    secretariat_client, coop, source_bytes, django_capture_on_commit_callbacks
):
    batch = stage(secretariat_client, coop, source_bytes)
    response = confirm(secretariat_client, batch, django_capture_on_commit_callbacks)
    status_url = reverse("importers:status", args=[batch.token])
    assert response.status_code == 302 and response["Location"] == status_url
    # The test settings run jobs at once (RQ ASYNC off): the job is done.
    page = secretariat_client.get(status_url)
    html = page.content.decode()
    assert page.status_code == 200

    assert "Import finished" in html and "58" in html
    assert 'href="/projects/"' in html
    assert "hx-trigger" not in html  # no more polling
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE and batch.confirmed_at is not None
    assert Project.objects.filter(cooperation=coop).count() == 58
    again = secretariat_client.post(reverse("importers:confirm"), {"token": batch.token})
    assert again.status_code == 400


def test_a_5000_row_file_goes_to_the_queue(
    secretariat_client, coop, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """With the default threshold: the confirm only queues the job (the worker imports)."""
    settings.IMPORT_BACKGROUND_ROWS = 300
    queued = []
    monkeypatch.setattr(jobs, "_enqueue", lambda *args: queued.append(args))
    batch = stage(secretariat_client, coop, rows_file(5000))
    assert batch.rows_total == 5000
    response = confirm(secretariat_client, batch, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.QUEUED and queued == [
        (batch.pk, batch.job_id, batch.created_by_id)
    ]
    assert not Project.objects.filter(cooperation=coop).exists()
    html = secretariat_client.get(response["Location"]).content.decode()
    assert "5000 rows are waiting to be imported." in html


def test_small_imports_stay_synchronous(
    secretariat_client, coop, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_BACKGROUND_ROWS = 300
    batch = stage(secretariat_client, coop, rows_file(3))
    response = confirm(secretariat_client, batch, django_capture_on_commit_callbacks)
    assert response.status_code == 200 and "Import finished" in response.content.decode()
    assert Project.objects.filter(cooperation=coop).count() == 3


def test_a_failing_row_leaves_nothing_and_the_page_names_it(
    secretariat_client, coop, monkeypatch, django_capture_on_commit_callbacks
):
    real_apply = import_services._apply
    calls = {"n": 0}

    def failing_apply(p, **kwargs):
        calls["n"] += 1
        if calls["n"] == 12:
            raise import_services.RowInvalid(
                ValidationError({"name": ["Broken on purpose."]}), row=p.row.number, name=p.name
            )
        return real_apply(p, **kwargs)

    monkeypatch.setattr(import_services, "_apply", failing_apply)
    batch = stage(secretariat_client, coop, rows_file(20))
    response = confirm(secretariat_client, batch, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    page = secretariat_client.get(response["Location"]).content.decode()
    assert "could not be imported" in page
    assert "Prosjekt nummer 11" in page and "Broken on purpose." in page
    assert "Nothing was saved." in page
    assert not Project.objects.filter(cooperation=coop).exists()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED and batch.confirmed_at is None


def test_the_status_fragment_polls_while_the_job_waits(
    secretariat_client, coop, secretariat_user, django_assert_max_num_queries, monkeypatch
):
    batch = stage(secretariat_client, coop, rows_file(15))
    batch = import_services.upload_queue(actor=secretariat_user, token=batch.token)
    monkeypatch.setattr(
        jobs, "import_progress", lambda b: {"stage": "writing", "done": 6, "total": 15}
    )
    url = reverse("importers:status", args=[batch.token])
    with django_assert_max_num_queries(8):
        fragment = secretariat_client.get(url, headers={"HX-Request": "true"})
    html = fragment.content.decode()
    assert fragment.status_code == 200
    assert html.lstrip().startswith('<section class="card" id="import-status"')
    assert 'hx-trigger="every 2s"' in html and "6 of 15 rows" in html
    full = secretariat_client.get(url).content.decode()
    assert "<html" in full and "Saving" in full


def test_a_job_that_died_is_shown_as_failed(
    secretariat_client, coop, secretariat_user, monkeypatch
):
    """A worker killed mid-import: its transaction rolled back; the page stops polling."""
    batch = stage(secretariat_client, coop, rows_file(15))
    batch = import_services.upload_queue(actor=secretariat_user, token=batch.token)
    monkeypatch.setattr(jobs, "import_progress", lambda b: {"lost": True})
    html = secretariat_client.get(reverse("importers:status", args=[batch.token])).content.decode()
    assert "could not be imported" in html and "stopped before the import was finished" in html
    assert "Nothing was saved." in html and "hx-trigger" not in html


def test_status_is_for_the_secretariat_only(client, plain_user, coop, secretariat_client):
    batch = stage(secretariat_client, coop, rows_file(2))
    assert secretariat_client.get(reverse("importers:status", args=["nope"])).status_code == 404
    client.force_login(plain_user)  # the same client, now someone else
    assert client.get(reverse("importers:status", args=[batch.token])).status_code == 403


def test_previews_are_cleaned_after_a_day(secretariat_client, coop):
    old = stage(secretariat_client, coop, rows_file(2))
    ImportBatch.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(hours=25))
    fresh = stage(secretariat_client, coop, rows_file(3), name="ny.txt")  # cleans on upload too
    assert not ImportBatch.objects.filter(pk=old.pk).exists()
    ImportBatch.objects.filter(pk=fresh.pk).update(created_at=timezone.now() - dt.timedelta(days=2))
    assert jobs.cleanup_previews() == (1, 0)
    assert not ImportBatch.objects.exists()


def test_the_scheduler_config_registers_the_hourly_cleanup():
    """`manage.py rqcron importers.cron` (started by make run) loads this module."""
    import importlib

    from rq import cron

    import importers.cron

    cron._job_data_registry.clear()
    importlib.reload(importers.cron)
    (entry,) = cron._job_data_registry
    assert entry["name"] == "cleanup-previews" and entry["interval"] == 3600
    assert entry["func"] is jobs.cleanup_previews


def test_a_real_worker_runs_the_queued_import(
    secretariat_client, coop, monkeypatch, django_capture_on_commit_callbacks
):
    """Enqueue to the local Redis and let an RQ worker (in this process, so it sees the
    test database) run the job."""
    from rq import Queue, SimpleWorker

    conn = local_redis()
    queue = Queue(f"test-{uuid.uuid4().hex[:8]}", connection=conn, is_async=True)
    monkeypatch.setattr(jobs.django_rq, "get_queue", lambda name: queue)
    monkeypatch.setattr(jobs.django_rq, "get_connection", lambda name: conn)
    try:
        batch = stage(secretariat_client, coop, rows_file(25))
        response = confirm(secretariat_client, batch, django_capture_on_commit_callbacks)
        assert response.status_code == 302
        waiting = secretariat_client.get(response["Location"]).content.decode()
        assert "Waiting for the worker" in waiting and "hx-trigger" in waiting
        assert queue.count == 1 and not Project.objects.filter(cooperation=coop).exists()

        SimpleWorker([queue], connection=conn).work(burst=True)

        batch.refresh_from_db()
        assert batch.status == ImportBatch.Status.DONE
        assert Project.objects.filter(cooperation=coop).count() == 25
        job = queue.fetch_job(batch.job_id)
        assert job.meta["progress"] == {"stage": "writing", "done": 25, "total": 25}
        done = secretariat_client.get(response["Location"]).content.decode()
        assert "Import finished" in done
    finally:
        queue.empty()
        queue.delete(delete_jobs=True)
