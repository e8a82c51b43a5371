"""The read-only governance JSON (the router on its own; it is mounted at /api/governance/)."""

import pytest
from ninja.testing import TestClient

from governance.api import router
from governance.demo import load_demo
from governance.models import Case

from .factories import cooperation_with_members, nine

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return TestClient(router)


def test_havnevesen_resolution_as_json(api, board_user):
    cooperation_with_members(nine())
    load_demo()
    referral = Case.objects.get(title="Havnevesen").referrals.get()
    data = api.get(f"/referrals/{referral.pk}", user=board_user).json()
    by_name = {d["municipality"]: d for d in data["decisions"]}
    assert by_name["Stokke"]["state"] == "waiting"
    assert by_name["Stokke"]["waits_for"] == ["Tønsberg"]
    assert by_name["Stokke"]["conditions"][0]["municipalities"] == ["Tønsberg"]
    assert by_name["Stokke"]["conditions_text"] == "ja m/forbehold om Tønsbergs deltakelse"
    assert by_name["Horten"]["state"] == "committed"
    assert by_name["Hof"]["state"] == "not_committed"
    assert by_name["Tønsberg"]["overdue"] is True
    listed = api.get("/referrals", user=board_user).json()
    assert [r["id"] for r in listed] == [referral.pk]
    assert api.get("/referrals/999999", user=board_user).status_code == 404


def test_api_needs_sign_in(api):
    from django.contrib.auth.models import AnonymousUser

    assert api.get("/referrals", user=AnonymousUser()).status_code == 401
