"""Personal API tokens: stored hashed, shown once, revocable; the write endpoints they open
have exactly the pages' permissions, and without a valid token nothing changes."""

import json

import pytest

from governance.models import CouncilDecision
from portal.models import ApiToken
from portal.services import api_token_create, api_token_revoke, hash_secret
from projects.models import Project
from tests.governance.factories import contact_user

from .factories import build_world

pytestmark = pytest.mark.django_db

V1 = "/api/v1"


@pytest.fixture
def world():
    return build_world()


def _bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _post(client, url, body, secret=None, method="post"):
    kwargs = _bearer(secret) if secret else {}
    return getattr(client, method)(url, json.dumps(body), content_type="application/json", **kwargs)


def test_token_is_stored_hashed_and_shown_once_on_the_page(client, secretariat_user):
    client.force_login(secretariat_user)
    page = client.post("/account/api-tokens/", {"name": "Sakarkiv"})
    assert page.status_code == 200
    token = ApiToken.objects.get(user=secretariat_user)
    secret = page.context["new_secret"]
    assert secret.startswith(f"smb_{token.prefix}_")
    assert token.secret_hash == hash_secret(secret) and secret not in token.secret_hash
    assert "no-store" in page["Cache-Control"] or "no-cache" in page["Cache-Control"]
    again = client.get("/account/api-tokens/")
    assert secret.encode() not in again.content and b"Sakarkiv" in again.content
    client.post(f"/account/api-tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_token_page_needs_sign_in_and_others_cannot_revoke(client, secretariat_user, plain_user):
    assert client.get("/account/api-tokens/").status_code == 302
    made = api_token_create(actor=secretariat_user, name="x")
    client.force_login(plain_user)
    assert client.post(f"/account/api-tokens/{made.token.pk}/revoke/").status_code == 404
    made.token.refresh_from_db()
    assert made.token.revoked_at is None


def test_project_write_with_token_needs_the_secretariat(
    client, world, secretariat_user, board_user
):
    body = {"cooperation": world.cooperation.slug, "name": "API-prosjekt", "category": "other"}
    url = f"{V1}/projects"
    assert _post(client, url, body).status_code == 401
    assert _post(client, url, body, "smb_deadbeef_wrong").status_code == 401
    board = api_token_create(actor=board_user, name="styret").secret
    assert _post(client, url, body, board).status_code == 403
    assert not Project.objects.filter(name="API-prosjekt").exists()
    secret = api_token_create(actor=secretariat_user, name="sekr").secret
    created = _post(client, url, body, secret)
    assert created.status_code == 201, created.content
    project = Project.objects.get(name="API-prosjekt")
    assert project.history.first().history_user == secretariat_user
    bad = _post(client, url, {**body, "category": "nope"}, secret)
    assert bad.status_code == 422 and "category" in str(bad.json())
    patch = f"{V1}/projects/{project.pk}"
    changed = _post(client, patch, {"version": 1, "phase": "study"}, secret, method="patch")
    assert changed.status_code == 200 and changed.json()["phase"] == "study"
    stale = _post(client, patch, {"version": 1, "phase": "closed"}, secret, method="patch")
    assert stale.status_code == 409
    ordered = _post(
        client,
        patch,
        {"version": 2, "start_date": "2005-01-01", "end_date": "2004-01-01"},
        secret,
        method="patch",
    )
    assert ordered.status_code == 422 and "end_date" in str(ordered.json())
    project.refresh_from_db()
    assert project.phase == "study" and project.start_date is None
    assert (
        _post(client, f"{V1}/projects/999999", {"version": 1}, secret, "patch").status_code == 404
    )


def test_revoked_token_stops_at_once(client, world, secretariat_user):
    made = api_token_create(actor=secretariat_user, name="sekr")
    patch = f"{V1}/projects/{world.public_project.pk}"
    assert (
        _post(client, patch, {"version": 1, "name": "A"}, made.secret, "patch").status_code == 200
    )
    api_token_revoke(actor=secretariat_user, token=made.token)
    refused = _post(client, patch, {"version": 2, "name": "B"}, made.secret, "patch")
    assert refused.status_code == 401
    assert Project.objects.get(pk=world.public_project.pk).name == "A"


def test_council_decision_record_by_contact_only_for_own_municipality(
    client, world, django_user_model
):
    tonsberg = contact_user(django_user_model, "tb", world.members["Tønsberg"])
    secret = api_token_create(actor=tonsberg, name="tb").secret
    url = f"{V1}/council-decisions/{world.decision.pk}"
    body = {"outcome": "adopted", "date": "2003-06-01", "decision_text": "Vedtatt."}
    assert _post(client, url, body).status_code == 401
    recorded = _post(client, url, body, secret)
    assert recorded.status_code == 200, recorded.content
    assert recorded.json()["outcome"] == "adopted"
    horten = CouncilDecision.objects.get(
        referral=world.referral, municipality=world.members["Horten"]
    )
    refused = _post(client, f"{V1}/council-decisions/{horten.pk}", body, secret)
    assert refused.status_code == 403
    horten.refresh_from_db()
    assert horten.outcome == "pending"
    future = _post(client, url, {**body, "date": "2999-01-01"}, secret)
    assert future.status_code == 422 and "date" in str(future.json())
    assert _post(client, f"{V1}/council-decisions/999999", body, secret).status_code == 404


def test_token_page_query_count_does_not_grow_with_tokens(client, secretariat_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(secretariat_user)
    api_token_create(actor=secretariat_user, name="en")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/account/api-tokens/").status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for i in range(6):
        made = api_token_create(actor=secretariat_user, name=f"n{i}")
        if i % 2:
            api_token_revoke(actor=secretariat_user, token=made.token)
    assert count() == before
