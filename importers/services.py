"""Import and export of the legacy project overview.

`import_overview` is the one business action behind the management command and the
upload page: read → plan → (unless dry run) write everything in one transaction. The
command runs as the system (actor None); the web upload passes the signed-in user, who
must belong to the secretariat.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from importers import plan as planning
from importers.merge import (
    CHILD_GROUPS,
    imported_as,
    merge_project,
    planned_baseline,
    planned_rows,
)
from importers.models import ImportBatch
from importers.readers import DEFAULT_MAX_BYTES, ReadError, read_overview
from members.models import Cooperation
from projects.models import Project, ProjectLink
from projects.services import refresh_search_text
from samarbeid.common.permissions import require_secretariat
from samarbeid.common.services import stamp


class ImportFailed(Exception):
    """The file cannot be imported; nothing was written. `errors` name file and row."""

    def __init__(self, errors: list[str], report: ImportReport | None = None):
        self.errors = errors
        self.report = report
        super().__init__("\n".join(errors))


@dataclass
class ImportReport:
    filename: str
    format: str
    plans: list[planning.PlannedProject]
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def summary(self) -> dict[str, int]:
        counts = {planning.CREATE: 0, planning.UPDATE: 0, planning.UNCHANGED: 0}
        for p in self.plans:
            counts[p.action] += 1
        return {
            "created": counts["create"],
            "updated": counts["update"],
            "unchanged": counts["unchanged"],
        }

    def as_document(self) -> dict:
        from importers.selectors import project_document

        return {
            "projects": [project_document(p) for p in self.plans],
            "warnings": list(self.warnings),
            "errors": list(self.errors),
            "summary": self.summary,
        }


def max_import_bytes() -> int:
    return int(getattr(settings, "IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def _check_actor(actor: AbstractBaseUser | None) -> None:
    """None is the system (the management command); people must be secretariat."""
    if actor is not None:
        require_secretariat(actor)


# progress(items, stage) wraps an iterable, e.g. in a tqdm bar; stage is CHECKING while
# rows are parsed and resolved, WRITING while they are saved.
Progress = Callable[[Iterable, str], Iterable]
CHECKING = "checking"
WRITING = "writing"


def _no_progress(items: Iterable, stage: str) -> Iterable:
    return items


def plan_import(
    *,
    actor: AbstractBaseUser | None,
    cooperation: Cooperation,
    data: bytes,
    filename: str,
    max_bytes: int | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Read and plan without writing: the preview."""
    _check_actor(actor)
    try:
        overview = read_overview(data, filename, max_bytes=max_bytes or max_import_bytes())
    except ReadError as exc:
        raise ImportFailed([str(exc)]) from exc
    if not overview.rows:
        raise ImportFailed([_("%(file)s contains no project rows.") % {"file": overview.filename}])
    plans = planning.build_plan(
        overview.rows,
        cooperation=cooperation,
        progress=lambda rows: (progress or _no_progress)(rows, CHECKING),
    )
    existing_ids = [p.existing.pk for p in plans if p.existing]
    stored = {
        p.pk: p
        for p in Project.objects.filter(pk__in=existing_ids).prefetch_related(
            "participations",
            "money",
            "deliverables",
            "spin_offs",
            "unresolved",
            "links_out__target",
        )
    }
    warnings = list(overview.warnings)
    for p in plans:
        if p.existing is None:
            p.action = planning.CREATE
        else:
            p.merge = merge_project(p, stored[p.existing.pk])
            p.action = planning.UPDATE if p.merge.writes else planning.UNCHANGED
            p.changes = p.merge.changes() if p.merge.writes else []
        warnings.extend(p.warnings)
    return ImportReport(
        filename=overview.filename, format=overview.format, plans=plans, warnings=warnings
    )


def import_overview(
    *,
    actor: AbstractBaseUser | None,
    cooperation: Cooperation,
    data: bytes,
    filename: str,
    dry_run: bool = False,
    progress: Progress | None = None,
    max_bytes: int | None = None,
) -> ImportReport:
    """Import the overview; all or nothing. Re-importing the same file changes nothing;
    a changed row keeps what was entered or edited by hand (importers.merge)."""
    progress = progress or _no_progress
    with transaction.atomic():  # the plan is made from what the write will find
        report = plan_import(
            actor=actor,
            cooperation=cooperation,
            data=data,
            filename=filename,
            max_bytes=max_bytes,
            progress=progress,
        )
        report.dry_run = dry_run
        if dry_run:
            return report
        try:
            saved: dict[str, Project] = {}
            for p in progress(report.plans, WRITING):
                saved[p.slug] = _apply(
                    p, cooperation=cooperation, actor=actor, filename=report.filename
                )
            for p in report.plans:
                _apply_links(
                    p, saved, cooperation=cooperation, actor=actor, filename=report.filename
                )
        except ValidationError as exc:
            report.errors.append(_format_validation(exc))
            raise ImportFailed(report.errors, report) from exc
    return report


def _format_validation(exc: ValidationError) -> str:
    row = getattr(exc, "import_row", "?")
    name = getattr(exc, "import_name", "")
    return _("Row %(row)s (%(name)s): %(error)s") % {
        "row": row,
        "name": name,
        "error": "; ".join(exc.messages),
    }


def _save(instance, actor, reason: str) -> None:
    instance.full_clean()
    stamp(instance, actor, reason)
    instance.save()


def _reason(p: planning.PlannedProject, filename: str) -> str:
    return _("Imported from %(file)s, row %(row)s") % {"file": filename, "row": p.row.number}


def _apply(
    p: planning.PlannedProject, *, cooperation: Cooperation, actor, filename: str
) -> Project:
    if p.action == planning.UNCHANGED:
        return p.existing
    reason = _reason(p, filename)
    row_number = p.row.number
    try:
        if p.existing is None:
            project = Project(cooperation=cooperation, slug=p.slug)
            for key, value in p.fields.items():
                setattr(project, key, value)
        else:
            project = p.existing
            merge = p.merge
            for key, value in merge.updates.items():
                setattr(project, key, value)
            project.source_text = p.fields["source_text"]
            if not merge.hand_rows:
                project.search_text = p.fields["search_text"]
            project.version += 1
        project.imported_as = imported_as(row_number, planned_baseline(p))
        _save(project, actor, reason)
        for group in CHILD_GROUPS:
            if p.existing is None:
                create = planned_rows(p, group)
            else:
                ops = p.merge.groups[group.key]
                create = ops.create
                for row in ops.delete:
                    stamp(row, actor, reason)
                    row.delete()
                for row, partner in ops.rebase:
                    # the hand-edited row stays; it now stands for what the file says
                    group.model.objects.filter(pk=row.pk).update(
                        imported_as={**row.imported_as, "values": partner.import_values()}
                    )
                for row in ops.disown:
                    group.model.objects.filter(pk=row.pk).update(imported_as=None)
            for row in create:
                row.project = project
                row.imported_as = imported_as(row_number, row.import_values())
                _save(row, actor, reason)
        if p.existing is not None and p.merge.hand_rows:
            refresh_search_text(project)
    except ValidationError as exc:
        exc.import_row = p.row.number
        exc.import_name = p.name
        raise
    return project


def _apply_links(
    p: planning.PlannedProject, saved: dict[str, Project], *, cooperation, actor, filename: str
):
    if p.action == planning.UNCHANGED:
        return
    source = saved[p.slug]
    reason = _reason(p, filename)
    if p.existing is None:
        create = sorted({(link["kind"], link["target_slug"]) for link in p.links})
    else:
        create = p.merge.links_create
        for link in p.merge.links_delete:
            stamp(link, actor, reason)
            link.delete()
    for kind, target_slug in create:
        target = saved.get(target_slug) or Project.objects.get(
            cooperation=cooperation, slug=target_slug
        )
        link = ProjectLink(source=source, target=target, kind=kind)
        link.imported_as = imported_as(p.row.number, link.import_values())
        _save(link, actor, reason)


# --- preview/confirm in the web UI -----------------------------------------------------


def stage_upload(
    *, actor: AbstractBaseUser, cooperation: Cooperation, data: bytes, filename: str
) -> tuple[ImportBatch, ImportReport]:
    """Plan an uploaded file and keep its bytes under a token until it is confirmed."""
    report = plan_import(actor=actor, cooperation=cooperation, data=data, filename=filename)
    batch = ImportBatch(
        token=secrets.token_urlsafe(24),
        cooperation=cooperation,
        filename=filename[:200],
        data=data,
        created_by=actor,
        summary=report.summary,
    )
    batch.full_clean()
    batch.save()
    return batch, report


def confirm_upload(*, actor: AbstractBaseUser, token: str) -> ImportReport:
    """Re-read the staged bytes and import them in one transaction."""
    require_secretariat(actor)
    with transaction.atomic():
        batch = (
            ImportBatch.objects.select_for_update()
            .select_related("cooperation")
            .filter(token=token, confirmed_at__isnull=True)
            .first()
        )
        if batch is None:
            raise ImportFailed([_("This upload is unknown or was already imported.")])
        report = import_overview(
            actor=actor,
            cooperation=batch.cooperation,
            data=bytes(batch.data),
            filename=batch.filename,
        )
        from django.utils import timezone

        batch.confirmed_at = timezone.now()
        batch.summary = report.summary
        batch.save(update_fields=["confirmed_at", "summary"])
    return report
