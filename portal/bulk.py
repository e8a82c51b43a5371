"""Bulk open data: `/data/samarbeid.zip` — one CSV per table, the same tables as one JSON
file, and a Frictionless `datapackage.json` describing every column (type, description).

The zip is built on demand once per data version (projects.analytics.cache) and kept in
the default storage under `open-data/`, so the URL stays the same and the file follows
every edit. Only public projects and cases and what hangs off them are in it; people
appear only as the names of board members (office holders), never with contact details.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import io
import json
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.utils import translation

from governance import selectors as governance_selectors
from portal import api_selectors as sel
from portal import network_selectors
from portal.conditional import conditional
from projects.analytics.cache import data_version
from projects.models import Deliverable, MoneyEntry, Participation, PhaseTransition, SpinOff
from projects.selectors import public_projects

FOLDER = "open-data"
LICENSE = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}

FRICTIONLESS_TYPES: dict[type[models.Field], str] = {
    models.AutoField: "integer",
    models.BigAutoField: "integer",
    models.ForeignKey: "integer",
    models.IntegerField: "integer",
    models.PositiveIntegerField: "integer",
    models.PositiveSmallIntegerField: "integer",
    models.DecimalField: "number",
    models.BooleanField: "boolean",
    models.DateField: "date",
    models.DateTimeField: "datetime",
}


@dataclass
class Column:
    name: str
    source: str = ""
    """The `.values()` key (default: the name)."""
    description: str = ""
    type: str = ""

    @property
    def key(self) -> str:
        return self.source or self.name


@dataclass
class Table:
    name: str
    model: type[models.Model]
    description: str
    columns: list[Column]
    rows: Callable[[], Iterable[dict[str, Any]]] | None = None
    foreign_keys: list[tuple[str, str]] = field(default_factory=list)


def _field(model: type[models.Model], path: str) -> models.Field:
    current: Any = model
    found: Any = None
    for part in path.split("__"):
        found = current._meta.get_field(part)
        if found.is_relation and part != path.split("__")[-1]:
            current = found.related_model
    return found


def _describe(table: Table, column: Column) -> dict[str, Any]:
    try:
        model_field = _field(table.model, column.key.removesuffix("_id"))
    except Exception:
        model_field = None
    kind = column.type
    description = column.description
    if model_field is not None:
        if not kind:
            kind = next(
                (t for cls, t in FRICTIONLESS_TYPES.items() if type(model_field) is cls), ""
            ) or next(
                (t for cls, t in FRICTIONLESS_TYPES.items() if isinstance(model_field, cls)),
                "string",
            )
        if not description:
            text = str(getattr(model_field, "verbose_name", column.name))
            help_text = str(getattr(model_field, "help_text", "") or "")
            description = text[:1].upper() + text[1:] + (f". {help_text}" if help_text else ".")
            if model_field.is_relation:
                description = f"Id of the {text} (see {column.name.removesuffix('_id')}s)."
        choices = getattr(model_field, "choices", None)
        if choices and not model_field.is_relation:
            description += " One of: " + ", ".join(f"{v} ({label})" for v, label in choices) + "."
    spec: dict[str, Any] = {
        "name": column.name,
        "type": kind or "string",
        "description": description or column.name,
    }
    if column.name == "id":
        spec["constraints"] = {"required": True, "unique": True}
    return spec


def _values(qs: Any, columns: list[Column]) -> Iterable[dict[str, Any]]:
    for row in qs.values(*[c.key for c in columns]).iterator(chunk_size=2000):
        yield {c.name: row[c.key] for c in columns}


def _c(*names: str) -> list[Column]:
    return [Column(n) for n in names]


def _table(
    name: str,
    qs: Any,
    description: str,
    columns: list[Column],
    foreign_keys: list[tuple[str, str]] | None = None,
) -> Table:
    """A table of the rows of `qs` (its model describes the columns), in primary-key order."""
    ordered = qs.order_by("pk")
    return Table(
        name,
        qs.model,
        description,
        columns,
        rows=lambda: _values(ordered, columns),
        foreign_keys=foreign_keys or [],
    )


def _project_table(name: str, model: type[models.Model], description: str, *cols: Any) -> Table:
    columns = [c if isinstance(c, Column) else Column(c) for c in ("id", "project_id", *cols)]
    return _table(
        name,
        sel.of_public_projects(model),
        description,
        columns,
        [("project_id", "projects")],
    )


def tables() -> list[Table]:
    """Every table of the bulk download with its columns and rows: the API's reads
    (portal.api_selectors, portal.network_selectors) as flat tables."""
    from governance.models import BoardSeat
    from members.models import Cooperation, Membership, MunicipalityEvent

    public_cases = governance_selectors.public_cases()
    return [
        _table(
            "cooperations",
            Cooperation.objects.all(),
            "The inter-municipal cooperations (Popolo organizations).",
            [
                *_c("id", "slug", "name", "short_name", "founded", "website"),
                Column("purpose", description="The cooperation's purpose as it states it."),
            ],
        ),
        _table(
            "municipalities",
            sel.municipalities(on=None, county=None, q=None),
            "Municipality identities over time: a number valid over a period under a name "
            "(SSB Klass 131).",
            _c(*sel.MUNICIPALITY_FIELDS),
        ),
        _table(
            "municipality_events",
            MunicipalityEvent.objects.all(),
            "Mergers, splits, renames and renumberings linking identities.",
            _c("id", "kind", "date", "note"),
        ),
        _table(
            "memberships",
            Membership.objects.all(),
            "A municipality's membership of a cooperation over a period (Popolo membership).",
            [
                *_c("id", "cooperation_id", "municipality_id", "role"),
                Column("start_date", "joined", "First day as member."),
                Column("end_date", "left", "Last day as member; empty while it lasts."),
            ],
        ),
        _table(
            "board_posts",
            BoardSeat.objects.all(),
            "Seats on the board over time (Popolo posts) with the office holder's name.",
            [
                *_c("id", "cooperation_id", "role", "label", "voting"),
                Column("start_date", "start", "First day of the seat."),
                Column("end_date", "end", "Last day of the seat; empty while it lasts."),
                Column("municipality_id", description="Id of the municipality represented."),
                Column("organisation_id", description="Id of the organisation represented."),
                Column(
                    "holder_name",
                    "person__name",
                    "Name of the office holder (no contact details).",
                    "string",
                ),
            ],
        ),
        _table(
            "organisations",
            sel.organisations(kind=None, q=None),
            "Partner organisations.",
            _c(*sel.ORGANISATION_FIELDS),
        ),
        _table(
            "projects",
            public_projects(),
            "The public joint projects.",
            _c(
                "id",
                "cooperation_id",
                "slug",
                "name",
                "short_name",
                *sel.PROJECT_STATE_FIELDS,
                "host_municipality_id",
                "owner_municipality_id",
                "owner_organisation_id",
                "description",
                "updated_at",
            ),
        ),
        _project_table(
            "participations",
            Participation,
            "Municipalities and organisations taking part in the public projects.",
            "municipality_id",
            "organisation_id",
            "role",
            Column("start_date", "joined", "Joined the project."),
            Column("end_date", "left", "Left the project."),
            "note",
        ),
        _project_table(
            "money",
            MoneyEntry,
            "Grants, costs and benefits of the public projects, in NOK.",
            "kind",
            "benefit_category",
            "certainty",
            "amount_nok",
            "approximate",
            "funder_id",
            "municipality_id",
            "year_from",
            "year_to",
            "purpose",
        ),
        _project_table(
            "deliverables",
            Deliverable,
            "Reports and proposals the public projects delivered or are due to deliver.",
            *sel.DELIVERABLE_FIELDS,
        ),
        _project_table(
            "spin_offs",
            SpinOff,
            "The operating bodies the public projects established or handed over to.",
            "kind",
            "name",
            "date",
            "organisation_id",
            "host_municipality_id",
            "description",
        ),
        _project_table(
            "phase_transitions",
            PhaseTransition,
            "The public projects' phases over time.",
            *sel.PHASE_FIELDS,
        ),
        _table(
            "cases",
            public_cases,
            "The board's public cases with the board's decision.",
            [
                *_c("id", "cooperation_id", "number", "title"),
                Column("meeting_date", "meeting__date", "Date of the board meeting.", "date"),
                *_c("outcome", "proposal", "decision_text"),
            ],
        ),
        _table(
            "referrals",
            sel.public_referral_rows(),
            "Public cases referred to the municipal councils.",
            _c("id", "case_id", "referred_on", "deadline", "closed_on", "established_on"),
            [("case_id", "cases")],
        ),
        _table(
            "council_decisions",
            sel.public_council_decisions(),
            "Each council's answer to a referral of a public case.",
            _c(
                "id",
                "referral_id",
                "municipality_id",
                "outcome",
                "date",
                "decision_text",
                "council_reference",
                "conditions_text",
            ),
            [("referral_id", "referrals")],
        ),
        *_network_tables(),
    ]


def _network_tables() -> list[Table]:
    """The professional networks, their members over time and the metadata of their public
    documents (never a document shared only with the network or the members)."""
    from networks.models import NetworkMembership

    networks = network_selectors.networks()
    return [
        _table(
            "networks",
            networks,
            "The professional networks of the cooperations.",
            [
                *_c("id", "cooperation_id", "slug", "name", "field", "status", "started"),
                Column("description"),
                Column(
                    "coordinator_name",
                    "coordinator__name",
                    "Name of the network's coordinator, an office holder (no contact details).",
                    "string",
                ),
            ],
        ),
        _table(
            "network_memberships",
            NetworkMembership.objects.filter(network__in=networks),
            "Municipalities and organisations taking part in a network over a period.",
            [
                *_c("id", "network_id", "municipality_id", "organisation_id"),
                Column("start_date", "start", "First day in the network."),
                Column("end_date", "end", "Last day in the network; empty while it lasts."),
            ],
            [("network_id", "networks")],
        ),
        _table(
            "network_documents",
            network_selectors.public_documents(),
            "The networks' library documents marked public (metadata; the files are "
            "downloaded from the portal).",
            _c("id", "network_id", "title", "kind", "created_at", "updated_at"),
            [("network_id", "networks")],
        ),
        _table(
            "network_document_versions",
            network_selectors.public_versions(),
            "The versions of the public network documents.",
            _c("id", "document_id", "number", "file_kind", "size", "uploaded_at", "change_note"),
            [("document_id", "network_documents")],
        ),
    ]


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def descriptor(all_tables: list[Table], version: str) -> dict[str, Any]:
    resources = []
    for table in all_tables:
        schema: dict[str, Any] = {
            "fields": [_describe(table, c) for c in table.columns],
            "primaryKey": ["id"],
        }
        if table.foreign_keys:
            schema["foreignKeys"] = [
                {"fields": [column], "reference": {"resource": target, "fields": ["id"]}}
                for column, target in table.foreign_keys
            ]
        resources.append(
            {
                "name": table.name,
                "path": f"{table.name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "description": table.description,
                "schema": schema,
            }
        )
    return {
        "profile": "tabular-data-package",
        "name": "samarbeid",
        "title": "Samarbeid: open data of the inter-municipal cooperation",
        "description": "Public projects, board cases, referrals and council decisions, "
        "members over time and the municipality registry. samarbeid.json holds the same "
        "tables as JSON.",
        "version": version,
        "licenses": [LICENSE],
        "resources": resources,
    }


def build() -> bytes:
    """The zip of the current data (English descriptions)."""
    version = data_version()
    with translation.override("en"):
        all_tables = tables()
        package = descriptor(all_tables, hashlib.sha1(version.encode()).hexdigest()[:12])
        buffer = io.BytesIO()
        everything: dict[str, list[dict[str, Any]]] = {}
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for table in all_tables:
                assert table.rows is not None
                rows = list(table.rows())
                everything[table.name] = rows
                text = io.StringIO()
                writer = csv.writer(text, lineterminator="\n")
                writer.writerow([c.name for c in table.columns])
                for row in rows:
                    writer.writerow([_csv_value(row[c.name]) for c in table.columns])
                archive.writestr(f"{table.name}.csv", text.getvalue())
            archive.writestr(
                "samarbeid.json",
                json.dumps(everything, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1),
            )
            archive.writestr("datapackage.json", json.dumps(package, ensure_ascii=False, indent=2))
    return buffer.getvalue()


def current_name() -> str:
    """The stored zip of the current data version, built first when it is missing."""
    digest = hashlib.sha1(data_version().encode(), usedforsecurity=False).hexdigest()[:20]
    name = f"{FOLDER}/samarbeid-{digest}.zip"
    if not default_storage.exists(name):
        content = build()
        if not default_storage.exists(name):
            default_storage.save(name, ContentFile(content))
        _remove_old(keep=name)
    return name


def _remove_old(*, keep: str) -> None:
    try:
        _dirs, files = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return
    for file in files:
        path = f"{FOLDER}/{file}"
        if path != keep and file.startswith("samarbeid-") and file.endswith(".zip"):
            with contextlib.suppress(OSError):
                default_storage.delete(path)


@conditional(max_age=0, keep_body=False)
def download(request: HttpRequest) -> HttpResponseBase:
    name = current_name()
    response = FileResponse(
        default_storage.open(name, "rb"),
        as_attachment=True,
        filename="samarbeid.zip",
        content_type="application/zip",
    )
    return response


@conditional(max_age=0)
def datapackage(request: HttpRequest) -> HttpResponseBase:
    with default_storage.open(current_name(), "rb") as stored, zipfile.ZipFile(stored) as archive:
        body = archive.read("datapackage.json")
    return HttpResponse(body, content_type="application/json")
