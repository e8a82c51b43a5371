"""Demo data: the Havnevesen case of 2003, exactly as the project overview tells it.

Source (001_*.txt, row “Havnevesen”): “Kommunestyrene i Horten, Re og Andebu sa ja til
arbeidsgruppens forslag om tettere samarbeid og arbeidsdeling. Tønsberg: utsatt. Stokke og
Tjøme, ja m/forbehold om Tønsbergs deltakelse. Holmestrand og Hof, ikke behandlet saken.”
Nøtterøy, the ninth member, is not mentioned, so its decision stays pending.

The source gives no dates, case number or place: those are assumptions, said so in the
records' notes. Board seats are role-only (no names of real people). Idempotent: rows are
found by their natural keys and never overwritten.
"""

from __future__ import annotations

import datetime as dt

from django.utils.text import slugify

from governance.models import BoardSeat, Case, Condition, CouncilDecision, Meeting, Referral
from members.models import Municipality
from members.selectors import (
    UnknownMunicipality,
    default_cooperation,
    member_municipalities_on,
    municipality_on,
)
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


def _saved(instance):
    instance.full_clean()
    instance._change_reason = "demo data"
    instance.save()
    return instance


def _project(cooperation) -> Project:
    found = Project.objects.filter(cooperation=cooperation, name__iexact="Havnevesen").first()
    if found:
        return found
    return _saved(
        Project(
            cooperation=cooperation,
            name="Havnevesen",
            slug=slugify("Havnevesen"),
            category=Project.Category.OPERATIONS,
            start_date=dt.date(2001, 1, 1),
            start_precision="year",
            end_date=dt.date(2003, 12, 31),
            end_precision="year",
            participants_text="Alle",
            comments="Opprettet minimalt av styringsdemoen (governance.demo).",
        )
    )


def _seats(cooperation, members: list[Municipality]) -> int:
    created = 0
    note = "Rolle uten navn: styrets sammensetning slik presentasjonen beskriver den."
    wanted = []
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
        _, was_created = BoardSeat.objects.get_or_create(
            cooperation=cooperation,
            role=role,
            label=label,
            defaults={
                "municipality": municipality,
                "voting": voting,
                "start": dt.date(2003, 1, 1),
                "end": dt.date(2003, 12, 31),
                "note": note,
            },
        )
        created += was_created
    return created


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
    meeting, _ = Meeting.objects.get_or_create(
        cooperation=cooperation,
        date=MEETING_DATE,
        defaults={
            "place": "",
            "agenda": f"Sak {CASE_NUMBER}: Havnevesen – felles utredning om tettere samarbeid og "
            "arbeidsdeling mellom havnene.",
            "notes": ASSUMPTION,
        },
    )
    project = _project(cooperation)
    case, case_created = Case.objects.get_or_create(
        cooperation=cooperation,
        number=CASE_NUMBER,
        defaults={
            "meeting": meeting,
            "title": "Havnevesen",
            "proposal": "Arbeidsgruppens forslag om tettere samarbeid og arbeidsdeling "
            "mellom havnevesenene legges fram for kommunestyrene.",
            "decision_text": "Styret slutter seg til arbeidsgruppens forslag og oversender "
            "saken til kommunestyrene.",
            "outcome": Case.Outcome.ADOPTED,
        },
    )
    if case_created:
        case.projects.add(project)
    referral, _ = Referral.objects.get_or_create(
        case=case,
        referred_on=MEETING_DATE,
        defaults={"deadline": DEADLINE, "note": REFERRAL_NOTE},
    )
    decisions_created = 0
    for m in members:
        outcome, text = DECISIONS.get(m.name, (CouncilDecision.Outcome.PENDING, ""))
        conditions_text = text if outcome == CouncilDecision.Outcome.ADOPTED_WITH_CONDITIONS else ""
        decision, created = CouncilDecision.objects.get_or_create(
            referral=referral,
            municipality=m,
            defaults={
                "outcome": outcome,
                "decision_text": text,
                "conditions_text": conditions_text,
            },
        )
        if created and outcome == CouncilDecision.Outcome.ADOPTED_WITH_CONDITIONS:
            condition = _saved(Condition(decision=decision, kind=Condition.Kind.REQUIRES))
            condition.municipalities.set([nine["Tønsberg"]])
        decisions_created += created
    say(
        f"governance: Havnevesen case {case.number}, {decisions_created} council decisions "
        f"and {seats} board seats added."
    )
