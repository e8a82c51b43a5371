"""Readable change history of a project and its rows, and the report shown when two
people edited the same project at once. Reads only."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext as _

from projects.formatting import format_nok, format_point
from projects.models import (
    Deliverable,
    MoneyEntry,
    Participation,
    PhaseTransition,
    Project,
    ProjectLink,
    SpinOff,
    UnresolvedMention,
)

RELATED = (
    Participation,
    MoneyEntry,
    Deliverable,
    PhaseTransition,
    SpinOff,
    ProjectLink,
    UnresolvedMention,
)
SKIP = {
    "id",
    "project",
    "source",
    "version",
    "created_at",
    "updated_at",
    "search_text",
    "source_text",
    "imported_as",
}


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: dt.datetime
    user: str
    action: str  # "created", "changed", "deleted"
    what: str
    changes: list[FieldChange] = field(default_factory=list)
    reason: str = ""
    items: list[str] = field(default_factory=list)


def _display(record, f: models.Field, names: dict) -> str:
    value = getattr(record, f.attname)
    if value in (None, ""):
        return "—"
    if f.is_relation:
        return names.get((f.related_model, value), f"#{value}")
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    text = str(value)
    return text if len(text) <= 160 else text[:157] + "…"


def _label(model, record, names: dict) -> str:
    def fk(name):
        f = model._meta.get_field(name)
        value = getattr(record, f.attname)
        return names.get((f.related_model, value), "") if value else ""

    title = {
        Participation: lambda: fk("municipality") or fk("organisation"),
        MoneyEntry: lambda: " ".join(
            p
            for p in (
                record.get_kind_display(),
                f"{format_nok(record.amount_nok)} kr" if record.amount_nok is not None else "",
            )
            if p
        ),
        Deliverable: lambda: record.title,
        PhaseTransition: lambda: record.get_phase_display(),
        SpinOff: lambda: record.name or fk("organisation") or fk("host_municipality"),
        ProjectLink: lambda: f"{record.get_kind_display()} {fk('target')}".strip(),
        UnresolvedMention: lambda: record.text[:60],
        Project: lambda: record.name,
    }[model]()
    return (
        f"{model._meta.verbose_name.capitalize()}: {title}"
        if title
        else str(model._meta.verbose_name.capitalize())
    )


def _fields(model) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if f.name not in SKIP]


def project_history(project: Project, limit: int = 200) -> list[HistoryEntry]:
    """Who changed what and when, newest first, for the project and its related rows.

    One query per history table plus one per referenced model, whatever the history length.
    """
    batches: list[tuple[type[models.Model], list]] = [
        (
            Project,
            list(
                Project.history.filter(id=project.pk)
                .select_related("history_user")
                .order_by("history_date", "history_id")
            ),
        )
    ]
    for model in RELATED:
        owner = "source_id" if model is ProjectLink else "project_id"
        batches.append(
            (
                model,
                list(
                    model.history.filter(**{owner: project.pk})
                    .select_related("history_user")
                    .order_by("history_date", "history_id")
                ),
            )
        )
    wanted: dict[type[models.Model], set] = defaultdict(set)
    for model, records in batches:
        for f in model._meta.concrete_fields:
            if f.is_relation and f.name not in ("project", "source"):
                for r in records:
                    value = getattr(r, f.attname)
                    if value is not None:
                        wanted[f.related_model].add(value)
    names: dict = {}
    for related_model, pks in wanted.items():
        for obj in related_model.objects.filter(pk__in=pks):
            names[(related_model, obj.pk)] = getattr(obj, "name", None) or str(obj)

    entries: list[HistoryEntry] = []
    for model, records in batches:
        fields = _fields(model)
        previous: dict = {}
        for record in records:
            user = record.history_user
            who = (user.get_full_name() or user.get_username()) if user else _("system")
            before = previous.get(record.id)
            action = {"+": _("created"), "~": _("changed"), "-": _("deleted")}[record.history_type]
            changes = []
            if record.history_type == "~" and before is not None:
                for f in fields:
                    if getattr(before, f.attname) != getattr(record, f.attname):
                        changes.append(
                            FieldChange(
                                str(f.verbose_name).capitalize(),
                                _display(before, f, names),
                                _display(record, f, names),
                            )
                        )
                if not changes and model is Project:
                    previous[record.id] = record
                    continue
            entries.append(
                HistoryEntry(
                    when=record.history_date,
                    user=who,
                    action=action,
                    what=_label(model, record, names),
                    changes=changes,
                    # Reasons are stored untranslated (gettext_noop) and shown in the reader's
                    # language; free-text reasons (e.g. from an import) pass through.
                    reason=_(record.history_change_reason) if record.history_change_reason else "",
                )
            )
            previous[record.id] = record
    entries.sort(key=lambda e: e.when, reverse=True)
    return _group_creations(entries)[:limit]


def _group_creations(entries: list[HistoryEntry]) -> list[HistoryEntry]:
    """Fold rows created together (same person, reason and minute) into one entry."""
    grouped: list[HistoryEntry] = []
    for entry in entries:
        last = grouped[-1] if grouped else None
        if (
            last is not None
            and entry.action == last.action == _("created")
            and entry.user == last.user
            and entry.reason == last.reason
            and abs((last.when - entry.when).total_seconds()) < 60
        ):
            last.items.insert(0, entry.what)
            continue
        entry.items = [entry.what]
        grouped.append(entry)
    return grouped


@dataclass
class Conflict:
    """Another save won: who, when, and the stored values that differ from the editor's."""

    user: str
    when: dt.datetime | None
    version: int
    differences: list[FieldChange]


def _value_text(project: Project, name: str, value) -> str:
    f = Project._meta.get_field(name)
    if value in (None, ""):
        return "—"
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.date):
        precision = getattr(project, name.replace("_date", "_precision"), "day")
        return format_point(value, precision)
    return str(value)


def conflict_report(current: Project, form) -> Conflict:
    """Compare what is stored now with what the editor submitted (form.cleaned_data)."""
    last = current.history.select_related("history_user").order_by("-history_date").first()
    user = last.history_user if last else None
    who = (user.get_full_name() or user.get_username()) if user else _("someone")
    submitted = form.changes() if form.is_valid() else {}
    differences = []
    for name, mine in submitted.items():
        if name.endswith("_precision"):
            continue
        theirs = getattr(current, name)
        if name in ("start_date", "end_date"):
            if project_period_part(current, name) != project_period_part(form.instance, name):
                differences.append(
                    FieldChange(
                        str(Project._meta.get_field(name).verbose_name).capitalize(),
                        project_period_part(current, name) or "—",
                        project_period_part(form.instance, name) or "—",
                    )
                )
            continue
        if (theirs or None) != (mine or None):
            differences.append(
                FieldChange(
                    str(Project._meta.get_field(name).verbose_name).capitalize(),
                    _value_text(current, name, theirs),
                    _value_text(form.instance, name, mine),
                )
            )
    return Conflict(
        user=who,
        when=last.history_date if last else None,
        version=current.version,
        differences=differences,
    )


def project_period_part(project: Project, name: str) -> str:
    if name == "start_date":
        return format_point(project.start_date, project.start_precision)
    return format_point(project.end_date, project.end_precision)
