"""What a re-import of a changed row may replace, and what it keeps.

Nothing a person entered is lost. An import records on every row it writes what it wrote
(`imported_as = {"row": n, "values": {...}}`, see projects.models.ImportedRowMixin), and on
the project the field values the file gave (`Project.imported_as`). A re-import then

* replaces a child row (participation, money entry, deliverable, spin-off, unresolved
  mention, link) only while the import wrote it and its values are still those; rows added
  by hand (no `imported_as`) and imported rows edited since are kept, so participants
  entered by hand are merged with the file's (the row's warnings say how many of each);
* sets a project field while it still holds what the last import gave it, or while it is
  empty (nobody filled it in, e.g. a project entered by hand before any import); a field
  edited by hand is kept, and when the file now says something else too, that is a
  *conflict*: a warning naming the row and the field, with both values (the file's value
  stays in `source_text` as well).

`merge_project` computes this for the preview and the write alike; reads only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from importers.canonical import PROJECT_FIELDS, canonical_source
from importers.plan import PlannedProject
from projects.formatting import format_nok, project_period
from projects.models import (
    Deliverable,
    MoneyEntry,
    Participation,
    Project,
    SpinOff,
    UnresolvedMention,
    plain_value,
)

# Project fields the import sets, in units a person edits together, with the preview's
# words for them (a context keeps these apart from the projects app's catalogue).
PERIOD_FIELDS = ("start_date", "start_precision", "end_date", "end_precision", "open_ended")
FIELD_UNITS = (
    (("name",), pgettext_lazy("import change", "name")),
    (("category",), pgettext_lazy("import change", "section")),
    (PERIOD_FIELDS, pgettext_lazy("import change", "period")),
    (("participants_text",), pgettext_lazy("import change", "participants")),
    (
        ("working_form", "working_form_text", "consultant"),
        pgettext_lazy("import change", "working form"),
    ),
    (("result", "result_text"), pgettext_lazy("import change", "result")),
    (("status", "status_text"), pgettext_lazy("import change", "status")),
    (("phase",), pgettext_lazy("import change", "phase")),
    (("comments",), pgettext_lazy("import change", "comment")),
    (("owner_municipality", "owner_organisation"), pgettext_lazy("import change", "owner")),
    (("host_municipality",), pgettext_lazy("import change", "host municipality")),
)
BASELINE_FIELDS = tuple(k for k in PROJECT_FIELDS if k not in ("source_text", "search_text"))
FK_FIELDS = {"consultant", "owner_municipality", "owner_organisation", "host_municipality"}


@dataclass(frozen=True)
class ChildGroup:
    key: str  # PlannedProject attribute and Project related name
    model: type
    label: object
    strict: tuple[str, ...]  # the same fact: a row entered by hand that says it already
    loose: tuple[str, ...]  # from the same fact: pairs a hand-edited row with the file's
    ignore: tuple[str, ...] = ()  # provenance, not data


CHILD_GROUPS = (
    ChildGroup(
        "participations",
        Participation,
        pgettext_lazy("import change", "participants"),
        ("municipality_id", "organisation_id", "role"),
        ("municipality_id", "organisation_id", "role"),
    ),
    ChildGroup(
        "money",
        MoneyEntry,
        pgettext_lazy("import change", "money"),
        ("kind", "benefit_category", "amount_nok", "year_from", "year_to"),
        ("kind",),
    ),
    ChildGroup(
        "deliverables",
        Deliverable,
        pgettext_lazy("import change", "reports and due dates"),
        ("kind", "title"),
        ("kind",),
    ),
    ChildGroup(
        "spin_offs",
        SpinOff,
        pgettext_lazy("import change", "spin-offs"),
        ("kind", "organisation_id", "host_municipality_id", "name"),
        ("kind",),
    ),
    ChildGroup(
        "unresolved",
        UnresolvedMention,
        pgettext_lazy("import change", "unresolved text"),
        ("column", "text"),
        ("column",),
        ignore=("source_row",),
    ),
)


def planned_rows(plan: PlannedProject, group: ChildGroup) -> list:
    """The file's rows of one group as unsaved model instances."""
    rows = []
    for item in getattr(plan, group.key):
        values = {k: v for k, v in item.items() if k != "funder_text"}
        rows.append(group.model(**values))
    return rows


def imported_as(row_number: int, values: dict) -> dict:
    return {"row": row_number, "values": values}


@dataclass
class GroupMerge:
    create: list = field(default_factory=list)  # unsaved instances from the file
    delete: list = field(default_factory=list)  # imported rows nobody changed, gone from the file
    rebase: list = field(default_factory=list)  # (hand-edited row, the file's new row)
    disown: list = field(default_factory=list)  # hand-edited rows the file no longer states

    @property
    def writes(self) -> bool:
        return bool(self.create or self.delete or self.rebase or self.disown)


@dataclass
class ProjectMerge:
    updates: dict = field(default_factory=dict)  # field → the file's value
    kept: list[str] = field(default_factory=list)  # fields a person edited, kept
    source_changed: bool = False
    groups: dict[str, GroupMerge] = field(default_factory=dict)
    links_create: list[tuple[str, str]] = field(default_factory=list)  # (kind, target slug)
    links_delete: list = field(default_factory=list)
    baseline: dict = field(default_factory=dict)  # Project.imported_as["values"] to store
    baseline_changed: bool = False
    hand_rows: bool = False  # the project keeps rows entered or edited by hand
    recorded: bool = False  # the file is a newer record of the project than any before

    @property
    def writes(self) -> bool:
        return bool(
            self.recorded
            or self.updates
            or self.source_changed
            or self.links_create
            or self.links_delete
            or any(g.writes for g in self.groups.values())
        )

    def changes(self) -> list[str]:
        """Field names and child groups that change, for the preview's "what changes"."""
        out = [k for k in PROJECT_FIELDS if k in self.updates and k != "search_text"]
        if self.source_changed:
            out.append("source_text")
        out += [key for key, g in self.groups.items() if g.create or g.delete]
        if self.links_create or self.links_delete:
            out.append("links")
        return out


def planned_baseline(plan: PlannedProject) -> dict:
    return {k: plain_value(_pk(plan.fields.get(k))) for k in BASELINE_FIELDS}


def _pk(value):
    return value.pk if hasattr(value, "pk") else value


def _current(project: Project, k: str):
    return plain_value(getattr(project, k + "_id" if k in FK_FIELDS else k))


def _match_values(row, group: ChildGroup, values: dict | None = None) -> dict:
    values = row.import_values() if values is None else values
    return {k: v for k, v in values.items() if k not in group.ignore}


def _pick(values: dict, keys: tuple[str, ...]) -> tuple:
    return tuple(values.get(k) for k in keys)


def merge_project(plan: PlannedProject, project: Project) -> ProjectMerge:
    """Compare a planned row with its stored project (children and links prefetched)."""
    merge = ProjectMerge(baseline=planned_baseline(plan))
    stored = project.imported_as if isinstance(project.imported_as, dict) else {}
    base = stored.get("values") if isinstance(stored.get("values"), dict) else None
    merge.baseline_changed = base != merge.baseline
    for keys, label in FIELD_UNITS:
        new = [merge.baseline[k] for k in keys]
        cur = [_current(project, k) for k in keys]
        if new == cur:
            continue
        was = [base.get(k) for k in keys] if base is not None else None
        if was == cur or _empty(keys, cur):
            # nobody edited it since the import, or nobody wrote it at all: the file's value
            merge.updates.update({k: plan.fields[k] for k in keys})
            continue
        merge.kept.extend(keys)
        if was == new:  # the file still says what it said: the edit is newer
            continue
        plan.warn(_conflict(label, _show(project, keys), _show(_planned_project(plan), keys)))
    merge.source_changed = canonical_source(project.source_text) != canonical_source(
        plan.fields["source_text"]
    )
    for group in CHILD_GROUPS:
        merge.groups[group.key] = _merge_group(plan, group, list(getattr(project, group.key).all()))
    _merge_links(plan, project, merge)
    merge.recorded = plan.recorded is not None and (
        project.last_recorded_on is None or project.last_recorded_on < plan.recorded[0]
    )
    merge.hand_rows = bool(merge.kept) or any(
        not row.is_imported or row.edited_since_import
        for group in CHILD_GROUPS
        for row in getattr(project, group.key).all()
    )
    return merge


# Fields that always hold something (a precision, a flag) and so do not make a unit filled.
_ALWAYS_SET = {"start_precision", "end_precision", "open_ended"}


def _empty(keys: tuple[str, ...], values: list) -> bool:
    """A field unit nobody filled in: every field of it empty (precisions and flags aside)."""
    return all(v in (None, "") for k, v in zip(keys, values, strict=True) if k not in _ALWAYS_SET)


def _report_hand_participants(plan: PlannedProject, stored: list, out: GroupMerge) -> None:
    """Participants entered by hand are merged with the file's; the row says how."""
    by_hand = [row for row in stored if not row.is_imported]
    if by_hand and out.create:
        plan.warn(
            _(
                "participants: %(hand)s entered by hand kept, %(added)s added from the file "
                "(%(names)s)"
            )
            % {
                "hand": len(by_hand),
                "added": len(out.create),
                "names": ", ".join(describe(row) for row in out.create[:8])
                + ("…" if len(out.create) > 8 else ""),
            }
        )


def _merge_group(plan: PlannedProject, group: ChildGroup, stored: list) -> GroupMerge:
    out = GroupMerge()
    remaining = list(stored)
    left = []
    for new in planned_rows(plan, group):
        wanted = _match_values(new, group)
        hit = next(
            (
                row
                for row in remaining
                if row.is_imported
                and _match_values(row, group, row.imported_as["values"]) == wanted
            ),
            None,
        )
        if hit is None:  # a row entered or edited by hand that already says it
            hit = next(
                (
                    row
                    for row in remaining
                    if (not row.is_imported or row.edited_since_import)
                    and _pick(row.import_values(), group.strict) == _pick(wanted, group.strict)
                ),
                None,
            )
        if hit is not None:
            remaining.remove(hit)
        else:
            left.append(new)
    for row in remaining:
        if not row.is_imported:
            continue  # entered by hand: kept
        if not row.edited_since_import:
            out.delete.append(row)  # the import wrote it, the file no longer says it
            continue
        was = _pick(row.imported_as["values"], group.loose)
        partner = next((n for n in left if _pick(n.import_values(), group.loose) == was), None)
        if partner is not None:
            left.remove(partner)
            out.rebase.append((row, partner))
            plan.warn(
                _(
                    "%(what)s: a row edited by hand is kept (“%(hand)s”); "
                    "the file now says “%(file)s”"
                )
                % {
                    "what": group.label,
                    "hand": describe(row),
                    "file": describe(partner, written=True),
                }
            )
        else:
            out.disown.append(row)
            plan.warn(
                _("%(what)s: a row edited by hand is kept (“%(hand)s”); the file no longer says it")
                % {"what": group.label, "hand": describe(row)}
            )
    out.create = left
    if group.key == "participations":
        _report_hand_participants(plan, stored, out)
    return out


def _merge_links(plan: PlannedProject, project: Project, merge: ProjectMerge) -> None:
    stored = list(project.links_out.all())
    wanted = sorted({(link["kind"], link["target_slug"]) for link in plan.links})
    have = {(link.kind, link.target.slug) for link in stored}
    merge.links_create = [w for w in wanted if w not in have]
    merge.links_delete = [
        link
        for link in stored
        if link.is_imported
        and not link.edited_since_import
        and (link.kind, link.target.slug) not in wanted
    ]


def _conflict(label, hand: str, file: str) -> str:
    return _("%(what)s edited by hand is kept (“%(hand)s”); the file now says “%(file)s”") % {
        "what": label,
        "hand": hand,
        "file": file,
    }


def _planned_project(plan: PlannedProject) -> Project:
    project = Project()
    for k in BASELINE_FIELDS:
        setattr(project, k, plan.fields.get(k))
    return project


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _show(project: Project, keys: tuple[str, ...]) -> str:
    """A project field unit as a person reads it."""
    if keys == PERIOD_FIELDS:
        return project_period(project) or "–"
    parts = []
    for k in keys:
        if k in FK_FIELDS:
            value = getattr(project, k)
            if value is not None:
                parts.append(str(value))
            continue
        if k in ("result", "status", "working_form") and getattr(project, k + "_text"):
            continue  # shown as written
        if k in ("category", "phase", "result", "status", "working_form"):
            value = getattr(project, f"get_{k}_display")()
        else:
            value = getattr(project, k)
        if value:
            parts.append(str(value))
    return _short(" · ".join(parts)) or "–"


def describe(row, *, written: bool = False) -> str:
    """A child row in a few words; `written` prefers the text as the file wrote it."""
    if written and getattr(row, "source_text", ""):
        return _short(row.source_text)
    if isinstance(row, Participation):
        return _short(f"{row.party} ({row.get_role_display()})")
    if isinstance(row, MoneyEntry):
        years = "–".join(str(y) for y in dict.fromkeys([row.year_from, row.year_to]) if y)
        parts = [row.get_kind_display(), format_nok(row.amount_nok), years]
        return _short(" ".join(p for p in parts if p))
    if isinstance(row, UnresolvedMention):
        return _short(row.text)
    if isinstance(row, Deliverable):
        return _short(row.title)
    return _short(str(row) or row.get_kind_display())
