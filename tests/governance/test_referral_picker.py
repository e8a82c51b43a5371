"""The referral form's picker lists the councils that are members on the referral date:
after load_demo, today's six successors of the twelve (memberships follow mergers)."""

import datetime as dt

import pytest
from django.urls import reverse

from governance.forms import ReferralForm
from members.demo import load_demo
from members.selectors import cooperation_by_slug, municipality_on

from .factories import CaseFactory, ProjectFactory

pytestmark = pytest.mark.django_db

TODAYS_MEMBERS = ["Færder", "Holmestrand", "Horten", "Larvik", "Sandefjord", "Tønsberg"]


@pytest.fixture
def case():
    load_demo()
    return CaseFactory(cooperation=cooperation_by_slug("vestfold"), title="Felles beredskap")


def _labels(form) -> list[str]:
    return [m.name for m in form.fields["municipalities"].queryset]


def test_picker_lists_todays_members(case):
    form = ReferralForm(case=case)
    assert _labels(form) == TODAYS_MEMBERS
    assert all(m.valid_on(dt.date.today()) for m in form.fields["municipalities"].queryset)


def test_picker_follows_the_posted_referral_date(case):
    form = ReferralForm({"referred_on": "2004-06-01", "deadline": "2004-09-01"}, case=case)
    assert _labels(form) == [
        "Andebu", "Hof", "Holmestrand", "Horten", "Nøtterøy", "Re", "Stokke", "Tjøme", "Tønsberg",
    ]  # fmt: skip


def test_picker_adds_the_case_projects_participants_that_exist_that_day(case):
    project = ProjectFactory(cooperation=case.cooperation)
    project.participations.create(municipality=municipality_on("Sande", dt.date(2005, 1, 1)))
    project.participations.create(municipality=municipality_on("Kongsberg", dt.date.today()))
    case.projects.add(project)
    assert "Kongsberg" in _labels(ReferralForm(case=case))
    assert "Sande" not in _labels(ReferralForm(case=case))  # merged into Holmestrand in 2020


def test_secretariat_refers_a_new_case_to_todays_councils(secretariat_client, case):
    ticked = list(ReferralForm(case=case).fields["municipalities"].queryset)
    today = dt.date.today()
    response = secretariat_client.post(
        reverse("governance:case_refer", args=[case.pk]),
        {
            "referred_on": today.isoformat(),
            "deadline": (today + dt.timedelta(days=30)).isoformat(),
            "municipalities": [m.pk for m in ticked],
        },
    )
    assert response.status_code == 302
    referral = case.referrals.get()
    names = sorted(d.municipality.name for d in referral.decisions.select_related("municipality"))
    assert names == TODAYS_MEMBERS


def test_default_targets_are_todays_members_too(secretariat_client, case):
    today = dt.date.today()
    response = secretariat_client.post(
        reverse("governance:case_refer", args=[case.pk]),
        {"referred_on": today.isoformat(), "deadline": (today + dt.timedelta(days=30)).isoformat()},
    )
    assert response.status_code == 302
    names = sorted(d.municipality.name for d in case.referrals.get().decisions.all())
    assert names == TODAYS_MEMBERS


def test_a_council_that_was_no_member_that_day_is_refused_at_the_field(secretariat_client, case):
    andebu = municipality_on("Andebu", dt.date(2004, 1, 1))
    today = dt.date.today()
    response = secretariat_client.post(
        reverse("governance:case_refer", args=[case.pk]),
        {
            "referred_on": today.isoformat(),
            "deadline": (today + dt.timedelta(days=30)).isoformat(),
            "municipalities": [andebu.pk],
        },
    )
    assert response.status_code == 400
    assert response.context["referral_form"].errors["municipalities"]
    assert not case.referrals.exists()
