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

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(network, coordinator_user, member_user, outsider_user):
    meeting = services.meeting_create(actor=None, network=network, date=dt.date(2024, 1, 10))
    document = make_document(network, title="Felles mal", visibility="members")
    programme = services.programme_create(
        actor=None, cooperation=network.cooperation, name="Verjeskolen", network=network
    )
    course = services.course_add(actor=None, programme=programme, name="Grunnkurs")
    return {"meeting": meeting, "document": document, "programme": programme, "course": course}


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
    "member_new",
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
        NetworkMembership.objects.count(),
        NetworkMember.objects.count(),
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
