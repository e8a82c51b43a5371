"""Business actions on the project portfolio.

Every action takes the `Actor` who makes the change (samarbeid.common.services), checks
that the actor may do it (only the secretariat edits the portfolio; `None` is the system:
commands, demo loaders, command-line imports), validates with full_clean, stamps the history
row with a constant reason and runs in one transaction, so bad input never leaves
half-written data. Pages, the API and the admin always pass `request.user`.

Concurrent edits are caught by optimistic locking on `Project.version`: an update names the
version the editor loaded, and the row is only written if the stored version is still that one
(`UPDATE ... WHERE version = n`), which holds on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from members.models import Cooperation, Municipality, Organisation
from projects.analytics.cache import bump_data_version
from projects.models import (
    Deliverable,
    MoneyEntry,
    Participation,
    PhaseTransition,
    Precision,
    Project,
    ProjectLink,
    SpinOff,
    Tag,
    UnresolvedMention,
)
from samarbeid.common import trash
from samarbeid.common.services import (
    Actor,
    apply_changes,
    require_secretariat_or_system,
    stamp,
)
from samarbeid.common.text import fold_for_search
from samarbeid.common.versions import RESTORED, mark_restored, version_values

# Fields a caller may set through project_create / project_update.
EDITABLE_FIELDS = (
    "name",
    "short_name",
    "category",
    "start_date",
    "start_precision",
    "end_date",
    "end_precision",
    "open_ended",
    "phase",
    "result",
    "result_text",
    "status",
    "status_text",
    "working_form",
    "working_form_text",
    "consultant",
    "project_leader",
    "owner_municipality",
    "owner_organisation",
    "host_municipality",
    "description",
    "comments",
    "participants_text",
    "is_public",
    "last_recorded_on",
    "last_recorded_precision",
)

# Rows deleted with the project form go to the trash, like the project itself.
TRASHABLE_ROWS = (Participation, MoneyEntry, Deliverable)
INLINE_MODELS = (Participation, MoneyEntry, Deliverable, PhaseTransition, SpinOff, ProjectLink)


def _owner_field(row: models.Model) -> str:
    """The foreign key that ties an inline row to its project (links hang on their source)."""
    return "source" if isinstance(row, ProjectLink) else "project"


class ProjectChangedElsewhere(Exception):
    """Someone saved the project after the editor loaded it; nothing was written."""

    def __init__(self, current: Project, expected_version: int):
        self.current = current
        self.expected_version = expected_version
        super().__init__(
            f"Project {current.pk} is at version {current.version}, not {expected_version}."
        )


@dataclass
class InlineChanges:
    """Rows of one related model to write with a project (e.g. from an inline formset)."""

    saved: Sequence[models.Model] = field(default_factory=list)
    deleted: Sequence[models.Model] = field(default_factory=list)


_TRANSLITERATE = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "Ae", "Ø": "O", "Å": "A"})


def unique_slug(*, cooperation: Cooperation, name: str, exclude_pk: int | None = None) -> str:
    """A slug for `name` not yet used in the cooperation ("bredband", "bredband-2", ...)."""
    base = slugify(name.translate(_TRANSLITERATE))[:100] or "prosjekt"
    # Projects in the trash keep their slug: a new project must not take it.
    others = Project._base_manager.filter(cooperation=cooperation, slug__startswith=base)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    taken = set(others.values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug = f"{base}-{n}"
        n += 1
    return slug


def search_text_for(project: Project) -> str:
    """The folded text the portfolio search looks in."""
    parts: list[str] = [
        project.name,
        project.short_name,
        project.description,
        project.comments,
        project.participants_text,
        project.result_text,
        project.status_text,
        project.working_form_text,
    ]
    for fk in ("host_municipality", "owner_municipality", "owner_organisation", "consultant"):
        related = getattr(project, fk)
        if related is not None:
            parts.append(related.name)
    if project.pk:
        parts.extend(project.tags.values_list("name", flat=True))
        for municipality, organisation, abbreviation in project.participations.values_list(
            "municipality__name", "organisation__name", "organisation__abbreviation"
        ):
            parts.extend(p for p in (municipality, organisation, abbreviation) if p)
        parts.extend(project.spin_offs.values_list("name", flat=True))
        parts.extend(project.spin_offs.values_list("organisation__name", flat=True))
    return fold_for_search(" ".join(p for p in parts if p))


@transaction.atomic
def refresh_search_text(project: Project) -> None:
    """Recompute Project.search_text (importers call this after writing a project)."""
    text = search_text_for(project)
    Project.objects.filter(pk=project.pk).update(search_text=text)
    project.search_text = text
    bump_data_version()  # update() sends no signal; the search finds the new text


@transaction.atomic
def rebuild_search_text(projects: Iterable[Project] | None = None) -> int:
    """Recompute search_text for many projects (default: all); returns how many."""
    count = 0
    for project in projects if projects is not None else Project.objects.all():
        refresh_search_text(project)
        count += 1
    return count


def _apply(project: Project, changes: Mapping[str, Any]) -> None:
    blank_text = {"short_name", "description", "comments", "participants_text"}
    apply_changes(
        project,
        {k: "" if k in blank_text and v is None else v for k, v in changes.items()},
        EDITABLE_FIELDS,
    )


def _save_inlines(
    *,
    actor: Actor,
    project: Project,
    inlines: Sequence[InlineChanges],
    reason: str | None = None,
) -> None:
    """Write the rows saved and deleted with a project; `reason` replaces the form's reasons.

    Participations, money entries and deliverables deleted in the project form go to the
    trash. A caller that names its own `reason` (an import replacing the rows it wrote and
    nobody changed since) deletes them: the history keeps them, the trash is not filled by
    every re-import."""
    for change in inlines:
        for row in change.deleted:
            if row.pk and getattr(row, f"{_owner_field(row)}_id", None) == project.pk:
                if isinstance(row, TRASHABLE_ROWS) and reason is None:
                    trash.move_to_trash(row, actor, gettext_noop("moved to the trash"))
                    continue
                stamp(row, actor, reason or gettext_noop("deleted with the project form"))
                row.delete()
        for row in change.saved:
            if not isinstance(row, INLINE_MODELS):
                raise TypeError(f"{type(row).__name__} cannot be saved with a project")
            owner = _owner_field(row)
            if row.pk and getattr(row, f"{owner}_id") != project.pk:
                raise ValidationError(_("A row belongs to another project."))
            setattr(row, owner, project)
            row.full_clean()
            stamp(row, actor, reason or gettext_noop("saved with the project form"))
            row.save()


def _record_phase_change(
    *,
    actor: Actor,
    project: Project,
    previous: str | None,
    on: dt.date,
    note: str = "",
    inlines: Sequence[InlineChanges] = (),
) -> None:
    """Record a dated transition when the phase changed, unless the editor wrote one for the
    new phase in the same save (with the date it really happened)."""
    if previous == project.phase:
        return
    for change in inlines:
        for row in change.saved:
            if isinstance(row, PhaseTransition) and not row.pk and row.phase == project.phase:
                return
    transition = PhaseTransition(project=project, phase=project.phase, date=on, note=note)
    stamp(transition, actor, gettext_noop("phase changed"))
    transition.save()


@transaction.atomic
def project_create(
    *,
    actor: Actor,
    cooperation: Cooperation,
    name: str,
    category: str,
    fields: Mapping[str, Any] | None = None,
    slug: str = "",
    tags: Iterable[str] | None = None,
    inlines: Sequence[InlineChanges] = (),
    source_text: Mapping[str, Any] | None = None,
    reason: str = gettext_noop("created"),
    inline_reason: str | None = None,
) -> Project:
    """Create a project with its related rows. Raises ValidationError naming the field."""
    require_secretariat_or_system(actor)
    if (
        slug
        and Project._base_manager.filter(
            cooperation=cooperation, slug=slug, deleted_at__isnull=False
        ).exists()
    ):
        raise ValidationError(
            {
                "slug": _(
                    "A project in the trash has the address “%(slug)s”: restore it from the "
                    "trash, or delete it for good, first."
                )
                % {"slug": slug}
            }
        )
    project = Project(cooperation=cooperation, name=name, category=category)
    _apply(project, dict(fields or {}))
    project.name, project.category = name, category
    project.slug = slug or unique_slug(cooperation=cooperation, name=name)
    if source_text:
        project.source_text = dict(source_text)
    project.full_clean()
    stamp(project, actor, reason)
    project.save()
    if tags is not None:
        project.tags.set(tags_named(tags))
    _save_inlines(actor=actor, project=project, inlines=inlines, reason=inline_reason)
    refresh_search_text(project)
    return project


@transaction.atomic
def project_update(
    *,
    actor: Actor,
    project: Project,
    expected_version: int,
    changes: Mapping[str, Any],
    tags: Iterable[str] | None = None,
    inlines: Sequence[InlineChanges] = (),
    reason: str = gettext_noop("edited"),
    phase_changed_on: dt.date | None = None,
    phase_note: str = "",
    record_phase_change: bool = True,
    inline_reason: str | None = None,
) -> Project:
    """Save changes made to a project loaded at `expected_version`.

    Raises ProjectChangedElsewhere (with the stored project) when someone saved in the
    meantime, and ValidationError naming the field for bad input; nothing is written then.
    A phase change is recorded as a transition dated `phase_changed_on` (default today)
    with `phase_note`, unless `record_phase_change` is off (an import states the phase the
    file says, not a change that happened today). Rows in `inlines` are stamped with
    `inline_reason` when given, else with the project form's reasons.
    """
    require_secretariat_or_system(actor)
    previous_phase = Project.objects.filter(pk=project.pk).values_list("phase", flat=True).first()
    _apply(project, changes)
    project.full_clean()
    project_claim_version(project=project, expected_version=expected_version)
    stamp(project, actor, reason)
    project.save()
    if tags is not None:
        project.tags.set(tags_named(tags))
    if record_phase_change:
        _record_phase_change(
            actor=actor,
            project=project,
            previous=previous_phase,
            on=phase_changed_on or timezone.localdate(),
            note=phase_note,
            inlines=inlines,
        )
    _save_inlines(actor=actor, project=project, inlines=inlines, reason=inline_reason)
    refresh_search_text(project)
    return project


@transaction.atomic
def project_claim_version(*, project: Project, expected_version: int) -> None:
    """Move the stored version on by one if it is still `expected_version`.

    The one place a project's version changes: every write path that changes a project
    calls it (inside its transaction) so editors who loaded an older version are told.
    Raises ProjectChangedElsewhere, writing nothing, when someone saved in the meantime.
    """
    claimed = Project.objects.filter(pk=project.pk, version=expected_version).update(
        version=F("version") + 1, updated_at=timezone.now()
    )
    if not claimed:
        raise ProjectChangedElsewhere(Project.objects.get(pk=project.pk), expected_version)
    project.version = expected_version + 1


@transaction.atomic
def project_delete(*, actor: Actor, project: Project) -> Project:
    """Move a project to the trash: it and its rows disappear from every list, overview,
    export and count, and keep their data and links until restored or purged."""
    require_secretariat_or_system(actor)
    project_claim_version(project=project, expected_version=project.version)
    trash.move_to_trash(project, actor, gettext_noop("moved to the trash"))
    return project


@transaction.atomic
def project_restore_from_trash(*, actor: Actor, instance: Project) -> Project:
    """Take a project out of the trash, with the rows that were not trashed on their own."""
    require_secretariat_or_system(actor)
    trash.take_back(instance, actor, gettext_noop("restored from the trash"))
    project_claim_version(project=instance, expected_version=instance.version)
    refresh_search_text(instance)
    return instance


@transaction.atomic
def project_purge(*, actor: Actor, instance: Project) -> None:
    """Delete a project in the trash for good, with its rows; logged as an AuditEvent."""
    require_secretariat_or_system(actor)
    trash.purge_for_good(instance, actor, gettext_noop("deleted for good"))


@transaction.atomic
def project_restore(*, actor: Actor, instance: Project, version: Any) -> Project:
    """Bring back the values of an earlier version through project_update (so every rule
    holds); the phase change, if any, is not recorded as a new transition."""
    require_secretariat_or_system(actor)
    if instance.deleted_at is not None:
        raise ValidationError(_("Restore the project from the trash first."))
    changes = version_values(version, EDITABLE_FIELDS)
    mark_restored(instance, version)
    return project_update(
        actor=actor,
        project=instance,
        expected_version=instance.version,
        changes=changes,
        reason=RESTORED,
        record_phase_change=False,
    )


@transaction.atomic
def tags_named(names: Iterable[str]) -> list[Tag]:
    """The tags with these names, created as needed (call inside a service transaction)."""
    tags = []
    for raw in names:
        name = " ".join(raw.split())
        if not name:
            continue
        slug = slugify(name.translate(_TRANSLITERATE))[:60] or "tag"
        tag = Tag.objects.filter(name=name[:60]).first() or Tag.objects.filter(slug=slug).first()
        if tag is None:
            tag = Tag.objects.create(name=name[:60], slug=slug)
        tags.append(tag)
    return tags


@transaction.atomic
def tag_create(*, actor: Actor, name: str, slug: str) -> Tag:
    require_secretariat_or_system(actor)
    tag = Tag(name=name, slug=slug)
    tag.full_clean()
    tag.save()
    return tag


@transaction.atomic
def tag_update(*, actor: Actor, tag: Tag, name: str, slug: str) -> Tag:
    """Rename a tag; the search text of its projects follows."""
    require_secretariat_or_system(actor)
    tag.name, tag.slug = name, slug
    tag.full_clean()
    tag.save()
    rebuild_search_text(tag.projects.all())
    return tag


@transaction.atomic
def participation_add(
    *,
    actor: Actor,
    project: Project,
    municipality: Municipality | None = None,
    organisation: Organisation | None = None,
    role: str = Participation.Role.PARTICIPANT,
    joined: dt.date | None = None,
    left: dt.date | None = None,
    note: str = "",
    reason: str = gettext_noop("participant added"),
) -> Participation:
    require_secretariat_or_system(actor)
    row = Participation(
        project=project,
        municipality=municipality,
        organisation=organisation,
        role=role,
        joined=joined,
        left=left,
        note=note,
    )
    row.full_clean()
    stamp(row, actor, reason)
    row.save()
    refresh_search_text(project)
    return row


PARTICIPATION_FIELDS = ("municipality", "organisation", "role", "joined", "left", "note")


@transaction.atomic
def participation_update(
    *,
    actor: Actor,
    participation: Participation,
    changes: Mapping[str, Any],
    reason: str = gettext_noop("participation changed"),
) -> Participation:
    """Change a participation (role, period, note, who); the project's search text follows."""
    require_secretariat_or_system(actor)
    apply_changes(participation, changes, PARTICIPATION_FIELDS)
    participation.full_clean()
    stamp(participation, actor, reason)
    participation.save()
    refresh_search_text(participation.project)
    return participation


@transaction.atomic
def money_entry_add(
    *,
    actor: Actor,
    project: Project,
    kind: str,
    amount_nok: Decimal | None,
    certainty: str = MoneyEntry.Certainty.ESTIMATED,
    benefit_category: str = "",
    funder: Organisation | None = None,
    municipality: Municipality | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
    purpose: str = "",
    approximate: bool = False,
    source_text: str = "",
) -> MoneyEntry:
    require_secretariat_or_system(actor)
    row = MoneyEntry(
        project=project,
        kind=kind,
        amount_nok=amount_nok,
        certainty=certainty,
        benefit_category=benefit_category,
        funder=funder,
        municipality=municipality,
        year_from=year_from,
        year_to=year_to,
        purpose=purpose,
        approximate=approximate,
        source_text=source_text,
    )
    row.full_clean()
    stamp(row, actor, gettext_noop("money entry added"))
    row.save()
    return row


@transaction.atomic
def spin_off_add(
    *,
    actor: Actor,
    project: Project,
    kind: str,
    organisation: Organisation | None = None,
    host_municipality: Municipality | None = None,
    name: str = "",
    date: dt.date | None = None,
    date_precision: str = "year",
    description: str = "",
    source_text: str = "",
    reason: str = gettext_noop("spin-off recorded"),
) -> SpinOff:
    require_secretariat_or_system(actor)
    row = SpinOff(
        project=project,
        kind=kind,
        organisation=organisation,
        host_municipality=host_municipality,
        name=name,
        date=date,
        date_precision=date_precision,
        description=description,
        source_text=source_text,
    )
    row.full_clean()
    stamp(row, actor, reason)
    row.save()
    refresh_search_text(project)
    return row


SPIN_OFF_FIELDS = (
    "kind",
    "organisation",
    "host_municipality",
    "name",
    "date",
    "date_precision",
    "description",
    "source_text",
)


@transaction.atomic
def spin_off_update(
    *,
    actor: Actor,
    spin_off: SpinOff,
    changes: Mapping[str, Any],
    reason: str = gettext_noop("spin-off changed"),
) -> SpinOff:
    """Change a spin-off; the project's search text follows (it holds the names)."""
    require_secretariat_or_system(actor)
    apply_changes(spin_off, changes, SPIN_OFF_FIELDS)
    spin_off.full_clean()
    stamp(spin_off, actor, reason)
    spin_off.save()
    refresh_search_text(spin_off.project)
    return spin_off


@transaction.atomic
def unresolved_mention_add(
    *,
    actor: Actor,
    project: Project,
    column: str,
    text: str,
    note: str = "",
    source_row: int | None = None,
    reason: str = gettext_noop("unresolved mention kept"),
) -> UnresolvedMention:
    require_secretariat_or_system(actor)
    row = UnresolvedMention(
        project=project, column=column, text=text, note=note, source_row=source_row
    )
    row.full_clean()
    stamp(row, actor, reason)
    row.save()
    return row


@transaction.atomic
def phase_transition_add(
    *,
    actor: Actor,
    project: Project,
    phase: str,
    date: dt.date | None,
    precision: str = "day",
    note: str = "",
    reason: str = gettext_noop("phase transition recorded"),
) -> PhaseTransition:
    """Record that the project reached `phase` on `date` (as precisely as known)."""
    require_secretariat_or_system(actor)
    row = PhaseTransition(project=project, phase=phase, date=date, precision=precision, note=note)
    row.full_clean()
    stamp(row, actor, reason)
    row.save()
    return row


@transaction.atomic
def project_link_add(
    *,
    actor: Actor,
    source: Project,
    target: Project,
    kind: str,
    note: str = "",
    reason: str = gettext_noop("link added"),
) -> ProjectLink:
    require_secretariat_or_system(actor)
    row = ProjectLink(source=source, target=target, kind=kind, note=note)
    row.full_clean()
    stamp(row, actor, reason)
    row.save()
    return row


# --- added for importers

IMPORTED_MODELS = (
    Project,
    Participation,
    MoneyEntry,
    Deliverable,
    SpinOff,
    UnresolvedMention,
    ProjectLink,
)


@transaction.atomic
def project_last_recorded_set(
    *, actor: Actor, project: Project, on: dt.date, precision: str = Precision.YEAR
) -> Project:
    """Note that a record dated `on` (the last day it stands for) mentions the project.

    The newest record wins: an older one changes nothing, and nothing is written when the
    date is already the stored one. The timeline draws an open-ended project as running
    until this date and as unknown after it."""
    require_secretariat_or_system(actor)
    if project.last_recorded_on is not None and project.last_recorded_on >= on:
        return project
    project_claim_version(project=project, expected_version=project.version)
    project.last_recorded_on = on
    project.last_recorded_precision = precision
    project.full_clean()
    stamp(project, actor, gettext_noop("last record noted"))
    project.save(update_fields=["last_recorded_on", "last_recorded_precision", "version"])
    return project


@transaction.atomic
def imported_as_set(
    *, actor: Actor, row: models.Model, imported_as: Mapping[str, Any] | None
) -> None:
    """Record what an import wrote on a project or one of its rows (`imported_as`).

    Bookkeeping only, for the importer's next run: the row's data, the project's version
    and search text stay as they are, and no history row is written."""
    require_secretariat_or_system(actor)
    if not isinstance(row, IMPORTED_MODELS):
        raise TypeError(f"{type(row).__name__} has no import record")
    value = dict(imported_as) if imported_as is not None else None
    type(row)._default_manager.filter(pk=row.pk).update(imported_as=value)
    setattr(row, "imported_as", value)  # noqa: B010 - any of the imported models


# --- rows of a project: trash, restore, purge --------------------------------------------

MONEY_ENTRY_FIELDS = (
    "kind",
    "benefit_category",
    "certainty",
    "amount_nok",
    "approximate",
    "funder",
    "municipality",
    "year_from",
    "year_to",
    "purpose",
    "source_text",
)
DELIVERABLE_FIELDS = (
    "kind",
    "title",
    "due_date",
    "due_precision",
    "delivered_date",
    "file",
    "note",
    "source_text",
)


@transaction.atomic
def money_entry_update(
    *,
    actor: Actor,
    money_entry: MoneyEntry,
    changes: Mapping[str, Any],
    reason: str = gettext_noop("money entry changed"),
) -> MoneyEntry:
    require_secretariat_or_system(actor)
    apply_changes(money_entry, changes, MONEY_ENTRY_FIELDS)
    money_entry.full_clean()
    stamp(money_entry, actor, reason)
    money_entry.save()
    return money_entry


@transaction.atomic
def deliverable_update(
    *,
    actor: Actor,
    deliverable: Deliverable,
    changes: Mapping[str, Any],
    reason: str = gettext_noop("deliverable changed"),
) -> Deliverable:
    require_secretariat_or_system(actor)
    apply_changes(deliverable, changes, DELIVERABLE_FIELDS)
    deliverable.full_clean()
    stamp(deliverable, actor, reason)
    deliverable.save()
    return deliverable


def _not_in_trash(row: Any) -> None:
    if row.deleted_at is not None:
        raise ValidationError(_("Restore it from the trash first."))


@transaction.atomic
def participation_restore(*, actor: Actor, instance: Participation, version: Any) -> Participation:
    require_secretariat_or_system(actor)
    _not_in_trash(instance)
    changes = version_values(version, PARTICIPATION_FIELDS)
    mark_restored(instance, version)
    return participation_update(
        actor=actor, participation=instance, changes=changes, reason=RESTORED
    )


@transaction.atomic
def money_entry_restore(*, actor: Actor, instance: MoneyEntry, version: Any) -> MoneyEntry:
    require_secretariat_or_system(actor)
    _not_in_trash(instance)
    changes = version_values(version, MONEY_ENTRY_FIELDS)
    mark_restored(instance, version)
    return money_entry_update(actor=actor, money_entry=instance, changes=changes, reason=RESTORED)


@transaction.atomic
def deliverable_restore(*, actor: Actor, instance: Deliverable, version: Any) -> Deliverable:
    require_secretariat_or_system(actor)
    _not_in_trash(instance)
    changes = version_values(version, DELIVERABLE_FIELDS)
    mark_restored(instance, version)
    return deliverable_update(actor=actor, deliverable=instance, changes=changes, reason=RESTORED)


@transaction.atomic
def spin_off_restore(*, actor: Actor, instance: SpinOff, version: Any) -> SpinOff:
    require_secretariat_or_system(actor)
    changes = version_values(version, SPIN_OFF_FIELDS)
    mark_restored(instance, version)
    return spin_off_update(actor=actor, spin_off=instance, changes=changes, reason=RESTORED)


@transaction.atomic
def project_row_delete(
    *, actor: Actor, row: Participation | MoneyEntry | Deliverable
) -> Participation | MoneyEntry | Deliverable:
    """Move a participation, money entry or deliverable to the trash."""
    require_secretariat_or_system(actor)
    trash.move_to_trash(row, actor, gettext_noop("moved to the trash"))
    refresh_search_text(row.project)
    return row


@transaction.atomic
def project_row_restore_from_trash(
    *, actor: Actor, instance: Participation | MoneyEntry | Deliverable
) -> Participation | MoneyEntry | Deliverable:
    """Take a participation, money entry or deliverable out of the trash."""
    require_secretariat_or_system(actor)
    trash.take_back(instance, actor, gettext_noop("restored from the trash"))
    refresh_search_text(instance.project)
    return instance


@transaction.atomic
def project_row_purge(*, actor: Actor, instance: Participation | MoneyEntry | Deliverable) -> None:
    """Delete a participation, money entry or deliverable in the trash for good (logged)."""
    require_secretariat_or_system(actor)
    trash.purge_for_good(instance, actor, gettext_noop("deleted for good"))
