"""A small public world for the open-data tests, with private things marked by unique
strings that must never show on a public surface."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.files.base import ContentFile

from governance.models import BoardSeat, Case, CaseDocument, CouncilDecision, Meeting, Referral
from members.models import Cooperation, Municipality, Person, Position
from networks import services as network_services
from networks.models import Document, Network
from projects.models import (
    Deliverable,
    MoneyEntry,
    Participation,
    PhaseTransition,
    Project,
    SpinOff,
)
from projects.services import refresh_search_text
from tests.factories import OrganisationFactory
from tests.governance.factories import cooperation_with_members, nine

MARKERS = (
    "geheimprosjekt-7Q",
    "lukketsak-9X",
    "hemmeligdok-3K",
    "privat.person-5Z@example.org",
    "+47 912 34 567",
    "Ikke-Offentlig Person 4R",
    "medlemsdok-8M",
    "nettverksdok-2P",
    "Nettverksmedlem 6T",
    "koordinator.privat-1A@example.org",
    "+47 987 65 432",
)

NETWORK_MARKERS = MARKERS[6:]


def add_network(coop: Cooperation, first: Municipality, second: Municipality) -> Network:
    """A network with a coordinator (an office holder, named; contact details private), a
    member who is not an office holder, members over time, and documents of each visibility:
    only the public one may show."""
    coordinator = Person.objects.create(
        name="Koordinator Kristiansen", email=MARKERS[9], phone=MARKERS[10]
    )
    network = network_services.network_create(
        actor=None,
        cooperation=coop,
        name="IKT-ledere",
        fields={"field": "IKT", "coordinator": coordinator, "started": dt.date(2005, 1, 1)},
    )
    network_services.membership_add(
        actor=None,
        network=network,
        municipality=first,
        start=dt.date(2005, 1, 1),
        end=dt.date(2016, 12, 31),
    )
    network_services.membership_add(
        actor=None, network=network, municipality=second, start=dt.date(2005, 1, 1)
    )
    member = Person.objects.create(name=MARKERS[8], email="medlem@example.org", phone="33 11 22 33")
    network_services.member_add(actor=None, network=network, person=member, municipality=second)
    for title, visibility in (
        ("Veileder for skytjenester", "public"),
        (f"Notat {MARKERS[6]}", "members"),
        (f"Utkast {MARKERS[7]}", "network"),
    ):
        network_services.document_create(
            actor=None,
            network=network,
            title=title,
            kind=Document.Kind.TOOLBOX,
            visibility=visibility,
            upload=ContentFile(f"{title} innhold".encode(), name="dok.txt"),
            change_note="Første utgave",
        )
    return network


@dataclass
class World:
    cooperation: Cooperation
    members: dict[str, Municipality]
    public_project: Project
    private_project: Project
    public_case: Case
    private_case: Case
    referral: Referral
    decision: CouncilDecision
    network: Network | None = None


def build_world() -> World:
    members = nine()
    coop = cooperation_with_members(members)
    tonsberg, horten = members["Tønsberg"], members["Horten"]
    mayor = Person.objects.create(
        name="Ordfører Olsen", email=MARKERS[3], phone=MARKERS[4], contact_public=False
    )
    BoardSeat.objects.create(
        cooperation=coop,
        person=mayor,
        municipality=tonsberg,
        role=BoardSeat.Role.MAYOR,
        start=dt.date(2000, 1, 1),
    )
    leader = Person.objects.create(name=MARKERS[5], email="leder@example.org", phone="33 33 33 33")
    Position.objects.create(person=leader, role=Position.Role.CASE_OFFICER, cooperation=coop)
    org = OrganisationFactory(name="Vestfold fylkeskommune")
    public = Project.objects.create(
        cooperation=coop,
        name="Felles legevakt",
        slug="felles-legevakt",
        category=Project.Category.OPERATIONS,
        phase=Project.Phase.IN_OPERATION,
        status=Project.Status.IN_OPERATION,
        start_date=dt.date(2001, 1, 1),
        host_municipality=tonsberg,
        project_leader=leader,
        comments=f"intern merknad {MARKERS[5]}",
        description="Legevakt for hele regionen.",
    )
    refresh_search_text(public)
    Participation.objects.create(project=public, municipality=horten)
    Participation.objects.create(project=public, organisation=org, role="partner")
    MoneyEntry.objects.create(project=public, kind="grant", amount_nok=250000, funder=org)
    Deliverable.objects.create(project=public, title="Sluttrapport", due_date=dt.date(2002, 1, 1))
    SpinOff.objects.create(project=public, kind="host_municipality", host_municipality=tonsberg)
    PhaseTransition.objects.create(project=public, phase="in_operation", date=dt.date(2002, 6, 1))
    private = Project.objects.create(
        cooperation=coop,
        name=f"Prosjekt {MARKERS[0]}",
        slug="skjult",
        category=Project.Category.PLANNING,
        is_public=False,
        phase=Project.Phase.STUDY,
    )
    PhaseTransition.objects.create(project=private, phase="study", date=dt.date(2003, 1, 1))
    meeting = Meeting.objects.create(cooperation=coop, date=dt.date(2003, 5, 1))
    case = Case.objects.create(
        cooperation=coop,
        meeting=meeting,
        number="12/2003",
        title="Felles legevakt",
        decision_text="Styret anbefaler legevakt.",
        outcome=Case.Outcome.ADOPTED,
    )
    case.projects.add(public, private)
    CaseDocument.objects.create(
        case=case, title=f"Notat {MARKERS[2]}", file=ContentFile(b"x", name="n.pdf")
    )
    CaseDocument.objects.create(
        case=case, title="Utredning", file=ContentFile(b"x", name="u.pdf"), is_public=True
    )
    hidden = Case.objects.create(
        cooperation=coop,
        meeting=meeting,
        number="13/2003",
        title=f"Sak {MARKERS[1]}",
        decision_text=MARKERS[1],
        outcome=Case.Outcome.ADOPTED,
        is_public=False,
    )
    referral = Referral.objects.create(case=case, referred_on=dt.date(2003, 5, 2))
    decision = None
    for name in ("Tønsberg", "Horten", "Stokke"):
        d = CouncilDecision.objects.create(referral=referral, municipality=members[name])
        decision = decision or d
    hidden_referral = Referral.objects.create(case=hidden, referred_on=dt.date(2003, 5, 2))
    CouncilDecision.objects.create(
        referral=hidden_referral,
        municipality=tonsberg,
        outcome="adopted",
        date=dt.date(2003, 6, 1),
        decision_text=MARKERS[1],
    )
    assert decision is not None
    network = add_network(coop, members["Stokke"], tonsberg)
    return World(coop, members, public, private, case, hidden, referral, decision, network)
