import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.demo import load_demo
from governance.models import (
    BoardSeat,
    Case,
    Condition,
    CouncilDecision,
    Meeting,
    Referral,
)
from members.models import Municipality

from .factories import (
    CaseFactory,
    MeetingFactory,
    ProjectFactory,
    contact_user,
    cooperation_with_members,
)

pytestmark = pytest.mark.django_db
Out = CouncilDecision.Outcome


def rows_by_name(response):
    return {
        row.decision.municipality.name: row
        for referral in response.context["referrals"]
        for row in referral.rows
    }


def test_havnevesen_demo_page_tells_who_is_in(client, secretariat_user, demo):
    client.force_login(secretariat_user)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("governance:case", args=[demo.pk]))
    assert response.status_code == 200
    rows = rows_by_name(response)
    states = {name: row.status.state for name, row in rows.items()}
    assert states == {
        "Horten": "committed",
        "Re": "committed",
        "Andebu": "committed",
        "Stokke": "waiting",
        "Tjøme": "waiting",
        "Holmestrand": "not_committed",
        "Hof": "not_committed",
        "Tønsberg": "waiting",
        "Nøtterøy": "waiting",
    }
    html = response.content.decode()
    assert "waiting for Tønsberg, which postponed" in html
    assert "ja m/forbehold om Tønsbergs deltakelse" in html
    assert "did not treat the case" in html
    assert "waiting (no decision recorded)" in html
    assert "waiting (postponed)" in html
    assert rows["Stokke"].decision.conditions.get().municipalities.get().name == "Tønsberg"
    assert demo.projects.get().name == "Havnevesen"
    assert "Antakelse" in demo.meeting.notes


def test_havnevesen_demo_in_norwegian(client, secretariat_user, demo):
    client.force_login(secretariat_user)
    html = client.get(reverse("governance:case", args=[demo.pk])).content.decode()
    assert "venter på Tønsberg, som utsatte saken" in html


def test_demo_is_idempotent_and_has_no_named_people(muns):
    cooperation_with_members(muns)
    load_demo()
    counts = [
        m.objects.count() for m in (Meeting, Case, Referral, CouncilDecision, Condition, BoardSeat)
    ]
    load_demo()
    assert counts == [
        m.objects.count() for m in (Meeting, Case, Referral, CouncilDecision, Condition, BoardSeat)
    ]
    assert CouncilDecision.objects.count() == 9
    assert not BoardSeat.objects.filter(person__isnull=False).exists()


def test_dashboard_lists_open_overdue_and_waiting(en, secretariat_user, demo):
    en.force_login(secretariat_user)
    response = en.get(reverse("governance:dashboard"))
    data = response.context["data"]
    assert len(data.referrals) == 1
    # deadline 30 June 2003 passed: pending Nøtterøy and postponed Tønsberg are overdue
    assert [r.decision.municipality.name for r in data.overdue] == ["Nøtterøy", "Tønsberg"]
    assert {r.decision.municipality.name for r in data.undecided} == {"Nøtterøy", "Tønsberg"}
    assert {r.decision.municipality.name for r in data.waiting} == {
        "Nøtterøy",
        "Tønsberg",
        "Stokke",
        "Tjøme",
    }
    assert "waiting for Tønsberg, which postponed" in response.content.decode()


def test_pages_need_sign_in(client, demo):
    response = client.get(reverse("governance:dashboard"))
    assert response.status_code == 302


def test_meeting_and_board_and_municipality_pages(en, secretariat_user, demo):
    en.force_login(secretariat_user)
    meeting = demo.meeting
    assert en.get(reverse("governance:meetings")).status_code == 200
    response = en.get(reverse("governance:meeting", args=[meeting.pk]))
    assert "Havnevesen" in response.content.decode()
    assert "Ordfører, Horten" in response.content.decode()
    response = en.get(reverse("governance:board") + "?on=2003-05-01")
    assert len(response.context["seats"]) == 21
    assert en.get(reverse("governance:board") + "?on=nonsense").status_code == 200
    stokke = Municipality.objects.get(name="Stokke")
    response = en.get(reverse("overview:municipality", args=[stokke.number]))
    assert response.status_code == 200
    assert [r.status.state for r in response.context["council_rows"]] == ["waiting"]
    assert en.get(reverse("overview:municipality", args=["0999"])).status_code == 404


@pytest.fixture
def referral(muns, secretariat_user):
    from governance import services

    coop = cooperation_with_members(muns)
    case = CaseFactory(cooperation=coop)
    case.projects.add(ProjectFactory(cooperation=coop))
    return services.referral_create(
        actor=secretariat_user, case=case, referred_on=dt.date(2003, 6, 2)
    )


def post_decision(client, decision, htmx=True, **data):
    payload = {f"d{decision.pk}-{k}": v for k, v in data.items()}
    payload["from"] = "case"
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(reverse("governance:decision", args=[decision.pk]), payload, **headers)


def test_contact_records_own_decision_but_not_anothers(client, django_user_model, referral, muns):
    user = contact_user(django_user_model, "horten", muns["Horten"])
    client.force_login(user)
    client.cookies["django_language"] = "en"
    horten = referral.decisions.get(municipality=muns["Horten"])
    re_ = referral.decisions.get(municipality=muns["Re"])
    response = post_decision(client, horten, outcome=Out.ADOPTED, date="2003-06-10")
    assert response.status_code == 200
    assert 'data-state="committed"' in response.content.decode()
    response = post_decision(client, re_, outcome=Out.ADOPTED)
    assert response.status_code == 403
    assert client.get(reverse("governance:decision", args=[re_.pk])).status_code == 403
    re_.refresh_from_db()
    assert re_.outcome == Out.PENDING


def test_plain_user_cannot_record_or_refer(client, plain_user, referral, muns):
    client.force_login(plain_user)
    decision = referral.decisions.get(municipality=muns["Horten"])
    assert post_decision(client, decision, outcome=Out.ADOPTED).status_code == 403
    response = client.post(
        reverse("governance:case_refer", args=[referral.case_id]), {"referred_on": "2003-07-01"}
    )
    assert response.status_code == 403
    decision.refresh_from_db()
    assert decision.outcome == Out.PENDING
    assert Referral.objects.count() == 1


def test_bad_decision_over_http_names_the_field(secretariat_client, referral, muns):
    secretariat_client.cookies["django_language"] = "en"
    stokke = referral.decisions.get(municipality=muns["Stokke"])
    response = post_decision(
        secretariat_client, stokke, htmx=False, outcome=Out.ADOPTED, date="2003-01-01"
    )
    assert response.status_code == 400
    assert "cannot be before the case was referred" in response.content.decode()
    response = post_decision(
        secretariat_client,
        stokke,
        outcome=Out.ADOPTED_WITH_CONDITIONS,
        requires=[muns["Stokke"].pk],
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == f"#decision-form-{stokke.pk}"
    assert "cannot name the deciding municipality itself (Stokke)" in response.content.decode()
    stokke.refresh_from_db()
    assert stokke.outcome == Out.PENDING


def test_conditional_decision_over_http_shows_waiting(secretariat_client, referral, muns):
    secretariat_client.cookies["django_language"] = "en"
    stokke = referral.decisions.get(municipality=muns["Stokke"])
    tonsberg = referral.decisions.get(municipality=muns["Tønsberg"])
    post_decision(secretariat_client, tonsberg, outcome=Out.POSTPONED)
    response = post_decision(
        secretariat_client,
        stokke,
        outcome=Out.ADOPTED_WITH_CONDITIONS,
        conditions_text="ja m/forbehold om Tønsbergs deltakelse",
        requires=[muns["Tønsberg"].pk],
    )
    html = response.content.decode()
    assert "waiting for Tønsberg, which postponed" in html
    response = post_decision(secretariat_client, tonsberg, outcome=Out.ADOPTED)
    html = response.content.decode()
    assert 'data-municipality="Stokke" data-state="committed"' in html
    # the refreshed table keeps the secretariat's close form
    assert reverse("governance:referral_close", args=[stokke.referral_id]) in html


def test_secretariat_refers_closes_and_establishes_over_http(secretariat_client, muns):
    coop = cooperation_with_members(muns)
    case = CaseFactory(cooperation=coop)
    project = ProjectFactory(cooperation=coop)
    case.projects.add(project)
    response = secretariat_client.post(
        reverse("governance:case_refer", args=[case.pk]),
        {
            "referred_on": "2003-06-02",
            "deadline": "2003-09-01",
            "municipalities": [muns["Horten"].pk, muns["Re"].pk],
        },
    )
    assert response.status_code == 302
    referral = case.referrals.get()
    assert referral.decisions.count() == 2
    for d in referral.decisions.all():
        response = post_decision(secretariat_client, d, outcome=Out.ADOPTED)
    # once nobody waits, the refreshed table offers to establish the arrangement at once
    assert reverse("governance:referral_establish", args=[referral.pk]) in response.content.decode()
    response = secretariat_client.post(
        reverse("governance:referral_establish", args=[referral.pk]),
        {
            f"e{referral.pk}-kind": "host_municipality",
            f"e{referral.pk}-host_municipality": muns["Re"].pk,
            f"e{referral.pk}-date": "2003-10-01",
        },
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.phase == "establishment"
    assert project.host_municipality == muns["Re"]


def _build(n_referrals: int, per: int, prefix: str = "Z") -> Case:
    """n_referrals open referrals with `per` decisions each, one conditional per referral."""
    coop = cooperation_with_members({})
    case = CaseFactory(cooperation=coop)
    Municipality.objects.bulk_create(
        Municipality(
            number=f"{prefix}{i:03d}",
            name=f"Testkommune {i}",
            county_number="99",
            county_name="Test",
            valid_from=dt.date(2000, 1, 1),
        )
        for i in range(per)
    )
    municipalities = list(Municipality.objects.filter(number__startswith=prefix).order_by("number"))
    referrals = Referral.objects.bulk_create(
        Referral(case=case, referred_on=dt.date(2003, 1, 1), deadline=dt.date(2003, 2, 1))
        for _ in range(n_referrals)
    )
    outcomes = [Out.ADOPTED, Out.PENDING, Out.POSTPONED, Out.REJECTED]
    decisions = CouncilDecision.objects.bulk_create(
        CouncilDecision(
            referral=r,
            municipality=m,
            outcome=Out.ADOPTED_WITH_CONDITIONS if i == 0 else outcomes[i % 4],
        )
        for r in referrals
        for i, m in enumerate(municipalities)
    )
    conds = Condition.objects.bulk_create(
        Condition(decision=d, kind=Condition.Kind.REQUIRES)
        for d in decisions
        if d.outcome == Out.ADOPTED_WITH_CONDITIONS
    )
    through = Condition.municipalities.through
    through.objects.bulk_create(through(condition=c, municipality=municipalities[1]) for c in conds)
    return case


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_dashboard_query_count_does_not_grow(secretariat_client):
    _build(2, 5)
    small = _count(secretariat_client, reverse("governance:dashboard"))
    _build(25, 20, prefix="Y")
    large = _count(secretariat_client, reverse("governance:dashboard"))
    assert large == small


def test_case_page_query_count_does_not_grow(secretariat_client):
    small_case = _build(1, 10)
    small = _count(secretariat_client, reverse("governance:case", args=[small_case.pk]))
    large_case = _build(2, 250, prefix="Y")
    large = _count(secretariat_client, reverse("governance:case", args=[large_case.pk]))
    assert large == small


def test_list_pages_query_count_does_not_grow(secretariat_client):
    meeting = MeetingFactory()
    CaseFactory(cooperation=meeting.cooperation, meeting=meeting)
    small = [
        _count(secretariat_client, reverse("governance:cases")),
        _count(secretariat_client, reverse("governance:meetings")),
        _count(secretariat_client, reverse("governance:meeting", args=[meeting.pk])),
    ]
    Meeting.objects.bulk_create(
        Meeting(cooperation=meeting.cooperation, date=dt.date(2000, 1, 1) + dt.timedelta(days=i))
        for i in range(100)
    )
    Case.objects.bulk_create(
        Case(cooperation=meeting.cooperation, meeting=meeting, number=f"{i}/1999", title="x")
        for i in range(100)
    )
    large = [
        _count(secretariat_client, reverse("governance:cases")),
        _count(secretariat_client, reverse("governance:meetings")),
        _count(secretariat_client, reverse("governance:meeting", args=[meeting.pk])),
    ]
    assert large == small


def test_municipality_and_board_pages_query_count_does_not_grow(secretariat_client):
    _build(2, 5, prefix="8")
    small = [
        _count(secretariat_client, reverse("overview:municipality", args=["8001"])),
        _count(secretariat_client, reverse("governance:board") + "?on=2003-01-01"),
    ]
    _build(30, 5, prefix="7")
    from members.selectors import default_cooperation

    BoardSeat.objects.bulk_create(
        BoardSeat(cooperation=default_cooperation(), label=f"Plass {i}", role="mayor")
        for i in range(50)
    )
    large = [
        _count(secretariat_client, reverse("overview:municipality", args=["7001"])),
        _count(secretariat_client, reverse("governance:board") + "?on=2003-01-01"),
    ]
    assert large == small


def test_dashboard_links_a_contact_to_its_municipality(client, django_user_model, muns):
    user = contact_user(django_user_model, "horten", muns["Horten"])
    client.force_login(user)
    response = client.get(reverse("governance:dashboard"))
    assert reverse("overview:municipality", args=[muns["Horten"].number]) in (
        response.content.decode()
    )


def test_contact_sees_own_municipality_and_records_there(client, django_user_model, referral, muns):
    """The per-municipality view for its contact: its referrals, the form for its own
    council only, and the card refreshed in place."""
    user = contact_user(django_user_model, "tonsberg", muns["Tønsberg"])
    client.force_login(user)
    client.cookies["django_language"] = "en"
    own = reverse("overview:municipality", args=[muns["Tønsberg"].number])
    html = client.get(own).content.decode()
    decision = referral.decisions.get(municipality=muns["Tønsberg"])
    assert reverse("governance:decision", args=[decision.pk]) in html
    other = client.get(reverse("overview:municipality", args=[muns["Stokke"].number]))
    assert other.status_code == 200  # may read
    assert "Record the council" not in other.content.decode()  # may not record
    response = client.post(
        reverse("governance:decision", args=[decision.pk]),
        {f"d{decision.pk}-outcome": Out.POSTPONED, "from": "municipality"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert f'id="decision-{decision.pk}"' in response.content.decode()
    assert "waiting (postponed)" in response.content.decode()


def test_board_member_gets_403_and_nothing_changes(client, board_user, referral, muns):
    client.force_login(board_user)
    decision = referral.decisions.get(municipality=muns["Horten"])
    history = decision.history.count()
    assert client.get(reverse("governance:decision", args=[decision.pk])).status_code == 403
    assert post_decision(client, decision, outcome=Out.ADOPTED).status_code == 403
    assert (
        client.post(
            reverse("governance:referral_close", args=[referral.pk]), {"closed_on": "2003-10-01"}
        ).status_code
        == 403
    )
    decision.refresh_from_db()
    referral.refresh_from_db()
    assert decision.outcome == Out.PENDING and decision.history.count() == history
    assert not referral.is_closed


def test_condition_naming_an_outsider_over_http_is_refused_clearly(
    secretariat_client, referral, muns
):
    from .factories import municipality

    secretariat_client.cookies["django_language"] = "en"
    stokke = referral.decisions.get(municipality=muns["Stokke"])
    response = post_decision(
        secretariat_client,
        stokke,
        htmx=False,
        outcome=Out.ADOPTED_WITH_CONDITIONS,
        requires=[municipality("Larvik").pk],
    )
    assert response.status_code == 400
    assert "A condition can only name municipalities this case was referred to." in (
        response.content.decode()
    )
    stokke.refresh_from_db()
    assert stokke.outcome == Out.PENDING and not stokke.conditions.exists()


def test_havnevesen_page_explains_the_assumptions(en, secretariat_user, demo):
    en.force_login(secretariat_user)
    html = en.get(reverse("governance:case", args=[demo.pk])).content.decode()
    assert "Kilden nevner ikke Nøtterøy" in html
    assert "Antakelse" in html


def test_board_page_without_seats_today_shows_the_latest_board(en, secretariat_user, demo):
    en.force_login(secretariat_user)
    response = en.get(reverse("governance:board"))
    assert response.context["on"] == dt.date(2003, 1, 1)
    assert len(response.context["seats"]) == 21
    assert "No board seats are recorded for" in response.content.decode()


def test_tonsberg_contact_sees_who_waits_for_its_council(client, django_user_model, demo):
    tonsberg = Municipality.objects.get(name="Tønsberg", council_decisions__isnull=False)
    client.force_login(contact_user(django_user_model, "tonsberg", tonsberg))
    url = reverse("overview:municipality", args=[tonsberg.number])
    client.cookies["django_language"] = "en"
    html = client.get(url).content.decode()
    assert "Stokke and Tjøme wait for this council's decision." in html
    client.cookies["django_language"] = "nb"
    html = client.get(url).content.decode()
    assert "Stokke og Tjøme venter på vedtaket i dette kommunestyret." in html
    html = client.get(reverse("governance:case", args=[demo.pk])).content.decode()
    assert "Stokke og Tjøme venter på dette kommunestyret." in html


def test_referring_needs_a_deadline_after_the_referral(secretariat_client, muns):
    secretariat_client.cookies["django_language"] = "en"
    coop = cooperation_with_members(muns)
    case = CaseFactory(cooperation=coop)
    url = reverse("governance:case_refer", args=[case.pk])
    response = secretariat_client.post(url, {"referred_on": "2003-06-02"})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    response = secretariat_client.post(url, {"referred_on": "2003-06-02", "deadline": "2003-05-01"})
    assert response.status_code == 400
    assert "The deadline cannot be before the referral." in response.content.decode()
    assert not case.referrals.exists()


def test_old_governance_municipality_address_leads_to_the_one_municipality_page(
    secretariat_client,
):
    response = secretariat_client.get(reverse("governance:municipality", args=["0720"]))
    assert response.status_code == 302
    assert response["Location"] == reverse("overview:municipality", args=["0720"]) + (
        "#referred-cases"
    )
    assert secretariat_client.get("/governance/municipality/x1/").status_code == 404


def test_dashboard_pages_the_open_referrals_and_caps_each_list(secretariat_client):
    """60 open referrals × 3 councils: the dashboard shows 50 referrals per page and at most
    50 rows per list, with the full counts in the summary."""
    from governance.selectors import DASHBOARD_PAGE_SIZE

    _build(60, 3, prefix="Q")
    secretariat_client.cookies["django_language"] = "nb"
    response = secretariat_client.get(reverse("governance:dashboard"))
    data = response.context["data"]
    html = response.content.decode()
    assert len(data.referrals) == DASHBOARD_PAGE_SIZE and data.referral_count == 60
    assert len(data.undecided) <= DASHBOARD_PAGE_SIZE < data.undecided_count
    assert len(data.overdue) <= DASHBOARD_PAGE_SIZE
    assert len(data.waiting) <= DASHBOARD_PAGE_SIZE
    assert "Side 1 av 2" in html and "viser 1–50 av 60" in html
    assert f"De første 50 av {data.undecided_count} vises" in html
    second = secretariat_client.get(reverse("governance:dashboard"), {"page": "2"})
    assert len(second.context["data"].referrals) == 10


def test_front_page_counts_every_open_referral_not_only_the_first_page(secretariat_client):
    """The front page's figures are the dashboard's full counts, not the length of its first
    page of 50."""
    _build(60, 3, prefix="F")
    secretariat_client.cookies["django_language"] = "nb"
    response = secretariat_client.get("/")
    page = response.context["page"]
    board = secretariat_client.get(reverse("governance:dashboard")).context["data"]
    assert page.open_referrals == 60
    assert page.undecided_councils == board.undecided_count > 50
    assert page.overdue_councils == board.overdue_count


def test_municipality_page_shows_the_newest_referred_cases_only(secretariat_client):
    """30 referrals to one council: the municipality page shows the newest 20 and says so;
    its queries do not grow with the referrals."""
    from governance.views import COUNCIL_CASE_LIMIT
    from projects.analytics.cache import bump_data_version

    secretariat_client.cookies["django_language"] = "nb"
    case = _build(5, 2, prefix="9")
    url = reverse("overview:municipality", args=["9000"])
    secretariat_client.get(url)
    with CaptureQueriesContext(connection) as small:
        secretariat_client.get(url)
    more = Referral.objects.bulk_create(
        Referral(case=case, referred_on=dt.date(2004, 1, 1), deadline=dt.date(2004, 2, 1))
        for _ in range(25)
    )
    CouncilDecision.objects.bulk_create(
        CouncilDecision(referral=r, municipality=Municipality.objects.get(number="9000"))
        for r in more
    )
    bump_data_version()  # bulk writes send no signals; the page is cached per data version
    response = secretariat_client.get(url)  # the first request after the change renders it
    with CaptureQueriesContext(connection) as large:
        secretariat_client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)
    assert len(response.context["council_rows"]) == COUNCIL_CASE_LIMIT
    assert response.context["council_count"] == 30
    assert "De 20 nyeste av 30 oversendte saker." in response.content.decode()
