"""Query counts of the governance pages and API lists do not grow with rows: build N rows,
count, build more, count the same."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.models import BoardSeat, Case, CaseDocument, CouncilDecision, Referral
from members.models import Municipality, Organisation, Person
from members.selectors import default_cooperation

from .factories import ProjectFactory, cooperation_with_members
from .test_views import _build

pytestmark = pytest.mark.django_db
Out = CouncilDecision.Outcome


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _settled_case(n_referrals: int, per: int, prefix: str) -> Case:
    """A case with projects and documents and n closed referrals whose councils adopted:
    each referral offers the establish form on the case page."""
    case = _build(0, 0, prefix=prefix)
    municipalities = list(
        Municipality.objects.bulk_create(
            Municipality(
                number=f"{prefix}{i:03d}",
                name=f"Kommune {prefix}{i}",
                county_number="99",
                county_name="Test",
                valid_from=dt.date(2000, 1, 1),
            )
            for i in range(per)
        )
    )
    for i in range(n_referrals):
        project = ProjectFactory(cooperation=case.cooperation)
        case.projects.add(project)
        CaseDocument.objects.create(
            case=case, title=f"Dok {i}", file=SimpleUploadedFile(f"d{i}.pdf", b"%PDF")
        )
    referrals = Referral.objects.bulk_create(
        Referral(case=case, referred_on=dt.date(2003, 1, 1), closed_on=dt.date(2003, 3, 1))
        for _ in range(n_referrals)
    )
    CouncilDecision.objects.bulk_create(
        CouncilDecision(referral=r, municipality=m, outcome=Out.ADOPTED)
        for r in referrals
        for m in municipalities
    )
    return case


def test_case_page_with_settled_referrals_projects_and_documents(secretariat_client):
    small_case = _settled_case(1, 2, "Q")
    small = _count(secretariat_client, reverse("governance:case", args=[small_case.pk]))
    large_case = _settled_case(6, 8, "W")
    large = _count(secretariat_client, reverse("governance:case", args=[large_case.pk]))
    assert large == small


def _seats(n: int, prefix: str) -> None:
    cooperation = default_cooperation() or cooperation_with_members({})
    for i in range(n):
        municipality = Municipality.objects.create(
            number=f"{prefix}{i:03d}",
            name=f"Kommune {prefix}{i}",
            county_number="99",
            county_name="Test",
            valid_from=dt.date(2000, 1, 1),
        )
        BoardSeat.objects.create(
            cooperation=cooperation,
            role=BoardSeat.Role.MAYOR,
            label=f"Ordfører {prefix}{i}",
            person=Person.objects.create(name=f"Person {prefix}{i}"),
            municipality=municipality,
            start=dt.date(2003, 1, 1) + dt.timedelta(days=i),
        )
        BoardSeat.objects.create(
            cooperation=cooperation,
            role=BoardSeat.Role.UNION_REPRESENTATIVE,
            label=f"Tillitsvalgt {prefix}{i}",
            organisation=Organisation.objects.create(name=f"Forbund {prefix}{i}"),
            voting=False,
            start=dt.date(2003, 1, 1),
        )


def test_board_page_with_people_municipalities_and_organisations(secretariat_client):
    url = reverse("governance:board") + "?on=2004-01-01"
    _seats(2, "P")
    small = _count(secretariat_client, url)
    _seats(6, "R")
    assert _count(secretariat_client, url) == small


def test_municipality_page_query_count_does_not_grow(secretariat_client):
    _build(1, 3, prefix="8")
    small = _count(secretariat_client, reverse("overview:municipality", args=["8001"]))
    _build(12, 3, prefix="7")
    assert _count(secretariat_client, reverse("overview:municipality", args=["7001"])) == small


def test_api_lists_query_count_does_not_grow(client, board_user):
    client.force_login(board_user)
    case = _build(2, 3, prefix="5")
    referral = case.referrals.first()
    urls = ["/api/governance/referrals", f"/api/governance/referrals/{referral.pk}"]
    small = [_count(client, url) for url in urls]
    large_case = _build(8, 12, prefix="6")
    large_referral = large_case.referrals.first()
    urls = ["/api/governance/referrals", f"/api/governance/referrals/{large_referral.pk}"]
    assert [_count(client, url) for url in urls] == small
