"""Resolve names written in the overview to the registries: municipalities (the member
on the project's start date, or the identity valid then) and organisations (by name,
abbreviation or alias, with the usual Norwegian endings). Reads only, cached per import.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from django.db.models import Q

from members import selectors as members
from members.models import Cooperation, Municipality, Organisation
from samarbeid.common.text import normalize_name

PLACES_FILE = Path(__file__).resolve().parent / "data" / "places.json"
ABBREVIATIONS_FILE = Path(__file__).resolve().parent / "data" / "abbreviations.json"


def _load(path: Path) -> dict[str, str]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {normalize_name(k): v for k, v in data.items() if not k.startswith("_")}


def load_places() -> dict[str, str]:
    return _load(PLACES_FILE)


def load_abbreviations() -> dict[str, str]:
    return _load(ABBREVIATIONS_FILE)


class Resolver:
    """Name → municipality/organisation, cached for one import."""

    def __init__(self, cooperation: Cooperation):
        self.cooperation = cooperation
        self.organisations = members.organisation_lookup()
        self.places = load_places()
        self.abbreviations = load_abbreviations()
        self._members: dict[dt.date, list[Municipality]] = {}
        self._municipalities: dict[
            tuple[str, dt.date | None, dt.date | None], Municipality | None
        ] = {}

    def members_on(self, on: dt.date) -> list[Municipality]:
        if on not in self._members:
            self._members[on] = members.member_municipalities_on(
                cooperation=self.cooperation, on=on
            )
        return self._members[on]

    def organisation(self, name: str) -> Organisation | None:
        key = normalize_name(re.sub(r"-\s*", "", name) if "fylkes" in name.lower() else name)
        variants = [key, normalize_name(name)]
        for suffix in ("en", "n", "et"):
            variants.append(key + suffix)
            if key.endswith(suffix):
                variants.append(key[: -len(suffix)])
        for variant in variants:
            if variant in self.organisations:
                return self.organisations[variant]
        return None

    def municipality(
        self, name: str, on: dt.date | None, end: dt.date | None = None
    ) -> Municipality | None:
        cache_key = (normalize_name(name), on, end)
        if cache_key not in self._municipalities:
            self._municipalities[cache_key] = self._find_municipality(name, on, end)
        return self._municipalities[cache_key]

    def _find_municipality(
        self, name: str, on: dt.date | None, end: dt.date | None
    ) -> Municipality | None:
        key = normalize_name(name)
        if not key or key.isdigit():
            return None
        short = normalize_name(name.rstrip("."))
        if short in self.abbreviations:  # "Tbg" → Tønsberg
            name = self.abbreviations[short]
            key = normalize_name(name)
        on = on or end or dt.date.today()
        for m in self.members_on(on):
            if normalize_name(m.name) == key or normalize_name(m.official_name) == key:
                return m
        try:
            return members.municipality_on(name, on)
        except members.UnknownMunicipality:
            pass
        # Named by a later identity ("Horten" for a project that started while it was
        # Borre): take the one predecessor valid on the start date, if there is one.
        candidates = list(
            Municipality.objects.filter(
                Q(normalized_name=key) | Q(name_variants__normalized_name=key)
            )
            .distinct()
            .order_by("valid_from")
        )
        later = [m for m in candidates if m.valid_from >= on]
        if later:
            valid_then = [p for p in members.predecessors(later[0]) if p.valid_on(on)]
            if len(valid_then) == 1:
                return valid_then[0]
        if end:
            try:
                return members.municipality_on(name, end)
            except members.UnknownMunicipality:
                pass
        return (later or candidates[-1:] or [None])[0]
