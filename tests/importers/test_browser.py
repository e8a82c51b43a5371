"""The upload flow in a real browser, with screenshots for a visual check."""

import pytest
from django.contrib.auth.models import Group

from projects.models import Project
from tests.conftest import browser_login, load_registry
from tests.importers.conftest import SOURCE
from tests.importers.factories import make_cooperation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_upload_preview_confirm(browser_page, live_server, django_user_model, artifacts_dir):
    if not SOURCE.exists():
        pytest.skip("the source document 001 is not available")
    from members.models import Municipality

    if not Municipality.objects.exists():
        load_registry()
    coop = make_cooperation()
    user = django_user_model.objects.create_user(username="sekr", password="pw-sekr-123")
    user.groups.add(Group.objects.get_or_create(name="secretariat")[0])
    page = browser_page
    browser_login(page, live_server, "sekr", "pw-sekr-123")
    page.goto(f"{live_server.url}/import/")
    assert page.locator("h1").inner_text() == "Importer prosjektoversikt"
    page.screenshot(path=str(artifacts_dir / "importers-upload.png"), full_page=True)
    page.set_input_files("#id_file", str(SOURCE))
    page.click("button[type=submit].primary")
    page.wait_for_selector("table.data")
    assert "Forhåndsvisning av importen" in page.locator("h1").inner_text()
    assert page.evaluate(  # the site stylesheet is served and applied
        "[...document.styleSheets].some(s => (s.href || '').includes('site.css')"
        " && s.cssRules.length > 0)"
    )
    page.screenshot(path=str(artifacts_dir / "importers-preview.png"), full_page=False)
    page.click("form[action$='/confirm/'] button[type=submit]")
    page.wait_for_selector("dl.facts")
    page.screenshot(path=str(artifacts_dir / "importers-done.png"), full_page=True)
    assert Project.objects.filter(cooperation=coop).count() == 58
