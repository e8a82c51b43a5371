"""The portfolio's models with a history page and the ones that go to the trash
(samarbeid.common.versions and samarbeid.common.trash)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from projects import services
from projects.models import Deliverable, MoneyEntry, Participation, Project, SpinOff
from samarbeid.common import trash, versions


def _project_url(project: Project) -> str:
    return reverse("projects:detail", args=[project.slug])


def _row_url(row: Any) -> str:
    project = Project._base_manager.get(pk=row.project_id)
    return _project_url(project)


def _in_project(row: Any) -> str:
    return _("in project %(name)s") % {"name": row.project.name}


def register() -> None:
    versions.register(
        Project,
        restore=services.project_restore,
        object_url=_project_url,
        hidden=("source_text",),
    )
    versions.register(Participation, restore=services.participation_restore, object_url=_row_url)
    versions.register(MoneyEntry, restore=services.money_entry_restore, object_url=_row_url)
    versions.register(Deliverable, restore=services.deliverable_restore, object_url=_row_url)
    versions.register(SpinOff, restore=services.spin_off_restore, object_url=_row_url)
    # Rows before the project: purging a project takes its rows along.
    # `select`: what the row's name and context read (a participation names its party).
    for model, select in (
        (Participation, ("project", "municipality", "organisation")),
        (MoneyEntry, ("project",)),
        (Deliverable, ("project",)),
    ):
        trash.register(
            model,
            untrash=services.project_row_restore_from_trash,
            purge=services.project_row_purge,
            select=select,
            context=_in_project,
        )
    trash.register(
        Project, untrash=services.project_restore_from_trash, purge=services.project_purge
    )
