"""The Vestfold demo data: members over time, organisations, people, demo users."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.contrib.auth import authenticate

from members.demo import demo_file, load_demo
from members.models import CooperationName, KeyFigure, Organisation, Person, Position
from members.selectors import (
    cooperation_by_slug,
    members_on,
    municipality_on,
    organisation_by_name,
    organisation_lookup,
)
from samarbeid.common.text import normalize_name

pytestmark = pytest.mark.django_db

NINE = ["Andebu", "Hof", "Holmestrand", "Horten", "Nøtterøy", "Re", "Stokke", "Tjøme", "Tønsberg"]
TWELVE = sorted([*NINE, "Lardal", "Larvik", "Sandefjord"])


@pytest.fixture
def demo():
    load_demo()
    return cooperation_by_slug("vestfold")


def _names(cooperation, day):
    return sorted(m.municipality.name for m in members_on(cooperation=cooperation, on=day))


def test_nine_members_in_2004(demo):
    assert _names(demo, dt.date(2004, 6, 1)) == NINE


def test_twelve_members_in_2010(demo):
    assert _names(demo, dt.date(2010, 6, 1)) == TWELVE


def test_seven_founders_and_the_changes_of_2001_and_2002(demo):
    assert _names(demo, dt.date(1999, 6, 1)) == sorted(
        ["Andebu", "Nøtterøy", "Ramnes", "Stokke", "Tjøme", "Tønsberg", "Våle"]
    )
    assert "Borre" in _names(demo, dt.date(2002, 5, 31))
    on_rename = _names(demo, dt.date(2002, 6, 1))
    assert "Horten" in on_rename and "Borre" not in on_rename
    assert len(on_rename) == 9


def test_second_run_changes_nothing(demo):
    out = StringIO()
    load_demo(stdout=out)
    assert " 0 created, 0 updated" in out.getvalue()


def test_cooperation_facts(demo):
    assert demo.short_name == "12k"
    assert demo.founded.year == 1997
    assert demo.postal_address == "12k c/o HVE, p.b. 2243, 3103 Tønsberg"
    assert demo.host_organisation.abbreviation == "HVE"
    names = list(CooperationName.objects.filter(cooperation=demo).order_by("valid_from"))
    assert [n.short_name for n in names] == ["9k", "12k"]
    assert "Assumption" in names[0].note
    figures = {f.kind: f for f in KeyFigure.objects.filter(cooperation=demo, year=2010)}
    assert figures["inhabitants"].value == 216000 and figures["inhabitants"].approximate
    assert figures["employees"].value == 14000


def test_every_assumption_has_reasoning():
    data = json.loads(demo_file().read_text())
    topics = {a["topic"] for a in data["assumptions"]}
    assert {
        "founding members",
        "name change 9k -> 12k",
        "Lardal, Larvik and Sandefjord joining",
    } <= topics
    assert all(a["assumption"] and a["reasoning"] for a in data["assumptions"])


@pytest.mark.parametrize(
    ("value", "name"),
    [
        ("fylkes- kommunen", "Vestfold fylkeskommune"),
        ("Fylkeskommunen", "Vestfold fylkeskommune"),
        ("FM", "Fylkesmannen i Vestfold"),
        ("fylkesmann", "Fylkesmannen i Vestfold"),
        ("høgskolen", "Høgskolen i Vestfold"),
        ("HVE", "Høgskolen i Vestfold"),
        ("SIV", "Sykehuset i Vestfold"),
        ("Uninett", "Uninett ABC"),
        ("Høykom", "HØYKOM"),
        ("KRD", "Kommunal- og regionaldepartementet"),
        ("Gigafib AS", "GigaFib AS"),
        ("GigaFib", "GigaFib AS"),
        ("KS", "KS – Kommunesektorens organisasjon"),
    ],
)
def test_organisation_aliases(demo, value, name):
    assert organisation_by_name(value).name == name
    assert organisation_lookup()[normalize_name(value)].name == name


def test_tau_is_unidentified(demo):
    tau = Organisation.objects.get(name="TAU")
    assert not tau.identified
    assert "does not say" in tau.description


def test_sande_and_svelvik_are_municipalities_not_organisations(demo):
    assert not Organisation.objects.filter(name__in=["Sande", "Svelvik"]).exists()
    assert municipality_on("Svelvik", dt.date(2001, 1, 1)).number == "0711"


def test_case_officer_contact_details_are_private(demo):
    torill = Person.objects.get(name="Torill Lønningdal")
    assert torill.email == "Torill.Lonningdal@hive.no"
    assert torill.public_email == "" and torill.public_phone == ""
    torill.contact_public = True
    assert torill.public_email == "Torill.Lonningdal@hive.no"
    assert torill.public_phone == torill.phone
    assert Position.objects.get(person=torill).role == Position.Role.CASE_OFFICER


def test_demo_users(demo):
    secretariat = authenticate(username="sekretariat", password="samarbeid-demo")
    assert secretariat.is_staff
    assert secretariat.has_perm("members.change_municipality")
    assert secretariat.has_perm("members.add_membership")
    board = authenticate(username="styret", password="samarbeid-demo")
    assert list(board.groups.values_list("name", flat=True)) == ["board"]
    assert not board.is_staff
    contact = authenticate(username="tonsberg", password="samarbeid-demo")
    position = Position.objects.get(person__user=contact)
    assert position.role == "municipality_contact"
    assert position.municipality.number == "3905" and position.municipality.valid_to is None


def test_one_cooperation_figure_per_year_and_kind_on_every_database(demo):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        KeyFigure.objects.create(cooperation=demo, year=2010, kind="inhabitants", value=1)
    tonsberg = municipality_on("Tønsberg", dt.date(2010, 6, 1))
    KeyFigure.objects.create(
        cooperation=demo, municipality=tonsberg, year=2010, kind="inhabitants", value=40000
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        KeyFigure.objects.create(
            cooperation=demo, municipality=tonsberg, year=2010, kind="inhabitants", value=1
        )
