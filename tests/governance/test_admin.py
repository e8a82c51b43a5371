import datetime as dt

import pytest
from django.urls import reverse

from governance import models, selectors, services

from .factories import CaseFactory, ProjectFactory, cooperation_with_members

pytestmark = pytest.mark.django_db

MODELS = [
    models.BoardSeat,
    models.Meeting,
    models.Case,
    models.Referral,
    models.CouncilDecision,
    models.Condition,
    models.Notification,
]
# Council decisions are made by referring a case; conditions are recorded with their
# decision; notifications are written when the e-mail goes: no add page for those.
ADDABLE = {models.BoardSeat, models.Meeting, models.Case, models.Referral}
Out = models.CouncilDecision.Outcome


@pytest.fixture(autouse=True)
def admin_in_english(admin_client):
    admin_client.cookies["django_language"] = "en"


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_governance_model_is_in_the_admin(admin_client, model):
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert admin_client.get(changelist + "?q=Horten").status_code == 200
    add = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    assert add.status_code == (200 if model in ADDABLE else 403)


@pytest.fixture
def referral(muns, admin_user):
    coop = cooperation_with_members(muns)
    case = CaseFactory(cooperation=coop, title="Havnevesen")
    case.projects.add(ProjectFactory(cooperation=coop))
    return services.referral_create(
        actor=None,
        case=case,
        referred_on=dt.date(2003, 6, 2),
        deadline=dt.date(2003, 9, 1),
        municipalities=[muns[n] for n in ("Horten", "Stokke", "Tønsberg")],
    )


def _decision_post(decision, conditions=(), **fields):
    data = {
        "outcome": decision.outcome,
        "date": "",
        "decision_text": decision.decision_text,
        "council_reference": decision.council_reference,
        "conditions_text": decision.conditions_text,
        "conditions-TOTAL_FORMS": str(len(conditions)),
        "conditions-INITIAL_FORMS": "0",
        "conditions-MIN_NUM_FORMS": "0",
        "conditions-MAX_NUM_FORMS": "1000",
    }
    for i, (kind, municipalities) in enumerate(conditions):
        data[f"conditions-{i}-kind"] = kind
        data[f"conditions-{i}-municipalities"] = ",".join(str(m.pk) for m in municipalities)
        data[f"conditions-{i}-minimum"] = ""
    data.update(fields)
    return data


def _change_url(decision):
    return reverse("admin:governance_councildecision_change", args=[decision.pk])


def test_admin_edit_of_a_council_decision_goes_through_the_service(
    admin_client, admin_user, referral, muns
):
    decision = selectors.decision_for(referral=referral, municipality=muns["Stokke"])
    response = admin_client.post(
        _change_url(decision),
        _decision_post(
            decision,
            conditions=[(models.Condition.Kind.REQUIRES, [muns["Tønsberg"]])],
            outcome=Out.ADOPTED_WITH_CONDITIONS,
            date="2003-06-20",
            conditions_text="ja m/forbehold om Tønsbergs deltakelse",
        ),
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.outcome == Out.ADOPTED_WITH_CONDITIONS
    assert decision.recorded_by == admin_user
    latest = decision.history.first()
    assert latest.history_change_reason == "council decision recorded"
    assert latest.history_user == admin_user
    condition = decision.conditions.get()
    assert list(condition.municipalities.all()) == [muns["Tønsberg"]]
    assert condition.history.first().history_change_reason == "condition recorded"


def test_admin_refuses_a_decision_of_a_closed_referral_with_a_form_error(
    admin_client, referral, muns
):
    services.referral_close(actor=None, referral=referral, on=dt.date(2003, 9, 2))
    decision = selectors.decision_for(referral=referral, municipality=muns["Horten"])
    history = decision.history.count()
    response = admin_client.post(
        _change_url(decision), _decision_post(decision, outcome=Out.ADOPTED)
    )
    assert response.status_code == 200  # the form again, with the error and the input
    assert "referral is closed" in response.content.decode()
    decision.refresh_from_db()
    assert decision.outcome == Out.PENDING
    assert decision.history.count() == history
    assert admin_client.get(_change_url(decision)).status_code == 200


def test_admin_refuses_a_condition_naming_the_deciding_municipality(admin_client, referral, muns):
    decision = selectors.decision_for(referral=referral, municipality=muns["Stokke"])
    response = admin_client.post(
        _change_url(decision),
        _decision_post(
            decision,
            conditions=[(models.Condition.Kind.REQUIRES, [muns["Stokke"]])],
            outcome=Out.ADOPTED_WITH_CONDITIONS,
        ),
    )
    assert response.status_code == 200
    assert "deciding municipality" in response.content.decode()
    decision.refresh_from_db()
    assert decision.outcome == Out.PENDING
    assert not models.Condition.objects.exists()


def test_referral_admin_shows_settlement_fields_read_only(admin_client, referral):
    url = reverse("admin:governance_referral_change", args=[referral.pk])
    page = admin_client.get(url).content.decode()
    assert 'name="closed_on"' not in page and 'name="established_on"' not in page
    response = admin_client.post(url, {"closed_on": "2003-07-01"})
    assert response.status_code == 403
    referral.refresh_from_db()
    assert referral.closed_on is None


def test_meeting_and_case_admin_write_through_services(admin_client, admin_user, muns):
    coop = cooperation_with_members(muns)
    response = admin_client.post(
        reverse("admin:governance_meeting_add"),
        {
            "cooperation": coop.pk,
            "date": "2003-05-01",
            "place": "Tønsberg",
            "agenda": "",
            "minutes": "",
            "notes": "",
            "cases-TOTAL_FORMS": "0",
            "cases-INITIAL_FORMS": "0",
            "cases-MIN_NUM_FORMS": "0",
            "cases-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    meeting = models.Meeting.objects.get()
    assert meeting.history.get().history_change_reason == "meeting created"
    assert meeting.history.get().history_user == admin_user

    elsewhere = ProjectFactory()  # of another cooperation: the service refuses it
    response = admin_client.post(
        reverse("admin:governance_case_add"),
        {
            "cooperation": coop.pk,
            "meeting": meeting.pk,
            "number": "1/2003",
            "title": "Havnevesen",
            "proposal": "",
            "projects": str(elsewhere.pk),
            "decision_text": "",
            "outcome": "",
            "documents-TOTAL_FORMS": "0",
            "documents-INITIAL_FORMS": "0",
            "documents-MIN_NUM_FORMS": "0",
            "documents-MAX_NUM_FORMS": "1000",
            "referrals-TOTAL_FORMS": "0",
            "referrals-INITIAL_FORMS": "0",
            "referrals-MIN_NUM_FORMS": "0",
            "referrals-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 200
    assert "belongs to another cooperation" in response.content.decode()
    assert not models.Case.objects.exists()


def test_board_seat_admin_only_ends_a_seat(admin_client, admin_user, muns):
    coop = cooperation_with_members(muns)
    seat = services.board_seat_create(
        actor=None,
        cooperation=coop,
        role=models.BoardSeat.Role.MAYOR,
        label="Ordfører, Horten",
        municipality=muns["Horten"],
        start=dt.date(2003, 1, 1),
    )
    url = reverse("admin:governance_boardseat_change", args=[seat.pk])
    response = admin_client.post(url, {"end": "2003-12-31", "label": "Endret"})
    assert response.status_code == 302
    seat.refresh_from_db()
    assert seat.end == dt.date(2003, 12, 31) and seat.label == "Ordfører, Horten"
    latest = seat.history.first()
    assert latest.history_change_reason == "board seat ended"
    assert latest.history_user == admin_user


def _case_post(case, **fields):
    data = {
        "meeting": "",
        "number": case.number,
        "title": case.title,
        "proposal": case.proposal,
        "projects": ",".join(str(p.pk) for p in case.projects.all()),
        "decision_text": case.decision_text,
        "outcome": case.outcome,
    }
    for prefix in ("documents", "referrals"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    data.update(fields)
    return data


def test_case_admin_edit_keeps_history_with_the_service_reason(admin_client, admin_user, muns):
    coop = cooperation_with_members(muns)
    case = services.case_create(actor=None, cooperation=coop, number="2/2003", title="Havn")
    url = reverse("admin:governance_case_change", args=[case.pk])
    response = admin_client.post(url, _case_post(case, title="Havnevesen"))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.title == "Havnevesen"
    latest = case.history.first()
    assert latest.history_change_reason == "case updated"
    assert latest.history_user == admin_user


def test_referral_admin_adds_through_the_service(admin_client, admin_user, muns):
    coop = cooperation_with_members(muns)
    case = services.case_create(actor=None, cooperation=coop, number="3/2003", title="Havn")
    response = admin_client.post(
        reverse("admin:governance_referral_add"),
        {
            "case": case.pk,
            "referred_on": "2003-06-02",
            "deadline": "2003-09-01",
            "note": "",
            "decisions-TOTAL_FORMS": "0",
            "decisions-INITIAL_FORMS": "0",
            "decisions-MIN_NUM_FORMS": "0",
            "decisions-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302
    referral = models.Referral.objects.get()
    assert referral.decisions.count() == len(muns)  # the default targets: the members
    assert referral.history.get().history_change_reason == "case referred to the councils"
    assert referral.history.get().history_user == admin_user
