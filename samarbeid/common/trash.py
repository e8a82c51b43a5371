"""The trash: rows the secretariat deleted, kept until restored or purged (docs/history.md).

Apps register the models that go to the trash with the services that take a row back and
purge it (`register(Project, untrash=project_restore_from_trash, purge=project_purge)`).
The helpers below are the shared steps those services take inside their transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from samarbeid.common.models import AuditEvent
from samarbeid.common.services import Actor, stamp


@dataclass(frozen=True)
class Trashable:
    model: type[models.Model]
    untrash: Callable[..., models.Model]
    purge: Callable[..., Any]
    select: tuple[str, ...]
    context: Callable[[Any], str] | None

    @property
    def key(self) -> str:
        return self.model._meta.label_lower


REGISTRY: dict[str, Trashable] = {}


def register(
    model: type[models.Model],
    *,
    untrash: Callable[..., models.Model],
    purge: Callable[..., Any],
    select: tuple[str, ...] = (),
    context: Callable[[Any], str] | None = None,
) -> None:
    """`untrash(actor=, instance=)` and `purge(actor=, instance=)` are the app's services;
    `select` the relations `context(instance)` (e.g. "in project X") reads. Register rows
    that hang on another trashable model before it: purging runs in this order."""
    entry = Trashable(model, untrash, purge, select, context)
    REGISTRY[entry.key] = entry


def registered(key: str) -> Trashable | None:
    return REGISTRY.get(key.lower())


# --- the steps of the apps' services -----------------------------------------------------


def _user(actor: Actor) -> Any:
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def move_to_trash(instance: Any, actor: Actor, reason: str) -> None:
    """Set deleted_at/by and save with a history row; the row keeps its data and links."""
    if instance.deleted_at is not None:
        raise ValidationError(_("This is already in the trash."))
    instance.deleted_at = timezone.now()
    instance.deleted_by = _user(actor)
    stamp(instance, actor, reason)
    instance.save()


def take_back(instance: Any, actor: Actor, reason: str) -> None:
    """Take a row out of the trash; its rules are checked again (full_clean) first."""
    if instance.deleted_at is None:
        raise ValidationError(_("This is not in the trash."))
    instance.deleted_at = None
    instance.deleted_by = None
    instance.full_clean()
    stamp(instance, actor, reason)
    instance.save()


def purge_for_good(instance: Any, actor: Actor, reason: str) -> AuditEvent:
    """Delete a row in the trash for good (with what hangs on it) and log an AuditEvent."""
    if instance.deleted_at is None:
        raise ValidationError(_("Only what is in the trash can be deleted for good."))
    user = _user(actor)
    event = AuditEvent.objects.create(
        actor=user,
        actor_name=(user.get_full_name() or user.get_username()) if user else "",
        action=AuditEvent.Action.PURGED,
        object_type=instance._meta.label_lower,
        object_pk=str(instance.pk),
        object_repr=str(instance)[:300],
        detail={"deleted_at": instance.deleted_at.isoformat()},
    )
    stamp(instance, actor, reason)
    try:
        instance.delete()
    except (models.ProtectedError, models.RestrictedError) as exc:
        # The caller's transaction rolls the audit row back with it.
        blocking = ", ".join(sorted({str(o._meta.verbose_name) for o in exc.args[1]}))
        raise ValidationError(
            _("It cannot be deleted for good while other records point to it: %(what)s.")
            % {"what": blocking}
        ) from exc
    return event


# --- reads for the trash page ------------------------------------------------------------


@dataclass
class TrashItem:
    entry: Trashable
    instance: Any

    @property
    def type_name(self) -> str:
        name = str(self.entry.model._meta.verbose_name)
        return name[:1].upper() + name[1:]

    @property
    def context(self) -> str:
        return self.entry.context(self.instance) if self.entry.context else ""


def trashed(older_than: dt.datetime | None = None) -> list[TrashItem]:
    """Everything in the trash, newest first: one query per registered model."""
    items: list[TrashItem] = []
    for entry in REGISTRY.values():
        rows = entry.model._base_manager.filter(deleted_at__isnull=False).select_related(
            "deleted_by", *entry.select
        )
        if older_than is not None:
            rows = rows.filter(deleted_at__lt=older_than)
        items.extend(TrashItem(entry, row) for row in rows)
    items.sort(key=lambda item: item.instance.deleted_at, reverse=True)
    return items


def find(key: str, pk: Any) -> tuple[Trashable, Any]:
    """The registered model and its row in the trash; LookupError when there is none."""
    entry = registered(key)
    if entry is None:
        raise LookupError(key)
    row = entry.model._base_manager.filter(pk=pk, deleted_at__isnull=False).first()
    if row is None:
        raise LookupError(pk)
    return entry, row


def recent_audit_events(limit: int = 50) -> list[AuditEvent]:
    return list(AuditEvent.objects.select_related("actor")[:limit])


def type_label(object_type: str) -> str:
    """The verbose name of a model label such as "projects.project" (in the reader's language)."""
    try:
        name = str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type
    return name[:1].upper() + name[1:]
