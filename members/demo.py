"""Demo data: the Vestfold cooperation (9k/12k), its members over time, partner
organisations, the people the source documents name, and demo users.

Everything except the users comes from `data/vestfold-cooperation.json`, which also lists
every assumption made where the documents are silent. Idempotent: rows are found by
their natural keys and saved only when something differs, so a second run writes nothing
(not even history).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import models, transaction

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

CHANGE_REASON = "demo data"
DEMO_PASSWORD = "samarbeid-demo"
APPS_FOR_SECRETARIAT = ("members", "projects", "governance", "importers")


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


def _upsert(model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any], stats):
    """Create or update one row; save (and so write history) only when something differs."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        stats.created += 1
    else:
        changed = {k: v for k, v in values.items() if getattr(obj, k) != v}
        if not changed:
            stats.unchanged += 1
            return obj
        for key, value in changed.items():
            setattr(obj, key, value)
        stats.updated += 1
    obj.full_clean()
    obj._change_reason = CHANGE_REASON
    obj.save()
    return obj


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

    organisations = {}
    for row in data["organisations"]:
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
        )
        organisations[org.name] = org
        for alias in row.get("aliases", []):
            key = normalize_name(alias)
            if key in {normalize_name(org.name), normalize_name(org.abbreviation)}:
                continue
            existing = OrganisationAlias.objects.filter(normalized_alias=key).first()
            if existing is None:
                OrganisationAlias(organisation=org, alias=alias).save()
                stats.created += 1
            elif existing.organisation_id != org.pk:
                raise ValueError(f"alias {alias!r} already belongs to {existing.organisation}")
            else:
                stats.unchanged += 1

    spec = data["cooperation"]
    cooperation = _upsert(
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
    )
    for row in data["names"]:
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
        )
    for row in data["memberships"]:
        joined = _date(row["joined"])
        municipality = _municipality(row["number"], row["name"], joined)
        _upsert(
            Membership,
            {"cooperation": cooperation, "municipality": municipality, "joined": joined},
            {
                "left": _date(row["left"]),
                "role": Membership.Role.MEMBER,
                "note": row.get("note", ""),
                "source": "data/vestfold-cooperation.json (000, 001 and stated assumptions)",
            },
            stats,
        )
    for row in data["key_figures"]:
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
        )
    for row in data["people"]:
        person = _upsert(
            Person,
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
            _upsert(
                Position,
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

    _demo_users(stats)
    if stdout is not None:
        stdout.write(
            f"members: {stats.created} created, {stats.updated} updated, "
            f"{stats.unchanged} unchanged ({cooperation.name})"
        )


def _demo_users(stats) -> None:
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
    person = _upsert(
        Person,
        {"user": users["tonsberg"]},
        {
            "name": "Demo: kontaktperson Tønsberg",
            "email": "kontakt.tonsberg@example.org",
            "notes": "Demo account (user “tonsberg”), not a real person; the address is a "
            "reserved example domain so referral notices show in the console.",
        },
        stats,
    )
    _upsert(
        Position,
        {
            "person": person,
            "role": Position.Role.MUNICIPALITY_CONTACT,
            "municipality": tonsberg,
        },
        {"note": "Demo account."},
        stats,
    )
