"""The trash: rows the secretariat deleted, kept until restored or purged (docs/history.md).

Apps register the models that go to the trash with the services that take a row back and
purge it (`register(Project, untrash=project_restore_from_trash, purge=project_purge)`).
The helpers below are the shared steps those services take inside their transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, overload

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import Count, Value
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
    `select` the relations the row's name (`str`) and `context(instance)` (e.g. "in project
    X") read, so that the trash page reads a page of rows in one query per model. Register rows
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
    """Everything in the trash, newest first: one query per registered model. For the
    purge_trash command, which acts on every row it finds; the page uses `trash_page`."""
    items: list[TrashItem] = []
    for entry in REGISTRY.values():
        rows = _in_trash(entry).select_related("deleted_by", *entry.select)
        if older_than is not None:
            rows = rows.filter(deleted_at__lt=older_than)
        items.extend(TrashItem(entry, row) for row in rows)
    items.sort(key=lambda item: item.instance.deleted_at, reverse=True)
    return items


PAGE_SIZE = 50


@dataclass(frozen=True)
class KindCount:
    """One registered model and how many of its rows are in the trash."""

    key: str
    label: str
    count: int


@dataclass
class TrashPage:
    page: Page
    kinds: list[KindCount]
    kind: str  # the key shown, or "" for every kind


def _in_trash(entry: Trashable) -> models.QuerySet[Any]:
    """The model's rows in the trash, unordered (the partial index `trash_index` serves it)."""
    return entry.model._base_manager.filter(deleted_at__isnull=False).order_by()


def trash_counts() -> dict[str, int]:
    """How many rows of each registered model are in the trash: one query."""
    parts = [
        _in_trash(entry)
        .annotate(trash_kind=Value(key, output_field=models.CharField()))
        .values("trash_kind")
        .annotate(n=Count("pk"))
        .values_list("trash_kind", "n")
        for key, entry in REGISTRY.items()
    ]
    counts = dict(_union(parts)) if parts else {}
    return {key: counts.get(key, 0) for key in REGISTRY}


def _union(parts: list[models.QuerySet[Any]]) -> models.QuerySet[Any]:
    return parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]


def _load(keyed: list[tuple[str, Any]]) -> list[TrashItem]:
    """The rows named by (model key, pk), in that order: one query per model among them."""
    wanted: dict[str, list[Any]] = {}
    for key, pk in keyed:
        wanted.setdefault(key, []).append(pk)
    found: dict[tuple[str, Any], TrashItem] = {}
    for key, pks in wanted.items():
        entry = REGISTRY[key]
        rows = _in_trash(entry).filter(pk__in=pks).select_related("deleted_by", *entry.select)
        found.update(((key, row.pk), TrashItem(entry, row)) for row in rows)
    # A row restored or purged between the two reads is left out.
    return [found[k] for k in keyed if k in found]


class _Window(Sequence[TrashItem]):
    """The trash newest first as Paginator sees it: its length is known (the counts), and a
    slice reads one page: (model key, pk) of that page in one query, then its rows."""

    def __init__(self, entries: list[Trashable], total: int) -> None:
        self.entries = entries
        self.total = total

    def __len__(self) -> int:
        return self.total

    @overload
    def __getitem__(self, index: int) -> TrashItem: ...

    @overload
    def __getitem__(self, index: slice) -> list[TrashItem]: ...

    def __getitem__(self, index: int | slice) -> TrashItem | list[TrashItem]:
        if isinstance(index, int):
            found = self[index : index + 1]
            if not found:
                raise IndexError(index)
            return found[0]
        start, stop = index.start or 0, self.total if index.stop is None else index.stop
        parts = [
            _in_trash(entry)
            .annotate(trash_kind=Value(entry.key, output_field=models.CharField()))
            .values_list("deleted_at", "trash_kind", "pk")
            for entry in self.entries
        ]
        if not parts or stop <= start:
            return []
        rows = _union(parts).order_by("-deleted_at", "trash_kind", "-pk")[start:stop]
        return _load([(kind, pk) for _at, kind, pk in rows])


def trash_page(*, kind: str = "", page: Any = None, size: int = PAGE_SIZE) -> TrashPage:
    """One page of the trash, newest deleted first, of one registered model (`kind`, its
    key) or of all; with how many of each kind are in the trash. A fixed number of queries
    whatever the size of the trash: the counts, the page's keys, and its rows per model."""
    counts = trash_counts()
    entry = registered(kind) if kind else None
    entries = [entry] if entry else list(REGISTRY.values())
    total = sum(counts[e.key] for e in entries)
    kinds = sorted(
        (KindCount(key, _plural(REGISTRY[key]), n) for key, n in counts.items()),
        key=lambda k: k.label,
    )
    return TrashPage(
        page=Paginator(_Window(entries, total), size).get_page(page),
        kinds=kinds,
        kind=entry.key if entry else "",
    )


def _plural(entry: Trashable) -> str:
    name = str(entry.model._meta.verbose_name_plural)
    return name[:1].upper() + name[1:]


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
