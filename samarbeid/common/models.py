"""What every domain app shares for history and trash (docs/history.md).

- `VersionExtras`: the base of the historical models that have a history page; a restore
  records the date of the version it brought back in `history_restored_from`, so the reason
  stays a constant msgid ("restored version from %(date)s").
- `TrashFields` and `NotTrashedManager`: a row moved to the trash keeps its data and links;
  the default manager (lists, overviews, API, exports, counts, related managers) hides it and
  the rows that hang on it. `_base_manager` (and `all_objects`) still see everything.
- `AuditEvent`: explicit, permanent rows for actions that leave no history of their own
  (purging from the trash), in the manner of Saleor's events.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class VersionExtras(models.Model):
    """Base of a historical model with a history page (HistoricalRecords(bases=[...]))."""

    history_restored_from = models.DateTimeField(_("restored version from"), null=True, blank=True)

    class Meta:
        abstract = True


class NotTrashedManager(models.Manager):
    """The default manager of a model that can be (or hang on a row) in the trash.

    `hidden` names the `deleted_at` lookups that must be empty, e.g. ("deleted_at",
    "project__deleted_at"). A class attribute, so related managers (which Django builds as
    subclasses without constructor arguments) keep it.
    """

    hidden: ClassVar[tuple[str, ...]] = ("deleted_at",)

    def get_queryset(self) -> models.QuerySet[Any]:
        return super().get_queryset().filter(**{f"{path}__isnull": True for path in self.hidden})

    @classmethod
    def hiding(cls, *paths: str) -> type[NotTrashedManager]:
        """A subclass hiding rows where any of `paths` (deleted_at lookups) is set."""
        return type("NotTrashedManager", (cls,), {"hidden": tuple(paths)})


class AllRowsManager(models.Manager):
    """Every row, in the trash or not (`Model.all_objects`): the trash page and restore."""


def trash_index() -> models.Index:
    """The partial index of the rows in the trash (`deleted_at IS NOT NULL`), for the Meta of
    each concrete `TrashFields` model: the trash page counts and pages them without reading
    the rest of the table, on SQLite and PostgreSQL alike. With the id in it, PostgreSQL
    answers both from the index alone (SQLite keeps the rowid in every index)."""
    return models.Index(
        fields=["deleted_at", "id"],
        condition=models.Q(deleted_at__isnull=False),
        name="%(app_label)s_%(class)s_trash",
    )


class TrashFields(models.Model):
    """`deleted_at`/`deleted_by`: set when the row is moved to the trash (soft delete).
    A concrete model adds `trash_index()` to its `Meta.indexes`."""

    deleted_at = models.DateTimeField(
        _("moved to the trash"), null=True, blank=True, editable=False
    )
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name=_("moved to the trash by"),
    )

    class Meta:
        abstract = True

    @property
    def in_trash(self) -> bool:
        return self.deleted_at is not None


class AuditEvent(models.Model):
    """An explicit record of an action that removes data for good."""

    class Action(models.TextChoices):
        PURGED = "purged", _("deleted for good")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("who"),
    )
    actor_name = models.CharField(_("who (as named then)"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=100)
    object_pk = models.CharField(_("object id"), max_length=40)
    object_repr = models.CharField(_("object"), max_length=300)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type} {self.object_repr}"


class DataVersion(models.Model):
    """One row whose counter moves when a transaction that changed watched data commits.

    The overview, portal and widget caches are keyed by it. It lives in the database, not in
    the cache, so that every process sees another process's edit on its next request even
    when each process has its own local-memory cache (no `REDIS_URL`)."""

    counter = models.BigIntegerField(default=0)
    # Moves when a user is saved or deleted: signed-in requests keep the user object per
    # this version (samarbeid.common.signin).
    sign_in = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("data version")
        verbose_name_plural = _("data versions")

    def __str__(self) -> str:
        return str(self.counter)
