"""The synthetic data set of bench/: counts, determinism, history and search text."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from governance.models import CouncilDecision, Referral
from members.models import Cooperation, Membership
from projects.models import MoneyEntry, Participation, Project
from projects.selectors import ProjectFilter, project_list
from projects.services import search_text_for
from samarbeid.site import synthetic

pytestmark = pytest.mark.django_db


def _signature() -> list[tuple]:
    projects = Project.objects.filter(cooperation__slug__startswith=synthetic.SLUG_PREFIX)
    return [
        (p.cooperation.slug, p.slug, p.phase, p.start_date, p.host_municipality.number)
        for p in projects.select_related("cooperation", "host_municipality").order_by("pk")
    ] + sorted(
        Membership.objects.filter(cooperation__slug__startswith=synthetic.SLUG_PREFIX).values_list(
            "cooperation__slug", "municipality__number", "joined", "left"
        )
    )


def _generate(seed: int, projects: int = 12) -> list[tuple]:
    """Generate inside a transaction that is rolled back; returns what was written."""
    with transaction.atomic():
        synthetic.generate(cooperations=2, projects=projects, seed=seed, progress=False)
        signature = _signature()
        transaction.set_rollback(True)
    return signature


def test_command_writes_the_asked_numbers_with_history():
    call_command("generate_synthetic", cooperations=3, projects=20, seed=1, no_progress=True)
    assert Cooperation.objects.filter(slug__startswith="syn-").count() == 3
    projects = Project.objects.filter(cooperation__slug__startswith="syn-")
    assert projects.count() == 20
    assert Participation.objects.filter(project__in=projects).count() >= 40
    assert MoneyEntry.objects.filter(project__in=projects).exists()
    assert Referral.objects.filter(case__cooperation__slug__startswith="syn-").exists()
    assert CouncilDecision.objects.filter(
        referral__case__cooperation__slug__startswith="syn-"
    ).exists()
    reason = synthetic.REASON
    assert Project.history.filter(history_change_reason=reason).count() == 20
    assert Membership.history.filter(history_change_reason=reason).count() == (
        Membership.objects.filter(cooperation__slug__startswith="syn-").count()
    )


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data():
    first = _generate(seed=7)
    assert first
    assert _generate(seed=7) == first
    assert _generate(seed=8) != first


def test_memberships_follow_the_registry():
    call_command("generate_synthetic", cooperations=4, projects=8, seed=3, no_progress=True)
    for membership in Membership.objects.filter(cooperation__slug__startswith="syn-"):
        membership.full_clean()  # the identity existed on the day it joined and left


def test_search_text_is_what_the_service_computes_and_search_finds_a_project():
    call_command("generate_synthetic", cooperations=2, projects=10, seed=2, no_progress=True)
    projects = Project.objects.filter(cooperation__slug__startswith="syn-")
    for project in projects:
        assert set(project.search_text.split()) == set(search_text_for(project).split())
    project = projects.order_by("pk").first()
    found = project_list(cooperation=project.cooperation, filters=ProjectFilter(q=project.name))
    assert project in found


def test_a_second_run_in_the_same_database_is_refused_with_a_clear_message():
    call_command("generate_synthetic", cooperations=1, projects=2, seed=1, no_progress=True)
    with pytest.raises(CommandError, match="already"):
        call_command("generate_synthetic", cooperations=1, projects=2, seed=1, no_progress=True)


def test_desk_projects_go_to_the_cooperation_the_desk_shows():
    from members.models import Municipality
    from tests.factories import CooperationFactory, MembershipFactory

    desk = CooperationFactory()
    tonsberg = Municipality.objects.get(number="3905", valid_to__isnull=True)
    MembershipFactory(cooperation=desk, municipality=tonsberg, joined=tonsberg.valid_from)
    call_command(
        "generate_synthetic", cooperations=2, projects=9, desk_projects=6, seed=4, no_progress=True
    )
    assert Project.objects.filter(cooperation=desk).count() == 6
    assert Project.objects.filter(cooperation__slug__startswith="syn-").count() == 3
