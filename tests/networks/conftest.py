import pytest

from tests.conftest import _user_with_role
from tests.networks.factories import NetworkFactory, NetworkMemberFactory, person_for


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def network(db):
    return NetworkFactory(name="Overformynderi", slug="overformynderi")


@pytest.fixture
def other_network(network):
    return NetworkFactory(cooperation=network.cooperation, name="IKT-ledere", slug="ikt-ledere")


@pytest.fixture
def coordinator_user(django_user_model, network):
    user = _user_with_role(django_user_model, "koordinator", None)
    network.coordinator = person_for(user)
    network.save()
    return user


@pytest.fixture
def member_user(django_user_model, network):
    user = _user_with_role(django_user_model, "medlem", None)
    NetworkMemberFactory(network=network, person=person_for(user))
    return user


@pytest.fixture
def outsider_user(django_user_model, other_network):
    """A member of another network."""
    user = _user_with_role(django_user_model, "utenfor", None)
    NetworkMemberFactory(network=other_network, person=person_for(user))
    return user
