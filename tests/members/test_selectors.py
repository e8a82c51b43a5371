"""Looking municipalities up over time, across mergers and renames."""

import datetime as dt

import pytest

from members.selectors import (
    UnknownMunicipality,
    municipalities_on,
    municipality_history,
    municipality_on,
    predecessors,
    successors,
)

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.mark.parametrize(
    ("name", "on", "today"),
    [
        ("Re", D(2004, 6, 1), ["3905 Tønsberg"]),
        ("Stokke", D(2004, 6, 1), ["3907 Sandefjord"]),
        ("Tjøme", D(2004, 6, 1), ["3911 Færder"]),
        ("Hof", D(2004, 6, 1), ["3903 Holmestrand"]),
        ("Våle", D(1999, 6, 1), ["3905 Tønsberg"]),
    ],
)
def test_successors_today(name, on, today):
    municipality = municipality_on(name, on)
    assert [f"{m.number} {m.name}" for m in successors(municipality)] == today


def test_vale_goes_through_re():
    vale = municipality_on("Våle", D(1999, 6, 1))
    assert [m.name for m in successors(vale, D(2004, 6, 1))] == ["Re"]


def test_stokke_history_shows_the_vear_boundary_note():
    stokke = municipality_on("Stokke", D(2004, 6, 1))
    kinds = {e.kind: e for e in municipality_history(stokke)}
    assert set(kinds) == {"merger", "boundary"}
    assert "Vear" in kinds["boundary"].note


def test_vestfold_had_14_municipalities_in_2004():
    names = [m.name for m in municipalities_on(D(2004, 6, 1), county_number="07")]
    assert len(names) == 14
    assert {"Re", "Stokke", "Hof", "Tjøme", "Sande", "Svelvik", "Lardal"} <= set(names)


def test_vestfold_has_6_municipalities_in_2024():
    found = [(m.number, m.name) for m in municipalities_on(D(2024, 1, 1), county_number="39")]
    assert found == [
        ("3901", "Horten"),
        ("3903", "Holmestrand"),
        ("3905", "Tønsberg"),
        ("3907", "Sandefjord"),
        ("3909", "Larvik"),
        ("3911", "Færder"),
    ]


@pytest.mark.parametrize("value", ["Sande (Vestfold)", "sande", "  SANDE  (vestfold) "])
def test_name_variants(value):
    assert municipality_on(value, D(2010, 6, 1)).number == "0713"


def test_names_are_case_and_space_insensitive_with_aeoa_intact():
    assert municipality_on("  tØnsberg ", D(2010, 6, 1)).number == "0704"
    with pytest.raises(UnknownMunicipality):
        municipality_on("Tonsberg", D(2010, 6, 1))


def test_borre_with_stray_spaces_in_1995():
    assert municipality_on(" Borre ", D(1995, 6, 1)).number == "0701"


def test_borre_and_horten_around_the_rename():
    assert municipality_on("0701", D(2002, 5, 31)).name == "Borre"
    assert municipality_on("701", D(2002, 6, 1)).name == "Horten"
    assert municipality_on(716, D(2001, 6, 1)).name == "Våle"
    assert municipality_on("0716", D(2002, 6, 1)).name == "Re"


@pytest.mark.parametrize("value", ["Atlantis", "0999"])
def test_unknown_names_the_value_and_the_date(value):
    with pytest.raises(UnknownMunicipality) as info:
        municipality_on(value, D(2004, 6, 1))
    assert value in str(info.value)
    assert "2004-06-01" in str(info.value)


def test_known_name_on_the_wrong_date():
    with pytest.raises(UnknownMunicipality) as info:
        municipality_on("Re", D(1999, 6, 1))
    assert "Re" in str(info.value) and "1999-06-01" in str(info.value)


def test_predecessors_of_todays_tonsberg():
    tonsberg = municipality_on("3905", D(2024, 6, 1))
    names = {(m.number, m.name) for m in predecessors(tonsberg)}
    assert {("0716", "Våle"), ("0718", "Ramnes"), ("0716", "Re"), ("0721", "Sem")} <= names
    assert ("0720", "Stokke") not in names
