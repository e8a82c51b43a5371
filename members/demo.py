"""Demo data: the Vestfold cooperation (9k/12k), its members over time, partner
organisations, the people the source documents name, and demo users.

Everything except the users comes from `data/vestfold-cooperation.json`, which also lists
every assumption made where the documents are silent. Idempotent: rows are found by
their natural keys, created or changed through members.services only when missing or
different, so a second run writes nothing (not even history).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import models, transaction

from members import services
from members.models import (
    Cooperation,
    CooperationName,
    KeyFigure,
    Membership,
    Municipality,
    Organisation,
    OrganisationAlias,
    Person,
    Position,
)
from members.selectors import municipality_on
from samarbeid.common import permissions
from samarbeid.common.text import normalize_name

DEMO_PASSWORD = "samarbeid-demo"
APPS_FOR_SECRETARIAT = ("members", "projects", "governance", "importers")

M = TypeVar("M", bound=models.Model)


def demo_file() -> Path:
    return Path(
        getattr(
            settings,
            "MEMBERS_DEMO_FILE",
            Path(settings.BASE_DIR) / "data" / "vestfold-cooperation.json",
        )
    )


class _Stats:
    def __init__(self):
        self.created = 0
        self.updated = 0
        self.unchanged = 0


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _upsert(
    model: type[M],
    lookup: dict[str, Any],
    values: dict[str, Any],
    stats: _Stats,
    *,
    create: Callable[..., M],
    update: Callable[[M, dict[str, Any]], M],
) -> M:
    """Look a row up by its natural key; create it through the `create` service when it is
    missing, change it through `update` when a value differs, else leave it (no history)."""
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        stats.created += 1
        return create(actor=None, **lookup, **values)
    changed = {k: v for k, v in values.items() if getattr(obj, k) != v}
    if not changed:
        stats.unchanged += 1
        return obj
    stats.updated += 1
    return update(obj, changed)


def _municipality(number: str, name: str, on: dt.date) -> Municipality:
    found = municipality_on(number, on)
    if normalize_name(found.name) != normalize_name(name):
        raise ValueError(
            f"{demo_file().name}: municipality {number} on {on.isoformat()} is "
            f"{found.name}, not {name}"
        )
    return found


@transaction.atomic
def load_demo(stdout=None) -> None:
    data = json.loads(demo_file().read_text(encoding="utf-8"))
    stats = _Stats()
    if not Municipality.objects.exists():
        from members.registry import load_snapshot

        load_snapshot(
            directory=Path(settings.SSB_KLASS_DIR),
            overrides=Path(settings.MUNICIPALITY_OVERRIDES_FILE),
        )
    organisations = _organisations(data["organisations"], stats)
    cooperation = _cooperation(data["cooperation"], organisations, stats)
    _names(cooperation, data["names"], stats)
    _memberships(cooperation, data["memberships"], stats)
    stats.created += len(
        services.membership_follow_mergers(actor=None, cooperation=cooperation, on=dt.date.today())
    )
    _key_figures(cooperation, data["key_figures"], stats)
    _people(cooperation, data["people"], stats)
    _demo_users(stats)
    if stdout is not None:
        stdout.write(
            f"members: {stats.created} created, {stats.updated} updated, "
            f"{stats.unchanged} unchanged ({cooperation.name})"
        )


def _organisations(rows: list[dict[str, Any]], stats: _Stats) -> dict[str, Organisation]:
    organisations = {}
    for row in rows:
        org = _upsert(
            Organisation,
            {"name": row["name"]},
            {
                "abbreviation": row.get("abbreviation", ""),
                "kind": row["kind"],
                "description": row.get("description", ""),
                "identified": row.get("identified", True),
            },
            stats,
            create=services.organisation_create,
            update=lambda obj, changes: services.organisation_update(
                actor=None, organisation=obj, changes=changes
            ),
        )
        organisations[org.name] = org
        for alias in row.get("aliases", []):
            _alias(org, alias, stats)
    return organisations


def _alias(org: Organisation, alias: str, stats: _Stats) -> None:
    key = normalize_name(alias)
    if key in {normalize_name(org.name), normalize_name(org.abbreviation)}:
        return
    existing = OrganisationAlias.objects.filter(normalized_alias=key).first()
    if existing is None:
        services.organisation_alias_add(actor=None, organisation=org, alias=alias)
        stats.created += 1
    elif existing.organisation_id != org.pk:
        raise ValueError(f"alias {alias!r} already belongs to {existing.organisation}")
    else:
        stats.unchanged += 1


def _cooperation(
    spec: dict[str, Any], organisations: dict[str, Organisation], stats: _Stats
) -> Cooperation:
    return _upsert(
        Cooperation,
        {"slug": spec["slug"]},
        {
            "name": spec["name"],
            "short_name": spec["short_name"],
            "founded": _date(spec["founded"]),
            "founded_precision": spec["founded_precision"],
            "purpose": spec["purpose"],
            "purpose_en": spec.get("purpose_en", ""),
            "description": spec["description"],
            "postal_address": spec["postal_address"],
            "visiting_address": spec["visiting_address"],
            "phone": spec["phone"],
            "fax": spec.get("fax", ""),
            "host_organisation": organisations[spec["host_organisation"]],
        },
        stats,
        create=services.cooperation_create,
        update=lambda obj, changes: services.cooperation_update(
            actor=None, cooperation=obj, changes=changes
        ),
    )


def _names(cooperation: Cooperation, rows: list[dict[str, Any]], stats: _Stats) -> None:
    for row in rows:
        _upsert(
            CooperationName,
            {"cooperation": cooperation, "valid_from": _date(row["valid_from"])},
            {
                "name": row["name"],
                "short_name": row["short_name"],
                "valid_to": _date(row["valid_to"]),
                "note": row.get("note", ""),
            },
            stats,
            create=services.cooperation_name_add,
            update=lambda obj, changes: services.cooperation_name_update(
                actor=None, cooperation_name=obj, changes=changes
            ),
        )


def _memberships(cooperation: Cooperation, rows: list[dict[str, Any]], stats: _Stats) -> None:
    for row in rows:
        joined = dt.date.fromisoformat(row["joined"])
        municipality = _municipality(row["number"], row["name"], joined)
        values: dict[str, Any] = {
            "role": Membership.Role.MEMBER,
            "note": row.get("note", ""),
            "source": "data/vestfold-cooperation.json (000, 001 and stated assumptions)",
        }
        # An open membership in the file is ended by membership_follow_mergers when its
        # municipality merges; a second run keeps that end rather than reopening it.
        if row["left"]:
            values["left"] = _date(row["left"])
        _upsert(
            Membership,
            {"cooperation": cooperation, "municipality": municipality, "joined": joined},
            values,
            stats,
            create=services.membership_create,
            update=lambda obj, changes: services.membership_update(
                actor=None, membership=obj, changes=changes
            ),
        )


def _key_figures(cooperation: Cooperation, rows: list[dict[str, Any]], stats: _Stats) -> None:
    for row in rows:
        _upsert(
            KeyFigure,
            {
                "cooperation": cooperation,
                "municipality": None,
                "year": row["year"],
                "kind": row["kind"],
            },
            {"value": row["value"], "approximate": row["approximate"], "source": row["source"]},
            stats,
            create=services.key_figure_set,
            update=lambda obj, changes: services.key_figure_update(
                actor=None, key_figure=obj, changes=changes
            ),
        )


def _person(lookup: dict[str, Any], values: dict[str, Any], stats: _Stats) -> Person:
    return _upsert(
        Person,
        lookup,
        values,
        stats,
        create=services.person_create,
        update=lambda obj, changes: services.person_update(actor=None, person=obj, changes=changes),
    )


def _position(lookup: dict[str, Any], values: dict[str, Any], stats: _Stats) -> Position:
    return _upsert(
        Position,
        lookup,
        values,
        stats,
        create=services.position_create,
        update=lambda obj, changes: services.position_update(
            actor=None, position=obj, changes=changes
        ),
    )


def _people(cooperation: Cooperation, rows: list[dict[str, Any]], stats: _Stats) -> None:
    for row in rows:
        person = _person(
            {"name": row["name"]},
            {
                "email": row.get("email", ""),
                "phone": row.get("phone", ""),
                "contact_public": row.get("contact_public", False),
                "notes": row.get("notes", ""),
            },
            stats,
        )
        for pos in row.get("positions", []):
            _position(
                {
                    "person": person,
                    "role": pos["role"],
                    "cooperation": cooperation if pos.get("cooperation") else None,
                },
                {
                    "title": pos.get("title", ""),
                    "start": _date(pos.get("start")),
                    "end": _date(pos.get("end")),
                    "note": pos.get("note", ""),
                },
                stats,
            )


def _demo_users(stats: _Stats) -> None:
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in permissions.ROLE_GROUPS}
    wanted = set(
        Permission.objects.filter(content_type__app_label__in=APPS_FOR_SECRETARIAT).values_list(
            "pk", flat=True
        )
    )
    secretariat = groups[permissions.SECRETARIAT]
    have = set(secretariat.permissions.values_list("pk", flat=True))
    if wanted - have:
        secretariat.permissions.add(*(wanted - have))

    user_model = get_user_model()
    users = {}
    for username, group, staff in (
        ("sekretariat", permissions.SECRETARIAT, True),
        ("styret", permissions.BOARD, False),
        ("tonsberg", permissions.MUNICIPALITY_CONTACT, False),
    ):
        user = user_model.objects.filter(username=username).first()
        if user is None:
            user = user_model.objects.create_user(
                username=username, password=DEMO_PASSWORD, is_staff=staff
            )
            stats.created += 1
        else:
            stats.unchanged += 1
        if not user.groups.filter(pk=groups[group].pk).exists():
            user.groups.add(groups[group])
        users[username] = user

    tonsberg = municipality_on("Tønsberg", dt.date.today())
    person = _person(
        {"user": users["tonsberg"]},
        {
            "name": "Demo: kontaktperson Tønsberg",
            "email": "kontakt.tonsberg@example.org",
            "notes": "Demo account (user “tonsberg”), not a real person; the address is a "
            "reserved example domain so referral notices show in the console.",
        },
        stats,
    )
    _position(
        {
            "person": person,
            "role": Position.Role.MUNICIPALITY_CONTACT,
            "municipality": tonsberg,
        },
        {"note": "Demo account."},
        stats,
    )
