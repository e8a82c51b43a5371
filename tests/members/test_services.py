"""members.services: the one write path for the registry's own rows."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from members import services
from members.models import KeyFigure, Membership, Organisation, OrganisationAlias, Position
from members.selectors import municipality_on
from tests.factories import CooperationFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cooperation():
    return CooperationFactory()


@pytest.fixture
def tonsberg():
    return municipality_on("Tønsberg", dt.date(2010, 6, 1))


def _join(cooperation, municipality, actor=None, **kwargs):
    return services.membership_create(
        actor=actor,
        cooperation=cooperation,
        municipality=municipality,
        joined=kwargs.pop("joined", dt.date(2001, 1, 1)),
        **kwargs,
    )


def test_system_creates_and_history_says_why(cooperation, tonsberg):
    membership = _join(cooperation, tonsberg)
    record = membership.history.get()
    assert record.history_change_reason == "membership created"
    assert record.history_user is None


def test_secretariat_is_named_in_history(cooperation, tonsberg, secretariat_user):
    membership = _join(cooperation, tonsberg, actor=secretariat_user)
    services.membership_end(actor=secretariat_user, membership=membership, left=dt.date(2005, 1, 1))
    latest = membership.history.first()
    assert latest.history_change_reason == "membership ended"
    assert latest.history_user == secretariat_user
    assert Membership.objects.get(pk=membership.pk).left == dt.date(2005, 1, 1)


@pytest.mark.parametrize("who", ["board", "anonymous", "plain"])
def test_others_are_refused(cooperation, tonsberg, board_user, plain_user, who):
    actor = {"board": board_user, "anonymous": AnonymousUser(), "plain": plain_user}[who]
    with pytest.raises(PermissionDenied):
        _join(cooperation, tonsberg, actor=actor)
    with pytest.raises(PermissionDenied):
        services.organisation_create(actor=actor, name="X", kind="other")
    with pytest.raises(PermissionDenied):
        services.person_create(actor=actor, name="X")
    assert not Membership.objects.filter(cooperation=cooperation).exists()
    assert not Organisation.objects.filter(name="X").exists()


def test_membership_cannot_start_before_its_identity(cooperation, tonsberg):
    with pytest.raises(ValidationError) as error:
        _join(cooperation, tonsberg, joined=dt.date(1980, 1, 1))
    assert "joined" in error.value.message_dict
    assert not Membership.objects.filter(cooperation=cooperation).exists()


def test_membership_cannot_end_after_its_identity_or_before_it_starts(cooperation):
    borre = municipality_on("Borre", dt.date(2000, 1, 1))
    with pytest.raises(ValidationError) as error:
        _join(cooperation, borre, left=dt.date(2003, 1, 1))
    assert "left" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _join(cooperation, borre, left=dt.date(2000, 1, 1))
    assert "left" in error.value.message_dict


def test_open_membership_may_outlive_its_identity(cooperation):
    borre = municipality_on("Borre", dt.date(2000, 1, 1))
    assert _join(cooperation, borre).left is None


def test_memberships_of_one_identity_do_not_overlap(cooperation, tonsberg):
    first = _join(cooperation, tonsberg, left=dt.date(2004, 12, 31))
    with pytest.raises(ValidationError) as error:
        _join(cooperation, tonsberg, joined=dt.date(2004, 1, 1))
    assert "joined" in error.value.message_dict
    again = _join(cooperation, tonsberg, joined=dt.date(2005, 1, 1))
    services.membership_update(actor=None, membership=first, changes={"note": "first period"})
    assert {m.pk for m in Membership.objects.filter(cooperation=cooperation)} == {
        first.pk,
        again.pk,
    }


def test_update_rejects_unknown_fields(cooperation, tonsberg):
    membership = _join(cooperation, tonsberg)
    with pytest.raises(TypeError):
        services.membership_update(actor=None, membership=membership, changes={"pk": 3})


def test_key_figure_set_creates_then_changes(cooperation):
    first = services.key_figure_set(
        actor=None, cooperation=cooperation, year=2010, kind="inhabitants", value=1
    )
    again = services.key_figure_set(
        actor=None, cooperation=cooperation, year=2010, kind="inhabitants", value=2
    )
    assert first.pk == again.pk and KeyFigure.objects.get(pk=first.pk).value == 2
    assert again.history.count() == 2


def test_position_end_before_start_names_the_field():
    person = PersonFactory()
    position = services.position_create(
        actor=None, person=person, role=Position.Role.MAYOR, start=dt.date(2010, 1, 1)
    )
    with pytest.raises(ValidationError) as error:
        services.position_end(actor=None, position=position, end=dt.date(2009, 1, 1))
    assert "end" in error.value.message_dict
    assert Position.objects.get(pk=position.pk).end is None


def test_person_with_bad_email_names_the_field():
    with pytest.raises(ValidationError) as error:
        services.person_create(actor=None, name="Ola", email="not an address")
    assert "email" in error.value.message_dict


def test_organisation_and_alias(secretariat_user):
    org = services.organisation_create(
        actor=secretariat_user, name="Testfylket", kind=Organisation.Kind.COUNTY_COUNCIL
    )
    services.organisation_update(
        actor=secretariat_user, organisation=org, changes={"abbreviation": "TF"}
    )
    alias = services.organisation_alias_add(actor=None, organisation=org, alias="Fylket")
    assert alias.normalized_alias == "fylket"
    other = OrganisationFactory()
    with pytest.raises(ValidationError) as error:
        services.organisation_alias_add(actor=None, organisation=other, alias="fylket ")
    assert "alias" in error.value.message_dict
    assert OrganisationAlias.objects.filter(normalized_alias="fylket").count() == 1
    services.organisation_alias_remove(actor=None, organisation_alias=alias)
    assert not org.aliases.exists()


def test_nothing_half_written_when_a_later_step_fails(cooperation, tonsberg):
    """The services run in one transaction: a caller's failure rolls back their writes."""
    from django.db import transaction

    with pytest.raises(ValidationError), transaction.atomic():
        _join(cooperation, tonsberg)
        services.cooperation_update(actor=None, cooperation=cooperation, changes={"slug": ""})
    assert not Membership.objects.filter(cooperation=cooperation).exists()


def test_cooperation_update_validates(cooperation):
    with pytest.raises(ValidationError) as error:
        services.cooperation_update(actor=None, cooperation=cooperation, changes={"website": "x"})
    assert "website" in error.value.message_dict
