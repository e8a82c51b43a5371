"""Small helpers shared by the apps' services."""

from django.db import models


def stamp(instance: models.Model, actor, reason: str) -> None:
    """Say who makes the change and why, for the history row the next save() writes."""
    if actor is not None and getattr(actor, "is_authenticated", False):
        instance._history_user = actor
    instance._change_reason = reason
