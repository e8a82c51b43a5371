"""factory_boy factories for the project portfolio (municipalities made get-or-create, so
they coexist with the SSB registry the session loads)."""

import datetime as dt

import factory

from members.models import Municipality
from projects.models import MoneyEntry, Participation, Project
from tests.factories import CooperationFactory


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("number", "valid_from")

    number = factory.Sequence(lambda n: f"{9000 + n:04d}")
    name = factory.Sequence(lambda n: f"Testkommune {n}")
    county_number = "07"
    county_name = "Vestfold"
    valid_from = dt.date(1838, 1, 1)


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    cooperation = factory.SubFactory(CooperationFactory)
    name = factory.Sequence(lambda n: f"Prosjekt {n}")
    slug = factory.Sequence(lambda n: f"prosjekt-{n}")
    category = Project.Category.OPERATIONS
    start_date = dt.date(2001, 1, 1)
    end_date = dt.date(2002, 12, 31)


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    project = factory.SubFactory(ProjectFactory)
    municipality = factory.SubFactory(MunicipalityFactory)


class MoneyEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MoneyEntry

    project = factory.SubFactory(ProjectFactory)
    kind = MoneyEntry.Kind.GRANT
    amount_nok = 100000
