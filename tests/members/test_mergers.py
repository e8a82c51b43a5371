"""Memberships follow mergers: the cooperation's membership passes to the successor on the
merger date, recorded in history with the merger as its reason."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from members import services
from members.demo import load_demo
from members.models import Membership
from members.selectors import (
    cooperation_by_slug,
    member_list,
    members_on,
    municipality_on,
)
from tests.factories import CooperationFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 27)
TODAYS_MEMBERS = ["Færder", "Holmestrand", "Horten", "Larvik", "Sandefjord", "Tønsberg"]


def _join(cooperation, name, joined, left=None):
    return services.membership_create(
        actor=None,
        cooperation=cooperation,
        municipality=municipality_on(name, joined),
        joined=joined,
        left=left,
    )


def _names(cooperation, day):
    return sorted(m.municipality.name for m in members_on(cooperation=cooperation, on=day))


@pytest.fixture
def cooperation():
    return CooperationFactory()


def test_merger_ends_the_predecessors_and_starts_the_successor(cooperation):
    nøtterøy = _join(cooperation, "Nøtterøy", dt.date(1997, 1, 1))
    tjøme = _join(cooperation, "Tjøme", dt.date(1997, 1, 1))
    created = services.membership_follow_mergers(
        actor=None, cooperation=cooperation, on=dt.date(2018, 6, 1)
    )
    assert [(m.municipality.name, m.municipality.number, m.joined) for m in created] == [
        ("Færder", "0729", dt.date(2018, 1, 1))
    ]
    for old in (nøtterøy, tjøme):
        old.refresh_from_db()
        assert old.left == dt.date(2017, 12, 31)
        assert old.history.first().history_change_reason == "membership ended by a municipal merger"
    færder = created[0]
    assert færder.role == Membership.Role.MEMBER
    reason = færder.history.get().history_change_reason
    assert reason == "membership passed on by a municipal merger"
    assert "2018-01-01" in færder.note
    assert "Nøtterøy (0722)" in færder.note and "Tjøme (0723)" in færder.note
    assert "Færder (0729)" in færder.note
    assert _names(cooperation, dt.date(2017, 12, 31)) == ["Nøtterøy", "Tjøme"]
    assert _names(cooperation, dt.date(2018, 1, 1)) == ["Færder"]


def test_chains_of_mergers_and_renumberings_reach_today(cooperation):
    _join(cooperation, "Re", dt.date(2002, 1, 1))
    _join(cooperation, "Tønsberg", dt.date(1997, 1, 1))
    services.membership_follow_mergers(actor=None, cooperation=cooperation, on=TODAY)
    today = list(members_on(cooperation=cooperation, on=TODAY))
    assert [(m.municipality.name, m.municipality.number) for m in today] == [("Tønsberg", "3905")]
    reasons = [h.history_change_reason for h in today[0].history.all()]
    assert reasons == ["membership passed on by a municipality's new name or number"]
    assert not member_list(cooperation, on=TODAY).inferred


def test_second_run_writes_nothing(cooperation):
    _join(cooperation, "Nøtterøy", dt.date(1997, 1, 1))
    services.membership_follow_mergers(actor=None, cooperation=cooperation, on=TODAY)
    rows = Membership.history.count()
    assert services.membership_follow_mergers(actor=None, cooperation=cooperation, on=TODAY) == []
    assert Membership.history.count() == rows


def test_a_membership_ended_before_the_merger_is_not_passed_on(cooperation):
    _join(cooperation, "Nøtterøy", dt.date(1997, 1, 1), left=dt.date(2010, 12, 31))
    assert services.membership_follow_mergers(actor=None, cooperation=cooperation, on=TODAY) == []
    assert _names(cooperation, TODAY) == []


def test_the_secretariat_can_end_the_passed_on_membership(cooperation, secretariat_user):
    _join(cooperation, "Nøtterøy", dt.date(1997, 1, 1))
    services.membership_follow_mergers(
        actor=secretariat_user, cooperation=cooperation, on=dt.date(2018, 6, 1)
    )
    færder = members_on(cooperation=cooperation, on=dt.date(2018, 6, 1)).get()
    services.membership_end(actor=secretariat_user, membership=færder, left=dt.date(2018, 12, 31))
    # Ended, it is not passed on to the renumbered Færder of 2020.
    services.membership_follow_mergers(actor=secretariat_user, cooperation=cooperation, on=TODAY)
    assert _names(cooperation, TODAY) == []
    assert færder.history.first().history_user == secretariat_user


def test_a_successor_already_a_member_is_left_alone(cooperation):
    _join(cooperation, "Nøtterøy", dt.date(1997, 1, 1))
    mine = _join(cooperation, "Færder", dt.date(2018, 1, 1))
    created = services.membership_follow_mergers(
        actor=None, cooperation=cooperation, on=dt.date(2018, 6, 1)
    )
    assert created == []
    assert members_on(cooperation=cooperation, on=dt.date(2018, 6, 1)).get() == mine


def test_only_the_secretariat_or_the_system(cooperation, plain_user):
    _join(cooperation, "Nøtterøy", dt.date(1997, 1, 1))
    for actor in (plain_user, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            services.membership_follow_mergers(actor=actor, cooperation=cooperation, on=TODAY)
    assert _names(cooperation, TODAY) == []


def test_demo_members_today_are_real_memberships():
    load_demo()
    vestfold = cooperation_by_slug("vestfold")
    today = dt.date.today()
    assert _names(vestfold, today) == TODAYS_MEMBERS
    members = member_list(vestfold, on=today)
    assert not members.inferred
    assert all(c.membership is not None for c in members.current)
    # 2010's twelve are still the twelve.
    assert len(_names(vestfold, dt.date(2010, 6, 1))) == 12
