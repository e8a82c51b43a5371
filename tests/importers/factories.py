"""A small 9k: the member municipalities over 1997-2005 on real registry identities, and
the organisations (with aliases) the legacy overview names."""

import datetime as dt

from members.models import Cooperation, Membership, Municipality, Organisation, OrganisationAlias
from members.selectors import UnknownMunicipality, municipality_on

MEMBERS = [
    ("0701", "1998-01-01"),  # Borre, renamed Horten in 2002
    ("0701", "2004-01-01"),  # Horten
    ("0702", "1998-01-01"),  # Holmestrand
    ("0704", "1998-01-01"),  # Tønsberg
    ("0714", "1998-01-01"),  # Hof
    ("0716", "1998-01-01"),  # Våle
    ("0718", "1998-01-01"),  # Ramnes
    ("0716", "2004-01-01"),  # Re
    ("0719", "1998-01-01"),  # Andebu
    ("0720", "1998-01-01"),  # Stokke
    ("0722", "1998-01-01"),  # Nøtterøy
    ("0723", "1998-01-01"),  # Tjøme
]

ORGANISATIONS = [
    ("Høgskolen i Vestfold", "HVE", "university_college", ["Høgskolen"]),
    ("Sykehuset i Vestfold", "SIV", "hospital", []),
    ("Vestfold Interkommunale Vannverk", "VIV", "intermunicipal", []),
    ("Uninett ABC", "", "company", ["Uninett"]),
    ("HØYKOM", "", "state_agency", []),
    ("Kommunal- og regionaldepartementet", "KRD", "ministry", []),
    ("Sosial- og helsedepartementet", "SHD", "ministry", []),
    ("Fylkesmannen i Vestfold", "FM", "county_governor", ["Fylkesmannen"]),
    ("Vestfold fylkeskommune", "", "county_council", ["fylkeskommunen"]),
    ("Næringslivets Hovedorganisasjon", "NHO", "association", []),
    ("GigaFib AS", "", "company", ["GigaFib"]),
    ("ECON", "", "consultancy", []),
]


def _identity(number: str, on: str) -> Municipality:
    return municipality_on(number, dt.date.fromisoformat(on))


def make_cooperation(slug: str = "9k-test") -> Cooperation:
    coop, _ = Cooperation.objects.get_or_create(
        slug=slug,
        defaults={"name": "9-kommunesamarbeidet i Vestfold", "short_name": "9k"},
    )
    for number, on in MEMBERS:
        try:
            m = _identity(number, on)
        except UnknownMunicipality:
            continue
        joined = max(m.valid_from, dt.date(1997, 1, 1))
        Membership.objects.get_or_create(
            cooperation=coop, municipality=m, defaults={"joined": joined, "left": m.valid_to}
        )
    for name, abbreviation, kind, aliases in ORGANISATIONS:
        org, _ = Organisation.objects.get_or_create(
            name=name, defaults={"abbreviation": abbreviation, "kind": kind}
        )
        for alias in aliases:
            if not OrganisationAlias.objects.filter(alias=alias).exists():
                OrganisationAlias.objects.create(organisation=org, alias=alias)
    return coop
