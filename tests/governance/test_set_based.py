"""The governance reads are set-based and the dashboard and the referral API are kept per
data version: the same answers as resolving each referral on its own, queries that do not
grow with rows, a bounded window the user can page through, and an edit made through the
services shows on the next request."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance import selectors, services
from governance.api import MAX_LIMIT
from governance.models import Condition, CouncilDecision, Referral
from members.models import Municipality

from .test_views import _build

pytestmark = pytest.mark.django_db
Out = CouncilDecision.Outcome
API = "/api/governance/referrals"


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def _reference_rows(identities: list[Municipality], limit: int | None = None) -> list[tuple]:
    """The rows as before the rewrite: every referral of the identities resolved on its own
    from Django's prefetch cache (`_with_decisions`), newest first."""
    from members.selectors import identities_of

    ids = identities_of(identities)
    referrals = selectors._with_decisions(
        Referral.objects.filter(pk__in=selectors._referral_ids(ids)).order_by("-referred_on", "-pk")
    )
    resolved = selectors.annotate_rows(referrals[:limit] if limit else referrals)
    return [_plain(row) for r in resolved for row in r.rows if row.decision.municipality_id in ids]


def _plain(row: selectors.Row) -> tuple:
    return (
        row.referral.pk,
        row.decision.pk,
        row.status.state,
        row.status.reason,
        row.status.waits_for,
        row.waited_on_by,
        [c.describe() for c in row.decision.condition_rows],
    )


def _decide(decision: CouncilDecision, outcome: str, **kwargs) -> None:
    services.council_decision_record(actor=None, decision=decision, outcome=outcome, **kwargs)


@pytest.fixture
def mixed(demo, muns):
    """The demo's Havnevesen referral (Stokke and Tjøme wait for Tønsberg), a closed one,
    and referrals without conditions: every kind of row a council's page shows."""
    closed = services.referral_create(
        actor=None,
        case=demo,
        referred_on=dt.date(2003, 8, 1),
        deadline=dt.date(2003, 9, 1),
        municipalities=[muns[n] for n in ("Tønsberg", "Stokke", "Horten")],
    )
    stokke = closed.decisions.get(municipality=muns["Stokke"])
    _decide(
        stokke,
        Out.ADOPTED_WITH_CONDITIONS,
        conditions=[services.ConditionSpec(Condition.Kind.AT_LEAST, minimum=3)],
    )
    _decide(closed.decisions.get(municipality=muns["Horten"]), Out.REJECTED)
    services.referral_close(actor=None, referral=closed, on=dt.date(2003, 10, 1))
    for day in (2, 3):
        plain = services.referral_create(
            actor=None,
            case=demo,
            referred_on=dt.date(2004, 1, day),
            municipalities=[muns[n] for n in ("Tønsberg", "Re")],
        )
        _decide(plain.decisions.get(municipality=muns["Re"]), Out.ADOPTED)
    return demo


@pytest.mark.parametrize("name", ["Tønsberg", "Stokke", "Horten", "Re", "Nøtterøy"])
@pytest.mark.parametrize("limit", [None, 2])
def test_municipality_rows_agree_with_resolving_each_referral(mixed, muns, name, limit):
    identities = [muns[name]]
    rows = selectors.municipality_rows(identities, limit=limit)
    assert rows
    assert [_plain(row) for row in rows] == _reference_rows(identities, limit)


def test_tonsberg_is_waited_for_and_stokke_waits(mixed, muns):
    first = mixed.referrals.order_by("referred_on").first()  # the demo's
    rows = selectors.municipality_rows([muns["Tønsberg"]])
    assert [r.referral.referred_on for r in rows] == sorted(
        (r.referral.referred_on for r in rows), reverse=True
    )
    havnevesen = next(r for r in rows if r.referral.pk == first.pk)
    assert havnevesen.waited_on_by == ("Stokke", "Tjøme")
    assert havnevesen.waited_on_by_text == "Stokke and Tjøme"
    stokke = {r.referral.pk: r for r in selectors.municipality_rows([muns["Stokke"]])}
    assert stokke[first.pk].status.waits_for == (muns["Tønsberg"].pk,)
    closed = next(r for pk, r in stokke.items() if pk != first.pk)
    assert closed.status.state == "not_committed" and not closed.status.waits_for


def test_municipality_rows_read_a_fixed_number_of_queries(db):
    _build(2, 4, prefix="K")
    few = [Municipality.objects.get(number="K001")]
    small = _queries(lambda: selectors.municipality_rows(few))
    _build(30, 12, prefix="L")
    many = [Municipality.objects.get(number="L001")]
    assert len(selectors.municipality_rows(many)) == 30
    assert _queries(lambda: selectors.municipality_rows(many)) == small
    assert len(selectors.municipality_rows(many, limit=20)) == 20


def test_dashboard_reads_a_fixed_number_of_queries_on_a_miss_and_fewer_on_a_hit(
    secretariat_client,
):
    from django.core.cache import cache

    url = reverse("governance:dashboard")
    _build(2, 5, prefix="M")
    cache.clear()
    small = _queries(lambda: secretariat_client.get(url))
    _build(60, 12, prefix="N")
    cache.clear()
    large = _queries(lambda: secretariat_client.get(url))
    hit = _queries(lambda: secretariat_client.get(url))
    assert large == small
    assert hit < large and hit <= 6  # session, user, data version, roles, contact


def test_dashboard_page_numbers_out_of_range_or_not_numbers(secretariat_client):
    from governance.selectors import DASHBOARD_PAGE_SIZE

    _build(DASHBOARD_PAGE_SIZE + 3, 2, prefix="P")
    secretariat_client.cookies["django_language"] = "nb"
    url = reverse("governance:dashboard")
    first = secretariat_client.get(url).content.decode()
    assert 'href="?page=2"' in first and "Side 1 av 2" in first
    for junk in ("x", "0", "-1", "1e9", ""):
        html = secretariat_client.get(url, {"page": junk}).content.decode()
        assert "Side 1 av 2" in html
    last = secretariat_client.get(url, {"page": "99"}).content.decode()
    assert "Side 2 av 2" in last and "viser 51–53 av 53" in last and 'href="?page=1"' in last


def test_dashboard_shows_a_recorded_decision_on_the_next_request(en, secretariat_user, demo, muns):
    en.force_login(secretariat_user)
    url = reverse("governance:dashboard")

    def body(response) -> str:
        return response.content.decode().split('<section class="gov-counts"')[1]

    before = body(en.get(url))
    kept = en.get(url)
    assert body(kept) == before and "data" not in kept.context  # not computed again
    referral = demo.referrals.get()
    _decide(referral.decisions.get(municipality=muns["Tønsberg"]), Out.ADOPTED)
    after = en.get(url)
    html = body(after)
    assert html != before
    assert "waiting for Tønsberg, which postponed" in before
    assert "waiting for Tønsberg" not in html
    assert [r.decision.municipality.name for r in after.context["data"].overdue] == ["Nøtterøy"]


def test_referral_api_links_the_next_and_previous_page(client, board_user):
    client.force_login(board_user)
    _build(7, 2, prefix="S")
    seen: list[int] = []
    page = client.get(API, {"limit": 3}).json()
    assert page["count"] == 7 and page["previous"] is None
    while True:
        seen += [r["id"] for r in page["items"]]
        if page["next"] is None:
            break
        assert page["next"].startswith("http://testserver/api/governance/referrals?")
        page = client.get(page["next"]).json()
        assert page["previous"] is not None
    assert len(seen) == 7 == len(set(seen))
    back = client.get(page["previous"]).json()
    assert [r["id"] for r in back["items"]] == seen[3:6]
    assert client.get(API, {"limit": MAX_LIMIT + 1}).status_code == 422
    beyond = client.get(API, {"offset": 50}).json()
    assert beyond["items"] == [] and beyond["count"] == 7 and beyond["next"] is None


def test_referral_api_reads_fixed_queries_and_shows_an_edit_on_the_next_request(
    client, board_user, demo, muns
):
    from django.core.cache import cache

    client.force_login(board_user)
    cache.clear()
    miss = _queries(lambda: client.get(API))
    hit = _queries(lambda: client.get(API))
    assert hit < miss and hit <= 4  # session, user, data version
    _build(30, 12, prefix="T")
    cache.clear()
    assert _queries(lambda: client.get(API)) == miss
    referral = demo.referrals.get()
    _decide(referral.decisions.get(municipality=muns["Tønsberg"]), Out.ADOPTED)
    listed = next(r for r in client.get(API).json()["items"] if r["id"] == referral.pk)
    tonsberg = next(d for d in listed["decisions"] if d["municipality"] == "Tønsberg")
    stokke = next(d for d in listed["decisions"] if d["municipality"] == "Stokke")
    assert tonsberg["outcome"] == "adopted" and tonsberg["state"] == "committed"
    assert stokke["state"] == "committed" and stokke["waits_for"] == []
