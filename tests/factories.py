"""factory_boy factories for the registry. Apps add theirs in tests/<app>/factories.py."""

import datetime as dt

import factory

from members import models


class CooperationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Cooperation
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Testsamarbeidet {n}")
    short_name = factory.Sequence(lambda n: f"T{n}")
    slug = factory.Sequence(lambda n: f"test-{n}")
    founded = dt.date(1997, 1, 1)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organisasjon {n}")
    kind = models.Organisation.Kind.OTHER


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Person

    name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    phone = "33 00 00 00"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Membership

    cooperation = factory.SubFactory(CooperationFactory)
    joined = dt.date(1997, 1, 1)
