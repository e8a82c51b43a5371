"""An unchanged save through a service writes no history row (issue 17, point 5)."""

import datetime as dt

import pytest
from django.urls import reverse

from governance import selectors, services
from governance.models import Condition, CouncilDecision
from projects import services as project_services
from projects.models import Participation
from tests.governance.factories import (
    CaseFactory,
    ProjectFactory,
    cooperation_with_members,
    nine,
)

pytestmark = pytest.mark.django_db

Out = CouncilDecision.Outcome


def _all_history_rows() -> int:
    from django.apps import apps

    historical = [
        m for m in apps.get_models() if any(f.name == "history_id" for f in m._meta.fields)
    ]
    return sum(m._default_manager.count() for m in historical)


@pytest.fixture
def referral(secretariat_user):
    muns = nine()
    coop = cooperation_with_members(muns)
    case = CaseFactory(cooperation=coop, title="Havnevesen")
    case.projects.add(ProjectFactory(cooperation=coop, name="Havnevesen"))
    referral = services.referral_create(
        actor=secretariat_user, case=case, referred_on=dt.date(2003, 6, 2)
    )
    return referral, muns


def test_reposting_an_unchanged_council_decision_writes_no_history(secretariat_client, referral):
    referral, muns = referral
    stokke = selectors.decision_for(referral=referral, municipality=muns["Stokke"])
    payload = {
        "outcome": Out.ADOPTED_WITH_CONDITIONS,
        "date": "2003-06-20",
        "decision_text": "Vedtatt",
        "council_reference": "PS 45/03",
        "conditions_text": "ja m/forbehold om Tønsbergs deltakelse",
        "requires": [muns["Tønsberg"].pk],
    }
    url = reverse("governance:decision", args=[stokke.pk])

    def post(data):
        form = {f"d{stokke.pk}-{k}": v for k, v in data.items()} | {"from": "case"}
        return secretariat_client.post(url, form, HTTP_HX_REQUEST="true")

    assert post(payload).status_code == 200
    rows = _all_history_rows()
    decision_rows = stokke.history.count()
    assert decision_rows >= 2
    assert post(payload).status_code == 200
    assert stokke.history.count() == decision_rows
    assert _all_history_rows() == rows
    assert Condition.objects.filter(decision=stokke).count() == 1
    # a real change still writes its row
    payload["council_reference"] = "PS 46/03"
    post(payload)
    assert stokke.history.count() == decision_rows + 1
    assert stokke.history.first().council_reference == "PS 46/03"


def test_an_unchanged_participation_update_writes_no_history(secretariat_user):
    muns = nine()
    project = ProjectFactory(cooperation=cooperation_with_members(muns))
    row = project_services.participation_add(
        actor=secretariat_user, project=project, municipality=muns["Horten"], note="Med"
    )
    before = row.history.count()
    fresh = Participation.objects.get(pk=row.pk)
    project_services.participation_update(
        actor=secretariat_user, participation=fresh, changes={"note": "Med"}
    )
    assert row.history.count() == before
    project_services.participation_update(
        actor=secretariat_user, participation=fresh, changes={"note": "Med fra 2004"}
    )
    assert row.history.count() == before + 1
    assert row.history.first().history_change_reason == "participation changed"


def test_an_unchanged_project_update_writes_no_project_history(secretariat_user):
    project = ProjectFactory(cooperation=cooperation_with_members(nine()), description="Havn")
    before = project.history.count()
    saved = project_services.project_update(
        actor=secretariat_user,
        project=project,
        expected_version=project.version,
        changes={"description": "Havn"},
    )
    assert project.history.count() == before
    project_services.project_update(
        actor=secretariat_user,
        project=saved,
        expected_version=saved.version,
        changes={"description": "Havnevesen"},
    )
    assert project.history.count() == before + 1


def test_unchanged_saves_of_the_history_and_trash_services_write_no_history(
    secretariat_user, referral
):
    """The services added for history pages and the trash (issue 17, point 5)."""
    from decimal import Decimal

    from members import services as member_services

    referral, _muns = referral
    case = referral.case
    project = case.projects.get()
    money = project_services.money_entry_add(
        actor=secretariat_user, project=project, kind="grant", amount_nok=Decimal(10)
    )
    deliverable = project.deliverables.create(title="Rapport")
    person = member_services.person_create(actor=secretariat_user, name="Kari")
    before = _all_history_rows()
    project_services.money_entry_update(
        actor=secretariat_user, money_entry=money, changes={"amount_nok": Decimal(10)}
    )
    project_services.deliverable_update(
        actor=secretariat_user, deliverable=deliverable, changes={"title": "Rapport"}
    )
    services.referral_update(
        actor=secretariat_user, referral=referral, changes={"note": referral.note}
    )
    member_services.person_update(actor=secretariat_user, person=person, changes={"name": "Kari"})
    project_services.project_restore(
        actor=secretariat_user, instance=project, version=project.history.latest("history_date")
    )
    project_services.money_entry_restore(
        actor=secretariat_user, instance=money, version=money.history.latest("history_date")
    )
    assert _all_history_rows() == before
