"""Rows in the trash are hidden from every list, overview, export, API and count
(issue 17, point 5), and come back with a restore."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from governance import services as gov_services
from importers.exporters import overview_export
from projects import services
from projects.models import MoneyEntry, Participation, Project
from tests.projects.test_overview_data import vestfold

pytestmark = pytest.mark.django_db

NAME = "Trashprosjekt Kvistrud"


@pytest.fixture
def trashed(secretariat_user):
    v = vestfold()
    project = services.project_create(
        actor=secretariat_user,
        cooperation=v.cooperation,
        name=NAME,
        category=Project.Category.PLANNING,
        fields={"start_date": dt.date(2002, 1, 1), "end_date": dt.date(2003, 12, 31)},
    )
    services.participation_add(
        actor=secretariat_user, project=project, municipality=v.horten, joined=dt.date(2002, 1, 1)
    )
    services.money_entry_add(
        actor=secretariat_user,
        project=project,
        kind="grant",
        amount_nok=Decimal(987654),
        municipality=v.horten,
        year_from=2002,
    )
    case = gov_services.case_create(
        actor=secretariat_user,
        cooperation=v.cooperation,
        number="99/2003",
        title="Trashsak Kvistrud",
        projects=[project],
    )
    gov_services.referral_create(
        actor=secretariat_user,
        case=case,
        referred_on=dt.date(2003, 6, 2),
        municipalities=[v.horten],
    )
    services.project_delete(actor=secretariat_user, project=project)
    gov_services.case_delete(actor=secretariat_user, case=case)
    return v, project, case


@pytest.mark.parametrize(
    "url",
    [
        reverse("projects:list"),
        reverse("projects:list") + "?q=Kvistrud",
        reverse("overview:timeline"),
        reverse("overview:matrix"),
        reverse("overview:money"),
        reverse("overview:municipality", args=["0701"]),
        reverse("governance:dashboard"),
        reverse("governance:cases"),
        "/api/governance/referrals",
    ],
)
def test_pages_and_api_do_not_show_the_trash(secretariat_client, trashed, url):
    response = secretariat_client.get(url)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Trashprosjekt" not in text and "Trashsak" not in text


def test_counts_and_exports_leave_the_trash_out(trashed):
    v, project, _case = trashed
    assert not Project.objects.filter(name=NAME).exists()
    assert not Participation.objects.filter(project=project).exists()
    assert not MoneyEntry.objects.filter(amount_nok=Decimal(987654)).exists()
    assert v.horten.participations.count() == 0
    assert b"Kvistrud" not in overview_export(cooperation=v.cooperation, fmt="csv")


def test_restored_from_the_trash_it_shows_again(secretariat_client, trashed, secretariat_user):
    _v, project, case = trashed
    services.project_restore_from_trash(
        actor=secretariat_user, instance=Project.all_objects.get(pk=project.pk)
    )
    assert NAME in secretariat_client.get(reverse("projects:list")).content.decode()
    assert Participation.objects.filter(project=project).count() == 1
    secretariat_client.post(reverse("trash_restore", args=["governance.case", case.pk]))
    assert "Kvistrud" in secretariat_client.get(reverse("governance:cases")).content.decode()


def test_an_import_of_a_project_in_the_trash_says_so(trashed, secretariat_user):
    from django.core.exceptions import ValidationError

    v, project, _case = trashed
    with pytest.raises(ValidationError) as err:
        services.project_create(
            actor=secretariat_user,
            cooperation=v.cooperation,
            name=NAME,
            category="other",
            slug=project.slug,
        )
    assert "slug" in err.value.error_dict
    assert Project.all_objects.filter(slug=project.slug).count() == 1
