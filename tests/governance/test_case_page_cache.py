"""The case page is kept whole per data version, user and address (projects.page_shell):
an edit shows on the next request, each user sees their own page, and a kept page makes
only the sign-in query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance import services
from governance.models import CouncilDecision

from .factories import contact_user

pytestmark = pytest.mark.django_db
Out = CouncilDecision.Outcome


def _page(client, case) -> str:
    response = client.get(reverse("governance:case", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_an_edit_shows_on_the_next_request(secretariat_client, secretariat_user, demo):
    assert "Havnevesen" in _page(secretariat_client, demo)
    services.case_update(
        actor=secretariat_user,
        case=demo,
        number=demo.number,
        title="Havnevesen i Vestfold",
        proposal=demo.proposal,
        meeting=demo.meeting,
        projects=demo.projects.all(),
    )
    assert "Havnevesen i Vestfold" in _page(secretariat_client, demo)


def test_a_recorded_decision_shows_on_the_next_request(secretariat_client, secretariat_user, demo):
    decision = CouncilDecision.objects.filter(
        referral__case=demo, municipality__name="Stokke"
    ).get()
    before = _page(secretariat_client, demo)
    services.council_decision_record(
        actor=secretariat_user,
        decision=decision,
        outcome=Out.REJECTED,
        date=decision.referral.referred_on,
    )
    after = _page(secretariat_client, demo)
    assert after != before


def test_each_user_sees_their_own_page(client, secretariat_client, django_user_model, demo, muns):
    """The secretariat's page has the referral forms; a contact's kept page never does."""
    secretariat_page = _page(secretariat_client, demo)
    client.force_login(contact_user(django_user_model, "horten", muns["Horten"]))
    contact_page = _page(client, demo)
    assert 'name="closed_on"' in secretariat_page
    assert 'name="closed_on"' not in contact_page


def test_each_visitor_gets_their_own_csrf_token(secretariat_client, demo):
    first = _page(secretariat_client, demo)
    token = secretariat_client.cookies["csrftoken"].value
    assert "@@samarbeid-page-csrf@@" not in first
    secretariat_client.cookies.pop("csrftoken")
    second = _page(secretariat_client, demo)
    assert secretariat_client.cookies["csrftoken"].value != token
    assert "@@samarbeid-page-csrf@@" not in second


def test_a_kept_page_makes_one_query(secretariat_client, demo):
    _page(secretariat_client, demo)
    with CaptureQueriesContext(connection) as queries:
        _page(secretariat_client, demo)
    assert len(queries) == 1, [q["sql"] for q in queries.captured_queries]


def test_a_missing_case_is_404(secretariat_client, demo):
    assert secretariat_client.get(reverse("governance:case", args=[999999])).status_code == 404
