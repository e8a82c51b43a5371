"""History pages: the registry of models with a history page, their readable diffs, and
the helpers a `<entity>_restore` service uses (docs/history.md).

Apps register their models in `AppConfig.ready()` with the service that restores a version
(`register(Project, restore=project_restore, object_url=...)`). The generic views in
`samarbeid.common.views` read the registry; this module never imports an app.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from samarbeid.common.permissions import is_inside

PAGE_SIZE = 25
RESTORED = gettext_noop("restored version from %(date)s")
"""The history reason of a restore; the date is in the row's `history_restored_from`."""

# Bookkeeping fields no reader needs to see in a diff.
NOT_SHOWN = frozenset({"id", "version", "search_text", "imported_as", "created_at", "updated_at"})


@dataclass(frozen=True)
class Registered:
    model: type[models.Model]
    restore: Callable[..., models.Model] | None
    object_url: Callable[[models.Model], str] | None
    hidden: frozenset[str]
    can_read: Callable[[Any], bool]

    @property
    def key(self) -> str:
        return self.model._meta.label_lower


REGISTRY: dict[str, Registered] = {}


def register(
    model: type[models.Model],
    *,
    restore: Callable[..., models.Model] | None,
    object_url: Callable[[models.Model], str] | None = None,
    hidden: Iterable[str] = (),
    can_read: Callable[[Any], bool] = is_inside,
) -> None:
    """Give `model` a history page. `restore(actor=, instance=, version=)` is the app's
    `<entity>_restore` service; `object_url(instance)` the object's own page; `can_read(user)`
    who may read the page (default: anyone signed in)."""
    entry = Registered(model, restore, object_url, NOT_SHOWN | frozenset(hidden), can_read)
    REGISTRY[entry.key] = entry


def registered(key: str) -> Registered | None:
    return REGISTRY.get(key.lower())


def key_of(instance: models.Model) -> str:
    return instance._meta.label_lower


# --- readable values ---------------------------------------------------------------------


def _user_name(user: Any) -> str:
    if user is None:
        return _("system")
    return user.get_full_name() or user.get_username()


def show_value(f: models.Field[Any, Any], value: Any, names: dict[tuple[Any, Any], str]) -> str:
    """A stored value as a reader sees it: choice labels, names, dates in the language."""
    if value is None or value == "" or value == {} or value == []:
        return "—"
    if f.is_relation:
        return names.get((f.related_model, value), f"#{value}")
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, Decimal):
        return formats.number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    text = str(getattr(value, "name", value))
    return text if len(text) <= 300 else text[:299] + "…"


def shown_fields(entry: Registered) -> list[models.Field[Any, Any]]:
    return [
        f
        for f in entry.model._meta.concrete_fields
        if f.name not in entry.hidden
        and not getattr(f, "auto_now", False)
        and not getattr(f, "auto_now_add", False)
    ]


def related_names(
    fields: Sequence[models.Field[Any, Any]], rows: Iterable[Any]
) -> dict[tuple[Any, Any], str]:
    """The names of every object the rows point to: one query per related model."""
    wanted: dict[Any, set[Any]] = defaultdict(set)
    for row in rows:
        for f in fields:
            if f.is_relation and getattr(row, f.attname) is not None:
                wanted[f.related_model].add(getattr(row, f.attname))
    names: dict[tuple[Any, Any], str] = {}
    user_model = get_user_model()
    for model, pks in wanted.items():
        for obj in model._base_manager.filter(pk__in=pks):
            names[(model, obj.pk)] = _user_name(obj) if model is user_model else str(obj)
    return names


# --- the history page --------------------------------------------------------------------


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Version:
    record: Any
    when: dt.datetime
    who: str
    action: str
    reason: str
    changes: list[Change] = field(default_factory=list)
    is_current: bool = False

    @property
    def history_id(self) -> int:
        return int(self.record.history_id)


def reason_text(record: Any) -> str:
    """The stored msgid in the reader's language, with the date of a restored version."""
    reason = record.history_change_reason or ""
    if not reason:
        return ""
    text = _(reason)
    restored_from = getattr(record, "history_restored_from", None)
    if restored_from is not None and "%(date)s" in text:
        when = formats.date_format(timezone.localtime(restored_from), "SHORT_DATETIME_FORMAT")
        text = text % {"date": when}
    return text


ACTIONS = {"+": gettext_noop("created"), "~": gettext_noop("changed"), "-": gettext_noop("deleted")}


def diff(
    fields: Sequence[models.Field[Any, Any]],
    before: Any,
    after: Any,
    names: dict[tuple[Any, Any], str],
) -> list[Change]:
    """The fields that differ between two rows (`before` None: every field set in `after`)."""
    changes = []
    for f in fields:
        new = getattr(after, f.attname)
        old = getattr(before, f.attname) if before is not None else None
        if old == new or (before is None and new in (None, "", {}, [])):
            continue
        label = str(f.verbose_name)
        changes.append(
            Change(
                label[:1].upper() + label[1:], show_value(f, old, names), show_value(f, new, names)
            )
        )
    return changes


def history_records(entry: Registered, pk: Any) -> models.QuerySet[Any]:
    return (
        entry.model.history.filter(id=pk)  # type: ignore[attr-defined]
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )


def versions_page(entry: Registered, pk: Any, page_number: Any) -> tuple[Page[Any], list[Version]]:
    """One page of versions, newest first, each compared with the one before it.

    A fixed number of queries per page: the count, the page's rows with the one before
    them, and one per related model named in them.
    """
    records = history_records(entry, pk)
    page = Paginator(records, PAGE_SIZE).get_page(page_number)
    start = (page.number - 1) * PAGE_SIZE
    rows = list(records[start : start + PAGE_SIZE + 1])
    fields = shown_fields(entry)
    names = related_names(fields, rows)
    versions = []
    for i, record in enumerate(rows[:PAGE_SIZE]):
        before = rows[i + 1] if i + 1 < len(rows) else None
        versions.append(
            Version(
                record=record,
                when=record.history_date,
                who=_user_name(record.history_user),
                action=_(ACTIONS[record.history_type]),
                reason=reason_text(record),
                changes=diff(fields, before, record, names),
                is_current=start + i == 0,
            )
        )
    return page, versions


def restore_preview(entry: Registered, instance: models.Model, record: Any) -> list[Change]:
    """What a restore of `record` would change on `instance` (current → version)."""
    fields = [f for f in shown_fields(entry) if f.name not in ("deleted_at", "deleted_by")]
    names = related_names(fields, [instance, record])
    return diff(fields, instance, record, names)


# --- helpers for the apps' restore services ----------------------------------------------


def version_values(version: Any, names: Iterable[str]) -> dict[str, Any]:
    """The values of `names` in a historical row, ready for the app's update service.

    Related objects are looked up (also in the trash); one deleted for good, or a file no
    longer stored, is a ValidationError naming the field, so nothing is written.
    """
    model = version.instance_type
    values: dict[str, Any] = {}
    for name in names:
        f = model._meta.get_field(name)
        value = getattr(version, f.attname)
        if f.is_relation and value is not None:
            obj = f.related_model._base_manager.filter(pk=value).first()
            if obj is None:
                raise ValidationError(
                    {
                        name: _("%(field)s in that version no longer exists.")
                        % {"field": str(f.verbose_name).capitalize()}
                    }
                )
            value = obj
        elif isinstance(f, models.FileField) and value and not f.storage.exists(value):
            raise ValidationError({name: _("The file in that version is no longer stored.")})
        values[name] = value
    return values


def mark_restored(instance: models.Model, version: Any) -> None:
    """The next history row of `instance` records that it restores `version`."""
    instance._restored_from = version.history_date  # type: ignore[attr-defined]


def copy_restored_from(
    sender: Any, instance: models.Model, history_instance: Any, **kwargs: Any
) -> None:
    """pre_create_historical_record: the restored version's date into the history row."""
    restored_from = getattr(instance, "_restored_from", None)
    if restored_from is not None and hasattr(history_instance, "history_restored_from"):
        history_instance.history_restored_from = restored_from


def clear_restored_from(sender: Any, instance: models.Model, **kwargs: Any) -> None:
    """post_save: the mark holds for one save."""
    if hasattr(instance, "_restored_from"):
        del instance._restored_from
