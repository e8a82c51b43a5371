"""Every write path over HTTP with each role: who may not gets 403 and nothing changes; the
coordinator and the secretariat (and members, for uploads) succeed."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from networks import services
from networks.models import (
    Attendance,
    Course,
    Document,
    DocumentVersion,
    ExperienceEntry,
    Network,
    NetworkMeeting,
    NetworkMember,
    NetworkMembership,
    Programme,
    Proposal,
    Session,
)
from projects.models import Project
from tests.factories import OrganisationFactory, PersonFactory
from tests.networks.factories import make_document
from tests.projects.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(network, coordinator_user, member_user, outsider_user):
    meeting = services.meeting_create(actor=None, network=network, date=dt.date(2024, 1, 10))
    document = make_document(network, title="Felles mal", visibility="members")
    programme = services.programme_create(
        actor=None, cooperation=network.cooperation, name="Verjeskolen", network=network
    )
    course = services.course_add(actor=None, programme=programme, name="Grunnkurs")
    in_municipality = services.membership_add(
        actor=None, network=network, municipality=MunicipalityFactory(), start=dt.date(2002, 1, 1)
    )
    in_organisation = services.membership_add(
        actor=None,
        network=network,
        organisation=OrganisationFactory(name="Fylkesmannen i Vestfold"),
        start=dt.date(2002, 1, 1),
    )
    return {
        "meeting": meeting,
        "document": document,
        "programme": programme,
        "course": course,
        "in_municipality": in_municipality,
        "in_organisation": in_organisation,
    }


def _paths(network, setting):
    org = OrganisationFactory(name="Fylkesmannen")
    person = PersonFactory(name="Ny person")
    member = NetworkMember.objects.filter(network=network).first()
    upload = lambda: SimpleUploadedFile("mal.txt", b"Mal for vedtak om verjemaal")  # noqa: E731
    meeting, document = setting["meeting"], setting["document"]
    programme, course = setting["programme"], setting["course"]
    return {
        "programme_new": (
            reverse("networks:programme_new"),
            lambda: {"name": "Nytt program", "network": network.pk},
        ),
        "course_new": (
            reverse("networks:course_new", args=[programme.slug]),
            lambda: {"name": "Videregående kurs", "start": "2024-09-01"},
        ),
        "session_new": (
            reverse("networks:session_new", args=[course.pk]),
            lambda: {"date": "2024-03-01", "hours": "3", "attendance": "Tønsberg: 4"},
        ),
        "edit": (
            reverse("networks:edit", args=[network.slug]),
            lambda: {"name": "Nytt navn", "field": "Verjemål", "status": "active"},
        ),
        "membership_new": (
            reverse("networks:membership_new", args=[network.slug]),
            lambda: {"organisation": org.pk, "start": "2002-01-01"},
        ),
        "membership_edit": (
            reverse("networks:membership_edit", args=[setting["in_municipality"].pk]),
            lambda: {"start": "2002-01-01", "end": "2019-12-31", "note": "Slått sammen"},
        ),
        "membership_edit_organisation": (
            reverse("networks:membership_edit", args=[setting["in_organisation"].pk]),
            lambda: {"start": "2003-01-01"},
        ),
        "member_edit": (
            reverse("networks:member_edit", args=[member.pk]),
            lambda: {"start": "2019-06-01", "end": "2024-06-30"},
        ),
        "member_new": (
            reverse("networks:member_new", args=[network.slug]),
            lambda: {"person": person.pk, "start": "2020-01-01"},
        ),
        "meeting_new": (
            reverse("networks:meeting_new", args=[network.slug]),
            lambda: {"date": "2024-02-01", "agenda": "Maler", "attendees": [member.pk]},
        ),
        "meeting_edit": (
            reverse("networks:meeting_edit", args=[meeting.pk]),
            lambda: {"date": "2024-01-10", "minutes": "Referat"},
        ),
        "experience_new": (
            reverse("networks:experience_new", args=[network.slug]),
            lambda: {"date": "2024-02-01", "title": "Felles rutine", "text": "Det virket"},
        ),
        "proposal_new": (
            reverse("networks:proposal_new", args=[network.slug]),
            lambda: {
                "name": "Felles portal",
                "description": "Et forslag",
                "category": "other",
                "proposed_on": "2024-02-01",
            },
        ),
        "document_edit": (
            reverse("networks:document_edit", args=[document.pk]),
            lambda: {"title": "Nytt navn", "kind": "template", "visibility": "members"},
        ),
        "document_new": (
            reverse("networks:document_new", args=[network.slug]),
            lambda: {
                "title": "Ny mal",
                "kind": "template",
                "visibility": "network",
                "file": upload(),
            },
        ),
        "version_new": (
            reverse("networks:version_new", args=[document.pk]),
            lambda: {"file": upload(), "change_note": "Rettet"},
        ),
    }


COORDINATOR_PATHS = [
    "edit",
    "membership_new",
    "membership_edit",
    "membership_edit_organisation",
    "member_new",
    "member_edit",
    "meeting_new",
    "meeting_edit",
    "experience_new",
    "proposal_new",
    "document_edit",
    "programme_new",
    "course_new",
    "session_new",
]
PARTICIPANT_PATHS = ["document_new", "version_new"]


def _state():
    return (
        list(Network.objects.values_list("name", "field", "status")),
        list(NetworkMembership.objects.order_by("pk").values_list("start", "end", "note")),
        list(NetworkMember.objects.order_by("pk").values_list("start", "end")),
        NetworkMembership.history.count(),
        NetworkMember.history.count(),
        list(NetworkMeeting.objects.values_list("date", "minutes", "agenda")),
        ExperienceEntry.objects.count(),
        Proposal.objects.count(),
        Project.objects.count(),
        list(Document.objects.values_list("title", "kind", "visibility")),
        DocumentVersion.objects.count(),
        Programme.objects.count(),
        Course.objects.count(),
        Session.objects.count(),
        Attendance.objects.count(),
        Network.history.count(),
        Document.history.count(),
    )


def _login(client, request, role):
    users = {
        "plain": "plain_user",
        "board": "board_user",
        "outsider": "outsider_user",
        "member": "member_user",
        "coordinator": "coordinator_user",
        "secretariat": "secretariat_user",
    }
    client.force_login(request.getfixturevalue(users[role]))


@pytest.mark.parametrize(
    ("path", "role"),
    [(p, r) for p in COORDINATOR_PATHS for r in ("plain", "board", "outsider", "member")]
    + [(p, r) for p in PARTICIPANT_PATHS for r in ("plain", "board", "outsider")],
)
def test_refused_with_403_and_nothing_changed(client, request, network, setting, path, role):
    url, data = _paths(network, setting)[path]
    _login(client, request, role)
    before = _state()
    assert client.get(url).status_code in (403, 405)
    response = client.post(url, data())
    assert response.status_code == 403
    assert _state() == before


@pytest.mark.parametrize("path", COORDINATOR_PATHS + PARTICIPANT_PATHS)
def test_anonymous_is_sent_to_sign_in(client, network, setting, path):
    url, data = _paths(network, setting)[path]
    before = _state()
    response = client.post(url, data())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert _state() == before


@pytest.mark.parametrize(
    ("path", "role"),
    [(p, r) for p in COORDINATOR_PATHS + PARTICIPANT_PATHS for r in ("coordinator", "secretariat")]
    + [(p, "member") for p in PARTICIPANT_PATHS],
)
def test_allowed_roles_change_something(client, request, network, setting, path, role):
    url, data = _paths(network, setting)[path]
    _login(client, request, role)
    before = _state()
    response = client.post(url, data())
    assert response.status_code == 302, (
        getattr(response, "context", None) and response.context["form"].errors
    )
    assert _state() != before


def test_bad_input_is_a_400_naming_the_field(client, coordinator_user, network, setting):
    client.force_login(coordinator_user)
    before = _state()
    response = client.post(
        reverse("networks:membership_new", args=[network.slug]),
        {"start": "2003-01-01", "end": "2002-01-01"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors
    assert _state() == before


def test_session_attendance_lines_are_checked_line_by_line(client, coordinator_user, setting):
    client.force_login(coordinator_user)
    url = reverse("networks:session_new", args=[setting["course"].pk])
    before = _state()
    response = client.post(
        url, {"date": "2024-03-01", "hours": "3", "attendance": "Tønsberg: 4\nAtlantis: 2"}
    )
    assert response.status_code == 400
    assert "2" in str(response.context["form"].errors["attendance"])
    assert _state() == before
    response = client.post(
        url, {"date": "2024-03-01", "hours": "3", "attendance": "Tønsberg: 4\nHorten: 2"}
    )
    assert response.status_code == 302
    assert sorted(Attendance.objects.values_list("municipality__name", "participants")) == [
        ("Horten", 2),
        ("Tønsberg", 4),
    ]


def test_coordinator_ends_and_re_dates_memberships_with_history(
    client, coordinator_user, member_user, network, setting
):
    """The network page links each membership to a form that ends or re-dates it; the
    history names who did it and why."""
    client.force_login(coordinator_user)
    page = client.get(reverse("networks:detail", args=[network.slug])).content.decode()
    in_municipality = setting["in_municipality"]
    in_organisation = setting["in_organisation"]
    person = NetworkMember.objects.get(network=network, person__user=member_user)
    for target in (
        reverse("networks:membership_edit", args=[in_municipality.pk]),
        reverse("networks:membership_edit", args=[in_organisation.pk]),
        reverse("networks:member_edit", args=[person.pk]),
    ):
        assert target in page
    url = reverse("networks:membership_edit", args=[in_organisation.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"start": "2002-01-01", "end": "2019-12-31"})
    assert response.status_code == 302
    in_organisation.refresh_from_db()
    assert in_organisation.end == dt.date(2019, 12, 31)
    newest = in_organisation.history.first()
    assert newest.history_change_reason == "left the network"
    assert newest.history_user == coordinator_user
    response = client.post(url, {"start": "2001-01-01", "end": "2019-12-31"})
    assert in_organisation.history.first().history_change_reason == "membership re-dated"
    url = reverse("networks:member_edit", args=[person.pk])
    assert client.post(url, {"start": "2019-01-01", "end": "2023-12-31"}).status_code == 302
    person.refresh_from_db()
    assert (person.start, person.end) == (dt.date(2019, 1, 1), dt.date(2023, 12, 31))
    assert person.history.first().history_change_reason == "member left"
    page = client.get(reverse("networks:detail", args=[network.slug])).content.decode()
    assert "2001 – 2019" in page


def test_a_period_ending_before_it_starts_is_a_400(client, coordinator_user, setting):
    client.force_login(coordinator_user)
    before = _state()
    url = reverse("networks:membership_edit", args=[setting["in_municipality"].pk])
    response = client.post(url, {"start": "2010-01-01", "end": "2009-12-31"})
    assert response.status_code == 400
    assert response.context["form"].errors["end"]
    assert _state() == before
