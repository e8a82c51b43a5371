"""Factories for governance tests. Municipalities come from the registry when it is loaded
and are created with plain ORM otherwise (same number and name)."""

import datetime as dt

import factory
from django.contrib.auth.models import Group

from governance import models, services
from members.models import Cooperation, Membership, Municipality, Person, Position
from members.selectors import UnknownMunicipality, municipality_on
from projects.models import Project
from samarbeid.common import permissions
from tests.factories import CooperationFactory

VESTFOLD_9K = {
    "Horten": "0701",
    "Holmestrand": "0702",
    "Tønsberg": "0704",
    "Hof": "0714",
    "Re": "0716",
    "Andebu": "0719",
    "Stokke": "0720",
    "Nøtterøy": "0722",
    "Tjøme": "0723",
}


def municipality(name: str, on: dt.date = dt.date(2003, 6, 1)) -> Municipality:
    try:
        return municipality_on(name, on)
    except UnknownMunicipality:
        number = VESTFOLD_9K.get(name) or str(9000 + len(name))
        found, _ = Municipality.objects.get_or_create(
            number=number,
            valid_from=dt.date(2002, 1, 1),
            defaults={"name": name, "county_number": "07", "county_name": "Vestfold"},
        )
        return found


def nine(on: dt.date = dt.date(2003, 6, 1)) -> dict[str, Municipality]:
    return {name: municipality(name, on) for name in VESTFOLD_9K}


def cooperation_with_members(members: dict[str, Municipality]) -> Cooperation:
    coop = CooperationFactory()
    Membership.objects.bulk_create(
        Membership(cooperation=coop, municipality=m, joined=dt.date(1997, 1, 1))
        for m in members.values()
    )
    return coop


def contact_user(django_user_model, username: str, mun: Municipality, email: str = ""):
    user = django_user_model.objects.create_user(username=username, password="pw-" + username)
    group, _ = Group.objects.get_or_create(name=permissions.MUNICIPALITY_CONTACT)
    user.groups.add(group)
    person = Person.objects.create(
        name=f"Kontakt {username}", email=email or f"{username}@example.org", user=user
    )
    Position.objects.create(
        person=person,
        role=Position.Role.MUNICIPALITY_CONTACT,
        municipality=mun,
        start=dt.date(2000, 1, 1),
    )
    return user


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    cooperation = factory.SubFactory(CooperationFactory)
    name = factory.Sequence(lambda n: f"Prosjekt {n}")
    slug = factory.Sequence(lambda n: f"prosjekt-{n}")
    category = Project.Category.OPERATIONS


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Meeting

    cooperation = factory.SubFactory(CooperationFactory)
    date = dt.date(2003, 5, 1)
    place = "Tønsberg"


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Case

    cooperation = factory.SubFactory(CooperationFactory)
    meeting = None
    number = factory.Sequence(lambda n: f"{n}/2003")
    title = factory.Sequence(lambda n: f"Sak {n}")
    # As governance.services keeps it (the case search looks here).
    search_text = factory.LazyAttribute(
        lambda case: services.case_search_text(number=case.number, title=case.title)
    )
    outcome = models.Case.Outcome.ADOPTED
