"""Fetch SSB classification 131 from the Klass API and compare it with the offline snapshot.

Only the standard library is used (urllib, short timeout); the optional `ssb-klass-python`
package is not needed. SSB revises past data, so a refresh shows what changed before
anything is written.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from members.registry import read_changes, read_versions

API = "https://data.ssb.no/api/klass/v1"
CLASSIFICATION = 131
DEFAULT_TIMEOUT = 10.0
FIRST_YEAR = 1971
_DROP_KEYS = {"_links", "contactPerson"}

Fetcher = Callable[[str], Any]


class KlassUnreachable(RuntimeError):
    """The Klass API could not be reached or gave no usable answer."""


def urllib_fetcher(timeout: float = DEFAULT_TIMEOUT) -> Fetcher:
    def fetch(url: str) -> Any:
        request = urllib.request.Request(
            url, headers={"Accept": "application/json", "User-Agent": "samarbeid"}
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return json.loads(response.read().decode("utf-8"))
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", None) or exc
            raise KlassUnreachable(f"{url}: {reason}") from exc

    return fetch


def _strip(value: Any) -> Any:
    """Drop API links and contact details, as the offline snapshot does."""
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k not in _DROP_KEYS}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def _write(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def fetch_snapshot(
    target: Path, *, fetch: Fetcher, first_year: int = FIRST_YEAR, today: dt.date | None = None
) -> list[Path]:
    """Download classification 131 into `target` in the snapshot's file layout."""
    today = today or dt.date.today()
    target.mkdir(parents=True, exist_ok=True)
    try:
        classification = fetch(f"{API}/classifications/{CLASSIFICATION}?language=nb")
        versions = classification["versions"]
        written = [target / f"classification-{CLASSIFICATION}.json"]
        _write(written[0], _strip(classification))
        for version in versions:
            valid_from = dt.date.fromisoformat(version["validFrom"])
            if valid_from.year < first_year:
                continue
            data = fetch(f"{API}/versions/{version['id']}?language=nb")
            path = target / f"version-{valid_from.year}.json"
            _write(path, _strip(data))
            written.append(path)
        last_year = today.year
        changes = fetch(
            f"{API}/classifications/{CLASSIFICATION}/changes"
            f"?from={first_year + 1}-01-01&to={today.isoformat()}&language=nb"
        )
        changes["codeChanges"]
        path = target / f"changes-{first_year + 1}-{last_year}.json"
        _write(path, _strip(changes))
        written.append(path)
    except (KeyError, TypeError, ValueError) as exc:
        raise KlassUnreachable(f"unexpected answer ({exc!r})") from exc
    return written


@dataclass
class SnapshotDiff:
    versions_added: list[str] = field(default_factory=list)
    versions_removed: list[str] = field(default_factory=list)
    versions_changed: list[str] = field(default_factory=list)
    codes_added: list[str] = field(default_factory=list)
    codes_removed: list[str] = field(default_factory=list)
    names_changed: list[str] = field(default_factory=list)
    change_rows_added: list[str] = field(default_factory=list)
    change_rows_removed: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any(getattr(self, name) for name in self.__dataclass_fields__)


def _row_label(row) -> str:
    old = f"{row.old_code} {row.old_name.strip()}"
    new = f"{row.new_code} {row.new_name.strip()}"
    return f"{row.date.isoformat()} {old} -> {new}"


def diff_snapshots(old: Path, new: Path) -> SnapshotDiff:
    """What differs between two snapshot directories (both are parsed and checked)."""
    diff = SnapshotDiff()
    old_versions = {v.valid_from: v for v in read_versions(old)}
    new_versions = {v.valid_from: v for v in read_versions(new)}
    for day in sorted(new_versions.keys() - old_versions.keys()):
        diff.versions_added.append(day.isoformat())
    for day in sorted(old_versions.keys() - new_versions.keys()):
        diff.versions_removed.append(day.isoformat())
    for day in sorted(old_versions.keys() & new_versions.keys()):
        before, after = old_versions[day].items, new_versions[day].items
        changed = False
        for code in sorted(after.keys() - before.keys()):
            diff.codes_added.append(f"{day.isoformat()} {code} {after[code].name.strip()}")
            changed = True
        for code in sorted(before.keys() - after.keys()):
            diff.codes_removed.append(f"{day.isoformat()} {code} {before[code].name.strip()}")
            changed = True
        for code in sorted(before.keys() & after.keys()):
            if before[code].name != after[code].name:
                diff.names_changed.append(
                    f"{day.isoformat()} {code}: {before[code].name!r} -> {after[code].name!r}"
                )
                changed = True
            elif before[code].notes != after[code].notes:
                changed = True
        if changed:
            diff.versions_changed.append(day.isoformat())
    old_rows = {_row_label(r) for r in read_changes(old)}
    new_rows = {_row_label(r) for r in read_changes(new)}
    diff.change_rows_added = sorted(new_rows - old_rows)
    diff.change_rows_removed = sorted(old_rows - new_rows)
    return diff


def install_snapshot(source: Path, target: Path) -> list[Path]:
    """Copy fetched files into the snapshot directory, replacing the API-derived ones.

    New files are copied under temporary names first, so a failed copy leaves the old
    snapshot whole. README and county-names-numbers.csv are not from this API and stay.
    """
    target.mkdir(parents=True, exist_ok=True)
    staged = []
    for path in sorted(source.glob("*.json")):
        temporary = target / f".{path.name}.new"
        shutil.copyfile(path, temporary)
        staged.append((temporary, target / path.name))
    keep = {final for _tmp, final in staged}
    for stale in [*target.glob("version-*.json"), *target.glob("changes-*.json")]:
        if stale not in keep:
            stale.unlink()
    for temporary, final in staged:
        temporary.replace(final)
    return [final for _tmp, final in staged]
