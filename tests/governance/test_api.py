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
    assert [r["id"] for r in listed["items"]] == [referral.pk]
    assert listed["count"] == 1
    assert api.get("/referrals/999999", user=board_user).status_code == 404


def test_api_needs_sign_in(api):
    from django.contrib.auth.models import AnonymousUser

    assert api.get("/referrals", user=AnonymousUser()).status_code == 401


def test_referral_list_is_paged_with_a_total_and_a_capped_limit(api, board_user):
    from governance.api import MAX_LIMIT, PAGE_SIZE

    from .test_views import _build

    _build(PAGE_SIZE + 5, 2, prefix="L")
    first = api.get("/referrals", user=board_user).json()
    assert len(first["items"]) == PAGE_SIZE and first["count"] == PAGE_SIZE + 5
    rest = api.get(f"/referrals?offset={PAGE_SIZE}", user=board_user).json()
    assert len(rest["items"]) == 5
    assert not {r["id"] for r in first["items"]} & {r["id"] for r in rest["items"]}
    assert len(api.get("/referrals?limit=3", user=board_user).json()["items"]) == 3
    too_many = api.get(f"/referrals?limit={MAX_LIMIT + 1}", user=board_user)
    assert too_many.status_code == 422 and "limit" in too_many.content.decode()
