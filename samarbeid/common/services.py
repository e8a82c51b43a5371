"""Small helpers shared by the apps' services."""

from django.db import models
from simple_history.utils import update_change_reason  # noqa: F401  (re-exported)


def validate_and_save(instance: models.Model, *, update_fields: list[str] | None = None) -> None:
    """full_clean then save; services call this so bad data never reaches the database."""
    instance.full_clean()
    instance.save(update_fields=update_fields)
