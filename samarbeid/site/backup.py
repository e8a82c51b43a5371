"""Backup and restore: one consistent, versioned archive of the database and the uploads.

The archive is a tar file:

    manifest.json              format version, time, database, applied migrations, and
                               the sha256 of every other member
    data/<app_label>.<model>.json   every row of every table (history tables included),
                               ordered by primary key, read in ONE transaction (REPEATABLE
                               READ, read only, on PostgreSQL; one read transaction on SQLite)
    media/<path>               every file under MEDIA_ROOT

Restore writes the rows as they are, with their primary keys, without signals: no history
row is invented (simple_history's post_save does not run) and none is lost. Only the data
version's counter (a cache key, not data) is moved on past every value it had
(`projects.analytics.cache.restart_data_version`), so no page cached before is served. It refuses a
database that already holds data, an archive of another format, migrations that do not
match, and any member whose checksum does not match.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import json
import tarfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

from networks.search import rebuild_index as rebuild_library_index
from projects.analytics.cache import restart_data_version

FORMAT = "samarbeid-backup"
FORMAT_VERSION = 1
# Tables `migrate` fills by itself (the data version's one row among them); restore
# replaces their rows with the archive's.
FILLED_BY_MIGRATE = {"contenttypes.ContentType", "auth.Permission", "common.DataVersion"}


class BackupError(Exception):
    """A backup cannot be made or restored; the message says why."""


class _Encoder(DjangoJSONEncoder):
    """Django's encoder, but times keep their microseconds (a restore is exact)."""

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        if isinstance(o, bytes | memoryview):
            return base64.b64encode(bytes(o)).decode("ascii")
        return super().default(o)


def backed_up_models() -> list[type[models.Model]]:
    """Every table Django manages: app models, history models and m2m tables."""
    return sorted(
        (
            m
            for m in apps.get_models(include_auto_created=True)
            if m._meta.managed and not m._meta.proxy
        ),
        key=lambda m: m._meta.label,
    )


def _fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return list(model._meta.local_concrete_fields)


def _rows(model: type[models.Model], using: str) -> Iterator[list[Any]]:
    names = [f.attname for f in _fields(model)]
    qs = model._base_manager.using(using).order_by("pk").values_list(*names)
    for row in qs.iterator(chunk_size=2000):
        yield list(row)


def _table_json(model: type[models.Model], using: str) -> bytes:
    payload = {
        "model": model._meta.label,
        "fields": [f.attname for f in _fields(model)],
        "rows": list(_rows(model, using)),
    }
    return json.dumps(payload, cls=_Encoder, ensure_ascii=False, sort_keys=True).encode()


def table_digests(using: str = DEFAULT_DB_ALIAS) -> dict[str, str]:
    """sha256 of every table's content (rows in primary-key order), by model label."""
    return {
        m._meta.label: hashlib.sha256(_table_json(m, using)).hexdigest() for m in backed_up_models()
    }


def media_files(root: Path | None = None) -> dict[str, Path]:
    base = Path(root or settings.MEDIA_ROOT)
    if not base.is_dir():
        return {}
    return {p.relative_to(base).as_posix(): p for p in sorted(base.rglob("*")) if p.is_file()}


def file_digests(root: Path | None = None) -> dict[str, str]:
    return {name: _sha256_file(path) for name, path in media_files(root).items()}


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _applied_migrations(using: str) -> list[list[str]]:
    recorder = MigrationRecorder(connections[using])
    return sorted([app, name] for app, name in recorder.applied_migrations())


def _snapshot(using: str) -> dict[str, bytes]:
    """Every table, read in one transaction so the copy is consistent."""
    connection = connections[using]
    outer = connection.in_atomic_block  # (a test's transaction: already a snapshot)
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql" and not outer:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        return {f"data/{m._meta.label}.json": _table_json(m, using) for m in backed_up_models()}


def _add(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o600
    archive.addfile(info, io.BytesIO(data))


def create_backup(path: Path, *, using: str = DEFAULT_DB_ALIAS) -> dict[str, Any]:
    """Write the archive to `path`; returns its manifest."""
    tables = _snapshot(using)
    files = media_files()
    checksums = {name: hashlib.sha256(data).hexdigest() for name, data in tables.items()}
    for name, file in files.items():
        checksums[f"media/{name}"] = _sha256_file(file)
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created": timezone.now().isoformat(),
        "database_vendor": connections[using].vendor,
        "migrations": _applied_migrations(using),
        "tables": {
            name.removeprefix("data/").removesuffix(".json"): len(json.loads(data)["rows"])
            for name, data in tables.items()
        },
        "files": len(files),
        "sha256": checksums,
    }
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with tarfile.open(partial, "w") as archive:
        _add(archive, "manifest.json", json.dumps(manifest, indent=2).encode())
        for name, data in tables.items():
            _add(archive, name, data)
        for name, file in files.items():
            archive.add(file, arcname=f"media/{name}", recursive=False)
    partial.replace(path)
    return manifest


# --- restore --------------------------------------------------------------------------


def _read_verified(path: Path) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The manifest and every member, after checking format and checksums."""
    try:
        archive = tarfile.open(path, "r")  # noqa: SIM115 (closed by the with below)
    except (OSError, tarfile.TarError) as error:
        raise BackupError(
            _("%(path)s is not a backup archive: %(error)s") % {"path": path, "error": error}
        ) from error
    with archive:
        members: dict[str, bytes] = {}
        for info in archive.getmembers():
            name = PurePosixPath(info.name)
            if not info.isfile() or name.is_absolute() or ".." in name.parts:
                raise BackupError(
                    _("The archive holds an unsafe entry: %(name)s") % {"name": info.name}
                )
            handle = archive.extractfile(info)
            members[info.name] = handle.read() if handle else b""
    if "manifest.json" not in members:
        raise BackupError(_("The archive has no manifest.json."))
    manifest = json.loads(members.pop("manifest.json"))
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            _(
                "The archive is of format %(format)s version %(version)s; "
                "this version reads %(ours)s."
            )
            % {
                "format": manifest.get("format"),
                "version": manifest.get("format_version"),
                "ours": f"{FORMAT} {FORMAT_VERSION}",
            }
        )
    expected = manifest.get("sha256", {})
    if set(expected) != set(members):
        missing = sorted(set(expected) ^ set(members))
        raise BackupError(
            _("The archive and its manifest do not list the same files: %(names)s")
            % {"names": ", ".join(missing[:5])}
        )
    for name, data in members.items():
        if hashlib.sha256(data).hexdigest() != expected[name]:
            raise BackupError(
                _("Checksum mismatch for %(name)s: the archive is damaged.") % {"name": name}
            )
    return manifest, members


def _refuse_unless_empty(using: str) -> None:
    filled = [
        m._meta.label
        for m in backed_up_models()
        if m._meta.label not in FILLED_BY_MIGRATE and m._base_manager.using(using).exists()
    ]
    if filled:
        raise BackupError(
            _(
                "The database is not empty (%(tables)s); "
                "restore only into an empty, migrated database."
            )
            % {"tables": ", ".join(filled[:5]) + (" …" if len(filled) > 5 else "")}
        )


def _refuse_other_migrations(manifest: dict[str, Any], using: str) -> None:
    ours = {tuple(m) for m in _applied_migrations(using)}
    theirs = {tuple(m) for m in manifest["migrations"]}
    if ours != theirs:
        differ = sorted(ours ^ theirs)[:5]
        raise BackupError(
            _(
                "The database's migrations differ from the archive's (%(names)s); "
                "migrate to the same version first."
            )
            % {"names": ", ".join(f"{a}.{n}" for a, n in differ)}
        )


def _insert(model: type[models.Model], payload: dict[str, Any], using: str) -> int:
    by_name = {f.attname: f for f in _fields(model)}
    fields = [by_name[name] for name in payload["fields"]]
    objs = []
    for row in payload["rows"]:
        obj = model()
        for field, value in zip(fields, row, strict=True):
            if value is not None and not isinstance(field, models.JSONField):
                value = field.to_python(value)
            setattr(obj, field.attname, value)
        objs.append(obj)
    batch = 500
    for start in range(0, len(objs), batch):
        model._base_manager.using(using)._insert(  # type: ignore[attr-defined]
            objs[start : start + batch], fields=fields, using=using, raw=True
        )
    return len(objs)


def restore_backup(path: Path, *, using: str = DEFAULT_DB_ALIAS) -> dict[str, Any]:
    """Restore the archive at `path` into an empty migrated database and MEDIA_ROOT."""
    manifest, members = _read_verified(Path(path))
    _refuse_other_migrations(manifest, using)
    _refuse_unless_empty(using)
    known = {m._meta.label: m for m in backed_up_models()}
    restored = []
    with transaction.atomic(using=using):
        for label in FILLED_BY_MIGRATE:
            known[label]._base_manager.using(using).all().delete()
        for name, data in members.items():
            if not name.startswith("data/"):
                continue
            payload = json.loads(data)
            model = known.get(payload["model"])
            if model is None:
                raise BackupError(
                    _("The archive holds a table this version does not know: %(name)s")
                    % {"name": payload["model"]}
                )
            _insert(model, payload, using)
            restored.append(model)
        connection = connections[using]
        statements = connection.ops.sequence_reset_sql(no_style(), restored)
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
        # Derived search indexes that are not Django models are built again from the rows.
        rebuild_library_index()
        # Raw inserts send no signals, and they bring back the archive's data-version
        # counter and highest ids, which the old database may have had with other data:
        # the counter jumps past every value it had, so no page cached before is served.
        restart_data_version()
    media_root = Path(settings.MEDIA_ROOT)
    for name, data in members.items():
        if name.startswith("media/"):
            target = media_root / name.removeprefix("media/")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    return manifest


def default_name() -> str:
    return f"samarbeid-{dt.datetime.now().strftime('%Y%m%d-%H%M%S')}.tar"
