"""Load the municipality registry from the offline SSB Klass 131 snapshot.

The snapshot (see its README) holds one file per classification version and SSB's change
table. Identities are derived by walking the versions in date order: a municipality
identity continues from one version to the next under the same number until a change
(merger, split, rename, renumbering) ends it and starts new identities, linked by a
`MunicipalityEvent`. Names that differ only by whitespace or a county suffix
("Sande (Vestfold)", " Borre ") are the same identity; the spellings are kept as
`MunicipalityNameVariant`s and the identity gets a clean display name.

A small hand-kept overrides file corrects what SSB's 1-January-only bookkeeping gets
wrong (Borre renamed Horten on 2002-06-01) and turns change rows that describe boundary
adjustments (Vear from Stokke to Tønsberg 2017) into boundary events.

Everything is read and checked before anything is written; the write is one transaction
and a second run with the same files changes nothing. `load_snapshot` is the write path
of identities, name variants and events; the functions at the end (`municipality_save`,
`municipality_event_save` ...) are what the admin uses for a correction by hand.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.dispatch import Signal
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from members.models import Municipality, MunicipalityEvent, MunicipalityNameVariant
from samarbeid.common.services import Actor, require_secretariat_or_system, stamp
from samarbeid.common.text import collapse_whitespace, normalize_name

CHANGE_REASON = "SSB Klass 131 snapshot"
SOURCE = "SSB Klass 131"
_SUFFIX = re.compile(r"\s*\([^()]*\)\s*$")
ONE_DAY = dt.timedelta(days=1)


class SnapshotError(ValueError):
    """A snapshot or overrides file cannot be read. Names the file and where in it."""

    def __init__(self, path: Path | str, where: str, detail: str):
        self.path = Path(path)
        self.where = where
        self.detail = detail
        super().__init__(
            _("%(file)s, %(where)s: %(detail)s")
            % {"file": self.path, "where": where, "detail": detail}
        )


@dataclass
class ModelCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0


@dataclass
class LoadReport:
    """What a load did (or, with dry_run, would do)."""

    municipalities: ModelCounts = field(default_factory=ModelCounts)
    name_variants: ModelCounts = field(default_factory=ModelCounts)
    events: ModelCounts = field(default_factory=ModelCounts)
    stale_municipalities: list[str] = field(default_factory=list)
    versions: int = 0
    dry_run: bool = False

    @property
    def created(self) -> int:
        return self.municipalities.created + self.name_variants.created + self.events.created

    @property
    def updated(self) -> int:
        return self.municipalities.updated + self.name_variants.updated + self.events.updated

    @property
    def unchanged(self) -> int:
        return self.municipalities.unchanged + self.name_variants.unchanged + self.events.unchanged

    @property
    def deleted(self) -> int:
        return self.name_variants.deleted + self.events.deleted


# --------------------------------------------------------------------------- reading


def clean_name(raw: str) -> str:
    """Display name: stray whitespace and a trailing county suffix removed."""
    return collapse_whitespace(_SUFFIX.sub("", collapse_whitespace(raw))) or collapse_whitespace(
        raw
    )


def _read_json(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SnapshotError(path, _("cannot be read"), str(exc)) from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise SnapshotError(
            path,
            _("line %(line)d, column %(col)d") % {"line": exc.lineno, "col": exc.colno},
            _("invalid JSON (%(msg)s)") % {"msg": exc.msg},
        ) from exc


def _date(value: Any, path: Path, where: str, key: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value))
    except (TypeError, ValueError) as exc:
        raise SnapshotError(
            path, where, _("“%(key)s” is not a date: %(value)r") % {"key": key, "value": value}
        ) from exc


def _get(obj: Any, key: str, path: Path, where: str) -> Any:
    if not isinstance(obj, dict) or key not in obj:
        raise SnapshotError(path, where, _("missing key “%(key)s”") % {"key": key})
    return obj[key]


def _code(value: Any, path: Path, where: str, key: str) -> str:
    code = str(value or "").strip()
    if not code.isdigit() or len(code) != 4:
        raise SnapshotError(
            path,
            where,
            _("“%(key)s” is not a four-digit municipality number: %(value)r")
            % {"key": key, "value": value},
        )
    return code


@dataclass
class Item:
    code: str
    name: str
    notes: str


@dataclass
class Version:
    valid_from: dt.date
    items: dict[str, Item]
    path: Path


@dataclass
class ChangeRow:
    old_code: str
    old_name: str
    new_code: str
    new_name: str
    date: dt.date


def read_versions(directory: Path) -> list[Version]:
    paths = sorted(directory.glob("version-*.json"))
    if not paths:
        raise SnapshotError(directory, _("directory"), _("no version-YYYY.json files"))
    versions = []
    for path in paths:
        data = _read_json(path)
        valid_from = _date(
            _get(data, "validFrom", path, _("top level")), path, "validFrom", "validFrom"
        )
        raw_items = _get(data, "classificationItems", path, _("top level"))
        if not isinstance(raw_items, list):
            raise SnapshotError(path, "classificationItems", _("is not a list"))
        items: dict[str, Item] = {}
        for index, raw in enumerate(raw_items):
            where = _("item %(index)d") % {"index": index}
            code = _code(_get(raw, "code", path, where), path, where, "code")
            where = _("item %(index)d (code %(code)s)") % {"index": index, "code": code}
            name = _get(raw, "name", path, where)
            if not isinstance(name, str) or not name.strip():
                raise SnapshotError(path, where, _("empty name"))
            notes = raw.get("notes") or ""
            if code in items:
                raise SnapshotError(path, where, _("code listed twice"))
            items[code] = Item(code=code, name=name, notes=str(notes).strip())
        versions.append(Version(valid_from=valid_from, items=items, path=path))
    versions.sort(key=lambda v: v.valid_from)
    for a, b in itertools.pairwise(versions):
        if a.valid_from == b.valid_from:
            raise SnapshotError(
                b.path, "validFrom", _("same date as %(other)s") % {"other": a.path.name}
            )
    return versions


def read_changes(directory: Path) -> list[ChangeRow]:
    paths = sorted(directory.glob("changes-*.json"))
    if not paths:
        raise SnapshotError(directory, _("directory"), _("no changes-*.json file"))
    rows = []
    for path in paths:
        data = _read_json(path)
        raw_rows = _get(data, "codeChanges", path, _("top level"))
        if not isinstance(raw_rows, list):
            raise SnapshotError(path, "codeChanges", _("is not a list"))
        for index, raw in enumerate(raw_rows):
            where = _("change row %(index)d") % {"index": index}
            old_code = _code(_get(raw, "oldCode", path, where), path, where, "oldCode")
            new_code = _code(_get(raw, "newCode", path, where), path, where, "newCode")
            where = _("change row %(index)d (%(old)s -> %(new)s)") % {
                "index": index,
                "old": old_code,
                "new": new_code,
            }
            rows.append(
                ChangeRow(
                    old_code=old_code,
                    old_name=str(_get(raw, "oldName", path, where)),
                    new_code=new_code,
                    new_name=str(_get(raw, "newName", path, where)),
                    date=_date(
                        _get(raw, "changeOccurred", path, where), path, where, "changeOccurred"
                    ),
                )
            )
    return rows


def read_counties(directory: Path) -> dict[str, str]:
    path = directory / "county-names-numbers.csv"
    counties: dict[str, str] = {}
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            if not reader.fieldnames or not {"county_code", "county_name"} <= set(
                reader.fieldnames
            ):
                raise SnapshotError(
                    path, _("line 1"), _("expected columns county_code,county_name")
                )
            for row in reader:
                where = _("line %(line)d") % {"line": reader.line_num}
                number = (row.get("county_code") or "").strip()
                name = (row.get("county_name") or "").strip()
                if not number.isdigit() or not name:
                    raise SnapshotError(path, where, _("county number or name missing"))
                counties[number.zfill(2)] = name
    except OSError as exc:
        raise SnapshotError(path, _("cannot be read"), str(exc)) from exc
    return counties


@dataclass
class DateOverride:
    old_code: str
    new_code: str
    ssb_date: dt.date
    date: dt.date
    note: str
    source: str


@dataclass
class BoundaryOverride:
    ssb_date: dt.date
    date: dt.date
    from_code: str
    to_code: str
    drop_rows: set[tuple[str, str]]
    note: str
    source: str


def read_overrides(path: Path) -> tuple[list[DateOverride], list[BoundaryOverride]]:
    data = _read_json(path)
    entries = _get(data, "overrides", path, _("top level"))
    if not isinstance(entries, list):
        raise SnapshotError(path, "overrides", _("is not a list"))
    dates: list[DateOverride] = []
    boundaries: list[BoundaryOverride] = []
    for index, raw in enumerate(entries):
        where = _("override %(index)d") % {"index": index}
        kind = _get(raw, "type", path, where)
        source = str(_get(raw, "source", path, where)).strip()
        if not source:
            raise SnapshotError(path, where, _("every override needs a source"))
        note = str(raw.get("note", "")).strip()
        ssb_date = _date(_get(raw, "ssb_date", path, where), path, where, "ssb_date")
        date = _date(_get(raw, "date", path, where), path, where, "date")
        if kind == "change_date":
            dates.append(
                DateOverride(
                    old_code=_code(_get(raw, "old_code", path, where), path, where, "old_code"),
                    new_code=_code(_get(raw, "new_code", path, where), path, where, "new_code"),
                    ssb_date=ssb_date,
                    date=date,
                    note=note,
                    source=source,
                )
            )
        elif kind == "boundary":
            drop = raw.get("drop_rows", [])
            try:
                drop_rows = {
                    (_code(a, path, where, "drop_rows"), _code(b, path, where, "drop_rows"))
                    for a, b in drop
                }
            except (TypeError, ValueError) as exc:
                raise SnapshotError(path, where, _("drop_rows must be pairs of codes")) from exc
            boundaries.append(
                BoundaryOverride(
                    ssb_date=ssb_date,
                    date=date,
                    from_code=_code(_get(raw, "from_code", path, where), path, where, "from_code"),
                    to_code=_code(_get(raw, "to_code", path, where), path, where, "to_code"),
                    drop_rows=drop_rows,
                    note=note,
                    source=source,
                )
            )
        else:
            raise SnapshotError(path, where, _("unknown override type %(type)r") % {"type": kind})
    return dates, boundaries


# --------------------------------------------------------------------------- deriving


Key = tuple[str, dt.date]


@dataclass
class Identity:
    number: str
    name: str
    official_name: str
    valid_from: dt.date
    valid_to: dt.date | None = None
    notes: str = ""
    spellings: dict[str, str] = field(default_factory=dict)  # normalized -> as given

    @property
    def key(self) -> Key:
        return (self.number, self.valid_from)

    def see(self, item: Item) -> None:
        spelling = collapse_whitespace(item.name)
        self.spellings.setdefault(normalize_name(spelling), spelling)
        self.official_name = spelling
        if item.notes:
            self.notes = item.notes


@dataclass
class Event:
    kind: str
    date: dt.date
    predecessors: tuple[Key, ...]
    successors: tuple[Key, ...]
    note: str = ""
    source: str = ""

    @property
    def key(self) -> tuple:
        return (self.date, self.predecessors, self.successors)


def _new_identity(item: Item, valid_from: dt.date) -> Identity:
    ident = Identity(
        number=item.code,
        name=clean_name(item.name),
        official_name=collapse_whitespace(item.name),
        valid_from=valid_from,
    )
    ident.see(item)
    return ident


def _components(rows: list[ChangeRow]) -> list[list[ChangeRow]]:
    """Group a date's change rows into connected mergers/splits (union-find on codes)."""
    parent: dict[tuple[str, str], tuple[str, str]] = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for row in rows:
        parent[find(("old", row.old_code))] = find(("new", row.new_code))
    groups: dict[tuple[str, str], list[ChangeRow]] = {}
    for row in rows:
        groups.setdefault(find(("old", row.old_code)), []).append(row)
    return list(groups.values())


def _kind(olds: list[str], news: list[str], rows: list[ChangeRow]) -> str:
    kinds = MunicipalityEvent.Kind
    if len(olds) == 1 and len(news) == 1:
        return kinds.RENUMBERING if olds[0] != news[0] else kinds.RENAME
    return kinds.MERGER if len(news) < len(olds) or len(news) == 1 else kinds.SPLIT


def _changes_by_date(
    versions: list[Version], changes: list[ChangeRow], boundaries: list[BoundaryOverride]
) -> dict[dt.date, list[ChangeRow]]:
    """SSB's change rows by date, without the rows the overrides turn into boundary events.

    Every change after the first version must fall on a day a version starts.
    """
    by_date: dict[dt.date, list[ChangeRow]] = {}
    dropped = {(b.ssb_date, a, c) for b in boundaries for a, c in b.drop_rows}
    for row in changes:
        if (row.date, row.old_code, row.new_code) not in dropped:
            by_date.setdefault(row.date, []).append(row)
    version_dates = {v.valid_from for v in versions}
    for day, rows in by_date.items():
        if day not in version_dates and day > versions[0].valid_from:
            row = rows[0]
            raise SnapshotError(
                "changes",
                f"{row.old_code} -> {row.new_code}",
                _("change dated %(date)s but no version starts that day") % {"date": day},
            )
    return by_date


def _is_self_row(rows: list[ChangeRow], olds: list[str], news: list[str]) -> bool:
    """One row from a code to itself under the same name: the identity simply continues."""
    return (
        len(rows) == 1
        and olds == news
        and normalize_name(clean_name(rows[0].old_name))
        == normalize_name(clean_name(rows[0].new_name))
    )


def _effective(
    day: dt.date, olds: list[str], news: list[str], date_overrides: list[DateOverride]
) -> tuple[dt.date, str, str]:
    """The day a change really took effect, with the note and source saying why."""
    effective, note, source = day, "", f"{SOURCE}, {day.isoformat()}"
    for override in date_overrides:
        if override.ssb_date == day and override.old_code in olds and override.new_code in news:
            effective = override.date
            note = override.note
            source = f"{source}; {override.source}"
    return effective, note, source


@dataclass
class _Walk:
    """The state of `derive` while it walks the versions: every identity so far, every
    event, and the identity each code stands for in the version reached."""

    identities: list[Identity] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    current: dict[str, Identity] = field(default_factory=dict)

    def start(self, item: Item, day: dt.date) -> Identity:
        ident = _new_identity(item, day)
        self.identities.append(ident)
        self.current[item.code] = ident
        return ident

    def end(self, code: str, day: dt.date) -> Identity:
        """The identity of `code` ends the day before `day`."""
        ident = self.current.pop(code)
        ident.valid_to = day - ONE_DAY
        return ident

    def change(
        self, version: Version, rows: list[ChangeRow], date_overrides: list[DateOverride]
    ) -> set[str]:
        """Apply one connected group of change rows; return the codes it started."""
        olds = sorted({r.old_code for r in rows})
        news = sorted({r.new_code for r in rows})
        if _is_self_row(rows, olds, news):
            return set()
        effective, note, source = _effective(version.valid_from, olds, news, date_overrides)
        preds = []
        for code in olds:
            if code not in self.current:
                raise SnapshotError(
                    version.path,
                    f"{code}",
                    _("change row from %(code)s, which the previous version lacks")
                    % {"code": code},
                )
            preds.append(self.end(code, effective))
        succs = []
        for code in news:
            if code in self.current:  # absorbed into a continuing code without a self-row
                preds.append(self.end(code, effective))
            item = version.items.get(code)
            if item is None:
                raise SnapshotError(
                    version.path,
                    f"{code}",
                    _("change row to %(code)s, which this version lacks") % {"code": code},
                )
            succs.append(self.start(item, effective))
        self.events.append(
            Event(
                kind=_kind(olds, news, rows),
                date=effective,
                predecessors=tuple(sorted(p.key for p in preds)),
                successors=tuple(sorted(s.key for s in succs)),
                note=note,
                source=source,
            )
        )
        return set(news)

    def carry_over(self, version: Version, started: set[str]) -> None:
        """Codes the change rows did not touch: they continue, vanish, appear or are renamed
        without a change row."""
        day = version.valid_from
        for code in list(self.current):
            if code not in version.items:  # vanished without a change row
                self.end(code, day)
        for code, item in version.items.items():
            if code in started:
                continue
            ident = self.current.get(code)
            if ident is None:  # appeared without a change row
                self.start(item, day)
            elif normalize_name(clean_name(item.name)) != normalize_name(ident.name):
                self.end(code, day)
                renamed = self.start(item, day)
                self.events.append(
                    Event(
                        kind=MunicipalityEvent.Kind.RENAME,
                        date=day,
                        predecessors=(ident.key,),
                        successors=(renamed.key,),
                        source=f"{SOURCE}, {version.path.name} (no change row)",
                    )
                )
            else:
                ident.see(item)

    def boundary(self, boundary: BoundaryOverride) -> None:
        """A boundary adjustment from the overrides file, between identities valid then."""
        source_ident = _valid(self.identities, boundary.from_code, boundary.date - ONE_DAY)
        target_ident = _valid(self.identities, boundary.to_code, boundary.date)
        if source_ident is None or target_ident is None:
            raise SnapshotError(
                "overrides",
                f"{boundary.from_code} -> {boundary.to_code}",
                _("no such municipalities around %(date)s") % {"date": boundary.date},
            )
        self.events.append(
            Event(
                kind=MunicipalityEvent.Kind.BOUNDARY,
                date=boundary.date,
                predecessors=(source_ident.key,),
                successors=(target_ident.key,),
                note=boundary.note,
                source=boundary.source,
            )
        )


def derive(
    versions: list[Version],
    changes: list[ChangeRow],
    date_overrides: list[DateOverride],
    boundaries: list[BoundaryOverride],
) -> tuple[list[Identity], list[Event]]:
    """Walk the versions in order and return every identity and event."""
    by_date = _changes_by_date(versions, changes, boundaries)
    walk = _Walk()
    first = versions[0]
    for item in first.items.values():
        walk.start(item, first.valid_from)
    for version in versions[1:]:
        started: set[str] = set()
        for rows in _components(by_date.get(version.valid_from, [])):
            started |= walk.change(version, rows, date_overrides)
        walk.carry_over(version, started)
    for boundary in boundaries:
        walk.boundary(boundary)
    if len({i.key for i in walk.identities}) != len(walk.identities):
        raise RuntimeError("duplicate identity keys")
    return walk.identities, walk.events


def _valid(identities: list[Identity], code: str, day: dt.date) -> Identity | None:
    for ident in identities:
        if (
            ident.number == code
            and ident.valid_from <= day
            and (ident.valid_to is None or day <= ident.valid_to)
        ):
            return ident
    return None


# --------------------------------------------------------------------------- writing


MUNICIPALITY_FIELDS = [
    "name",
    "official_name",
    "normalized_name",
    "county_number",
    "county_name",
    "valid_to",
    "notes",
    "source",
]


# Sent inside the load's transaction after it wrote the registry in bulk (no model signals):
# `projects.analytics.cache` moves the data version (members may not import projects).
loaded = Signal()


def load_snapshot(*, directory: Path, overrides: Path, dry_run: bool = False) -> LoadReport:
    """Bring the municipality registry in line with the snapshot; see the module docstring.

    Raises SnapshotError (naming file and line or item) before writing anything when a
    file is malformed.
    """
    directory = Path(directory)
    versions = read_versions(directory)
    changes = read_changes(directory)
    counties = read_counties(directory)
    date_overrides, boundaries = read_overrides(Path(overrides))
    identities, events = derive(versions, changes, date_overrides, boundaries)

    report = LoadReport(versions=len(versions), dry_run=dry_run)
    with transaction.atomic():
        objs = _sync_municipalities(identities, counties, report, dry_run)
        _sync_variants(identities, objs, report, dry_run)
        _sync_events(events, objs, report, dry_run)
        if dry_run:
            transaction.set_rollback(True)
        else:
            loaded.send(sender=Municipality)
    return report


def _sync_municipalities(
    identities: list[Identity], counties: dict[str, str], report: LoadReport, dry_run: bool
) -> dict[Key, Municipality]:
    """Create and update identities (with history); return every stored one by key.

    Identities the snapshot no longer has are kept and listed in the report.
    """
    existing = {(m.number, m.valid_from): m for m in Municipality.objects.all()}
    to_create, to_update = [], []
    for ident in identities:
        county_number = ident.number[:2]
        wanted = {
            "name": ident.name,
            "official_name": ident.official_name,
            "normalized_name": normalize_name(ident.name),
            "county_number": county_number,
            "county_name": counties.get(county_number, ""),
            "valid_to": ident.valid_to,
            "notes": ident.notes,
            "source": SOURCE,
        }
        obj = existing.get(ident.key)
        if obj is None:
            to_create.append(
                Municipality(number=ident.number, valid_from=ident.valid_from, **wanted)
            )
            continue
        changed = [f for f, v in wanted.items() if getattr(obj, f) != v]
        if changed:
            for f in changed:
                setattr(obj, f, wanted[f])
            to_update.append(obj)
        else:
            report.municipalities.unchanged += 1
    report.municipalities.created = len(to_create)
    report.municipalities.updated = len(to_update)
    wanted_keys = {i.key for i in identities}
    report.stale_municipalities = sorted(
        str(m) + f" {m.valid_from.isoformat()}" for k, m in existing.items() if k not in wanted_keys
    )
    if not dry_run:
        if to_create:
            bulk_create_with_history(
                to_create, Municipality, batch_size=500, default_change_reason=CHANGE_REASON
            )
        if to_update:
            bulk_update_with_history(
                to_update,
                Municipality,
                MUNICIPALITY_FIELDS,
                batch_size=500,
                default_change_reason=CHANGE_REASON,
            )
    if dry_run:
        return existing
    return {(m.number, m.valid_from): m for m in Municipality.objects.all()}


def _sync_variants(
    identities: list[Identity], objs: dict[Key, Municipality], report: LoadReport, dry_run: bool
) -> None:
    """Make the stored name variants exactly the spellings the snapshot gives."""
    pk_to_key = {m.pk: k for k, m in objs.items()}
    wanted: dict[tuple[Key, str], str] = {}
    for ident in identities:
        own = normalize_name(ident.name)
        for normalized, spelling in ident.spellings.items():
            if normalized != own:
                wanted[(ident.key, normalized)] = spelling
    existing = {
        (pk_to_key.get(v.municipality_id), v.normalized_name): v
        for v in MunicipalityNameVariant.objects.all()
    }
    to_create, to_update = [], []
    for (key, normalized), spelling in wanted.items():
        variant = existing.get((key, normalized))
        if variant is None:
            to_create.append((key, normalized, spelling))
        elif variant.name != spelling:
            variant.name = spelling
            to_update.append(variant)
        else:
            report.name_variants.unchanged += 1
    stale = [v.pk for k, v in existing.items() if k not in wanted]
    report.name_variants.created = len(to_create)
    report.name_variants.updated = len(to_update)
    report.name_variants.deleted = len(stale)
    if dry_run:
        return
    MunicipalityNameVariant.objects.filter(pk__in=stale).delete()
    MunicipalityNameVariant.objects.bulk_create(
        [
            MunicipalityNameVariant(
                municipality_id=objs[key].pk, name=spelling, normalized_name=normalized
            )
            for key, normalized, spelling in to_create
        ],
        batch_size=500,
    )
    MunicipalityNameVariant.objects.bulk_update(to_update, ["name"], batch_size=500)


EventKey = tuple[dt.date, tuple[Key, ...], tuple[Key, ...]]
_PREDECESSOR_LINK: Any = MunicipalityEvent.predecessors.through
_SUCCESSOR_LINK: Any = MunicipalityEvent.successors.through


def _stored_events(
    pk_to_key: dict[int, Key],
) -> tuple[dict[EventKey, MunicipalityEvent], list[int]]:
    """The stored events by key, and the pks of those to delete: duplicates and events that
    link a municipality the snapshot does not have.
    """
    links: dict[str, dict[int, list[Key]]] = {"pred": {}, "succ": {}}
    foreign: set[int] = set()  # events linking a municipality not in the snapshot
    for name, through in (("pred", _PREDECESSOR_LINK), ("succ", _SUCCESSOR_LINK)):
        for event_id, municipality_id in through.objects.values_list(
            "municipalityevent_id", "municipality_id"
        ):
            linked = pk_to_key.get(municipality_id)
            if linked is None:
                foreign.add(event_id)
            else:
                links[name].setdefault(event_id, []).append(linked)
    existing: dict[EventKey, MunicipalityEvent] = {}
    stale: list[int] = []
    for event in MunicipalityEvent.objects.all():
        if event.pk in foreign:
            stale.append(event.pk)
            continue
        key = (
            event.date,
            tuple(sorted(links["pred"].get(event.pk, []))),
            tuple(sorted(links["succ"].get(event.pk, []))),
        )
        if key in existing:
            stale.append(event.pk)
        else:
            existing[key] = event
    return existing, stale


def _sync_events(
    events: list[Event], objs: dict[Key, Municipality], report: LoadReport, dry_run: bool
) -> None:
    """Make the stored events exactly the derived ones: create, update, delete the rest."""
    existing, stale = _stored_events({m.pk: k for k, m in objs.items()})
    to_create: list[tuple[MunicipalityEvent, Event]] = []
    to_update: list[MunicipalityEvent] = []
    for wanted in events:
        obj = existing.get(wanted.key)
        if obj is None:
            new = MunicipalityEvent(
                kind=wanted.kind, date=wanted.date, note=wanted.note, source=wanted.source
            )
            to_create.append((new, wanted))
        elif (obj.kind, obj.note, obj.source) != (wanted.kind, wanted.note, wanted.source):
            obj.kind, obj.note, obj.source = wanted.kind, wanted.note, wanted.source
            to_update.append(obj)
        else:
            report.events.unchanged += 1
    wanted_keys = {wanted.key for wanted in events}
    stale.extend(e.pk for k, e in existing.items() if k not in wanted_keys)
    report.events.created = len(to_create)
    report.events.updated = len(to_update)
    report.events.deleted = len(stale)
    if dry_run:
        return
    if stale:
        MunicipalityEvent.objects.filter(pk__in=stale).delete()
    if to_update:
        bulk_update_with_history(
            to_update,
            MunicipalityEvent,
            ["kind", "note", "source"],
            default_change_reason=CHANGE_REASON,
        )
    _create_events(to_create, objs)


def _create_events(
    to_create: list[tuple[MunicipalityEvent, Event]], objs: dict[Key, Municipality]
) -> None:
    """Create the new events with history, then their links to predecessors and successors."""
    if not to_create:
        return
    created = bulk_create_with_history(
        [new for new, _wanted in to_create],
        MunicipalityEvent,
        batch_size=500,
        default_change_reason=CHANGE_REASON,
    )
    if any(e.pk is None for e in created):
        raise RuntimeError("bulk_create did not return primary keys")
    pred, succ = _PREDECESSOR_LINK, _SUCCESSOR_LINK
    pred_rows, succ_rows = [], []
    for event, (_new, wanted) in zip(created, to_create, strict=True):
        for key in wanted.predecessors:
            pred_rows.append(pred(municipalityevent_id=event.pk, municipality_id=objs[key].pk))
        for key in wanted.successors:
            succ_rows.append(succ(municipalityevent_id=event.pk, municipality_id=objs[key].pk))
    pred.objects.bulk_create(pred_rows, batch_size=1000)
    succ.objects.bulk_create(succ_rows, batch_size=1000)


# --------------------------------------------------------------------------- by hand


@transaction.atomic
def municipality_save(*, actor: Actor, municipality: Municipality) -> Municipality:
    """A correction of an identity by hand (the admin).

    The next load brings a snapshot identity back in line with the snapshot: a lasting
    correction belongs in the overrides file.
    """
    require_secretariat_or_system(actor)
    municipality.normalized_name = normalize_name(municipality.name)
    municipality.full_clean()
    stamp(municipality, actor, gettext_noop("municipality corrected by hand"))
    municipality.save()
    return municipality


@transaction.atomic
def municipality_delete(*, actor: Actor, municipality: Municipality) -> None:
    require_secretariat_or_system(actor)
    stamp(municipality, actor, gettext_noop("municipality deleted by hand"))
    municipality.delete()


@transaction.atomic
def name_variant_save(*, actor: Actor, variant: MunicipalityNameVariant) -> MunicipalityNameVariant:
    require_secretariat_or_system(actor)
    variant.normalized_name = normalize_name(variant.name)
    variant.full_clean()
    variant.save()
    return variant


@transaction.atomic
def name_variant_delete(*, actor: Actor, variant: MunicipalityNameVariant) -> None:
    require_secretariat_or_system(actor)
    variant.delete()


@transaction.atomic
def municipality_event_save(
    *,
    actor: Actor,
    event: MunicipalityEvent,
    predecessors: Iterable[Municipality],
    successors: Iterable[Municipality],
) -> MunicipalityEvent:
    """An event recorded or corrected by hand (the admin), with the identities it links."""
    require_secretariat_or_system(actor)
    event.full_clean()
    stamp(event, actor, gettext_noop("municipality event corrected by hand"))
    event.save()
    event.predecessors.set(list(predecessors))
    event.successors.set(list(successors))
    return event


@transaction.atomic
def municipality_event_delete(*, actor: Actor, event: MunicipalityEvent) -> None:
    require_secretariat_or_system(actor)
    stamp(event, actor, gettext_noop("municipality event deleted by hand"))
    event.delete()
