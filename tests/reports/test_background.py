"""Large PDF/DOCX reports are made by a background job (django-rq): the download leads to a
status page polled with htmx, then to the file, kept a day for the user who asked."""

import uuid

import pytest
from django.urls import reverse
from redis.exceptions import ConnectionError as RedisConnectionError

from reports import jobs, registry
from tests.conftest import local_redis

pytestmark = pytest.mark.django_db

DOWNLOAD = reverse("reports:download")
LARGE_DOCX = DOWNLOAD + "?report=overview&format=docx&lang=en"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(autouse=True)
def small_threshold(settings, client):
    """The demo's overview has 69 projects: more than 10 goes to the queue."""
    settings.REPORTS_BACKGROUND_PROJECTS = 10
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def signed_in(client, plain_user):
    client.force_login(plain_user)
    return client


def test_a_large_selection_gets_the_status_page_then_the_file(demo, signed_in):
    response = signed_in.get(LARGE_DOCX)
    assert response.status_code == 302
    status_url = response["Location"]
    job_id = status_url.rstrip("/").rsplit("/", 1)[-1]
    assert status_url == reverse("reports:status", args=[job_id]) and len(job_id) == 32
    # The test settings run jobs at once (RQ ASYNC off): the file is ready.
    page = signed_in.get(status_url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "The report is ready" in html and "hx-trigger" not in html
    file_url = reverse("reports:file", args=[job_id])
    assert f'href="{file_url}"' in html and "project-overview" in html
    got = signed_in.get(file_url)
    assert got.status_code == 200 and got["Content-Type"] == DOCX
    assert got["Content-Disposition"].startswith('attachment; filename="project-overview')
    assert got["Content-Disposition"].endswith('.docx"')
    assert got["X-Content-Type-Options"] == "nosniff"
    assert got.content[:2] == b"PK"
    direct = registry.generate("overview", fmt="docx", lang="en")
    assert got["Content-Disposition"].endswith(f'filename="{direct.filename}"')


def test_the_annual_pdf_always_goes_to_the_queue(demo, signed_in, settings):
    settings.REPORTS_BACKGROUND_PROJECTS = 100_000
    response = signed_in.get(DOWNLOAD + "?report=annual&format=pdf&lang=nb&year=2003")
    assert response.status_code == 302
    job_id = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    got = signed_in.get(reverse("reports:file", args=[job_id]))
    assert got.status_code == 200 and got["Content-Type"] == "application/pdf"
    assert got.content.startswith(b"%PDF")
    assert got["Content-Disposition"].startswith("attachment; filename=")


@pytest.mark.parametrize(
    ("query", "threshold"),
    [
        ("report=overview&format=csv&lang=en", 10),  # CSV: never
        ("report=overview&format=docx&lang=en&category=network", 10),  # a small selection
        ("report=overview&format=pdf&lang=en", 300),  # 69 projects: the default keeps it
        ("report=annual&format=html&lang=en&year=2003", 300),
        ("report=municipality&format=docx&lang=en&number=3905", 300),
        ("report=presentation&format=docx&lang=en", 10),  # does not grow with projects
    ],
)
def test_small_selections_and_quick_formats_stay_immediate(
    demo, signed_in, monkeypatch, settings, query, threshold
):
    settings.REPORTS_BACKGROUND_PROJECTS = threshold
    monkeypatch.setattr(jobs, "enqueue_report", lambda **kw: pytest.fail("queued"))
    response = signed_in.get(DOWNLOAD + "?" + query)
    assert response.status_code == 200
    assert response["Content-Disposition"].split(";")[0] in ("attachment", "inline")


@pytest.mark.parametrize(
    "query",
    [
        "report=overview&format=xlsx&lang=en",
        "report=overview&format=html&lang=en",
        "report=municipality&format=pdf&lang=en&number=3905",
        "report=annual&format=xlsx&lang=en&year=2003",
    ],
)
def test_large_selections_go_to_the_queue_in_every_format_but_csv(
    demo, signed_in, monkeypatch, query
):
    queued = []
    monkeypatch.setattr(jobs, "enqueue_report", lambda **kw: queued.append(kw) or "b" * 32)
    response = signed_in.get(DOWNLOAD + "?" + query)
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:status", args=["b" * 32])
    assert len(queued) == 1 and queued[0]["user"].username == "vanlig-test"


def test_the_rule_counts_the_selection_in_a_few_queries(demo, django_assert_max_num_queries):
    from django.http import QueryDict

    from projects.models import Project

    with django_assert_max_num_queries(11):  # data version, the form's choices, one COUNT
        size = jobs.overview_size(QueryDict(""))
    with django_assert_max_num_queries(3):  # choices from the cache: data version, COUNT
        assert jobs.overview_size(QueryDict("")) == size
    assert size == Project.objects.filter(cooperation=demo).count() > 10
    with django_assert_max_num_queries(2):
        assert jobs.cooperation_size() == size
    assert jobs.overview_size(QueryDict("year_from=20x1")) is None
    assert not jobs.in_background("overview", "pdf", QueryDict("year_from=20x1"))


def test_bad_input_is_still_400_at_once(demo, signed_in, monkeypatch):
    monkeypatch.setattr(jobs, "enqueue_report", lambda **kw: pytest.fail("queued"))
    assert signed_in.get(DOWNLOAD + "?report=overview&format=odt").status_code == 400
    assert signed_in.get(DOWNLOAD + "?report=annual&format=pdf&lang=de").status_code == 400
    bad_filter = signed_in.get(DOWNLOAD + "?report=overview&format=pdf&lang=en&year_from=20x1")
    assert bad_filter.status_code == 400


def test_only_the_user_who_asked_gets_the_status_and_the_file(
    demo, client, plain_user, board_user, secretariat_user
):
    client.force_login(plain_user)
    job_id = client.get(LARGE_DOCX)["Location"].rstrip("/").rsplit("/", 1)[-1]
    assert client.get(reverse("reports:file", args=[job_id])).status_code == 200
    for other in (board_user, secretariat_user):
        client.force_login(other)
        assert client.get(reverse("reports:status", args=[job_id])).status_code == 404
        assert client.get(reverse("reports:file", args=[job_id])).status_code == 404
    client.logout()
    anonymous = client.get(reverse("reports:file", args=[job_id]))
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    client.force_login(plain_user)
    assert client.get(reverse("reports:status", args=["0" * 32])).status_code == 404


def test_a_failing_job_shows_a_message_not_a_500(demo, signed_in, monkeypatch):
    def broken(doc, fmt):
        raise RuntimeError("the renderer broke")

    monkeypatch.setattr(registry, "render", broken)
    status_url = signed_in.get(LARGE_DOCX)["Location"]
    page = signed_in.get(status_url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "The report could not be made" in html and "Something went wrong" in html
    assert "hx-trigger" not in html and "the renderer broke" not in html
    job_id = status_url.rstrip("/").rsplit("/", 1)[-1]
    file_page = signed_in.get(reverse("reports:file", args=[job_id]))
    assert file_page.status_code == 302 and file_page["Location"] == status_url


def test_the_status_page_is_norwegian_by_default(demo, client, plain_user, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    client.force_login(plain_user)
    status_url = client.get(LARGE_DOCX)["Location"]
    html = client.get(status_url).content.decode()
    assert "Rapporten er klar" in html


def test_the_fragment_polls_while_the_job_waits(demo, signed_in, monkeypatch):
    waiting = jobs.ReportJob("a" * 32, "overview", "pdf", "running", stage="rendering")
    monkeypatch.setattr(jobs, "report_job", lambda job_id, user: waiting)
    url = reverse("reports:status", args=["a" * 32])
    fragment = signed_in.get(url, headers={"HX-Request": "true"})
    html = fragment.content.decode()
    assert html.lstrip().startswith('<section class="card" id="report-status"')
    assert 'hx-trigger="every 2s"' in html and "Laying out the pages" in html
    full = signed_in.get(url).content.decode()
    assert "<html" in full and "The report is being made" in full and "(PDF)" in full


def test_without_redis_the_report_is_made_in_the_request(demo, signed_in, monkeypatch, caplog):
    class Down:
        def enqueue(self, *args, **kwargs):
            raise RedisConnectionError("refused")

    monkeypatch.setattr(jobs.django_rq, "get_queue", lambda name: Down())
    response = signed_in.get(LARGE_DOCX)
    assert response.status_code == 200 and response["Content-Type"] == DOCX
    assert "Redis is not reachable" in caplog.text


def test_a_real_worker_makes_the_queued_report(demo, signed_in, monkeypatch):
    """Enqueue to the local Redis and let an RQ worker (in this process, so it sees the
    test database) make the report."""
    from rq import Queue, SimpleWorker

    conn = local_redis()
    queue = Queue(f"test-{uuid.uuid4().hex[:8]}", connection=conn, is_async=True)
    monkeypatch.setattr(jobs.django_rq, "get_queue", lambda name: queue)
    monkeypatch.setattr(jobs.django_rq, "get_connection", lambda name: conn)
    try:
        status_url = signed_in.get(LARGE_DOCX)["Location"]
        waiting = signed_in.get(status_url).content.decode()
        assert "Waiting for the worker" in waiting and "hx-trigger" in waiting
        assert queue.count == 1

        SimpleWorker([queue], connection=conn).work(burst=True)

        job_id = status_url.rstrip("/").rsplit("/", 1)[-1]
        job = queue.fetch_job(job_id)
        assert job.meta["progress"] == {"stage": "rendering"}
        assert 0 < conn.ttl(job.key) <= jobs.KEEP
        assert "The report is ready" in signed_in.get(status_url).content.decode()
        got = signed_in.get(reverse("reports:file", args=[job_id]))
        assert got.status_code == 200 and got.content[:2] == b"PK"
    finally:
        queue.empty()
        queue.delete(delete_jobs=True)
