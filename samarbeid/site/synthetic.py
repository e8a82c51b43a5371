"""A synthetic national data set on the real municipality registry, for the benchmark.

`generate(cooperations=200, projects=20000, seed=1)` writes cooperations of neighbouring
municipalities (one county each, consecutive municipality numbers), memberships that follow
mergers to the successors, projects with phases, periods and categories, phase transitions,
participations, money entries, deliverables, spin-offs, board seats, meetings, cases,
referrals and council decisions.

It writes in bulk (the services would take hours at this size) but keeps what the services
guarantee: every row gets its history row (`bulk_create_with_history`, reason
"synthetic data"), every project its search text (the same parts as
`projects.services.search_text_for`), and a sample of each model passes `full_clean()`.
Not written: tags, case documents (they need files) and the history of many-to-many rows
(cases' projects). The same seed on the same registry gives the same data.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.utils.text import slugify
from django.utils.translation import gettext_noop
from simple_history.utils import bulk_create_with_history
from tqdm import tqdm

from governance.models import BoardSeat, Case, CouncilDecision, Meeting, Referral
from governance.services import case_search_text
from members.models import Cooperation, Membership, Municipality, MunicipalityEvent
from projects.analytics.cache import bump_data_version
from projects.models import (
    Deliverable,
    MoneyEntry,
    Participation,
    PhaseTransition,
    Project,
    SpinOff,
)
from samarbeid.common.text import fold_for_search

REASON = gettext_noop("synthetic data")
SLUG_PREFIX = "syn-"
TODAY = dt.date(2024, 12, 31)
BATCH = 500

TOPICS = (
    "bredbånd",
    "geodata",
    "helse",
    "barnevern",
    "innkjøp",
    "IKT-drift",
    "arkiv",
    "landbruk",
    "kulturminner",
    "vannforvaltning",
    "skolefritidsordning",
    "legevakt",
    "næringsutvikling",
    "reiseliv",
    "kollektivtrafikk",
    "klimaplan",
    "folkehelse",
    "brannvern",
    "lønn og regnskap",
    "byggesak",
    "friluftsliv",
    "krisesenter",
    "rus og psykiatri",
    "PP-tjeneste",
    "skatteoppkreving",
    "eiendomsskatt",
    "miljøretting",
)
KINDS = (
    "Felles",
    "Interkommunal",
    "Regional",
    "Samordnet",
    "Utredning av felles",
    "Digital",
)
# The path a project walks; it stops somewhere along it (or is stopped).
PATH = (
    Project.Phase.IDEA,
    Project.Phase.STUDY,
    Project.Phase.JOINT_REPORT,
    Project.Phase.BOARD_DECISION,
    Project.Phase.COUNCIL_TREATMENT,
    Project.Phase.ESTABLISHMENT,
    Project.Phase.IN_OPERATION,
    Project.Phase.CLOSED,
)
PHASE_WEIGHTS = (6, 8, 6, 5, 5, 4, 20, 30)
BOARD_STEP = PATH.index(Project.Phase.BOARD_DECISION)
COUNCIL_STEP = PATH.index(Project.Phase.COUNCIL_TREATMENT)


@dataclass(frozen=True)
class Mun:
    pk: int
    number: str
    name: str
    county: str
    valid_from: dt.date
    valid_to: dt.date | None

    def valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass
class Plan:
    """Everything to write, in memory, in write order."""

    rows: dict[type[models.Model], list[models.Model]] = field(
        default_factory=lambda: defaultdict(list)
    )

    def add(self, obj: models.Model) -> models.Model:
        self.rows[type(obj)].append(obj)
        return obj


def _registry() -> tuple[list[Mun], dict[int, list[int]]]:
    muns = [
        Mun(m.pk, m.number, m.name, m.county_number, m.valid_from, m.valid_to)
        for m in Municipality.objects.order_by("number", "valid_from", "pk")
    ]
    successors: dict[int, list[int]] = defaultdict(list)
    through = MunicipalityEvent.successors.through
    succ_pairs = list(through.objects.values_list("municipalityevent_id", "municipality_id"))
    pred_pairs = list(
        MunicipalityEvent.predecessors.through.objects.values_list(
            "municipalityevent_id", "municipality_id"
        )
    )
    by_event: dict[int, list[int]] = defaultdict(list)
    for event_id, mun_id in sorted(succ_pairs):
        by_event[event_id].append(mun_id)
    for event_id, mun_id in sorted(pred_pairs):
        successors[mun_id].extend(by_event[event_id])
    return muns, successors


@dataclass
class Coop:
    obj: Cooperation
    founded: dt.date
    members: list[tuple[Mun, dt.date, dt.date | None]] = field(default_factory=list)
    existing: bool = False  # a cooperation already in the database (the desk's)
    number_base: int = 0  # case numbers start above the existing ones

    def members_on(self, day: dt.date) -> list[Mun]:
        return [
            m for m, joined, left in self.members if joined <= day and (not left or day <= left)
        ]


def _memberships(
    rng: random.Random, coop: Coop, first: Sequence[Mun], by_pk: dict[int, Mun], succ
) -> None:
    """Members from the founding day; a merged member's place passes to its successors."""
    queue: list[tuple[Mun, dt.date]] = [(m, coop.founded) for m in first]
    seen: set[int] = set()
    while queue:
        mun, joined = queue.pop(0)
        if mun.pk in seen or joined > TODAY:
            continue
        seen.add(mun.pk)
        left = mun.valid_to
        if left is None and rng.random() < 0.05:  # a few leave of their own accord
            left = min(TODAY, joined + dt.timedelta(days=rng.randint(400, 4000)))
            coop.members.append((mun, joined, left))
            continue
        coop.members.append((mun, joined, left))
        if mun.valid_to is not None:
            day = mun.valid_to + dt.timedelta(days=1)
            for pk in succ.get(mun.pk, ()):
                successor = by_pk.get(pk)
                if successor and successor.valid_on(day):
                    queue.append((successor, day))


def _cooperations(rng: random.Random, plan: Plan, count: int, muns: list[Mun], succ) -> list[Coop]:
    by_pk = {m.pk: m for m in muns}
    counties = sorted({m.county for m in muns})
    coops: list[Coop] = []
    for i in range(count):
        founded = dt.date(rng.randint(1990, 2016), rng.choice((1, 1, 7)), 1)
        county = rng.choice(counties)
        alive = [m for m in muns if m.county == county and m.valid_on(founded)]
        if len(alive) < 2:
            alive = [m for m in muns if m.valid_on(founded)]
        size = min(len(alive), rng.randint(3, 9))
        start = rng.randrange(0, len(alive) - size + 1)
        first = alive[start : start + size]  # consecutive numbers: neighbours, mostly
        area = first[0].name
        name = f"{area}regionen {i + 1}" if i % 3 else f"Samarbeidsrådet for {area} {i + 1}"
        obj = Cooperation(
            name=name,
            short_name=f"S{i + 1}",
            slug=f"{SLUG_PREFIX}{i + 1:04d}",
            founded=founded,
            founded_precision="month",
            purpose=f"Interkommunalt samarbeid om tjenester og utvikling i {area}-området.",
        )
        plan.add(obj)
        coop = Coop(obj, founded)
        _memberships(rng, coop, first, by_pk, succ)
        coops.append(coop)
    return coops


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    span = max(0, (end - start).days)
    return start + dt.timedelta(days=rng.randint(0, span))


class Builder:
    """Builds the rows of one cooperation's projects and governance in memory."""

    def __init__(self, rng: random.Random, plan: Plan) -> None:
        self.rng = rng
        self.plan = plan
        self.search: dict[int, list[str]] = {}  # id(project) -> parts
        self.case_projects: list[tuple[Case, Project]] = []
        self.case_numbers: dict[int, int] = defaultdict(int)
        self.meetings: dict[int, list[Meeting]] = {}

    def governance_frame(self, coop: Coop) -> None:
        rng, plan = self.rng, self.plan
        meetings = []
        year = coop.founded.year
        while year <= TODAY.year:
            for month in sorted(rng.sample(range(1, 13), rng.randint(3, 5))):
                day = dt.date(year, month, rng.randint(1, 28))
                if coop.founded <= day <= TODAY:
                    meetings.append(
                        plan.add(Meeting(cooperation=coop.obj, date=day, place="Rådhuset"))
                    )
            year += 1
        self.meetings[id(coop)] = meetings
        for mun, joined, left in [] if coop.existing else coop.members:
            plan.add(
                BoardSeat(
                    cooperation=coop.obj,
                    label=f"Ordfører i {mun.name}",
                    municipality_id=mun.pk,
                    role=BoardSeat.Role.MAYOR,
                    start=joined,
                    end=left,
                )
            )

    def project(self, coop: Coop, index: int) -> None:
        rng, plan = self.rng, self.plan
        start = _day(rng, max(coop.founded, dt.date(1990, 1, 1)), dt.date(2023, 12, 1))
        members = coop.members_on(start) or [m for m, _, _ in coop.members[:1]]
        step = rng.choices(range(len(PATH)), weights=PHASE_WEIGHTS)[0]
        stopped = step < COUNCIL_STEP and rng.random() < 0.15
        phase = Project.Phase.STOPPED if stopped else PATH[step]
        ended = phase in (Project.Phase.CLOSED, Project.Phase.STOPPED)
        end = min(TODAY, start + dt.timedelta(days=rng.randint(120, 2200))) if ended else None
        topic = rng.choice(TOPICS)
        name = f"{rng.choice(KINDS)} {topic} {index + 1}"
        host = rng.choice(members)
        project = Project(
            cooperation=coop.obj,
            name=name,
            slug=f"{slugify(name)[:100]}",
            category=rng.choice(Project.Category.values),
            start_date=start,
            start_precision=rng.choice(("year", "month", "day")),
            end_date=end,
            end_precision="month",
            open_ended=phase == Project.Phase.IN_OPERATION and rng.random() < 0.5,
            phase=phase,
            description=(
                f"Kommunene samarbeider om {topic} for å gi innbyggerne bedre tjenester "
                f"og bruke ressursene bedre. Prosjektet ledes fra {host.name}."
            ),
            host_municipality_id=host.pk,
            owner_municipality_id=host.pk if rng.random() < 0.4 else None,
            is_public=rng.random() < 0.9,
        )
        plan.add(project)
        parts = [project.name, project.description, host.name]
        if project.owner_municipality_id:
            parts.append(host.name)
        taking_part = rng.sample(members, min(len(members), rng.randint(2, 8)))
        for mun in taking_part:
            role = Participation.Role.HOST if mun is host else Participation.Role.PARTICIPANT
            plan.add(Participation(project=project, municipality_id=mun.pk, role=role))
            parts.append(mun.name)
        self._transitions(project, step, stopped, start, end)
        self._money(project, start, taking_part)
        self._deliverables(project, start, step)
        if phase in (Project.Phase.IN_OPERATION, Project.Phase.CLOSED) and rng.random() < 0.2:
            spin = plan.add(
                SpinOff(
                    project=project,
                    kind=rng.choice(SpinOff.Kind.values),
                    host_municipality_id=host.pk,
                    name=f"{topic.capitalize()} {host.name} IKS",
                    date=end or start,
                )
            )
            parts.append(spin.name)  # type: ignore[attr-defined]
        if step >= BOARD_STEP:
            self._case(coop, project, start, step, taking_part)
        self.search[id(project)] = parts

    def _transitions(
        self, project: Project, step: int, stopped: bool, start: dt.date, end: dt.date | None
    ) -> None:
        last = end or TODAY
        days = sorted(_day(self.rng, start, last) for _ in range(step + 1))
        days[0] = start
        for phase, day in zip(PATH[: step + 1], days, strict=True):
            self.plan.add(PhaseTransition(project=project, phase=phase, date=day))
        if stopped:
            self.plan.add(
                PhaseTransition(project=project, phase=Project.Phase.STOPPED, date=end or last)
            )

    def _money(self, project: Project, start: dt.date, taking_part: list[Mun]) -> None:
        rng = self.rng
        for _ in range(rng.randint(0, 4)):
            kind = rng.choice(MoneyEntry.Kind.values)
            year = min(TODAY.year, start.year + rng.randint(0, 3))
            self.plan.add(
                MoneyEntry(
                    project=project,
                    kind=kind,
                    benefit_category=(
                        rng.choice(MoneyEntry.BenefitCategory.values)
                        if kind == MoneyEntry.Kind.BENEFIT
                        else ""
                    ),
                    certainty=rng.choice(MoneyEntry.Certainty.values),
                    amount_nok=rng.randint(1, 80) * 25_000,
                    municipality_id=rng.choice(taking_part).pk if rng.random() < 0.5 else None,
                    year_from=year,
                    year_to=min(TODAY.year, year + rng.randint(0, 2)),
                    purpose="Tilskudd fra fylkeskommunen" if kind == "grant" else "",
                )
            )

    def _deliverables(self, project: Project, start: dt.date, step: int) -> None:
        rng = self.rng
        for n in range(rng.randint(0, 2) if step >= 2 else 0):
            due = min(TODAY, start + dt.timedelta(days=rng.randint(60, 900)))
            self.plan.add(
                Deliverable(
                    project=project,
                    kind=rng.choice(Deliverable.Kind.values),
                    title=f"{'Sluttrapport' if n else 'Forprosjektrapport'}: {project.name}",
                    due_date=due,
                    delivered_date=due if rng.random() < 0.7 else None,
                )
            )

    def _case(
        self, coop: Coop, project: Project, start: dt.date, step: int, taking_part: list[Mun]
    ) -> None:
        rng, plan = self.rng, self.plan
        meetings = [m for m in self.meetings[id(coop)] if m.date >= start] or self.meetings[
            id(coop)
        ][-1:]
        meeting = meetings[min(len(meetings) - 1, rng.randint(0, 6))] if meetings else None
        day = meeting.date if meeting else start
        self.case_numbers[id(coop)] += 1
        number = f"{coop.number_base + self.case_numbers[id(coop)]}/{day.year}"
        title = f"{project.name}: vedtak om videre arbeid"
        case = plan.add(
            Case(
                cooperation=coop.obj,
                meeting=meeting,
                number=number,
                title=title,
                search_text=case_search_text(number=number, title=title),
                proposal="Styret anbefaler at kommunene deltar.",
                decision_text="Som forslag." if step > BOARD_STEP else "",
                outcome=Case.Outcome.ADOPTED if step > BOARD_STEP else "",
            )
        )
        self.case_projects.append((case, project))  # type: ignore[arg-type]
        if step < COUNCIL_STEP:
            return
        closed = step > COUNCIL_STEP
        referral = plan.add(
            Referral(
                case=case,
                referred_on=day,
                deadline=day + dt.timedelta(days=90),
                closed_on=day + dt.timedelta(days=rng.randint(60, 120)) if closed else None,
            )
        )
        for mun in taking_part:
            decided = closed or rng.random() < 0.5
            outcome = (
                rng.choice(
                    (CouncilDecision.Outcome.ADOPTED,) * 6
                    + (CouncilDecision.Outcome.REJECTED, CouncilDecision.Outcome.POSTPONED)
                )
                if decided
                else CouncilDecision.Outcome.PENDING
            )
            plan.add(
                CouncilDecision(
                    referral=referral,
                    municipality_id=mun.pk,
                    outcome=outcome,
                    date=day + dt.timedelta(days=rng.randint(10, 80)) if decided else None,
                    council_reference=f"PS {rng.randint(1, 150)}/{day.year % 100:02d}"
                    if decided
                    else "",
                )
            )


# Write order: a row's foreign keys point at rows written before it.
ORDER: tuple[type[models.Model], ...] = (
    Cooperation,
    Membership,
    BoardSeat,
    Meeting,
    Project,
    Participation,
    PhaseTransition,
    MoneyEntry,
    Deliverable,
    SpinOff,
    Case,
    Referral,
    CouncilDecision,
)
# The foreign keys to rows of this run, filled in after their targets have primary keys.
LINKS: dict[type[models.Model], tuple[str, ...]] = {
    Membership: ("cooperation",),
    BoardSeat: ("cooperation",),
    Meeting: ("cooperation",),
    Project: ("cooperation",),
    Participation: ("project",),
    PhaseTransition: ("project",),
    MoneyEntry: ("project",),
    Deliverable: ("project",),
    SpinOff: ("project",),
    Case: ("cooperation", "meeting"),
    Referral: ("case",),
    CouncilDecision: ("referral",),
}


def _relink(objs: Iterable[models.Model], names: Sequence[str]) -> None:
    """Copy the primary key of a just-written target into the foreign key column."""
    for obj in objs:
        for name in names:
            target = getattr(obj, name)
            if target is not None:
                setattr(obj, name, target)


@dataclass
class Result:
    counts: dict[str, int]
    seconds: float = 0.0


def generate(
    *,
    cooperations: int,
    projects: int,
    seed: int,
    progress: bool = True,
    desk_projects: int = 0,
    sample: int = 30,
    out: Callable[[str], Any] | None = None,
) -> Result:
    """Write the data set in one transaction; returns the number of rows per model.

    `desk_projects` of the projects go to the cooperation the desk shows (the first one,
    e.g. the demo's), so that its pages see that many more projects.
    """
    if Cooperation.objects.filter(slug__startswith=SLUG_PREFIX).exists():
        raise ValueError(
            "Synthetic data is already in this database (cooperations with slug 'syn-…'); "
            "start from a fresh database."
        )
    if cooperations < 1 or projects < 0:
        raise ValueError("Need at least one cooperation and a non-negative number of projects.")
    if not 0 <= desk_projects <= projects:
        raise ValueError("--desk-projects must be between 0 and --projects.")
    rng = random.Random(seed)
    muns, succ = _registry()
    if not muns:
        raise ValueError("The municipality registry is empty: run load_municipalities first.")
    plan = Plan()
    coops = _cooperations(rng, plan, cooperations, muns, succ)
    builder = Builder(rng, plan)
    desk = _desk(muns) or coops[0]
    for coop in [desk, *coops] if desk.existing else coops:
        builder.governance_frame(coop)
    for i in tqdm(range(projects), desc="projects", disable=not progress, unit="p"):
        builder.project(desk if i < desk_projects else coops[rng.randrange(len(coops))], i)
    taken = (
        set(Project.objects.filter(cooperation=desk.obj).values_list("slug", flat=True))
        if desk.existing
        else set()
    )
    _unique_slugs(plan.rows[Project], {(id(desk.obj), slug) for slug in taken})  # type: ignore[arg-type]
    for project in plan.rows[Project]:
        project.search_text = fold_for_search(  # type: ignore[attr-defined]
            " ".join(p for p in builder.search[id(project)] if p)
        )
    for coop in coops:
        for mun, joined, left in coop.members:
            plan.add(
                Membership(cooperation=coop.obj, municipality_id=mun.pk, joined=joined, left=left)
            )
    with transaction.atomic():
        _write(plan, progress)
        through = Case.projects.through
        through.objects.bulk_create(
            [through(case_id=c.pk, project_id=p.pk) for c, p in builder.case_projects],
            batch_size=BATCH,
        )
        _validate_sample(rng, plan, sample)
        bump_data_version()  # bulk inserts send no signals
    counts = {model.__name__: len(plan.rows[model]) for model in ORDER}
    if out:
        out(", ".join(f"{n} {name}" for name, n in counts.items()))
    return Result(counts)


def _desk(muns: list[Mun]) -> Coop | None:
    """The cooperation the desk shows, if one is in the database already."""
    obj = Cooperation.objects.order_by("pk").first()
    if obj is None:
        return None
    by_pk = {m.pk: m for m in muns}
    members = [
        (by_pk[m.municipality_id], m.joined, m.left)
        for m in Membership.objects.filter(cooperation=obj).order_by("pk")
    ]
    if not members:
        raise ValueError(f"The cooperation {obj} has no members: add them before its projects.")
    founded = obj.founded or min((j for _, j, _ in members), default=dt.date(1995, 1, 1))
    return Coop(obj, founded, members, existing=True, number_base=9000)


def _unique_slugs(projects: list[Project], seen: set[tuple[int, str]]) -> None:
    for project in projects:
        key = (id(project.cooperation), project.slug)
        while key in seen:
            project.slug = f"{project.slug}-{len(seen)}"
            key = (id(project.cooperation), project.slug)
        seen.add(key)


def _write(plan: Plan, progress: bool) -> None:
    total = sum(len(plan.rows[m]) for m in ORDER)
    with tqdm(total=total, desc="writing", disable=not progress, unit="row") as bar:
        for model in ORDER:
            objs = plan.rows[model]
            _relink(objs, LINKS.get(model, ()))
            for start in range(0, len(objs), 5000):
                chunk = objs[start : start + 5000]
                bulk_create_with_history(
                    chunk, model, batch_size=BATCH, default_change_reason=REASON
                )
                bar.update(len(chunk))


def _validate_sample(rng: random.Random, plan: Plan, size: int) -> None:
    """full_clean() a sample of every model: the bulk writes skipped it."""
    for model in ORDER:
        objs = plan.rows[model]
        for obj in rng.sample(objs, min(size, len(objs))):
            obj.full_clean()
