"""Demo data: the 12k projects named in the cooperation's English presentation (000, dated
30.11.2010). Only what the document says is recorded: descriptions are its own words, periods
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
from projects.models import Participation, Project, SpinOff

SOURCE = "000 – 12k presentation, 30.11.2010"
MEMBERS_ON = dt.date(2010, 6, 1)
ALL_MEMBERS = "all 12 members"


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
            "Built fibre to schools, town halls and public buildings; the first phase of "
            "planning and development was directed by 12k. Operation and further development "
            "transferred to GigaFib AS. Radio frequency broadband to areas that lack or have "
            "poor coverage."
        ),
        phase=Project.Phase.IN_OPERATION,
        status=Project.Status.IN_OPERATION,
        tags=["Bredbånd", "IKT"],
        spin_off={
            "kind": SpinOff.Kind.LIMITED_COMPANY,
            "organisation": "GigaFib AS",
            "name": "GigaFib AS",
            "date": dt.date(2004, 1, 1),
            "description": "Operation and further development of the fibre network.",
        },
    ),
    DemoProject(
        slug="geodatasamarbeid",
        name="Geodatasamarbeid",
        category=Project.Category.PLANNING,
        source="Geodata Collaboration: Implemented a common map portal for 8 municipalities",
        description="Implemented a common map portal for 8 municipalities.",
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
        description="Developed a common structure for local government websites.",
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
        description=(
            "Made common “toolboxes”, templates and training programmes in various disciplines."
        ),
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
            "Built a new solution for data traffic (data, IP telephony and video) on fibre, "
            "to support inter-municipal cooperation. GigaFib AS is responsible for the "
            "practical implementation."
        ),
        phase=Project.Phase.IN_OPERATION,
        status=Project.Status.IN_OPERATION,
        tags=["Bredbånd", "IKT"],
        spin_off={
            "kind": SpinOff.Kind.LIMITED_COMPANY,
            "organisation": "GigaFib AS",
            "name": "GigaFib AS",
            "date": None,
            "description": "Responsible for the practical implementation.",
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
            "A service to strengthen family members living at home with extensive assistance "
            "needs, through ICT and social and digital networks."
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
        description="Explored whether there is potential for a larger biogas plant in Vestfold.",
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
            "12k, with Sykehuset i Vestfold and Psykiatrien i Vestfold, created a model for "
            "interaction in Vestfold to meet the need for more continuity and systematic "
            "interaction."
        ),
        tags=["Helse og omsorg"],
        partners=["Sykehuset i Vestfold", "Psykiatrien i Vestfold"],
        participants_text="all 12 members, Sykehuset i Vestfold, Psykiatrien i Vestfold",
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
            "To strengthen the recruitment of nurses and engineers (water and sewerage) to the "
            "municipalities. 6 trainees start in the autumn of 2010."
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
            "A solution for openness and participation in the municipalities' statutory "
            "planning processes through their websites."
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
            "Helps more new enterprises and small businesses succeed: advice and assistance "
            "as early as possible in the establishment phase, so good ideas are not lost. "
            "Developed and operated in close dialogue with public and commercial support."
        ),
        phase=Project.Phase.IN_OPERATION,
        tags=["Næring"],
    ),
]


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
        "comments": "Listed among the about 70 projects 12k has completed (000).",
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
                note=f"{ALL_MEMBERS} (members on {MEMBERS_ON.isoformat()})",
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
    refreshed = services.rebuild_search_text(
        Project.objects.filter(cooperation=cooperation, search_text="")
    )
    if stdout:
        stdout.write(
            f"projects: {created} created, {len(PROJECTS) - created} already there, "
            f"{len(members)} members on {MEMBERS_ON.isoformat()}, "
            f"search text refreshed for {refreshed}"
        )
