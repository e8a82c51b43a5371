"""The floor every app's services stand on: who acts, and how a change is stamped.

See docs/architecture.md for the service convention.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, TypeAlias, TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models

from samarbeid.common.permissions import require_secretariat

M = TypeVar("M", bound=models.Model)

Actor: TypeAlias = AbstractBaseUser | AnonymousUser | None
"""Who makes a change. `None` is the system: a management command, a demo loader or an
import run from the command line, trusted because only an operator can start it. Pages,
the API and the admin always pass `request.user`, never None."""


def stamp(instance: models.Model, actor: Actor, reason: str) -> None:
    """Say who makes the change and why, for the history row the next save() writes.

    `reason` is an English msgid marked with gettext_noop; history pages translate it.
    """
    if actor is not None and getattr(actor, "is_authenticated", False):
        instance._history_user = actor  # type: ignore[attr-defined]
    instance._change_reason = reason  # type: ignore[attr-defined]


def require_secretariat_or_system(actor: Actor) -> None:
    """The permission check of the secretariat's services: the system may act too."""
    if actor is not None:
        require_secretariat(actor)


def apply_changes(instance: M, changes: Mapping[str, Any], allowed: Collection[str]) -> M:
    """Set `changes` on `instance`; a field outside `allowed` is a programming error."""
    unknown = set(changes) - set(allowed)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    for name, value in changes.items():
        setattr(instance, name, value)
    return instance
