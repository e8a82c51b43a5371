"""A user makes an API token in a real browser, copies it once and revokes it; the page at
1366 and 390 px wide (artifacts/)."""

import pytest

from portal.models import ApiToken
from tests.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_make_and_revoke_a_token(browser_page, live_server, django_user_model, artifacts_dir):
    user = django_user_model.objects.create_user(username="arkiv", password="pw-arkiv")
    page = browser_page
    browser_login(page, live_server, "arkiv", "pw-arkiv")
    page.goto(f"{live_server.url}/account/api-tokens/")
    assert page.locator("h1").inner_text() == "API-nøkler"
    page.fill("#id_name", "Sakarkivet i Tønsberg")
    page.click("main form button[type=submit]")
    secret = page.input_value("#new-token")
    token = ApiToken.objects.get(user=user)
    assert secret.startswith(f"smb_{token.prefix}_")
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(artifacts_dir / f"portal-api-tokens-{width}.png"), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not overflow, f"sideways scrolling at {width} px"
    page.set_viewport_size({"width": 1366, "height": 900})
    page.click("button:has-text('Trekk tilbake')")
    page.wait_for_selector("text=er trukket tilbake")
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert page.locator("#new-token").count() == 0
