import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile

from networks import selectors, services
from networks.models import Document, DocumentVersion, NetworkMembership
from projects.models import Project
from tests.factories import OrganisationFactory
from tests.networks.factories import make_document
from tests.projects.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


def test_membership_needs_one_party_and_an_ordered_period(network):
    with pytest.raises(ValidationError) as error:
        services.membership_add(actor=None, network=network)
    assert "municipality" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.membership_add(
            actor=None,
            network=network,
            organisation=OrganisationFactory(),
            start=dt.date(2003, 1, 1),
            end=dt.date(2002, 1, 1),
        )
    assert "end" in error.value.message_dict
    assert not NetworkMembership.objects.exists()


def test_coordinator_edits_and_history_says_who(network, coordinator_user):
    services.network_update(actor=coordinator_user, network=network, changes={"field": "Verjemål"})
    last = network.history.first()
    assert last.history_user == coordinator_user
    assert last.history_change_reason == "network edited"


def test_coordinator_cannot_name_another_coordinator(network, coordinator_user):
    with pytest.raises(PermissionDenied):
        services.network_update(
            actor=coordinator_user, network=network, changes={"coordinator": None}
        )


def test_member_uploads_but_does_not_edit(network, member_user):
    document = services.document_create(
        actor=member_user,
        network=network,
        title="Sjekkliste",
        kind=Document.Kind.CASE_TEMPLATE,
        upload=ContentFile(b"Sjekkliste for verjemal", name="a.txt"),
    )
    assert document.versions.get().uploaded_by == member_user
    with pytest.raises(PermissionDenied):
        services.document_update(actor=member_user, document=document, changes={"title": "x"})
    with pytest.raises(PermissionDenied):
        services.meeting_create(actor=member_user, network=network, date=dt.date(2024, 1, 1))


def test_a_file_whose_text_cannot_be_read_is_kept_and_marked(network):
    document = services.document_create(
        actor=None,
        network=network,
        title="Skannet",
        kind=Document.Kind.REPORT,
        upload=ContentFile(b"%PDF-1.4 not really a pdf", name="s.pdf"),
    )
    version = document.versions.get()
    assert version.text_status == DocumentVersion.TextStatus.UNREADABLE
    assert version.file.name.endswith(".pdf")


def test_a_refused_file_writes_nothing(network):
    with pytest.raises(ValidationError) as error:
        services.document_create(
            actor=None,
            network=network,
            title="Farlig",
            kind=Document.Kind.TEMPLATE,
            upload=ContentFile(b"<html><script>alert(1)</script>", name="a.pdf"),
        )
    assert "file" in error.value.message_dict
    assert not Document.objects.exists()


def test_size_limit_is_a_setting(network, settings):
    settings.UPLOAD_MAX_DOCUMENT_BYTES = 10
    with pytest.raises(ValidationError, match=r"mal\.txt"):
        make_document(network, text="mer enn ti bytes her")


def test_search_folds_norwegian_letters_and_ranks(network):
    make_document(network, title="Bredbånd i skolen", text="Fiber til skolene")
    make_document(network, title="Annet", text="Noe om bredband og bredband igjen")
    make_document(network, title="Urelatert", text="ingenting")
    for query in ("bredbånd", "Bredband", "bredbaand"):
        result = selectors.library_search(user=None, query=query)
        assert {h.document.title for h in result.hits} == {"Bredbånd i skolen", "Annet"}
    hit = selectors.library_search(user=None, query="fiber").hits[0]
    assert "<mark>Fiber</mark>" in hit.passage


def test_a_new_version_replaces_the_searched_text(network):
    document = make_document(network, title="Rutine", text="gammel ordlyd")
    services.document_version_add(
        actor=None, document=document, upload=ContentFile(b"ny ordlyd", name="b.txt")
    )
    assert not selectors.library_search(user=None, query="gammel").hits
    assert selectors.library_search(user=None, query="ny ordlyd").hits
    assert list(document.versions.values_list("number", flat=True)) == [2, 1]


def test_proposal_becomes_an_idea_linked_back(network, coordinator_user):
    proposal = services.proposal_create(
        actor=coordinator_user,
        network=network,
        name="Felles verjemålsportal",
        description="Ett sted for alle",
        proposed_on=dt.date(2024, 3, 1),
    )
    assert proposal.project.phase == Project.Phase.IDEA
    assert proposal.project.proposed_by == proposal
    assert selectors.proposals(network)[0].proposal == proposal


def test_competence_summary_per_municipality_and_year(network):
    programme = services.programme_create(
        actor=None, cooperation=network.cooperation, name="Trainee"
    )
    course = services.course_add(actor=None, programme=programme, name="Kull 2010")
    a, b = MunicipalityFactory(name="Aby"), MunicipalityFactory(name="Bby")
    services.session_add(
        actor=None, course=course, date=dt.date(2010, 9, 1), hours=6, attendance={a: 2, b: 1}
    )
    services.session_add(
        actor=None, course=course, date=dt.date(2011, 2, 1), hours=3, attendance={a: 2}
    )
    rows = selectors.competence_summary(programme=programme)
    assert [(r.year, r.municipality, r.participants, r.participant_hours) for r in rows] == [
        (2010, "Aby", 2, 12),
        (2010, "Bby", 1, 6),
        (2011, "Aby", 2, 6),
    ]
    with pytest.raises(ValidationError):
        services.session_add(actor=None, course=course, date=dt.date(2011, 3, 1), hours=0)
