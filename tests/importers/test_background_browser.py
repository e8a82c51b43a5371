"""The status page of a background import in a real browser: htmx polls the fragment and
the result replaces the progress without a reload. Screenshots at 1366 and 390 px."""

import pytest
from django.contrib.auth.models import Group

from importers import jobs
from importers import services as import_services
from importers.models import ImportBatch
from tests.importers.factories import make_cooperation
from tests.importers.test_background import rows_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_progress_then_result_without_reload(
    browser_page, live_server, django_user_model, artifacts_dir, monkeypatch
):
    coop = make_cooperation()
    user = django_user_model.objects.create_user(username="sekr", password="pw-sekr-123")
    user.groups.add(Group.objects.get_or_create(name="secretariat")[0])
    batch, _report = import_services.upload_stage(
        actor=user, cooperation=coop, data=rows_file(40), filename="stor-oversikt.txt"
    )
    batch = import_services.upload_queue(actor=user, token=batch.token)
    monkeypatch.setattr(
        jobs, "import_progress", lambda b: {"stage": "writing", "done": 1234, "total": 5000}
    )
    page = browser_page
    from tests.conftest import browser_login

    browser_login(page, live_server, "sekr", "pw-sekr-123")
    page.goto(f"{live_server.url}/import/status/{batch.token}/")
    assert "1234 av 5000 rader" in page.locator("#import-status").inner_text()
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 800})
        page.screenshot(path=str(artifacts_dir / f"importers-status-running-{width}.png"))
        assert page.evaluate("document.documentElement.scrollWidth") <= width

    # the worker finishes: the next poll shows the result, no reload
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.DONE,
        summary={"created": 5000, "updated": 0, "unchanged": 0},
    )
    page.wait_for_selector("#import-status dl.facts", timeout=10_000)
    text = page.locator("#import-status").inner_text()
    assert "Importen er fullført" in text and "5000" in text
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 800})
        page.screenshot(path=str(artifacts_dir / f"importers-status-done-{width}.png"))
        assert page.evaluate("document.documentElement.scrollWidth") <= width
