"""Factories for networks: a network with a coordinator and a member who have accounts."""

import datetime as dt

import factory
from django.core.files.base import ContentFile

from members.models import Person
from networks import services
from networks.models import Document, Network, NetworkMember
from tests.factories import CooperationFactory, PersonFactory


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network

    cooperation = factory.SubFactory(CooperationFactory)
    name = factory.Sequence(lambda n: f"Nettverk {n}")
    slug = factory.Sequence(lambda n: f"nettverk-{n}")
    field = "IKT"
    started = dt.date(2000, 1, 1)


class NetworkMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NetworkMember

    network = factory.SubFactory(NetworkFactory)
    person = factory.SubFactory(PersonFactory)
    start = dt.date(2000, 1, 1)


def person_for(user) -> Person:
    return PersonFactory(user=user, name=f"Person {user.username}")


def make_document(network: Network, *, title="Mal", text="innhold", visibility="network", **kw):
    return services.document_create(
        actor=None,
        network=network,
        title=title,
        kind=kw.pop("kind", Document.Kind.TEMPLATE),
        visibility=visibility,
        upload=ContentFile(text.encode(), name="mal.txt"),
        **kw,
    )
