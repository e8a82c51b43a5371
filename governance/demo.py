"""Demo data: the Havnevesen case of 2003, exactly as the project overview tells it.

Source (001_*.txt, row “Havnevesen”): “Kommunestyrene i Horten, Re og Andebu sa ja til
arbeidsgruppens forslag om tettere samarbeid og arbeidsdeling. Tønsberg: utsatt. Stokke og
Tjøme, ja m/forbehold om Tønsbergs deltakelse. Holmestrand og Hof, ikke behandlet saken.”
Nøtterøy, the ninth member, is not mentioned, so its decision stays pending.

The source gives no dates, case number or place: those are assumptions, said so in the
records' notes. Board seats are role-only (no names of real people). Idempotent: rows are
found by their natural keys (through governance.selectors) and never overwritten; missing
ones are created through the governance and projects services as the system (actor=None).
"""

from __future__ import annotations

import datetime as dt

from django.utils.text import slugify
from django.utils.translation import gettext_noop

from governance import selectors, services
from governance.models import BoardSeat, Case, Condition, CouncilDecision, Meeting
from members.models import Cooperation, Municipality
from members.selectors import (
    UnknownMunicipality,
    default_cooperation,
    member_municipalities_on,
    municipality_on,
)
from projects import services as project_services
from projects.models import Project

MEETING_DATE = dt.date(2003, 1, 31)
DEADLINE = dt.date(2003, 6, 30)
CASE_NUMBER = "1/2003"
NINE = ("Andebu", "Hof", "Holmestrand", "Horten", "Nøtterøy", "Re", "Stokke", "Tjøme", "Tønsberg")
ASSUMPTION = (
    "Antakelse: kildedokumentet (prosjektoversikten 1998–2005) oppgir ikke dato, sted eller "
    "saksnummer for styremøtet som behandlet Havnevesen. 31.01.2003, sak 1/2003 og fristen "
    "30.06.2003 er valgt for demonstrasjonen."
)
REFERRAL_NOTE = (
    ASSUMPTION + " Kilden nevner ikke Nøtterøy; kommunestyrets vedtak står derfor som ikke "
    "registrert."
)
YES_TEXT = "sa ja til arbeidsgruppens forslag om tettere samarbeid og arbeidsdeling"
CONDITION_TEXT = "ja m/forbehold om Tønsbergs deltakelse"
DECISIONS = {
    "Horten": (CouncilDecision.Outcome.ADOPTED, YES_TEXT),
    "Re": (CouncilDecision.Outcome.ADOPTED, YES_TEXT),
    "Andebu": (CouncilDecision.Outcome.ADOPTED, YES_TEXT),
    "Tønsberg": (CouncilDecision.Outcome.POSTPONED, "utsatt"),
    "Stokke": (CouncilDecision.Outcome.ADOPTED_WITH_CONDITIONS, CONDITION_TEXT),
    "Tjøme": (CouncilDecision.Outcome.ADOPTED_WITH_CONDITIONS, CONDITION_TEXT),
    "Holmestrand": (CouncilDecision.Outcome.NOT_TREATED, "ikke behandlet saken"),
    "Hof": (CouncilDecision.Outcome.NOT_TREATED, "ikke behandlet saken"),
}


def _project(cooperation: Cooperation) -> Project:
    found = selectors.project_named(cooperation=cooperation, name="Havnevesen")
    if found:
        return found
    return project_services.project_create(
        actor=None,
        cooperation=cooperation,
        name="Havnevesen",
        category=Project.Category.OPERATIONS,
        slug=slugify("Havnevesen"),
        fields={
            "start_date": dt.date(2001, 1, 1),
            "start_precision": "year",
            "end_date": dt.date(2003, 12, 31),
            "end_precision": "year",
            "participants_text": "Alle",
            "comments": "Opprettet minimalt av styringsdemoen (governance.demo).",
        },
        reason=gettext_noop("demo data"),
    )


def _seats(cooperation: Cooperation, members: list[Municipality]) -> int:
    created = 0
    note = "Rolle uten navn: styrets sammensetning slik presentasjonen beskriver den."
    wanted: list[tuple[str, str, Municipality | None, bool]] = []
    for m in members:
        wanted.append((BoardSeat.Role.MAYOR, f"Ordfører, {m.name}", m, True))
        wanted.append((BoardSeat.Role.CITY_MANAGER, f"Rådmann, {m.name}", m, True))
    wanted += [
        (BoardSeat.Role.COUNTY_MAYOR, "Fylkesordfører, Vestfold", None, False),
        (BoardSeat.Role.COUNTY_GOVERNOR, "Fylkesmannen i Vestfold", None, False),
        (
            BoardSeat.Role.UNION_REPRESENTATIVE,
            "Tillitsvalgt (arbeidstakerorganisasjonene)",
            None,
            False,
        ),
    ]
    for role, label, municipality, voting in wanted:
        if selectors.board_seat_labelled(cooperation=cooperation, role=role, label=label):
            continue
        services.board_seat_create(
            actor=None,
            cooperation=cooperation,
            role=role,
            label=label,
            municipality=municipality,
            voting=voting,
            start=dt.date(2003, 1, 1),
            end=dt.date(2003, 12, 31),
            note=note,
        )
        created += 1
    return created


def _meeting(cooperation: Cooperation) -> Meeting:
    found = selectors.meeting_on(cooperation=cooperation, date=MEETING_DATE)
    if found:
        return found
    return services.meeting_create(
        actor=None,
        cooperation=cooperation,
        date=MEETING_DATE,
        agenda=f"Sak {CASE_NUMBER}: Havnevesen – felles utredning om tettere samarbeid og "
        "arbeidsdeling mellom havnene.",
        notes=ASSUMPTION,
    )


def _case(cooperation: Cooperation, meeting: Meeting, project: Project) -> Case:
    found = selectors.case_numbered(cooperation=cooperation, number=CASE_NUMBER)
    if found:
        return found
    return services.case_create(
        actor=None,
        cooperation=cooperation,
        number=CASE_NUMBER,
        title="Havnevesen",
        proposal="Arbeidsgruppens forslag om tettere samarbeid og arbeidsdeling "
        "mellom havnevesenene legges fram for kommunestyrene.",
        meeting=meeting,
        projects=[project],
        decision_text="Styret slutter seg til arbeidsgruppens forslag og oversender "
        "saken til kommunestyrene.",
        outcome=Case.Outcome.ADOPTED,
    )


def _referral(case: Case, members: list[Municipality], tonsberg: Municipality) -> int:
    """Refer the case and record what the source tells of each council; returns how many
    council decisions were added (none when the referral exists already)."""
    if selectors.referral_of(case=case, referred_on=MEETING_DATE):
        return 0
    referral = services.referral_create(
        actor=None,
        case=case,
        referred_on=MEETING_DATE,
        deadline=DEADLINE,
        municipalities=members,
        note=REFERRAL_NOTE,
    )
    for m in members:
        outcome, text = DECISIONS.get(m.name, (CouncilDecision.Outcome.PENDING, ""))
        if outcome == CouncilDecision.Outcome.PENDING:
            continue
        conditional = outcome == CouncilDecision.Outcome.ADOPTED_WITH_CONDITIONS
        services.council_decision_record(
            actor=None,
            decision=selectors.decision_for(referral=referral, municipality=m),
            outcome=outcome,
            decision_text=text,
            conditions_text=text if conditional else "",
            conditions=[services.ConditionSpec(Condition.Kind.REQUIRES, [tonsberg])]
            if conditional
            else [],
        )
    return len({m.pk for m in members})


def load_demo(stdout=None) -> None:
    def say(text: str) -> None:
        if stdout is not None:
            stdout.write(text)

    cooperation = default_cooperation()
    if cooperation is None:
        say("governance: no cooperation yet (load the members demo first); skipped.")
        return
    try:
        nine = {name: municipality_on(name, MEETING_DATE) for name in NINE}
    except UnknownMunicipality as exc:
        say(f"governance: {exc} Load the municipality registry first; skipped.")
        return
    members = member_municipalities_on(cooperation=cooperation, on=MEETING_DATE) or list(
        nine.values()
    )
    by_name = {m.name: m for m in members}
    nine = {name: by_name.get(name, m) for name, m in nine.items()}

    seats = _seats(cooperation, members)
    case = _case(cooperation, _meeting(cooperation), _project(cooperation))
    decisions_created = _referral(case, members, nine["Tønsberg"])
    say(
        f"governance: Havnevesen case {case.number}, {decisions_created} council decisions "
        f"and {seats} board seats added."
    )
