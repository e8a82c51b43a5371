"""Reads of the member registry. Every function returns data already joined for display."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from members.models import (
    Cooperation,
    KeyFigure,
    Membership,
    Municipality,
    MunicipalityEvent,
    Organisation,
    OrganisationAlias,
)
from members.request_cache import memo
from samarbeid.common.text import normalize_name


class UnknownMunicipality(LookupError):
    """No municipality identity matches the value on the date asked for."""

    def __init__(self, value: str, on: dt.date | None):
        self.value = value
        self.on = on
        if on:
            message = _("Unknown municipality “%(value)s” on %(date)s.") % {
                "value": value,
                "date": on.isoformat(),
            }
        else:
            message = _("Unknown municipality “%(value)s”.") % {"value": value}
        super().__init__(message)


class UnknownOrganisation(LookupError):
    def __init__(self, value: str):
        self.value = value
        super().__init__(_("Unknown organisation “%(value)s”.") % {"value": value})


def _valid_on(on: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}valid_from__lte": on}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": on})
    )


def municipality_on(number_or_name: str | int, on: dt.date) -> Municipality:
    """The municipality identity with this number or name on a date (kept per request)."""
    return memo(
        ("municipality_on", str(number_or_name), on), lambda: _municipality_on(number_or_name, on)
    )


def _municipality_on(number_or_name: str | int, on: dt.date) -> Municipality:
    """The municipality identity with this number or name on a date.

    Numbers may be given as "0716", "716" or 716. Names match case- and whitespace-
    insensitively (æøå intact), on the current name or a recorded spelling variant
    such as "Sande (Vestfold)". Raises UnknownMunicipality naming the value and date.
    """
    raw = str(number_or_name).strip()
    qs = Municipality.objects.filter(_valid_on(on))
    if raw.isdigit():
        found = qs.filter(number=raw.zfill(4)).first()
    else:
        key = normalize_name(raw)
        found = (
            qs.filter(Q(normalized_name=key) | Q(name_variants__normalized_name=key))
            .distinct()
            .order_by("number")
            .first()
        )
    if found is None:
        raise UnknownMunicipality(str(number_or_name), on)
    return found


def municipalities_on(on: dt.date, *, county_number: str | None = None) -> QuerySet[Municipality]:
    """All municipality identities valid on a date, optionally in one county (e.g. "07")."""
    qs = Municipality.objects.filter(_valid_on(on))
    if county_number:
        qs = qs.filter(county_number=county_number)
    return qs.order_by("number")


class SuccessionGraph:
    """Merger, split, rename and renumbering events held in memory (4 plain queries).

    Boundary adjustments (a part moved, e.g. Vear from Stokke to Tønsberg) are not
    successions and are left out. Load it once and ask it many times. The link tables
    are read as pairs of ids: prefetching events with their municipalities costs far
    more for the ~1,000 events of all of Norway since 1972.
    """

    def __init__(self) -> None:
        events = dict(
            MunicipalityEvent.objects.exclude(kind=MunicipalityEvent.Kind.BOUNDARY).values_list(
                "pk", "date"
            )
        )
        preds: dict[int, list[int]] = {}
        succs: dict[int, list[int]] = {}
        for table, into, column in (
            (MunicipalityEvent.predecessors.through, preds, "municipality_id"),
            (MunicipalityEvent.successors.through, succs, "municipality_id"),
        ):
            pairs = table.objects.exclude(
                municipalityevent__kind=MunicipalityEvent.Kind.BOUNDARY
            ).values_list("municipalityevent_id", column)
            for event_id, municipality_id in pairs:
                into.setdefault(event_id, []).append(municipality_id)
        ids = {m for ms in (*preds.values(), *succs.values()) for m in ms}
        by_pk = Municipality.objects.in_bulk(ids)
        self._forward: dict[int, list[tuple[dt.date, Municipality]]] = {}
        self._back: dict[int, list[Municipality]] = {}
        for event_id, day in events.items():
            before = preds.get(event_id, [])
            after = succs.get(event_id, [])
            for pred in before:
                self._forward.setdefault(pred, []).extend(
                    (day, by_pk[succ]) for succ in after if succ != pred
                )
            for succ in after:
                self._back.setdefault(succ, []).extend(by_pk[p] for p in before if p != succ)

    def successors(self, municipality: Municipality, on: dt.date) -> list[Municipality]:
        """The identities valid on `on` that carry `municipality` on, sorted by number.

        An identity still valid on the date is its own successor; one that ended in an
        event after `on`, or in none at all, has none.
        """
        result: dict[int, Municipality] = {}
        seen: set[int] = set()
        stack = [municipality]
        while stack:
            current = stack.pop()
            if current.pk in seen:
                continue
            seen.add(current.pk)
            if current.valid_on(on):
                result[current.pk] = current
            else:
                stack.extend(succ for day, succ in self._forward.get(current.pk, ()) if day <= on)
        return sorted(result.values(), key=lambda m: (m.number, m.valid_from))

    def predecessors(self, municipality: Municipality) -> list[Municipality]:
        """Every identity that became `municipality`, oldest first."""
        found: dict[int, Municipality] = {}
        stack = [municipality]
        while stack:
            for pred in self._back.get(stack.pop().pk, ()):
                if pred.pk not in found and pred.pk != municipality.pk:
                    found[pred.pk] = pred
                    stack.append(pred)
        return sorted(found.values(), key=lambda m: (m.valid_from, m.number))


def succession_graph() -> SuccessionGraph:
    """The succession graph, built at most once per request (4 queries)."""
    return memo("succession_graph", SuccessionGraph)


def successors(municipality: Municipality, on: dt.date | None = None) -> list[Municipality]:
    """The identities that carry `municipality` on at date `on` (default: today).

    Follows merger, split, rename and renumbering events forward; boundary adjustments
    (a part moved, e.g. Vear from Stokke to Tønsberg) are not followed. An identity still
    valid on the date is its own successor. Identities are returned sorted by number.
    """
    return succession_graph().successors(municipality, on or dt.date.today())


def predecessors(municipality: Municipality) -> list[Municipality]:
    """Every identity that, through whole-municipality events, became `municipality`."""
    return succession_graph().predecessors(municipality)


def municipality_history(municipality: Municipality) -> QuerySet[MunicipalityEvent]:
    return (
        MunicipalityEvent.objects.filter(Q(predecessors=municipality) | Q(successors=municipality))
        .distinct()
        .prefetch_related("predecessors", "successors")
        .order_by("date")
    )


def default_cooperation() -> Cooperation | None:
    """The first cooperation (the one the desk shows), read once per request."""
    return memo("default_cooperation", lambda: Cooperation.objects.order_by("pk").first())


def cooperation_by_slug(slug: str) -> Cooperation:
    return Cooperation.objects.get(slug=slug)


def memberships(*, cooperation: Cooperation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(cooperation=cooperation)
        .select_related("municipality")
        .order_by("joined", "municipality__name")
    )


def members_on(
    *, cooperation: Cooperation, on: dt.date, include_observers: bool = False
) -> QuerySet[Membership]:
    """Memberships in force on a date, whose municipality identity also exists that day."""
    qs = (
        Membership.objects.filter(cooperation=cooperation, joined__lte=on)
        .filter(Q(left__isnull=True) | Q(left__gte=on))
        .filter(_valid_on(on, "municipality__"))
        .select_related("municipality")
        .order_by("municipality__name")
    )
    if not include_observers:
        qs = qs.filter(role=Membership.Role.MEMBER)
    return qs


def member_municipalities_on(*, cooperation: Cooperation, on: dt.date) -> list[Municipality]:
    return [m.municipality for m in members_on(cooperation=cooperation, on=on)]


def key_figures_for(
    *, cooperation: Cooperation, municipality: Municipality | None = None
) -> QuerySet[KeyFigure]:
    qs = KeyFigure.objects.filter(cooperation=cooperation).select_related("municipality")
    if municipality is None:
        return qs.filter(municipality__isnull=True).order_by("-year", "kind")
    return qs.filter(municipality=municipality).order_by("-year", "kind")


def organisation_by_name(value: str) -> Organisation:
    """Find an organisation by name, abbreviation or alias (case/whitespace-insensitive)."""
    key = normalize_name(value)
    alias = (
        OrganisationAlias.objects.filter(normalized_alias=key)
        .select_related("organisation")
        .first()
    )
    if alias:
        return alias.organisation
    for org in Organisation.objects.all():
        if key in {normalize_name(org.name), normalize_name(org.abbreviation)}:
            return org
    raise UnknownOrganisation(value)


def organisation_lookup() -> dict[str, Organisation]:
    """normalised name/abbreviation/alias → organisation, for importers (one query each)."""
    table: dict[str, Organisation] = {}
    for org in Organisation.objects.all():
        table.setdefault(normalize_name(org.name), org)
        if org.abbreviation:
            table.setdefault(normalize_name(org.abbreviation), org)
    for alias in OrganisationAlias.objects.select_related("organisation"):
        table.setdefault(alias.normalized_alias, alias.organisation)
    return table


def identities_of(municipalities: Iterable[Municipality]) -> list[int]:
    """Primary keys of the given identities and all their predecessors (for cross-merger views)."""
    pks: set[int] = set()
    for m in municipalities:
        pks.add(m.pk)
        pks.update(p.pk for p in predecessors(m))
    return sorted(pks)


def municipality_for_number(number: str, on: dt.date) -> Municipality:
    """The identity with this number on `on`, else the latest that had it (kept per request).

    Raises UnknownMunicipality when no identity ever had the number.
    """
    return memo(
        ("municipality_for_number", number, on), lambda: _municipality_for_number(number, on)
    )


def _municipality_for_number(number: str, on: dt.date) -> Municipality:
    """The identity with this number on `on`, else the latest identity that had the number.

    Raises UnknownMunicipality when no identity ever had the number.
    """
    try:
        return municipality_on(number, on)
    except UnknownMunicipality:
        raw = str(number).strip()
        latest = (
            Municipality.objects.filter(number=raw.zfill(4)).order_by("-valid_from").first()
            if raw.isdigit()
            else None
        )
        if latest is None:
            raise
        return latest


@dataclass
class EarlierMembership:
    municipality: Municipality
    joined: dt.date
    left: dt.date | None


@dataclass
class CurrentMember:
    municipality: Municipality
    membership: Membership | None
    """None when the member is inferred (see `member_list`)."""
    since: dt.date
    """The earliest day it or one of its predecessors joined."""
    earlier: list[EarlierMembership]


@dataclass
class MemberList:
    current: list[CurrentMember]
    former: list[Membership]
    """Memberships of identities that are not predecessors of a current member."""
    inferred: bool = False
    """True when no membership is recorded for an identity valid today, and `current`
    lists today's successors of the identities whose membership was left open."""


def member_list(cooperation: Cooperation, *, on: dt.date) -> MemberList:
    """Today's members with the memberships of their predecessors, and those who left.

    When no recorded membership covers an identity valid on `on` (the records stop
    before a merger, as in the 2010 documents), today's successors of the identities
    whose membership is still open are listed instead, flagged `inferred`. Walks the
    merger/rename graph in memory: 4 queries whatever the number of members.
    """
    memberships = list(
        Membership.objects.filter(cooperation=cooperation)
        .select_related("municipality")
        .order_by("joined", "municipality__name", "pk")
    )
    graph = succession_graph()

    def ancestors(municipality: Municipality) -> set[int]:
        return {p.pk for p in graph.predecessors(municipality)}

    def row(municipality: Municipality, membership: Membership | None) -> CurrentMember:
        family = ancestors(municipality)
        # A membership cannot outlive its identity: an open one ends with it.
        earlier = [
            EarlierMembership(m.municipality, m.joined, m.left or m.municipality.valid_to)
            for m in memberships
            if m.municipality_id in family
        ]
        joined = [e.joined for e in earlier] + ([membership.joined] if membership else [])
        return CurrentMember(municipality, membership, min(joined), earlier)

    current_ms = [
        m
        for m in memberships
        if m.role == Membership.Role.MEMBER
        and m.joined <= on
        and (m.left is None or m.left >= on)
        and m.municipality.valid_on(on)
    ]
    inferred = False
    if current_ms:
        current = [row(m.municipality, m) for m in current_ms]
    else:
        heirs: dict[int, Municipality] = {}
        for m in memberships:
            if m.role == Membership.Role.MEMBER and m.left is None and m.joined <= on:
                for heir in graph.successors(m.municipality, on):
                    heirs[heir.pk] = heir
        current = [row(heir, None) for heir in heirs.values()]
        inferred = bool(current)
    current.sort(key=lambda c: (c.municipality.name, c.municipality.number))
    covered: set[int] = set()
    for c in current:
        covered |= ancestors(c.municipality) | {c.municipality.pk}
    current_ids = {m.pk for m in current_ms}
    former = [
        m for m in memberships if m.pk not in current_ids and m.municipality_id not in covered
    ]
    return MemberList(current=current, former=former, inferred=inferred)
