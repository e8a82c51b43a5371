"""No empty history: a stamped save that changes nothing writes no history row.

Every service stamps the instance (`stamp()`) before it saves. Just before such a save, the
instance is compared with its stored row; when no field differs (fields filled in by the
save itself, `auto_now`, are left out), simple_history is told to skip the row. Deletes and
creations always write their row.
"""

from __future__ import annotations

from typing import Any

from django.db import models

SKIP = "skip_history_when_saving"


def _compared_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [
        f
        for f in model._meta.concrete_fields
        if not getattr(f, "auto_now", False) and not getattr(f, "auto_now_add", False)
    ]


def is_unchanged(instance: models.Model) -> bool:
    """True when `instance` has a stored row and no compared field differs from it."""
    if instance._state.adding or instance.pk is None:
        return False
    model = type(instance)
    fields = _compared_fields(model)
    stored = (
        model._base_manager.using(instance._state.db or "default")
        .filter(pk=instance.pk)
        .values(*[f.attname for f in fields])
        .first()
    )
    if stored is None:
        return False
    for f in fields:
        current = getattr(instance, f.attname)
        if current is not None:
            current = f.to_python(current)
        if current != stored[f.attname]:
            return False
    return True


def skip_unchanged_history(
    sender: type[models.Model], instance: models.Model, **kwargs: Any
) -> None:
    """pre_save: a stamped, unchanged save of a model with history writes no history row."""
    if kwargs.get("raw") or not hasattr(instance, "_change_reason"):
        return
    if not hasattr(sender._meta, "simple_history_manager_attribute"):
        return
    if is_unchanged(instance):
        setattr(instance, SKIP, True)
        instance._skipped_unchanged = True  # type: ignore[attr-defined]


def clear_skip(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    """post_save: the skip holds for this one save only."""
    if getattr(instance, "_skipped_unchanged", False):
        delattr(instance, SKIP)
        del instance._skipped_unchanged  # type: ignore[attr-defined]
