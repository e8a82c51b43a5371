"""The secretariat's own pages and services: board seats over time, meetings with minutes,
cases with the board's decision and documents; every change is in the history."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from governance import selectors, services
from governance.models import BoardSeat, Case, CaseDocument, Meeting

from .factories import CaseFactory, MeetingFactory, ProjectFactory, cooperation_with_members

pytestmark = pytest.mark.django_db
Role = BoardSeat.Role


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def coop(muns):
    return cooperation_with_members(muns)


def test_board_composition_over_time_with_observers(coop, muns, secretariat_user):
    """Mayors and city managers vote; county mayor, county governor and the union
    representative observe. Who sits depends on the day."""
    seat = services.board_seat_create(
        actor=secretariat_user,
        cooperation=coop,
        role=Role.MAYOR,
        label="Ordfører, Horten",
        municipality=muns["Horten"],
        start=dt.date(2003, 1, 1),
    )
    services.board_seat_create(
        actor=secretariat_user,
        cooperation=coop,
        role=Role.CITY_MANAGER,
        label="Rådmann, Horten",
        municipality=muns["Horten"],
        start=dt.date(2003, 1, 1),
    )
    observers = [
        services.board_seat_create(
            actor=secretariat_user, cooperation=coop, role=role, label=label, start=start
        )
        for role, label, start in [
            (Role.COUNTY_MAYOR, "Fylkesordfører", dt.date(2003, 1, 1)),
            (Role.COUNTY_GOVERNOR, "Fylkesmannen", dt.date(2003, 1, 1)),
            (Role.UNION_REPRESENTATIVE, "Tillitsvalgt", dt.date(2003, 3, 1)),
        ]
    ]
    assert seat.voting and not any(o.voting for o in observers)
    services.board_seat_end(actor=secretariat_user, seat=seat, end=dt.date(2003, 12, 31))
    services.board_seat_create(
        actor=secretariat_user,
        cooperation=coop,
        role=Role.MAYOR,
        label="Ordfører, Horten (ny)",
        municipality=muns["Horten"],
        start=dt.date(2004, 1, 1),
    )

    def board(on):
        return [(s.label, s.voting) for s in selectors.board_on(on=on, cooperation=coop)]

    assert board(dt.date(2003, 2, 1)) == [
        ("Ordfører, Horten", True),
        ("Rådmann, Horten", True),
        ("Fylkesordfører", False),
        ("Fylkesmannen", False),
    ]
    assert ("Tillitsvalgt", False) in board(dt.date(2003, 6, 1))
    later = board(dt.date(2004, 6, 1))
    assert ("Ordfører, Horten (ny)", True) in later
    assert ("Ordfører, Horten", True) not in later
    assert selectors.board_periods(cooperation=coop) == [
        dt.date(2003, 1, 1),
        dt.date(2003, 3, 1),
        dt.date(2004, 1, 1),
    ]
    # every change is in the history, with who made it
    assert seat.history.count() == 2
    assert {h.history_user for h in seat.history.all()} == {secretariat_user}


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"role": Role.COUNTY_GOVERNOR, "voting": True}, "voting"),
        ({"role": Role.UNION_REPRESENTATIVE, "voting": True}, "voting"),
        ({"role": Role.MAYOR}, "municipality"),
        ({"role": Role.MAYOR, "municipality": "Larvik"}, "municipality"),
        ({"role": Role.MAYOR, "municipality": "Horten", "label": ""}, "label"),
    ],
)
def test_bad_board_seats_are_refused(coop, muns, secretariat_user, kwargs, field):
    from .factories import municipality

    kwargs = {"label": "Plass", "start": dt.date(2003, 1, 1), **kwargs}
    if isinstance(kwargs.get("municipality"), str):
        kwargs["municipality"] = municipality(kwargs["municipality"])
    with pytest.raises(ValidationError) as exc:
        services.board_seat_create(actor=secretariat_user, cooperation=coop, **kwargs)
    assert field in exc.value.message_dict
    assert not BoardSeat.objects.exists()


def test_only_the_secretariat_changes_the_board_meetings_and_cases(coop, board_user):
    with pytest.raises(PermissionDenied):
        services.board_seat_create(
            actor=board_user, cooperation=coop, role=Role.COUNTY_MAYOR, label="x"
        )
    with pytest.raises(PermissionDenied):
        services.meeting_create(actor=board_user, cooperation=coop, date=dt.date(2003, 1, 1))
    with pytest.raises(PermissionDenied):
        services.case_create(actor=board_user, cooperation=coop, number="1/2003", title="x")
    case = CaseFactory(cooperation=coop)
    with pytest.raises(PermissionDenied):
        services.case_document_add(
            actor=board_user, case=case, title="x", file=SimpleUploadedFile("a.pdf", b"%PDF")
        )
    assert not Meeting.objects.exists() and Case.objects.count() == 1


def test_meeting_case_and_documents_over_http(secretariat_client, coop, secretariat_user):
    """A meeting with date, place, agenda and minutes; a case with number, title, proposal,
    project, document and the board's decision: all entered on the pages."""
    from members.selectors import default_cooperation

    assert default_cooperation() == coop  # new meetings and cases go to it
    project = ProjectFactory(cooperation=coop, name="Havnevesen")
    secretariat_client.cookies["django_language"] = "en"
    response = secretariat_client.post(
        reverse("governance:meeting_new"),
        {"date": "2003-01-31", "place": "Tønsberg rådhus", "agenda": "Sak 1/2003 Havnevesen"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    meeting = Meeting.objects.get()
    assert (meeting.place, meeting.agenda) == ("Tønsberg rådhus", "Sak 1/2003 Havnevesen")
    response = secretariat_client.post(
        reverse("governance:meeting_edit", args=[meeting.pk]),
        {"date": "2003-01-31", "place": "Tønsberg rådhus", "minutes": "Styret vedtok sak 1."},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes == "Styret vedtok sak 1."
    assert meeting.history.count() == 2

    response = secretariat_client.post(
        reverse("governance:case_new"),
        {
            "number": "1/2003",
            "title": "Havnevesen",
            "meeting": meeting.pk,
            "proposal": "Tettere samarbeid mellom havnene.",
            "projects": [project.pk],
            "outcome": "adopted",
            "decision_text": "Styret oversender saken til kommunestyrene.",
        },
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert list(case.projects.all()) == [project]
    assert case.meeting == meeting and case.outcome == "adopted"
    # The same number twice is refused.
    response = secretariat_client.post(
        reverse("governance:case_new"), {"number": "1/2003", "title": "Dobbel"}
    )
    assert response.status_code == 400
    assert "Case 1/2003 already exists." in response.content.decode()
    assert Case.objects.count() == 1
    # An outcome without a decision text is refused with a message on the field.
    secretariat_client.cookies["django_language"] = "en"
    response = secretariat_client.post(
        reverse("governance:case_edit", args=[case.pk]),
        {"number": "1/2003", "title": "Havnevesen", "outcome": "rejected"},
    )
    assert response.status_code == 400
    assert "Write the board&#x27;s decision" in response.content.decode()
    case.refresh_from_db()
    assert case.outcome == "adopted"

    response = secretariat_client.post(
        reverse("governance:case_document_add", args=[case.pk]),
        {"title": "Arbeidsgruppens rapport", "file": SimpleUploadedFile("rapport.pdf", b"%PDF-1")},
    )
    assert response.status_code == 302
    document = CaseDocument.objects.get()
    response = secretariat_client.post(
        reverse("governance:case_document_add", args=[case.pk]),
        {"file": SimpleUploadedFile("virus.exe", b"MZ")},
    )
    assert response.status_code == 400
    assert "is not an accepted document (the content is EXECUTABLE)" in response.content.decode()
    assert CaseDocument.objects.count() == 1

    html = secretariat_client.get(reverse("governance:case", args=[case.pk])).content.decode()
    assert "Arbeidsgruppens rapport" in html
    assert reverse("governance:document", args=[document.pk]) in html
    html = secretariat_client.get(reverse("governance:meeting", args=[meeting.pk])).content.decode()
    assert "Styret vedtok sak 1." in html and "Tønsberg rådhus" in html and "Havnevesen" in html
    response = secretariat_client.get(reverse("governance:document", args=[document.pk]))
    assert b"".join(response.streaming_content) == b"%PDF-1"
    assert case.history.first().history_user.username == "sekretariat-test"


def test_documents_are_not_public_and_forms_need_the_secretariat(client, board_user, coop):
    case = CaseFactory(cooperation=coop)
    document = CaseDocument.objects.create(
        case=case, title="Rapport", file=SimpleUploadedFile("r.pdf", b"%PDF")
    )
    url = reverse("governance:document", args=[document.pk])
    assert client.get(url).status_code == 302  # to the sign-in page
    client.force_login(board_user)
    assert client.get(url).status_code == 200
    for name, args in [
        ("governance:meeting_new", []),
        ("governance:case_new", []),
        ("governance:case_edit", [case.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 403
        assert client.post(reverse(name, args=args), {"number": "9/2003"}).status_code == 403
    response = client.post(
        reverse("governance:case_document_add", args=[case.pk]),
        {"file": SimpleUploadedFile("b.pdf", b"%PDF")},
    )
    assert response.status_code == 403
    assert CaseDocument.objects.count() == 1 and Meeting.objects.count() == 0


def test_meeting_forms_show_for_the_secretariat(secretariat_client, coop):
    meeting = MeetingFactory(cooperation=coop)
    html = secretariat_client.get(reverse("governance:meeting", args=[meeting.pk])).content
    assert reverse("governance:meeting_edit", args=[meeting.pk]).encode() in html
    assert secretariat_client.get(reverse("governance:meeting_new")).status_code == 200
    assert secretariat_client.get(reverse("governance:case_new")).status_code == 200
