"""Builders for the overview and analytics tests (no tests in this module).

`vestfold()` gives the municipalities the tests talk about. When the SSB registry is in the
test database it looks them up there; otherwise it creates the few identities and events
needed (Våle + Ramnes → Re 2002, Tønsberg + Re → 3803 2020, 3803 → 3905 2024, and the Vear
boundary adjustment from Stokke to Tønsberg 2017).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse
from django.utils.text import slugify

from members.models import Cooperation, Membership, Municipality, MunicipalityEvent
from members.selectors import municipality_on
from projects.models import MoneyEntry, Participation, Project

VEAR_NOTE = "Vear moved from Stokke to Tønsberg."


@dataclass
class Vestfold:
    cooperation: Cooperation
    tonsberg: Municipality  # today's, 3905
    tonsberg_0704: Municipality
    re: Municipality
    vale: Municipality
    ramnes: Municipality
    stokke: Municipality
    horten: Municipality
    svelvik: Municipality


def _identity(number, name, start, end=None, county="07") -> Municipality:
    m, _ = Municipality.objects.get_or_create(
        number=number,
        valid_from=start,
        defaults={
            "name": name,
            "valid_to": end,
            "county_number": county,
            "county_name": "Vestfold",
        },
    )
    return m


def _event(kind, date, preds, succs, note="") -> None:
    event = MunicipalityEvent.objects.create(kind=kind, date=date, note=note)
    event.predecessors.set(preds)
    event.successors.set(succs)


def _ensure_registry() -> None:
    if Municipality.objects.filter(number="3905").exists():
        return
    d = dt.date
    vale = _identity("0716", "Våle", d(1964, 1, 1), d(2001, 12, 31))
    ramnes = _identity("0718", "Ramnes", d(1964, 1, 1), d(2001, 12, 31))
    re = _identity("0716", "Re", d(2002, 1, 1), d(2019, 12, 31))
    tonsberg = _identity("0704", "Tønsberg", d(1988, 1, 1), d(2019, 12, 31))
    t3803 = _identity("3803", "Tønsberg", d(2020, 1, 1), d(2023, 12, 31), "38")
    t3905 = _identity("3905", "Tønsberg", d(2024, 1, 1), None, "39")
    stokke = _identity("0720", "Stokke", d(1964, 1, 1), d(2016, 12, 31))
    sandefjord = _identity("0710", "Sandefjord", d(2017, 1, 1), d(2019, 12, 31))
    _identity("0701", "Horten", d(1988, 1, 1), d(2019, 12, 31))
    _identity("0711", "Svelvik", d(1964, 1, 1), d(2019, 12, 31))
    kind = MunicipalityEvent.Kind
    _event(kind.MERGER, d(2002, 1, 1), [vale, ramnes], [re])
    _event(kind.MERGER, d(2017, 1, 1), [stokke], [sandefjord])
    _event(kind.BOUNDARY, d(2017, 1, 1), [stokke], [tonsberg], VEAR_NOTE)
    _event(kind.MERGER, d(2020, 1, 1), [tonsberg, re], [t3803])
    _event(kind.RENUMBERING, d(2024, 1, 1), [t3803], [t3905])


def vestfold(today: dt.date | None = None) -> Vestfold:
    _ensure_registry()
    today = today or dt.date.today()
    d = dt.date
    coop = Cooperation.objects.order_by("pk").first() or Cooperation.objects.create(
        name="12-kommunesamarbeidet i Vestfold", short_name="12k", slug="12k"
    )
    v = Vestfold(
        cooperation=coop,
        tonsberg=municipality_on("3905", today),
        tonsberg_0704=municipality_on("Tønsberg", d(2004, 6, 1)),
        re=municipality_on("Re", d(2004, 6, 1)),
        vale=municipality_on("Våle", d(1999, 6, 1)),
        ramnes=municipality_on("Ramnes", d(1999, 6, 1)),
        stokke=municipality_on("Stokke", d(2004, 6, 1)),
        horten=municipality_on("Horten", d(2004, 6, 1)),
        svelvik=municipality_on("Svelvik", d(2004, 6, 1)),
    )
    for muni, joined, left in (
        (v.vale, d(1997, 1, 1), d(2001, 12, 31)),
        (v.ramnes, d(1997, 1, 1), d(2001, 12, 31)),
        (v.re, d(2002, 1, 1), d(2019, 12, 31)),
        (v.tonsberg_0704, d(1997, 1, 1), d(2019, 12, 31)),
        (v.stokke, d(1997, 1, 1), d(2016, 12, 31)),
        (v.horten, d(1997, 1, 1), d(2019, 12, 31)),
        (v.tonsberg, d(2024, 1, 1), None),
    ):
        Membership.objects.get_or_create(
            cooperation=coop, municipality=muni, joined=joined, defaults={"left": left}
        )
    return v


def project(
    coop: Cooperation,
    name: str,
    start: int | None,
    end: int | None = None,
    *,
    category: str = Project.Category.OPERATIONS,
    open_ended: bool = False,
    **extra,
) -> Project:
    return Project.objects.create(
        cooperation=coop,
        name=name,
        slug=slugify(name)[:100],
        category=category,
        start_date=dt.date(start, 1, 1) if start else None,
        end_date=dt.date(end, 12, 31) if end else None,
        open_ended=open_ended,
        **extra,
    )


def take_part(p: Project, *parties, role: str = Participation.Role.PARTICIPANT) -> None:
    for party in parties:
        if isinstance(party, Municipality):
            Participation.objects.create(project=p, municipality=party, role=role)
        else:
            Participation.objects.create(project=p, organisation=party, role=role)


def vestfold_with_geodata() -> Vestfold:
    """`vestfold()` with one project, Geodata (1999-2004), hosted by the old Tønsberg, in
    which Våle takes part: the pages' cache tests edit it."""
    v = vestfold()
    geodata = project(v.cooperation, "Geodata", 1999, 2004, host_municipality=v.tonsberg_0704)
    take_part(geodata, v.vale)
    return v


def geodata_url() -> str:
    return reverse("projects:detail", args=[Project.objects.get(name="Geodata").slug])


def money(
    p: Project,
    kind: str,
    amount: int | str | None,
    year_from: int | None = None,
    year_to: int | None = None,
    **extra,
) -> MoneyEntry:
    if kind == MoneyEntry.Kind.BENEFIT:
        extra.setdefault("benefit_category", MoneyEntry.BenefitCategory.BUDGET_SAVING)
    return MoneyEntry.objects.create(
        project=p,
        kind=kind,
        amount_nok=None if amount is None else Decimal(str(amount)),
        year_from=year_from,
        year_to=year_to,
        **extra,
    )


def bulk_portfolio(v: Vestfold, count: int, start: int = 0) -> None:
    """`count` more projects, each with three participations and two money entries."""
    cats = [c for c, _label in Project.Category.choices]
    projects = Project.objects.bulk_create(
        [
            Project(
                cooperation=v.cooperation,
                name=f"Bulk project {i:04d}",
                slug=f"bulk-{i:04d}",
                category=cats[i % len(cats)],
                start_date=dt.date(1998 + i % 8, 1, 1),
                end_date=None if i % 5 == 0 else dt.date(2000 + i % 8, 12, 31),
                open_ended=i % 5 == 0,
                host_municipality=v.tonsberg_0704 if i % 7 == 0 else None,
            )
            for i in range(start, start + count)
        ]
    )
    parts = []
    entries = []
    for i, p in enumerate(projects, start):
        first = v.vale if p.start_date.year < 2002 else v.re
        for muni in (first, v.tonsberg_0704, v.horten if i % 2 else v.svelvik):
            parts.append(Participation(project=p, municipality=muni))
        entries.append(
            MoneyEntry(
                project=p,
                kind=MoneyEntry.Kind.GRANT,
                amount_nok=Decimal(1000 + i),
                year_from=p.start_date.year,
                year_to=p.start_date.year + 1,
            )
        )
        entries.append(
            MoneyEntry(
                project=p,
                kind=MoneyEntry.Kind.BENEFIT,
                benefit_category=MoneyEntry.BenefitCategory.FREED_CAPACITY,
                amount_nok=Decimal(500),
                municipality=first,
                year_from=p.start_date.year,
            )
        )
    Participation.objects.bulk_create(parts)
    MoneyEntry.objects.bulk_create(entries)
