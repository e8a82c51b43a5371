"""Demo data: the 12k projects named in the cooperation's English presentation (000, dated
30.11.2010). Only what the document says is recorded: descriptions are its own words put into
Norwegian (the English original is kept verbatim as the source text), periods
are left unknown unless it gives one, and "8 municipalities" stays an unresolved mention
rather than a guess at which eight. The 9k projects of 1998-2005 come from the importer.

Idempotent: a project whose slug already exists in the cooperation is left as it is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext_noop

from members import selectors as member_selectors
from members.models import Cooperation, Organisation
from projects import services
from projects.models import (
    Participation,
    PhaseTransition,
    Precision,
    Project,
    ProjectLink,
    SpinOff,
)

SOURCE = "000 – 12k presentation, 30.11.2010"
PRESENTED_ON = dt.date(2010, 11, 30)  # the last record of these projects
MEMBERS_ON = dt.date(2010, 6, 1)
ALL_MEMBERS = "alle de 12 medlemskommunene"


@dataclass
class DemoProject:
    slug: str
    name: str
    category: str
    source: str
    description: str
    short_name: str = ""
    phase: str = Project.Phase.CLOSED
    status: str = ""
    start: dt.date | None = None
    open_ended: bool = False
    tags: list[str] = field(default_factory=list)
    all_members: bool = True
    partners: list[str] = field(default_factory=list)
    participants_text: str = ALL_MEMBERS
    unresolved: list[tuple[str, str, str]] = field(default_factory=list)
    spin_off: dict | None = None


PROJECTS = [
    DemoProject(
        slug="bredband",
        name="Bredbånd",
        category=Project.Category.OPERATIONS,
        source=(
            "Broadband: Built fiber to schools, town halls and public buildings. The first "
            "phase of the planning and development conducted in the 12k-directing. Operation "
            "and further development transferred to GigaFib AS. Radio frequency broadband to "
            "areas that lack or have poor coverage"
        ),
        description=(
            "Bygde fiber til skoler, rådhus og offentlige bygg; første fase av planlegging og "
            "utbygging ble styrt av 12k. Drift og videre utvikling overført til GigaFib AS. "
            "Radiobasert bredbånd til områder som mangler eller har dårlig dekning."
        ),
        phase=Project.Phase.IN_OPERATION,
        status=Project.Status.IN_OPERATION,
        tags=["Bredbånd", "IKT"],
        spin_off={
            "kind": SpinOff.Kind.LIMITED_COMPANY,
            "organisation": "GigaFib AS",
            "name": "GigaFib AS",
            "date": dt.date(2004, 1, 1),
            "description": "Drift og videre utbygging av fibernettet.",
        },
    ),
    DemoProject(
        slug="geodatasamarbeid",
        name="Geodatasamarbeid",
        category=Project.Category.PLANNING,
        source="Geodata Collaboration: Implemented a common map portal for 8 municipalities",
        description="Innførte en felles kartportal for 8 kommuner.",
        phase=Project.Phase.IN_OPERATION,
        tags=["Geodata", "IKT"],
        all_members=False,
        participants_text="8 municipalities",
        unresolved=[
            (
                "participants",
                "8 municipalities",
                "The presentation does not say which eight of the members took part.",
            )
        ],
    ),
    DemoProject(
        slug="lokale-nettsider",
        name="Lokale nettsider",
        category=Project.Category.OPERATIONS,
        source="Local websites: Developed a common structure for local government websites.",
        description="Utviklet en felles struktur for kommunenes nettsider.",
        tags=["IKT"],
    ),
    DemoProject(
        slug="lederverktoy",
        name="Lederverktøy",
        category=Project.Category.OPERATIONS,
        source=(
            'Executive work tools: Made in the community "toolboxes", templates and training '
            "programs in various disciplines."
        ),
        description=("Laget felles «verktøykasser», maler og opplæringsprogrammer i ulike fag."),
        tags=["Ledelse", "Kompetanse"],
    ),
    DemoProject(
        slug="nettjeneste",
        name="Nettjeneste",
        category=Project.Category.OPERATIONS,
        source=(
            "Web Service: Built a new solution for data traffic (data, IP telephony, and video) "
            "based on fiber optic technology to add more conducive to inter-municipal "
            "cooperation. Gigafib AS is responsible for practical implementation."
        ),
        description=(
            "Bygde en ny løsning for datatrafikk (data, IP-telefoni og video) på fiber, til "
            "støtte for interkommunalt samarbeid. GigaFib AS står for den praktiske "
            "gjennomføringen."
        ),
        phase=Project.Phase.IN_OPERATION,
        status=Project.Status.IN_OPERATION,
        tags=["Bredbånd", "IKT"],
        spin_off={
            "kind": SpinOff.Kind.LIMITED_COMPANY,
            "organisation": "GigaFib AS",
            "name": "GigaFib AS",
            "date": None,
            "description": "Står for den praktiske gjennomføringen.",
        },
    ),
    DemoProject(
        slug="trygghetsnett",
        name="Trygghetsnett",
        category=Project.Category.OPERATIONS,
        source=(
            "Safety Net: A service designed to strengthen family members living at home with "
            "ample assistance needs through the use of ICT and social and digital networks."
        ),
        description=(
            "En tjeneste som styrker hjemmeboende med store hjelpebehov og deres pårørende, "
            "gjennom IKT og sosiale og digitale nettverk."
        ),
        tags=["Helse og omsorg", "IKT"],
    ),
    DemoProject(
        slug="biogass-i-vestfold",
        name="Biogass i Vestfold",
        category=Project.Category.PLANNING,
        source=(
            "Biogas in Vestfold: Explore whether there is potential for a larger biogas plant "
            "in Vestfold."
        ),
        description="Utredet om det er grunnlag for et større biogassanlegg i Vestfold.",
        tags=["Miljø", "Energi"],
    ),
    DemoProject(
        slug="helsesamarbeid",
        name="Helsesamarbeid",
        category=Project.Category.OPERATIONS,
        source=(
            "Health Cooperation: 12k in collaboration with the Hospital of Vestfold and "
            "Psychiatry of Vestfold created a model for interaction of Vestfold to meet the "
            "need for more continuity and systematic interaction."
        ),
        description=(
            "12k laget sammen med Sykehuset i Vestfold og Psykiatrien i Vestfold en modell for "
            "samhandling i Vestfold, for å møte behovet for mer kontinuitet og systematisk "
            "samhandling."
        ),
        tags=["Helse og omsorg"],
        partners=["Sykehuset i Vestfold", "Psykiatrien i Vestfold"],
        participants_text=f"{ALL_MEMBERS}, Sykehuset i Vestfold, Psykiatrien i Vestfold",
    ),
    DemoProject(
        slug="12k-trainee",
        name="12k Trainee",
        category=Project.Category.OPERATIONS,
        source=(
            '"12k Trainee": To strengthen the recruitment of nurses and engineers '
            "(VA-technology) to the municipalities. 6 trainees start in the autumn of 2010."
        ),
        description=(
            "Styrker rekrutteringen av sykepleiere og ingeniører (vann og avløp) til "
            "kommunene. 6 traineer starter høsten 2010."
        ),
        phase=Project.Phase.IN_OPERATION,
        start=dt.date(2010, 1, 1),
        open_ended=True,
        tags=["Rekruttering", "Kompetanse"],
    ),
    DemoProject(
        slug="digital-dialog",
        name="Digital dialog",
        category=Project.Category.PLANNING,
        source=(
            "Digital dialogue: 12k has developed a solution that allows for transparency and "
            "participation in local government planning legal processes through local "
            "government websites."
        ),
        description=(
            "En løsning for åpenhet og medvirkning i kommunenes lovpålagte planprosesser "
            "gjennom kommunenes nettsider."
        ),
        phase=Project.Phase.IN_OPERATION,
        tags=["Plan", "IKT"],
    ),
    DemoProject(
        slug="etablererprogrammet-start",
        name="Etablererprogrammet START",
        short_name="START",
        category=Project.Category.PLANNING,
        source=(
            "Establishing program START: START to receive more enterprises and small "
            "businesses in transition to succeed. Good ideas should not be lost in that it "
            "provided advice and assistance as early as possible in the establishment phase. "
            "START developed and operated in close dialogue with government and commercial "
            "help."
        ),
        description=(
            "Hjelper flere nyetablerere og småbedrifter i omstilling til å lykkes: råd og "
            "hjelp så tidlig som mulig i etableringsfasen, så gode ideer ikke går tapt. "
            "Utviklet og drevet i tett dialog med offentlig og kommersielt støtteapparat."
        ),
        phase=Project.Phase.IN_OPERATION,
        tags=["Næring"],
    ),
]


# Links between projects that the overview (001) and the presentation (000) state or imply,
# each with the words that justify it. (source slug, target slug, kind, note)
LINKS = [
    (
        "vekst-og-bosettingsmonster-2-rullering",
        "regionalt-samarbeid-om-vekst-bosettingsmonster-vekst-og-bo-1",
        ProjectLink.Kind.CONTINUES,
        "Rullering av Vekst og bo 1 (001).",
    ),
    (
        "felles-naeringspolitikk-i-praksis",
        "felles-naeringspolitikk",
        ProjectLink.Kind.FOLLOWS_UP,
        "«Flere tiltak foreslått og fulgt opp … oppstart av prosjektet "
        "Felles næringspolitikk i praksis» (001).",
    ),
    (
        "geodata-ny-teknologisk-plattform",
        "geodata",
        ProjectLink.Kind.FOLLOWS_UP,
        "«Videreutvikling pågår» (001, Geodata).",
    ),
    (
        "geodata-naeringsarealer-pa-nett",
        "geodata",
        ProjectLink.Kind.FOLLOWS_UP,
        "",
    ),
    (
        "geodatasamarbeid",
        "geodata-ny-teknologisk-plattform",
        ProjectLink.Kind.CONTINUES,
        "The common map portal of the 12k presentation (000).",
    ),
    (
        "fiberskoleprosjektet",
        "offentlig-eid-bredband",
        ProjectLink.Kind.PART_OF,
        "«Oppstart av bredbåndsutbygging i 9k» (001).",
    ),
    (
        "etablering-bredbandsselskap",
        "offentlig-eid-bredband",
        ProjectLink.Kind.PART_OF,
        "Opprettet GigaFib AS (001).",
    ),
    (
        "sentralisert-drift-av-fiberskoler-solid",
        "fiberskoleprosjektet",
        ProjectLink.Kind.FOLLOWS_UP,
        "",
    ),
    (
        "bredband-i-klasserommet",
        "offentlig-eid-bredband",
        ProjectLink.Kind.FOLLOWS_UP,
        "For «fiberkommunene» (001).",
    ),
    (
        "bredband",
        "offentlig-eid-bredband",
        ProjectLink.Kind.CONTINUES,
        "The 12k presentation's summary of the broadband work (000).",
    ),
]

# Dated phase transitions the overview's own words give. (slug, phase, date, precision, note)
TRANSITIONS = [
    ("regionalt-samarbeid-om-vekst-bosettingsmonster-vekst-og-bo-1", "study", "1998", ""),
    (
        "regionalt-samarbeid-om-vekst-bosettingsmonster-vekst-og-bo-1",
        "joint_report",
        "1999",
        "Sluttrapport levert.",
    ),
    ("regionalt-samarbeid-om-vekst-bosettingsmonster-vekst-og-bo-1", "closed", "1999", ""),
    ("fiberskoleprosjektet", "establishment", "2001", "Forsøk med fiber til 6 skoler."),
    ("fiberskoleprosjektet", "in_operation", "2002", ""),
    ("offentlig-eid-bredband", "establishment", "2001", "Utbygging 2001–03."),
    ("offentlig-eid-bredband", "in_operation", "2004", "Drift overført til GigaFib AS."),
    ("etablering-bredbandsselskap", "study", "2003", "Utredning om selskapsstruktur."),
    ("etablering-bredbandsselskap", "establishment", "2004", "GigaFib AS opprettet."),
    ("etablering-bredbandsselskap", "in_operation", "2004", ""),
    ("naeringsarealer-1", "study", "2004", ""),
    ("naeringsarealer-1", "joint_report", "02.2004", "«Rapport febr 2004»."),
    ("naeringsarealer-1", "closed", "2004", "Videreføres i (2)."),
    ("naeringsarealer-2", "study", "2004", ""),
    ("naeringsarealer-2", "joint_report", "03.2005", "«Rapport levert i mars 2005»."),
    ("naeringsarealer-2", "council_treatment", "2005", "«Til behandling i kommunene»."),
    ("12k-trainee", "in_operation", "2010", "6 traineer starter høsten 2010 (000)."),
]


def _point(text: str) -> tuple[dt.date, str]:
    if "." in text:
        month, year = text.split(".")
        return dt.date(int(year), int(month), 1), Precision.MONTH
    return dt.date(int(text), 1, 1), Precision.YEAR


def _links_and_transitions(cooperation: Cooperation) -> tuple[int, int]:
    """Add the demo links and dated transitions that are not there yet (idempotent); rows for
    projects that are missing (e.g. the importer did not run) are skipped."""
    slugs = {s for link in LINKS for s in link[:2]} | {t[0] for t in TRANSITIONS}
    projects = {p.slug: p for p in Project.objects.filter(cooperation=cooperation, slug__in=slugs)}
    links = transitions = 0
    for source, target, kind, note in LINKS:
        if source not in projects or target not in projects:
            continue
        if ProjectLink.objects.filter(
            source=projects[source], target=projects[target], kind=kind
        ).exists():
            continue
        services.project_link_add(
            actor=None, source=projects[source], target=projects[target], kind=kind, note=note
        )
        links += 1
    for slug, phase, when, note in TRANSITIONS:
        if slug not in projects:
            continue
        date, precision = _point(when)
        if PhaseTransition.objects.filter(project=projects[slug], phase=phase).exists():
            continue
        services.phase_transition_add(
            actor=None,
            project=projects[slug],
            phase=phase,
            date=date,
            precision=precision,
            note=note,
        )
        transitions += 1
    return links, transitions


def _organisation(name: str) -> Organisation | None:
    try:
        return member_selectors.organisation_by_name(name)
    except member_selectors.UnknownOrganisation:
        return None


def _create(cooperation: Cooperation, spec: DemoProject, members: list) -> bool:
    if Project.objects.filter(cooperation=cooperation, slug=spec.slug).exists():
        return False
    fields = {
        "description": spec.description,
        "short_name": spec.short_name,
        "phase": spec.phase,
        "status": spec.status,
        "result": Project.Result.COMPLETED,
        "comments": "Nevnt blant de om lag 70 prosjektene 12k har gjennomført (000).",
        "participants_text": spec.participants_text,
        "start_date": spec.start,
        "open_ended": spec.open_ended,
    }
    project = services.project_create(
        actor=None,
        cooperation=cooperation,
        name=spec.name,
        category=spec.category,
        slug=spec.slug,
        fields=fields,
        tags=spec.tags,
        source_text={SOURCE: spec.source},
        reason=gettext_noop("demo data from the 12k presentation"),
    )
    if spec.all_members:
        for municipality in members:
            services.participation_add(
                actor=None,
                project=project,
                municipality=municipality,
                note=f"{ALL_MEMBERS} per {MEMBERS_ON:%d.%m.%Y}",
            )
    for name in spec.partners:
        organisation = _organisation(name)
        if organisation is None:
            services.unresolved_mention_add(
                actor=None, project=project, column="participants", text=name
            )
        else:
            services.participation_add(
                actor=None,
                project=project,
                organisation=organisation,
                role=Participation.Role.PARTNER,
            )
    for column, text, note in spec.unresolved:
        services.unresolved_mention_add(
            actor=None, project=project, column=column, text=text, note=note
        )
    if spec.spin_off:
        data = dict(spec.spin_off)
        organisation = _organisation(data.pop("organisation"))
        services.spin_off_add(
            actor=None,
            project=project,
            organisation=organisation,
            source_text=spec.source,
            **data,
        )
    return True


@transaction.atomic
def load_demo(stdout=None) -> None:
    cooperation = member_selectors.default_cooperation()
    if cooperation is None:
        if stdout:
            stdout.write("projects: no cooperation yet, nothing loaded")
        return
    members = [
        m.municipality for m in member_selectors.members_on(cooperation=cooperation, on=MEMBERS_ON)
    ]
    created = sum(_create(cooperation, spec, members) for spec in PROJECTS)
    for project in Project.objects.filter(
        cooperation=cooperation,
        slug__in=[spec.slug for spec in PROJECTS],
        last_recorded_on__isnull=True,
    ):
        services.project_last_recorded_set(
            actor=None, project=project, on=PRESENTED_ON, precision=Precision.DAY
        )
    links, transitions = _links_and_transitions(cooperation)
    refreshed = services.rebuild_search_text(
        Project.objects.filter(cooperation=cooperation, search_text="")
    )
    if stdout:
        stdout.write(
            f"projects: {created} created, {len(PROJECTS) - created} already there, "
            f"{len(members)} members on {MEMBERS_ON.isoformat()}, "
            f"{links} links and {transitions} dated phase transitions added, "
            f"search text refreshed for {refreshed}"
        )
