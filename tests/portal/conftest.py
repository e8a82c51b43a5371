"""A small public world for the portal tests: public and internal projects, cases and
documents, a person with phone and e-mail, council decisions with a condition. The internal
things carry marker strings that must never appear on a public page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile

from governance import services as gov
from governance.models import Case, CaseDocument, Condition, CouncilDecision
from governance.services import ConditionSpec
from members.models import Cooperation, Municipality, Person
from members.selectors import municipality_on
from projects.models import Deliverable, MoneyEntry, Participation, PhaseTransition, Project
from projects.services import rebuild_search_text
from samarbeid.common import permissions
from tests.conftest import load_registry
from tests.factories import OrganisationFactory, PersonFactory
from tests.governance.factories import (
    CaseFactory,
    MeetingFactory,
    ProjectFactory,
    cooperation_with_members,
    nine,
)
from tests.portal.api.factories import add_network

MARKERS = {
    "internal project": "HEMMELIGPROSJEKTX",
    "internal case": "HEMMELIGSAKX",
    "internal document": "HEMMELIGDOKX",
    "document of internal case": "SKJULTSAKDOKX",
    "person name": "Kari Personmarkør",
    "e-mail": "kari.marker@example.org",
    "phone": "+47 912 34 567",
    "phone digits": "91234567",
    "internal organisation": "Hemmeligorg AS",
    "internal tag": "hemmeligtagg",
    "decision recorder": "registrator-marker",
    "members-only network document": "medlemsdok-8M",
    "network-only document": "nettverksdok-2P",
    "network member (not an office holder)": "Nettverksmedlem 6T",
    "coordinator's e-mail": "koordinator.privat-1A@example.org",
    "coordinator's phone": "+47 987 65 432",
    "withheld commenter's name": "Skjult Innsendermarkør",
    "commenter's e-mail": "innsender.marker@example.org",
    "held-back comment": "TILBAKEHOLDTX",
    "unconfirmed comment": "UBEKREFTETX",
}


def _hearing_with_comments() -> None:
    """An open hearing with a published comment whose writer withheld the name, one with
    the name shown, one held back and one never confirmed (all with e-mail addresses)."""
    from tests.hearings.factories import open_hearing

    with pytest.MonkeyPatch.context() as patch:  # mails go at once (no commit in a test)
        patch.setattr("hearings.mail.transaction.on_commit", lambda func, **kw: func())
        _comment_on(open_hearing(title="Kommuneplan for portalprøven"))


def _comment_on(hearing) -> None:
    from hearings import services as hearing_services
    from tests.hearings.factories import submit, token_from_mail

    comments = [
        (MARKERS["withheld commenter's name"], False, "Jeg ønsker ikke navnet vist.", "publish"),
        ("Synlig Innsender", True, "Veien bør gå lenger øst.", "publish"),
        ("Tredje Innsender", True, MARKERS["held-back comment"], "hold"),
    ]
    for name, show, text, action in comments:
        comment = submit(
            hearing, name=name, show_name=show, text=text, email=MARKERS["commenter's e-mail"]
        )
        hearing_services.comment_confirm(token=token_from_mail())
        comment.refresh_from_db()
        if action == "publish":
            hearing_services.comment_publish(actor=None, comment=comment)
        else:
            hearing_services.comment_hold_back(
                actor=None, comment=comment, reason="Personopplysninger."
            )
    submit(hearing, name="Fjerde", text=MARKERS["unconfirmed comment"], email="x@example.org")


@dataclass
class World:
    cooperation: Cooperation
    re: Municipality
    tonsberg: Municipality
    public: Project
    hosted: Project
    internal: Project
    case: Case
    internal_case: Case
    public_doc: CaseDocument
    internal_doc: CaseDocument
    doc_of_internal_case: CaseDocument
    person: Person


def _doc(case: Case, title: str, *, public: bool) -> CaseDocument:
    return gov.case_document_add(
        actor=None,
        case=case,
        title=title,
        file=ContentFile(b"%PDF-1.4\n% test\n", name="dokument.pdf"),
        is_public=public,
    )


@pytest.fixture
def world(db, settings, tmp_path, django_user_model) -> World:
    settings.MEDIA_ROOT = tmp_path / "media"
    if not Municipality.objects.filter(number="3905").exists():  # flushed by a live server
        load_registry()
    members = nine()
    coop = cooperation_with_members(members)
    re, tonsberg = members["Re"], members["Tønsberg"]
    person = PersonFactory(
        name=MARKERS["person name"], email=MARKERS["e-mail"], phone=MARKERS["phone"]
    )
    secret_org = OrganisationFactory(name=MARKERS["internal organisation"])
    public = ProjectFactory(
        cooperation=coop,
        name="Felles innkjøp",
        slug="felles-innkjop",
        phase=Project.Phase.IN_OPERATION,
        start_date=dt.date(2003, 1, 1),
        project_leader=person,
        description="Kommunene kjøper inn sammen.",
    )
    Participation.objects.create(project=public, municipality=re)
    Participation.objects.create(project=public, municipality=tonsberg)
    MoneyEntry.objects.create(project=public, kind=MoneyEntry.Kind.GRANT, amount_nok=250000)
    PhaseTransition.objects.create(
        project=public, phase=Project.Phase.STUDY, date=dt.date(2003, 1, 1)
    )
    Deliverable.objects.create(
        project=public, title="Sluttrapport innkjøp", due_date=dt.date(2004, 6, 1)
    )
    hosted = ProjectFactory(
        cooperation=coop,
        name="Geodata Vestfold",
        slug="geodata",
        phase=Project.Phase.STUDY,
        host_municipality=tonsberg,
    )
    internal = ProjectFactory(
        cooperation=coop,
        name=MARKERS["internal project"],
        slug="intern",
        phase=Project.Phase.IN_OPERATION,
        is_public=False,
        host_municipality=re,
    )
    Participation.objects.create(project=internal, municipality=re)
    Participation.objects.create(project=internal, organisation=secret_org)
    internal.tags.create(name=MARKERS["internal tag"], slug=MARKERS["internal tag"])

    meeting = MeetingFactory(cooperation=coop, date=dt.date(2003, 5, 1))
    case = CaseFactory(
        cooperation=coop,
        meeting=meeting,
        number="7/2003",
        title="Felles innkjøpsordning",
        decision_text="Styret anbefaler ordningen.",
    )
    case.projects.add(public, internal)
    internal_case = CaseFactory(
        cooperation=coop,
        meeting=meeting,
        number="8/2003",
        title=MARKERS["internal case"],
        is_public=False,
    )
    rebuild_search_text()
    recorder = django_user_model.objects.create_user(
        username=MARKERS["decision recorder"], email="rec@example.org"
    )
    recorder.groups.add(Group.objects.get_or_create(name=permissions.SECRETARIAT)[0])
    referral = gov.referral_create(
        actor=None,
        case=case,
        referred_on=dt.date(2003, 5, 10),
        deadline=dt.date(2003, 9, 1),
        municipalities=[re, tonsberg],
    )
    decisions = {d.municipality_id: d for d in referral.decisions.all()}
    gov.council_decision_record(
        actor=recorder,
        decision=decisions[re.pk],
        outcome=CouncilDecision.Outcome.ADOPTED_WITH_CONDITIONS,
        date=dt.date(2003, 6, 1),
        conditions_text="Bare om Tønsberg blir med.",
        conditions=[ConditionSpec(Condition.Kind.REQUIRES, [tonsberg])],
    )
    add_network(coop, re, tonsberg)
    internal_ref = gov.referral_create(
        actor=None, case=internal_case, referred_on=dt.date(2003, 5, 10), municipalities=[re]
    )
    assert internal_ref.pk
    return World(
        cooperation=coop,
        re=re,
        tonsberg=tonsberg,
        public=public,
        hosted=hosted,
        internal=internal,
        case=case,
        internal_case=internal_case,
        public_doc=_doc(case, "Saksframlegg innkjøp", public=True),
        internal_doc=_doc(case, MARKERS["internal document"], public=False),
        doc_of_internal_case=_doc(internal_case, MARKERS["document of internal case"], public=True),
        person=person,
    )


@pytest.fixture
def hearing_with_comments(world) -> None:
    """An open hearing of Tønsberg (3905) with comments (see `_hearing_with_comments`)."""
    _hearing_with_comments()


@pytest.fixture
def today_municipality(world):
    """Tønsberg as it is today (3905), the successor of Re and the old Tønsberg."""
    return municipality_on("Tønsberg", dt.date.today())
