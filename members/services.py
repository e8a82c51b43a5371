"""Business actions on the member registry: the cooperation and its names, memberships,
key figures, organisations and their aliases, people and their positions.

Every action checks the actor first (only the secretariat, or the system as `actor=None`,
edits the registry), validates with full_clean so errors name the field, stamps the history
row with who and why, and runs in one transaction, so bad input writes nothing.

Municipality identities, their name variants and events are not edited here: they come
from the SSB Klass snapshot through `members.registry.load_snapshot`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, TypeVar

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from members.models import (
    Cooperation,
    CooperationName,
    KeyFigure,
    Membership,
    Municipality,
    MunicipalityEvent,
    Organisation,
    OrganisationAlias,
    Person,
    Position,
)
from samarbeid.common.services import (
    Actor,
    apply_changes,
    require_secretariat_or_system,
    stamp,
)
from samarbeid.common.text import normalize_name
from samarbeid.common.versions import RESTORED, mark_restored, version_values

M = TypeVar("M", bound=models.Model)

# Fields a caller may set through the *_update services.
COOPERATION_FIELDS = (
    "name",
    "short_name",
    "slug",
    "founded",
    "founded_precision",
    "purpose",
    "purpose_en",
    "description",
    "postal_address",
    "visiting_address",
    "phone",
    "fax",
    "website",
    "host_organisation",
)
COOPERATION_NAME_FIELDS = ("name", "short_name", "valid_from", "valid_to", "note")
MEMBERSHIP_FIELDS = ("cooperation", "municipality", "role", "joined", "left", "note", "source")
KEY_FIGURE_FIELDS = (
    "cooperation",
    "municipality",
    "year",
    "kind",
    "value",
    "approximate",
    "source",
)
ORGANISATION_FIELDS = (
    "name",
    "abbreviation",
    "kind",
    "description",
    "website",
    "founded",
    "dissolved",
    "identified",
)
PERSON_FIELDS = ("name", "email", "phone", "contact_public", "user", "notes")
POSITION_FIELDS = (
    "person",
    "role",
    "cooperation",
    "municipality",
    "organisation",
    "title",
    "start",
    "end",
    "note",
)


def _save(instance: M, actor: Actor, reason: str) -> M:
    instance.full_clean()
    stamp(instance, actor, reason)
    instance.save()
    return instance


def _delete(instance: models.Model, actor: Actor, reason: str) -> None:
    stamp(instance, actor, reason)
    instance.delete()


# --- cooperation


@transaction.atomic
def cooperation_create(
    *,
    actor: Actor,
    name: str,
    short_name: str,
    slug: str,
    founded: dt.date | None = None,
    founded_precision: str = "day",
    purpose: str = "",
    purpose_en: str = "",
    description: str = "",
    postal_address: str = "",
    visiting_address: str = "",
    phone: str = "",
    fax: str = "",
    website: str = "",
    host_organisation: Organisation | None = None,
) -> Cooperation:
    require_secretariat_or_system(actor)
    cooperation = Cooperation(
        name=name,
        short_name=short_name,
        slug=slug,
        founded=founded,
        founded_precision=founded_precision,
        purpose=purpose,
        purpose_en=purpose_en,
        description=description,
        postal_address=postal_address,
        visiting_address=visiting_address,
        phone=phone,
        fax=fax,
        website=website,
        host_organisation=host_organisation,
    )
    return _save(cooperation, actor, gettext_noop("cooperation created"))


@transaction.atomic
def cooperation_update(
    *, actor: Actor, cooperation: Cooperation, changes: Mapping[str, Any]
) -> Cooperation:
    require_secretariat_or_system(actor)
    apply_changes(cooperation, changes, COOPERATION_FIELDS)
    return _save(cooperation, actor, gettext_noop("cooperation changed"))


@transaction.atomic
def cooperation_delete(*, actor: Actor, cooperation: Cooperation) -> None:
    require_secretariat_or_system(actor)
    _delete(cooperation, actor, gettext_noop("cooperation deleted"))


@transaction.atomic
def cooperation_name_add(
    *,
    actor: Actor,
    cooperation: Cooperation,
    name: str,
    short_name: str,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    note: str = "",
) -> CooperationName:
    """One of the cooperation's names over time."""
    require_secretariat_or_system(actor)
    row = CooperationName(
        cooperation=cooperation,
        name=name,
        short_name=short_name,
        valid_from=valid_from,
        valid_to=valid_to,
        note=note,
    )
    return _save(row, actor, gettext_noop("cooperation name added"))


@transaction.atomic
def cooperation_name_update(
    *, actor: Actor, cooperation_name: CooperationName, changes: Mapping[str, Any]
) -> CooperationName:
    require_secretariat_or_system(actor)
    apply_changes(cooperation_name, changes, COOPERATION_NAME_FIELDS)
    return _save(cooperation_name, actor, gettext_noop("cooperation name changed"))


@transaction.atomic
def cooperation_name_delete(*, actor: Actor, cooperation_name: CooperationName) -> None:
    require_secretariat_or_system(actor)
    _delete(cooperation_name, actor, gettext_noop("cooperation name deleted"))


# --- memberships


@transaction.atomic
def membership_create(
    *,
    actor: Actor,
    cooperation: Cooperation,
    municipality: Municipality,
    joined: dt.date,
    left: dt.date | None = None,
    role: str = Membership.Role.MEMBER,
    note: str = "",
    source: str = "",
) -> Membership:
    """A municipality identity joins the cooperation (Membership.clean checks the period)."""
    require_secretariat_or_system(actor)
    membership = Membership(
        cooperation=cooperation,
        municipality=municipality,
        joined=joined,
        left=left,
        role=role,
        note=note,
        source=source,
    )
    return _save(membership, actor, gettext_noop("membership created"))


@transaction.atomic
def membership_update(
    *,
    actor: Actor,
    membership: Membership,
    changes: Mapping[str, Any],
    reason: str = gettext_noop("membership changed"),
) -> Membership:
    require_secretariat_or_system(actor)
    apply_changes(membership, changes, MEMBERSHIP_FIELDS)
    return _save(membership, actor, reason)


@transaction.atomic
def membership_restore(*, actor: Actor, instance: Membership, version: Any) -> Membership:
    """Bring back an earlier version of a membership through membership_update."""
    require_secretariat_or_system(actor)
    changes = version_values(version, MEMBERSHIP_FIELDS)
    mark_restored(instance, version)
    return membership_update(actor=actor, membership=instance, changes=changes, reason=RESTORED)


@transaction.atomic
def membership_end(*, actor: Actor, membership: Membership, left: dt.date) -> Membership:
    """The municipality leaves; `left` is its last day as a member."""
    require_secretariat_or_system(actor)
    membership.left = left
    return _save(membership, actor, gettext_noop("membership ended"))


@transaction.atomic
def membership_delete(*, actor: Actor, membership: Membership) -> None:
    require_secretariat_or_system(actor)
    _delete(membership, actor, gettext_noop("membership deleted"))


# --- memberships through mergers

# History reasons per kind of event: (for the predecessor's membership ended the day
# before, for the successor's membership from the event's date).
SUCCESSION_REASONS = {
    MunicipalityEvent.Kind.MERGER: (
        gettext_noop("membership ended by a municipal merger"),
        gettext_noop("membership passed on by a municipal merger"),
    ),
    MunicipalityEvent.Kind.SPLIT: (
        gettext_noop("membership ended by a municipal split"),
        gettext_noop("membership passed on by a municipal split"),
    ),
    MunicipalityEvent.Kind.RENAME: (
        gettext_noop("membership ended by a municipality's new name or number"),
        gettext_noop("membership passed on by a municipality's new name or number"),
    ),
    MunicipalityEvent.Kind.RENUMBERING: (
        gettext_noop("membership ended by a municipality's new name or number"),
        gettext_noop("membership passed on by a municipality's new name or number"),
    ),
}


def _covers(membership: Membership, day: dt.date) -> bool:
    return membership.joined <= day and (membership.left is None or membership.left >= day)


def _event_note(event: MunicipalityEvent) -> str:
    def names(ms: list[Municipality]) -> str:
        return ", ".join(str(m) for m in sorted(ms, key=lambda m: (m.name, m.number)))

    return _("%(kind)s on %(date)s: %(before)s → %(after)s.") % {
        "kind": event.get_kind_display().capitalize(),
        "date": event.date.isoformat(),
        "before": names(list(event.predecessors.all())),
        "after": names(list(event.successors.all())),
    }


def _follow_event(
    actor: Actor,
    cooperation: Cooperation,
    event: MunicipalityEvent,
    held: dict[int, list[Membership]],
) -> list[Membership]:
    """Pass the memberships the event's predecessors held the day before on to its
    successors; `held` (memberships by municipality id) is kept up to date."""
    eve = event.date - dt.timedelta(days=1)
    predecessors = list(event.predecessors.all())
    successors = [m for m in event.successors.all() if m not in predecessors]
    passing = [m for p in predecessors for m in held.get(p.pk, []) if _covers(m, eve)]
    if not passing or not successors:
        return []
    ended_reason, passed_reason = SUCCESSION_REASONS[MunicipalityEvent.Kind(event.kind)]
    note = _event_note(event)
    for membership in passing:
        if membership.municipality in successors:
            continue
        if membership.left is None or membership.left > eve:
            membership.left = eve
            _save(membership, actor, ended_reason)
    role = (
        Membership.Role.MEMBER
        if any(m.role == Membership.Role.MEMBER for m in passing)
        else Membership.Role.OBSERVER
    )
    created = []
    for successor in successors:
        mine = held.setdefault(successor.pk, [])
        if any(m.left is None or m.left >= event.date for m in mine):
            continue  # already recorded (by hand, or by an earlier run)
        membership = Membership(
            cooperation=cooperation,
            municipality=successor,
            joined=event.date,
            role=role,
            note=note,
            source=event.source[:300],
        )
        mine.append(_save(membership, actor, passed_reason))
        created.append(membership)
    return created


@transaction.atomic
def membership_follow_mergers(
    *, actor: Actor, cooperation: Cooperation, on: dt.date
) -> list[Membership]:
    """Pass the cooperation's memberships on through every merger, split, rename and
    renumbering dated up to `on`, oldest first (so chains are followed: Nøtterøy → Færder
    0729 → 3811 → 3911).

    A membership in force the day before the event ends that day; each successor not
    already a member gets a membership from the event's date, with the event in its note
    and as the reason of both history rows. A membership the secretariat ended before the
    event is not passed on; one passed on can be ended with `membership_end`. Running it
    again changes nothing. Returns the memberships created.
    """
    require_secretariat_or_system(actor)
    held: dict[int, list[Membership]] = {}
    for membership in Membership.objects.filter(cooperation=cooperation).select_related(
        "municipality"
    ):
        held.setdefault(membership.municipality_id, []).append(membership)
    if not held:
        return []
    events = MunicipalityEvent.objects.filter(kind__in=list(SUCCESSION_REASONS), date__lte=on)
    created: list[Membership] = []
    for event in events.prefetch_related("predecessors", "successors").order_by("date", "pk"):
        created.extend(_follow_event(actor, cooperation, event, held))
    return created


# --- key figures


@transaction.atomic
def key_figure_set(
    *,
    actor: Actor,
    cooperation: Cooperation,
    year: int,
    kind: str,
    value: int,
    municipality: Municipality | None = None,
    approximate: bool = False,
    source: str = "",
) -> KeyFigure:
    """The figure of a kind for a year (for one municipality, or for all members when
    `municipality` is None): created when missing, otherwise changed."""
    require_secretariat_or_system(actor)
    figure = KeyFigure.objects.filter(
        cooperation=cooperation, municipality=municipality, year=year, kind=kind
    ).first()
    if figure is None:
        figure = KeyFigure(cooperation=cooperation, municipality=municipality, year=year, kind=kind)
    figure.value = value
    figure.approximate = approximate
    figure.source = source
    return _save(figure, actor, gettext_noop("key figure set"))


@transaction.atomic
def key_figure_update(
    *, actor: Actor, key_figure: KeyFigure, changes: Mapping[str, Any]
) -> KeyFigure:
    require_secretariat_or_system(actor)
    apply_changes(key_figure, changes, KEY_FIGURE_FIELDS)
    return _save(key_figure, actor, gettext_noop("key figure changed"))


@transaction.atomic
def key_figure_delete(*, actor: Actor, key_figure: KeyFigure) -> None:
    require_secretariat_or_system(actor)
    _delete(key_figure, actor, gettext_noop("key figure deleted"))


# --- organisations


@transaction.atomic
def organisation_create(
    *,
    actor: Actor,
    name: str,
    kind: str,
    abbreviation: str = "",
    description: str = "",
    website: str = "",
    founded: dt.date | None = None,
    dissolved: dt.date | None = None,
    identified: bool = True,
) -> Organisation:
    require_secretariat_or_system(actor)
    organisation = Organisation(
        name=name,
        kind=kind,
        abbreviation=abbreviation,
        description=description,
        website=website,
        founded=founded,
        dissolved=dissolved,
        identified=identified,
    )
    return _save(organisation, actor, gettext_noop("organisation created"))


@transaction.atomic
def organisation_update(
    *, actor: Actor, organisation: Organisation, changes: Mapping[str, Any]
) -> Organisation:
    require_secretariat_or_system(actor)
    apply_changes(organisation, changes, ORGANISATION_FIELDS)
    return _save(organisation, actor, gettext_noop("organisation changed"))


@transaction.atomic
def organisation_delete(*, actor: Actor, organisation: Organisation) -> None:
    require_secretariat_or_system(actor)
    _delete(organisation, actor, gettext_noop("organisation deleted"))


def _check_alias_free(row: OrganisationAlias) -> None:
    """An alias names one organisation only (it is matched after normalisation)."""
    row.normalized_alias = normalize_name(row.alias)
    taken = (
        OrganisationAlias.objects.filter(normalized_alias=row.normalized_alias)
        .exclude(pk=row.pk)
        .select_related("organisation")
        .first()
    )
    if taken is not None:
        raise ValidationError(
            {
                "alias": _("“%(alias)s” is already an alias of %(organisation)s.")
                % {"alias": row.alias, "organisation": taken.organisation}
            }
        )


@transaction.atomic
def organisation_alias_add(
    *, actor: Actor, organisation: Organisation, alias: str
) -> OrganisationAlias:
    """Another name importers may meet for the organisation."""
    require_secretariat_or_system(actor)
    row = OrganisationAlias(organisation=organisation, alias=alias)
    _check_alias_free(row)
    return _save(row, actor, gettext_noop("organisation alias added"))


@transaction.atomic
def organisation_alias_update(
    *, actor: Actor, organisation_alias: OrganisationAlias, alias: str
) -> OrganisationAlias:
    require_secretariat_or_system(actor)
    organisation_alias.alias = alias
    _check_alias_free(organisation_alias)
    return _save(organisation_alias, actor, gettext_noop("organisation alias changed"))


@transaction.atomic
def organisation_alias_remove(*, actor: Actor, organisation_alias: OrganisationAlias) -> None:
    require_secretariat_or_system(actor)
    _delete(organisation_alias, actor, gettext_noop("organisation alias removed"))


# --- people and positions


@transaction.atomic
def person_create(
    *,
    actor: Actor,
    name: str,
    email: str = "",
    phone: str = "",
    contact_public: bool = False,
    user: User | None = None,
    notes: str = "",
) -> Person:
    """A person; `user` is the sign-in account, if the person has one."""
    require_secretariat_or_system(actor)
    person = Person(
        name=name,
        email=email,
        phone=phone,
        contact_public=contact_public,
        user=user,
        notes=notes,
    )
    return _save(person, actor, gettext_noop("person created"))


@transaction.atomic
def person_update(
    *,
    actor: Actor,
    person: Person,
    changes: Mapping[str, Any],
    reason: str = gettext_noop("person changed"),
) -> Person:
    require_secretariat_or_system(actor)
    apply_changes(person, changes, PERSON_FIELDS)
    return _save(person, actor, reason)


@transaction.atomic
def person_restore(*, actor: Actor, instance: Person, version: Any) -> Person:
    """Bring back an earlier version of a person's details through person_update."""
    require_secretariat_or_system(actor)
    changes = version_values(version, PERSON_FIELDS)
    mark_restored(instance, version)
    return person_update(actor=actor, person=instance, changes=changes, reason=RESTORED)


@transaction.atomic
def person_delete(*, actor: Actor, person: Person) -> None:
    require_secretariat_or_system(actor)
    _delete(person, actor, gettext_noop("person deleted"))


@transaction.atomic
def position_create(
    *,
    actor: Actor,
    person: Person,
    role: str,
    cooperation: Cooperation | None = None,
    municipality: Municipality | None = None,
    organisation: Organisation | None = None,
    title: str = "",
    start: dt.date | None = None,
    end: dt.date | None = None,
    note: str = "",
) -> Position:
    """A person's role, in the cooperation, a municipality or an organisation."""
    require_secretariat_or_system(actor)
    position = Position(
        person=person,
        role=role,
        cooperation=cooperation,
        municipality=municipality,
        organisation=organisation,
        title=title,
        start=start,
        end=end,
        note=note,
    )
    return _save(position, actor, gettext_noop("position created"))


@transaction.atomic
def position_update(*, actor: Actor, position: Position, changes: Mapping[str, Any]) -> Position:
    require_secretariat_or_system(actor)
    apply_changes(position, changes, POSITION_FIELDS)
    return _save(position, actor, gettext_noop("position changed"))


@transaction.atomic
def position_end(*, actor: Actor, position: Position, end: dt.date) -> Position:
    """The person leaves the role; `end` is the last day in it."""
    require_secretariat_or_system(actor)
    position.end = end
    return _save(position, actor, gettext_noop("position ended"))


@transaction.atomic
def position_delete(*, actor: Actor, position: Position) -> None:
    require_secretariat_or_system(actor)
    _delete(position, actor, gettext_noop("position deleted"))
