"""Demo data: the professional networks the sources name.

What the sources say, and only that:

- 001 (project overview 1998-2005, "Faglige nettverksgrupper") lists three network groups:
  IKT-ledere (2000 –, all member municipalities), Helse- og sosial (2004 –, all) and
  Overformynderi (2002 –, "14 kommuner og Fylkesmannen", the county governor is the
  network's secretary). The importer made them rows of the portfolio; here each becomes a
  network linked to its row (found by name), never a second project.
- 000 (presentation, 30.11.2010) counts nine professional networks in 12k but names none of
  them. Assumption: the six others are not invented; the count is noted in the description
  of each demo network, because a made-up name would read as fact.
- "Alle" in 001 is read as the cooperation's members on the network's start date. The 14
  municipalities of Overformynderi are not named (nine were members of 9k, so five were
  outside it): only the county governor is recorded as a member organisation, and the
  number is kept in the description.
- 12k Trainee and START (000) become training programmes linked to their portfolio rows;
  000 gives "6 trainees start in the autumn of 2010" (nurses and VA engineers) but no
  municipalities or hours, so the course records that as a note and no sessions.

Idempotent: a network, membership or programme that exists is left as it is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.files.base import ContentFile

from members.models import Cooperation, Organisation
from members.selectors import default_cooperation, member_municipalities_on
from networks import services
from networks.models import Document, Network, Programme
from projects.models import Project

NINE = (
    "000 (12k-presentasjonen, 30.11.2010) teller ni faglige nettverk i 12k uten å navngi dem; "
    "bare de tre som prosjektoversikten 001 nevner, er lagt inn."
)


@dataclass
class DemoNetwork:
    name: str
    field: str
    started: dt.date
    description: str
    source_row: str
    all_members: bool = True
    organisations: tuple[str, ...] = ()


NETWORKS = [
    DemoNetwork(
        name="IKT-ledere",
        field="IKT",
        started=dt.date(2000, 1, 1),
        description="Fortløpende harmonisering og fagutvikling. Foreslår nye samarbeidsområder "
        "og prosjekter.",
        source_row="IKT-ledere\t2000 –\tAlle\tOrganisert som nettverks-gruppe\tPågår fort- "
        "løpende\tFortløpende harmonisering og fagutvikling. Foreslår nye samarbeidsområder "
        "og prosjekter.",
    ),
    DemoNetwork(
        name="Helse- og sosial",
        field="Helse og sosial, pleie og omsorg",
        started=dt.date(2004, 1, 1),
        description="Særlig ansvar for oppfølging av KS effektiviseringsnettverk. Lære av "
        "hverandres gode løsninger. Foreslår nye samarbeidsområder og prosjekter.",
        source_row="Helse- og sosial\t2004-\tAlle\tOrganisert som nettverks-gruppe Faglig PLO- "
        "gruppe\tPågår fort- løpende\tSærlig ansvar for oppfølging av KS "
        "effektiviseringsnettverk. Lære av hverandres gode løsninger. Foreslår nye "
        "samarbeidsområder og prosjekter.",
    ),
    DemoNetwork(
        name="Overformynderi",
        field="Overformynderi (verjemål)",
        started=dt.date(2002, 1, 1),
        description="Tar opp felles kompetanseheving, felles maler og prosedyrer, felles "
        "opplæring. Fylkesmannen er sekretær for nettverket. 14 kommuner og Fylkesmannen "
        "deltar (001); hvilke 14 kommuner er ikke oppgitt, så bare Fylkesmannen er registrert "
        "som deltaker.",
        source_row="Overformynderi\t2002 –\t14 kommuner og Fylkesmannen\tFaglig forum "
        "opprettet\tPågår fort- løpende\tTar opp felles kompetanseheving, felles maler og "
        "prosedyrer, felles opplæring. FM sekretær for nettverket.",
        all_members=False,
        organisations=("Fylkesmannen i Vestfold",),
    ),
]


def load_demo(stdout=None) -> None:
    cooperation = default_cooperation()
    if cooperation is None:
        if stdout is not None:
            stdout.write("networks: no cooperation yet; no networks loaded.")
        return
    created = 0
    for demo in NETWORKS:
        created += _network(cooperation, demo)
    created += _programmes(cooperation)
    if stdout is not None:
        stdout.write(f"networks: {created} created ({len(NETWORKS)} networks; {NINE})")


def _network(cooperation: Cooperation, demo: DemoNetwork) -> int:
    if Network.objects.filter(cooperation=cooperation, name=demo.name).exists():
        return 0
    row = Project.objects.filter(
        cooperation=cooperation, name=demo.name, network__isnull=True
    ).first()
    network = services.network_create(
        actor=None,
        cooperation=cooperation,
        name=demo.name,
        fields={
            "field": demo.field,
            "started": demo.started,
            "project": row,
            "description": f"{demo.description}\n\n{NINE}",
        },
    )
    created = 1
    if demo.all_members:
        for municipality in member_municipalities_on(cooperation=cooperation, on=demo.started):
            services.membership_add(
                actor=None, network=network, municipality=municipality, start=demo.started
            )
            created += 1
    for name in demo.organisations:
        organisation = Organisation.objects.filter(name=name).first()
        if organisation is not None:
            services.membership_add(
                actor=None, network=network, organisation=organisation, start=demo.started
            )
            created += 1
    services.document_create(
        actor=None,
        network=network,
        title=f"{demo.name}: raden i prosjektoversikten 1998–2005",
        kind=Document.Kind.REPORT,
        visibility=Document.Visibility.MEMBERS,
        tags=["001", "prosjektoversikt"],
        upload=ContentFile(demo.source_row.encode(), name="001.txt"),
        change_note="Raden fra 001, ordrett.",
    )
    return created + 1


PROGRAMMES = [
    (
        "12k Trainee",
        "12k-trainee",
        "Sykepleiere og ingeniører innen vann og avløp (VA)",
        "Styrke rekrutteringen av sykepleiere og ingeniører (VA-teknologi) til kommunene (000).",
        (
            "Traineekull høsten 2010",
            dt.date(2010, 8, 1),
            "6 traineer starter høsten 2010 (000); kommunene og timetallet er ikke oppgitt.",
        ),
    ),
    (
        "Etablererprogrammet START",
        "etablererprogrammet-start",
        "Nye virksomheter og småbedrifter i omstilling",
        "Råd og hjelp så tidlig som mulig i etableringsfasen, utviklet og drevet i tett dialog "
        "med offentlig og kommersielt hjelpeapparat (000).",
        None,
    ),
]


def _programmes(cooperation: Cooperation) -> int:
    created = 0
    for name, project_slug, audience, description, course in PROGRAMMES:
        if Programme.objects.filter(cooperation=cooperation, name=name).exists():
            continue
        programme = services.programme_create(
            actor=None,
            cooperation=cooperation,
            name=name,
            audience=audience,
            description=description,
            project=Project.objects.filter(cooperation=cooperation, slug=project_slug).first(),
        )
        created += 1
        if course is not None:
            course_name, start, note = course
            services.course_add(
                actor=None, programme=programme, name=course_name, start=start, note=note
            )
            created += 1
    return created
