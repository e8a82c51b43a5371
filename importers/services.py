"""Import and export of the legacy project overview.

`overview_import` is the one business action behind the management command, the demo
loader and the upload page: read → plan → (unless dry run) write everything in one
transaction. The command runs as the system (actor None); the web upload passes the
signed-in user, who must belong to the secretariat. Every write of a project and its rows
goes through `projects.services` (the project's version moves only in
`project_claim_version`).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from importers import plan as planning
from importers.merge import (
    BASELINE_FIELDS,
    CHILD_GROUPS,
    ProjectMerge,
    imported_as,
    merge_project,
    planned_baseline,
    planned_rows,
)
from importers.models import ImportBatch
from importers.readers import DEFAULT_MAX_BYTES, ReadError, read_overview
from importers.selectors import project_document, projects_to_compare
from members.models import Cooperation
from projects import services as projects
from projects.models import Project, UnresolvedMention
from samarbeid.common.services import Actor, require_secretariat_or_system

# The history reason of every row an import writes. Which file and row wrote a project is
# on the project itself: `imported_as = {"row": n, "file": name, "values": ...}` and
# `source_text["row"]`.
IMPORT_REASON = gettext_noop("imported from a file")


class ImportFailed(Exception):
    """The file cannot be imported; nothing was written. `errors` name file and row."""

    def __init__(self, errors: list[str], report: ImportReport | None = None):
        self.errors = errors
        self.report = report
        super().__init__("\n".join(errors))


class RowInvalid(ValidationError):
    """A row of the file whose project or rows do not validate: the ValidationError with
    the row number and the project's name."""

    def __init__(self, error: ValidationError, *, row: int, name: str):
        super().__init__(getattr(error, "error_dict", None) or error.error_list)
        self.row = row
        self.name = name


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
        return {
            "projects": [project_document(p) for p in self.plans],
            "warnings": list(self.warnings),
            "errors": list(self.errors),
            "summary": self.summary,
        }


def max_import_bytes() -> int:
    return int(getattr(settings, "IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


# progress(items, stage) wraps an iterable, e.g. in a tqdm bar; stage is CHECKING while
# rows are parsed and resolved, WRITING while they are saved.
Progress = Callable[[Iterable, str], Iterable]
CHECKING = "checking"
WRITING = "writing"


def _no_progress(items: Iterable, stage: str) -> Iterable:
    return items


def overview_plan(
    *,
    actor: Actor,
    cooperation: Cooperation,
    data: bytes,
    filename: str,
    max_bytes: int | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Read and plan without writing: the preview."""
    require_secretariat_or_system(actor)
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
        recorded=overview.recorded(),
    )
    stored = projects_to_compare(pks=[p.existing.pk for p in plans if p.existing])
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


@transaction.atomic  # the plan is made from what the write will find
def overview_import(
    *,
    actor: Actor,
    cooperation: Cooperation,
    data: bytes,
    filename: str,
    dry_run: bool = False,
    progress: Progress | None = None,
    max_bytes: int | None = None,
) -> ImportReport:
    """Import the overview; all or nothing. Re-importing the same file changes nothing;
    a changed row keeps what was entered or edited by hand (importers.merge)."""
    require_secretariat_or_system(actor)
    progress = progress or _no_progress
    report = overview_plan(
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
            _apply_links(p, saved, cooperation=cooperation, actor=actor)
    except ValidationError as exc:
        report.errors.append(_format_validation(exc))
        raise ImportFailed(report.errors, report) from exc
    except projects.ProjectChangedElsewhere as exc:
        report.errors.append(
            _("%(name)s was saved by someone else during the import; import the file again.")
            % {"name": exc.current.name}
        )
        raise ImportFailed(report.errors, report) from exc
    return report


def _format_validation(exc: ValidationError) -> str:
    row: Any = exc.row if isinstance(exc, RowInvalid) else "?"
    name = exc.name if isinstance(exc, RowInvalid) else ""
    return _("Row %(row)s (%(name)s): %(error)s") % {
        "row": row,
        "name": name,
        "error": "; ".join(exc.messages),
    }


def _apply(
    p: planning.PlannedProject, *, cooperation: Cooperation, actor: Actor, filename: str
) -> Project:
    """Write one planned row: create its project, or update it as `p.merge` decided."""
    if p.existing is not None and p.action == planning.UNCHANGED:
        return p.existing
    try:
        if p.existing is None or p.merge is None:
            project = _create(p, cooperation=cooperation, actor=actor)
        else:
            project = _update(p, p.existing, p.merge, actor=actor)
        projects.imported_as_set(
            actor=actor,
            row=project,
            imported_as={**imported_as(p.row.number, planned_baseline(p)), "file": filename},
        )
    except ValidationError as exc:
        raise RowInvalid(exc, row=p.row.number, name=p.name) from exc
    return project


def _stamped(rows: list[models.Model], row_number: int) -> list[models.Model]:
    """New rows from the file, marked with what the import wrote."""
    for row in rows:
        row.imported_as = imported_as(row_number, row.import_values())  # type: ignore[attr-defined]
    return rows


def _inline(rows: list[models.Model]) -> list[models.Model]:
    return [row for row in rows if not isinstance(row, UnresolvedMention)]


def _create(p: planning.PlannedProject, *, cooperation: Cooperation, actor: Actor) -> Project:
    new_rows = [_stamped(planned_rows(p, group), p.row.number) for group in CHILD_GROUPS]
    project = projects.project_create(
        actor=actor,
        cooperation=cooperation,
        name=p.fields["name"],
        category=p.fields["category"],
        fields={
            **{k: p.fields[k] for k in BASELINE_FIELDS if k not in ("name", "category")},
            **_recorded(p),
        },
        slug=p.slug,
        inlines=[projects.InlineChanges(saved=_inline(rows)) for rows in new_rows],
        source_text=p.fields["source_text"],
        reason=IMPORT_REASON,
        inline_reason=IMPORT_REASON,
    )
    _add_unresolved(project, [row for rows in new_rows for row in rows], actor=actor)
    return project


def _update(
    p: planning.PlannedProject, project: Project, merge: ProjectMerge, *, actor: Actor
) -> Project:
    inlines = []
    for group in CHILD_GROUPS:
        ops = merge.groups[group.key]
        for row, partner in ops.rebase:
            # the hand-edited row stays; it now stands for what the file says
            projects.imported_as_set(
                actor=actor,
                row=row,
                imported_as={**row.imported_as, "values": partner.import_values()},
            )
        for row in ops.disown:
            projects.imported_as_set(actor=actor, row=row, imported_as=None)
        inlines.append(
            projects.InlineChanges(
                saved=_inline(_stamped(ops.create, p.row.number)), deleted=ops.delete
            )
        )
    inlines.append(projects.InlineChanges(deleted=merge.links_delete))
    project.source_text = p.fields["source_text"]  # the file's cells, always
    project = projects.project_update(
        actor=actor,
        project=project,
        expected_version=project.version,
        changes={**merge.updates, **(_recorded(p) if merge.recorded else {})},
        inlines=inlines,
        reason=IMPORT_REASON,
        inline_reason=IMPORT_REASON,
        record_phase_change=False,
    )
    _add_unresolved(
        project, [row for g in CHILD_GROUPS for row in merge.groups[g.key].create], actor=actor
    )
    return project


def _recorded(p: planning.PlannedProject) -> dict:
    """The date of the document as the project's last record (written with the project,
    in the same history row)."""
    if p.recorded is None:
        return {}
    return {"last_recorded_on": p.recorded[0], "last_recorded_precision": p.recorded[1]}


def _add_unresolved(project: Project, rows: list[models.Model], *, actor: Actor) -> None:
    for row in rows:
        if not isinstance(row, UnresolvedMention):
            continue
        mention = projects.unresolved_mention_add(
            actor=actor,
            project=project,
            column=row.column,
            text=row.text,
            note=row.note,
            source_row=row.source_row,
            reason=IMPORT_REASON,
        )
        projects.imported_as_set(actor=actor, row=mention, imported_as=row.imported_as)


def _apply_links(
    p: planning.PlannedProject, saved: dict[str, Project], *, cooperation: Cooperation, actor: Actor
) -> None:
    """Add the links the file states (their targets may be later rows; deletes were made
    with the project's update)."""
    if p.action == planning.UNCHANGED:
        return
    source = saved[p.slug]
    if p.existing is None or p.merge is None:
        create = sorted({(link["kind"], link["target_slug"]) for link in p.links})
    else:
        create = p.merge.links_create
    try:
        for kind, target_slug in create:
            target = saved.get(target_slug) or Project.objects.get(
                cooperation=cooperation, slug=target_slug
            )
            link = projects.project_link_add(
                actor=actor, source=source, target=target, kind=kind, reason=IMPORT_REASON
            )
            projects.imported_as_set(
                actor=actor, row=link, imported_as=imported_as(p.row.number, link.import_values())
            )
    except ValidationError as exc:
        raise RowInvalid(exc, row=p.row.number, name=p.name) from exc


# --- preview/confirm in the web UI -----------------------------------------------------

# How long an uploaded file is kept for its preview (and a confirmed one's bytes).
PREVIEW_KEPT = dt.timedelta(days=1)


@transaction.atomic
def upload_stage(
    *, actor: Actor, cooperation: Cooperation, data: bytes, filename: str
) -> tuple[ImportBatch, ImportReport]:
    """Plan an uploaded file and keep its bytes under a token until it is confirmed."""
    require_secretariat_or_system(actor)
    report = overview_plan(actor=actor, cooperation=cooperation, data=data, filename=filename)
    # Previews are also cleaned every hour by the job scheduler (importers.cron).
    import_previews_cleanup(actor=actor, older_than=PREVIEW_KEPT)
    batch = ImportBatch(
        token=secrets.token_urlsafe(24),
        cooperation=cooperation,
        filename=filename[:200],
        data=data,
        created_by_id=getattr(actor, "pk", None),
        summary=report.summary,
    )
    batch.full_clean()
    batch.save()
    return batch, report


@transaction.atomic
def upload_confirm(*, actor: Actor, token: str) -> ImportReport:
    """Re-read the staged bytes and import them in one transaction."""
    require_secretariat_or_system(actor)
    batch = (
        ImportBatch.objects.select_for_update()
        .select_related("cooperation")
        .filter(token=token, confirmed_at__isnull=True, status=ImportBatch.Status.STAGED)
        .first()
    )
    if batch is None:
        raise ImportFailed([_("This upload is unknown or was already imported.")])
    return _import_batch(actor=actor, batch=batch)


def _import_batch(
    *, actor: Actor, batch: ImportBatch, progress: Progress | None = None
) -> ImportReport:
    report = overview_import(
        actor=actor,
        cooperation=batch.cooperation,
        data=bytes(batch.data),
        filename=batch.filename,
        progress=progress,
    )
    batch.confirmed_at = timezone.now()
    batch.summary = report.summary
    batch.status = ImportBatch.Status.DONE
    batch.errors = []
    batch.save(update_fields=["confirmed_at", "summary", "status", "errors"])
    return report


@transaction.atomic
def upload_queue(*, actor: Actor, token: str) -> ImportBatch:
    """Mark a previewed upload as waiting for the background import (importers.jobs);
    it can then be neither confirmed nor queued again."""
    require_secretariat_or_system(actor)
    batch = (
        ImportBatch.objects.select_for_update()
        .filter(token=token, confirmed_at__isnull=True, status=ImportBatch.Status.STAGED)
        .first()
    )
    if batch is None:
        raise ImportFailed([_("This upload is unknown or was already imported.")])
    batch.status = ImportBatch.Status.QUEUED
    batch.job_id = f"import-{batch.pk}-{secrets.token_hex(4)}"
    batch.save(update_fields=["status", "job_id"])
    return batch


def upload_run(*, actor: Actor, batch_id: int, progress: Progress | None = None) -> ImportReport:
    """The background job's work: import a queued upload in one transaction. When it
    fails nothing is written, and the batch keeps the errors (naming the row) for the
    status page; ImportFailed is raised again."""
    require_secretariat_or_system(actor)
    started = ImportBatch.objects.filter(
        pk=batch_id, status=ImportBatch.Status.QUEUED, confirmed_at__isnull=True
    ).update(status=ImportBatch.Status.RUNNING)
    if not started:
        raise ImportFailed([_("This upload is unknown or was already imported.")])
    try:
        with transaction.atomic():
            batch = ImportBatch.objects.select_related("cooperation").get(pk=batch_id)
            return _import_batch(actor=actor, batch=batch, progress=progress)
    except ImportFailed as exc:
        _record_failure(batch_id, exc.errors)
        raise
    except Exception as exc:
        _record_failure(
            batch_id,
            [
                _("The import stopped (%(error)s); nothing was saved.")
                % {"error": type(exc).__name__}
            ],
        )
        raise


def _record_failure(batch_id: int, errors: list[str]) -> None:
    ImportBatch.objects.filter(pk=batch_id).update(
        status=ImportBatch.Status.FAILED, errors=[str(e) for e in errors]
    )


@transaction.atomic
def import_previews_cleanup(*, actor: Actor, older_than: dt.timedelta) -> tuple[int, int]:
    """Delete the stored bytes of uploads older than `older_than`: previews never confirmed
    are deleted; confirmed ones keep their summary but not the file. Returns the counts
    (deleted, emptied)."""
    require_secretariat_or_system(actor)
    cutoff = timezone.now() - older_than
    old = ImportBatch.objects.filter(created_at__lt=cutoff)
    deleted, _per_model = (
        old.filter(confirmed_at__isnull=True)
        .exclude(status__in=[ImportBatch.Status.QUEUED, ImportBatch.Status.RUNNING])
        .delete()
    )
    emptied = old.filter(confirmed_at__isnull=False).exclude(data=b"").update(data=b"")
    return deleted, emptied
