"""The cell parsers, on the texts of the legacy overview (pure functions, no database)."""

import contextlib
import datetime as dt
import json
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from importers import parsers
from importers.parsers import (
    AmountError,
    CommentError,
    ParticipantsError,
    PeriodError,
    StatusError,
    parse_amounts,
    parse_comment,
    parse_participants,
    parse_period,
    parse_result,
    parse_status,
    parse_working_form,
)
from importers.readers import ReadError, read_overview

D = dt.date


@pytest.mark.parametrize(
    "text, start, end, open_ended",
    [
        ("1999", D(1999, 1, 1), D(1999, 12, 31), False),
        ("2000 – 2002", D(2000, 1, 1), D(2002, 12, 31), False),
        ("2001 –", D(2001, 1, 1), None, True),
        ("2004-", D(2004, 1, 1), None, True),
        ("1999- 2000", D(1999, 1, 1), D(2000, 12, 31), False),
        ("2003 - 2004", D(2003, 1, 1), D(2004, 12, 31), False),
        ("2003 -", D(2003, 1, 1), None, True),
        ("2004- 2005", D(2004, 1, 1), D(2005, 12, 31), False),
        ("2001-2002", D(2001, 1, 1), D(2002, 12, 31), False),
    ],
)
def test_periods(text, start, end, open_ended):
    period = parse_period(text)
    assert (period.start, period.end, period.open_ended) == (start, end, open_ended)
    assert period.start_precision == period.end_precision == "year"


def test_empty_period_and_format_round_trip():
    assert parse_period("  ").start is None
    for text in ("1999", "2000 – 2002", "2001 –"):
        assert parse_period(text).label() == text


@pytest.mark.parametrize("text", ["snart", "2005 – 2001", "99", "1999–2000–2001"])
def test_bad_periods_raise_their_own_error(text):
    with pytest.raises(PeriodError):
        parse_period(text)


def names(mentions):
    return [m.name for m in mentions]


def test_participants_all_and_plain_lists():
    for text in ("Alle", "Alle 9k"):
        parsed = parse_participants(text)
        assert parsed.all_members and not parsed.mentions and not parsed.excluded
    parsed = parse_participants("Re, Hof, Andebu")
    assert names(parsed.mentions) == ["Re", "Hof", "Andebu"] and not parsed.all_members
    assert names(parse_participants("Tønsberg").mentions) == ["Tønsberg"]


def test_participants_minus_and_plus():
    parsed = parse_participants("Alle, minus Andebu og Stokke, pluss Svelvik og Sande")
    assert parsed.all_members
    assert names(parsed.excluded) == ["Andebu", "Stokke"]
    assert names(parsed.mentions) == ["Svelvik", "Sande"]
    for text in ("Alle 9k (-Stokke)", "Alle (minus Stokke)"):
        parsed = parse_participants(text)
        assert parsed.all_members and names(parsed.excluded) == ["Stokke"]
        assert not parsed.mentions
    parsed = parse_participants("Alle 9k (-Tønsberg) kommunene deltar som gruppe")
    assert names(parsed.excluded) == ["Tønsberg"]
    assert parsed.notes == ["kommunene deltar som gruppe"]
    parsed = parse_participants("Alle, + fylkeskommunen")
    assert parsed.all_members and names(parsed.mentions) == ["fylkeskommunen"]


def test_participants_stated_counts():
    parsed = parse_participants(
        "Alle 7 kommunene, fylkeskommunen, fylkesmannen og næringslivet deltok."
    )
    assert parsed.all_members and parsed.stated_count == 7
    assert names(parsed.mentions) == ["fylkeskommunen", "fylkesmannen", "næringslivet"]
    parsed = parse_participants("Alle 9 kommunen samt fylkeskommunen")
    assert parsed.stated_count == 9 and names(parsed.mentions) == ["fylkeskommunen"]
    parsed = parse_participants("14 kommuner og Fylkesmannen")
    assert parsed.stated_count == 14 and parsed.unresolved == ["14 kommuner"]
    assert names(parsed.mentions) == ["Fylkesmannen"]


def test_participants_cooperation_and_organisations():
    parsed = parse_participants("9K samt HVE, SIV ...")
    assert parsed.mentions[0].cooperation
    assert names(parsed.mentions[1:]) == ["HVE", "SIV"]
    parsed = parse_participants("9K, Tønsberg, Horten, Stokke, HVE, SIV, VIV, Uninett ABC")
    assert names(parsed.mentions) == [
        "9K",
        "Tønsberg",
        "Horten",
        "Stokke",
        "HVE",
        "SIV",
        "VIV",
        "Uninett ABC",
    ]


def test_participants_notes_schools_and_line_breaks():
    parsed = parse_participants(
        "Oppstart: Tønsberg, Nøtterøy, Stokke, Horten og Re, frafall underveis"
    )
    assert names(parsed.mentions) == ["Tønsberg", "Nøtterøy", "Stokke", "Horten", "Re"]
    assert parsed.notes == ["frafall underveis"]
    parsed = parse_participants("Horten (Borre u-skole) , Re (Revetal u-skole)")
    assert [(m.name, m.note) for m in parsed.mentions] == [
        ("Horten", "Borre u-skole"),
        ("Re", "Revetal u-skole"),
    ]
    parsed = parse_participants("Hof skole og Revetal u-skole + HVE")
    assert [(m.name, m.place) for m in parsed.mentions] == [
        ("Hof", True),
        ("Revetal", True),
        ("HVE", False),
    ]
    parsed = parse_participants("Våle, Ramnes, Andebu, Stokke og fylkes- kommunen.")
    assert names(parsed.mentions) == ["Våle", "Ramnes", "Andebu", "Stokke", "fylkeskommunen"]
    assert names(parse_participants("fylkes- kommunen").mentions) == ["fylkeskommunen"]


def test_participants_owners():
    parsed = parse_participants("Prosjekteier: Fylkesmannen. Deltakere: Alle 9k")
    assert parsed.all_members
    assert [(m.name, m.role) for m in parsed.mentions] == [("Fylkesmannen", "owner")]
    parsed = parse_participants("Prosjektet ledes av fylkesmannen. Alle 9k (-Stokke) deltar")
    assert [(m.name, m.role) for m in parsed.mentions] == [("fylkesmannen", "owner")]
    assert names(parsed.excluded) == ["Stokke"]


def test_participants_unresolvable_sets_are_kept_verbatim():
    assert parse_participants("Fiberkommunene").unresolved == ["Fiberkommunene"]
    parsed = parse_participants("9k fiberkommunene (7 stk)")
    assert parsed.unresolved == ["9k fiberkommunene (7 stk)"] and parsed.stated_count == 7
    parsed = parse_participants("Arb.gruppe del 1 plangruppen")
    assert names(parsed.mentions) == ["Arb.gruppe del 1 plangruppen"]


def one(text):
    amounts = parse_amounts(text)
    assert len(amounts) == 1, amounts
    return amounts[0]


@pytest.mark.parametrize(
    "text, amount, kind, funder, years, approx",
    [
        ("Prosjektet fullfinansiert av KRD med 1 mill kr.", 1_000_000, "grant", "KRD", None, False),
        ("Spart ca 35 mill kr 2002-04", 35_000_000, "benefit", "", (2002, 2004), True),
        ("HØYKOM støttet prosjektet med 350 000 kr.", 350_000, "grant", "HØYKOM", None, False),
        ("Innsparing innkjøp: ½ mill.", 500_000, "benefit", "", None, False),
        ("Beregnet øk gevinst ved fusjonen: kr 800 000", 800_000, "benefit", "", None, False),
        (
            "Felles innkjøp av utredning, besparelse ca 100 000 kr.",
            100_000,
            "benefit",
            "",
            None,
            True,
        ),
        ("300 000 fra SHD til evaluering", 300_000, "grant", "SHD", None, False),
        (
            "Utredet gjennom HØYKOM-prosjekt, tilskudd ca 1 mill kr.",
            1_000_000,
            "grant",
            "HØYKOM",
            None,
            True,
        ),
        ("Støttet av FM med 500 000 kr", 500_000, "grant", "FM", None, False),
        ("Høykom støttet prosjektet med 425 000 kr", 425_000, "grant", "Høykom", None, False),
        (
            "HØYKOM bevilget 600 000 kr og gitt nasjonal fyrårnstatus",
            600_000,
            "grant",
            "HØYKOM",
            None,
            False,
        ),
        ("Støttet av FM med 700 000 kr.", 700_000, "grant", "FM", None, False),
        (
            "Prosjektet støttet av fylkes-kommunen med 100 000 kr.",
            100_000,
            "grant",
            "fylkeskommunen",
            None,
            False,
        ),
        ("Har fått 1 mill fra KRD til å utrede", 1_000_000, "grant", "KRD", None, False),
        (
            "Tilskudd fra Uninett ABC på 500 000 til kabling",
            500_000,
            "grant",
            "Uninett ABC",
            None,
            False,
        ),
    ],
)
def test_amounts(text, amount, kind, funder, years, approx):
    found = one(text)
    assert found.amount_nok == Decimal(amount)
    assert found.kind == kind
    assert found.funder == funder
    assert found.approximate is approx
    if years:
        assert (found.year_from, found.year_to) == years
    if kind == "benefit":
        assert found.benefit_category == "budget_saving"


def test_two_amounts_in_one_sentence_and_funder_from_previous_sentence():
    text = (
        "Total kostnad på utbygging i 2001-03 (utbygging Horten, Stokke), Tønsberg) ca 10 mill,"
        " statlig / HØYKOM tilskudd 5 mill. I 2005 skal 7 kommunehus, ca 30 skoler og mange "
        "andre kommunale virksomheter være tilknyttet."
    )
    cost, grant = parse_amounts(text)
    assert (cost.kind, cost.amount_nok, cost.approximate) == ("cost", 10_000_000, True)
    assert (cost.year_from, cost.year_to, cost.funder) == (2001, 2003, "")
    assert (grant.kind, grant.amount_nok, grant.funder) == ("grant", 5_000_000, "HØYKOM")
    found = one(
        "Prosjektstøtte fra Uninett ABC både til Høgskolen og til kommunene. "
        "Støtte i 2004 på 750 000 (utstyr og lønn)."
    )
    assert (found.funder, found.year_from, found.amount_nok) == ("Uninett ABC", 2004, 750_000)


@pytest.mark.parametrize(
    "text",
    [
        "53 foredrag om 9k i perioden 2001-03",
        "Rapport leveres 01.03.05.",
        "HØYKOM innvilget søknad 21.06.05",
        "Prosjekt for samf. Fag 5-6 klasse, 1600 og 1700 tallet",
        "ca 30 skoler, 25 % av budsjettet, 7 kommunehus",
    ],
)
def test_not_amounts(text):
    assert parse_amounts(text) == []


def test_hosts_spin_offs_and_due_dates():
    assert parse_comment("Tønsberg vertskommune. Stokke vertskommune.").hosts == [
        "Tønsberg",
        "Stokke",
    ]
    assert parse_comment("Tønsberg er vertskommune").hosts == ["Tønsberg"]
    facts = parse_comment("Endret behov i Re og Tønsberg (vertskommuner) dekker behovet.")
    assert facts.hosts == ["Re", "Tønsberg"]
    (company,) = parse_comment("Opprettet aksjeselskapet GigaFib AS – står for drift").spin_offs
    assert (company.name, company.kind) == ("GigaFib AS", "limited_company")
    (handed,) = parse_comment("Fiberen overført til GigaFib i 2004.").spin_offs
    assert (handed.name, handed.year) == ("GigaFib", 2004)
    (central,) = parse_comment("Etablert felles driftsentral for PLO, sosial i Re.").spin_offs
    assert (central.kind, central.host) == ("host_municipality", "Re")

    (due,) = parse_comment("Rapport leveres 01.03.05.").due
    assert (due.date, due.precision, due.delivered, due.kind) == (
        D(2005, 3, 1),
        "day",
        False,
        "report",
    )
    (due,) = parse_comment("Forslag til felles system leveres juni 2005.").due
    assert (due.date, due.precision, due.kind) == (D(2005, 6, 1), "month", "proposal")
    (due,) = parse_comment("Arbeidsgruppe skal levere rapport 01.06.05").due
    assert (due.title, due.date) == ("Rapport", D(2005, 6, 1))
    (due,) = parse_comment("Forslag til felles system leveres 01.08.05.").due
    assert (due.title, due.date) == ("Forslag til felles system", D(2005, 8, 1))
    (done,) = parse_comment("Rapport levert i mars 2005.").due
    assert done.delivered and done.date == D(2005, 3, 1) and done.precision == "month"


@pytest.mark.parametrize(
    "parser, text, value",
    [
        (parse_result, "Gjennomført", "completed"),
        (parse_result, "Pågår", "ongoing"),
        (parse_result, "Pågår fort- løpende", "ongoing"),
        (parse_status, "Avsluttet", "closed"),
        (parse_status, "I drift", "in_operation"),
        (parse_status, "Til behand- ling i kom- munene", "under_treatment"),
        (
            parse_working_form,
            "Arbeidsgruppe 3 kommuner. Ekstern konsulent engasjert",
            "working_group",
        ),
        (parse_working_form, "9k prosjektgruppe", "project_group"),
        (parse_working_form, "Organisert som nettverks-gruppe", "network_group"),
        (parse_working_form, "Ekstern konsulent engasjert.", "external_consultant"),
        (parse_working_form, "Ekstern prosjektleder, arbeidsgruppe", "project_leader"),
    ],
)
def test_choices(parser, text, value):
    choice = parser(text)
    assert choice.value == value and choice.text == text and not choice.unresolved


def test_status_continuation_consultant_and_unresolved():
    choice = parse_status("Avsluttet (viderefør es i 2)")
    assert (choice.value, choice.continues_in) == ("closed", "2")
    choice = parse_working_form("Innleid konsulent (ECON)")
    assert (choice.value, choice.consultant) == ("external_consultant", "ECON")
    choice = parse_status("Prosjektet har eget nettsted og videreføres til nye klasser.")
    assert choice.value == "" and choice.unresolved == choice.text
    assert parse_result("Avsluttet").unresolved == "Avsluttet"


PARSERS = [
    (parse_period, PeriodError),
    (parse_participants, ParticipantsError),
    (parse_amounts, AmountError),
    (parse_comment, CommentError),
    (parse_result, StatusError),
    (parse_status, StatusError),
    (parse_working_form, StatusError),
]

TOKENS = [
    "Alle",
    "9k",
    "minus",
    "pluss",
    "samt",
    "og",
    "+",
    ",",
    ".",
    "(",
    ")",
    "(-",
    "(minus",
    "7",
    "stk)",
    ":",
    ";",
    "&",
    "-",
    "–",
    "1999",
    "2004-",
    "04",
    "Oppstart:",
    "frafall",
    "underveis",
    "Prosjekteier:",
    "Deltakere:",
    "ledes",
    "av",
    "deltar",
    "kommunene",
    "Fiberkommunene",
    "14",
    "kommuner",
    "u-skole",
    "skole",
    "fylkes-",
    "kommunen",
    "9K",
    "HVE",
    "Horten",
    "(Borre",
    "ca",
    "kr",
    "1",
    "mill",
    "½",
    "350",
    "000",
    "mrd",
    "%",
    "tilskudd",
    "støttet",
    "besparelse",
    "spart",
    "kostnad",
    "drift",
    "i",
    "fra",
    "av",
    "HØYKOM",
    "KRD",
    "FM",
    "Uninett",
    "ABC",
    "i",
    "2004",
    "2002-04",
    "vertskommune",
    "er",
    "(vertskommuner)",
    "Opprettet",
    "aksjeselskapet",
    "GigaFib",
    "AS",
    "overført",
    "til",
    "Etablert",
    "felles",
    "leveres",
    "skal",
    "levere",
    "rapport",
    "Rapport",
    "levert",
    "01.03.05",
    "31.02.05",
    "juni",
    "2005",
    "mars",
    "Avsluttet",
    "(viderefør",
    "es",
    "i",
    "2)",
    "I",
    "drift",
    "Til",
    "behand-",
    "ling",
    "Gjennomført",
    "Pågår",
    "konsulent",
    "(ECON)",
    "prosjektgruppe",
    "stoppet",
]
cell_text = (
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200)
    | st.from_regex(r"[0-9 \-–.,()½a-zæøåA-Z:+]{0,60}", fullmatch=True)
    | st.lists(st.sampled_from(TOKENS), max_size=25).map(" ".join)
)


@settings(max_examples=300, deadline=None)
@given(text=cell_text)
def test_no_text_makes_a_parser_raise_anything_but_its_own_error(text):
    for parser, error in PARSERS:
        with contextlib.suppress(error):
            parser(text)


def test_errors_are_parse_errors_and_long_cells_are_refused():
    for _parser, error in PARSERS:
        assert issubclass(error, parsers.ParseError)
    for parser, error in PARSERS:
        with pytest.raises(error):
            parser("x" * (parsers.MAX_CELL + 1))


def test_implausible_years_are_not_spin_off_dates():
    # the hand-over is read (importers.grammar.handover), the year 0000 is not its date
    [spin_off] = parse_comment("Fiberen overført til GigaFib i 0000.").spin_offs
    assert (spin_off.name, spin_off.year) == ("GigaFib", None)


# --- the file readers: any bytes give rows or a ReadError, nothing else ----------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["category", "cells", "name", "source_row", "group", "projects"])
            | st.text(max_size=8),
            children,
            max_size=5,
        )
    ),
    max_leaves=20,
)
project_items = st.fixed_dictionaries(
    {},
    optional={
        "category": st.sampled_from(["operations", "planning", "network", "other", "x"])
        | json_values,
        "cells": st.dictionaries(
            st.sampled_from(["name", "period", "participants", "comment", "status"]),
            json_values,
            max_size=5,
        )
        | json_values,
        "source_row": json_values,
        "group": json_values,
    },
)
file_bytes = (
    st.binary(max_size=400)
    | st.text(max_size=400).map(lambda t: t.encode("utf-8"))
    | st.lists(
        st.lists(
            st.sampled_from(
                ["Prosjekt", "Periode", "Deltagere", "Status", "1) Driftsprosjekter", "", "x"]
            )
            | st.text(max_size=15),
            max_size=8,
        ),
        max_size=8,
    ).map(lambda rows: "\n".join("\t".join(r) for r in rows).encode("utf-8"))
    | st.lists(project_items, max_size=4).map(
        lambda items: json.dumps({"projects": items}).encode("utf-8")
    )
    | st.binary(max_size=200).map(lambda b: b"PK\x03\x04" + b)
)


@settings(max_examples=200, deadline=None)
@given(data=file_bytes)
def test_no_file_makes_the_reader_raise_anything_but_read_error(data):
    try:
        read_overview(data, "fuzz.txt")
    except ReadError as error:
        assert "fuzz.txt" in str(error)


def test_estimated_amounts():
    found = one("Beregnet øk gevinst ved fusjonen: kr 800 000")
    assert found.estimated and not found.approximate
    found = one("Spart ca 35 mill kr 2002-04")
    assert found.estimated and found.approximate
    assert not one("Støttet av FM med 500 000 kr").estimated
