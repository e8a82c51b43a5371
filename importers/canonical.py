"""Canonical forms of what an import compares between the file and the database: the
project fields it sets, `source_text` without its row number, and a stored project with
its rows as plain, sortable values (the round-trip tests compare these).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from importers.readers import columns_of_headings
from projects.models import Project
from projects.services import EDITABLE_FIELDS

# The project fields a file can state: the editable ones but those an overview table has
# no column for, plus what the import keeps of the file itself.
# The date of the last record is set from the document's date, not from a cell, and only
# ever moved forward (importers.services, projects.services.project_last_recorded_set).
NOT_IN_AN_OVERVIEW = (
    "short_name",
    "project_leader",
    "description",
    "is_public",
    "last_recorded_on",
    "last_recorded_precision",
)
PROJECT_FIELDS = (
    *(name for name in EDITABLE_FIELDS if name not in NOT_IN_AN_OVERVIEW),
    "source_text",
    "search_text",
)


def _pk(value):
    return value.pk if hasattr(value, "pk") else value


def _plain(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value.quantize(Decimal("0.01")))
    return _pk(value)


def _rows(items: list[dict], keys: tuple[str, ...]) -> list[tuple]:
    return sorted(tuple(str(_plain(item.get(k))) for k in keys) for item in items)


PARTICIPATION_KEYS = ("municipality", "organisation", "role", "note")
MONEY_KEYS = (
    "kind",
    "benefit_category",
    "certainty",
    "amount_nok",
    "approximate",
    "funder",
    "municipality",
    "year_from",
    "year_to",
    "source_text",
)
DELIVERABLE_KEYS = ("kind", "title", "due_date", "due_precision", "delivered_date", "source_text")
SPIN_OFF_KEYS = (
    "kind",
    "organisation",
    "host_municipality",
    "name",
    "date",
    "date_precision",
    "source_text",
)
# The row number is provenance, not data: it is left out of the comparison, so that an
# export (whose rows are numbered differently) or a file with a row inserted above
# re-imports as unchanged and the stored rows keep pointing at the file they came from.
UNRESOLVED_KEYS = ("column", "text", "note")


def canonical_source(source_text) -> dict:
    """`source_text` without its row number, cells keyed by column (not by heading as
    written: "Resultat" in one header row and "Kommentar" in the next are one column)."""
    source = source_text if isinstance(source_text, dict) else {}
    cells = source.get("cells") if isinstance(source.get("cells"), dict) else {}
    columns = columns_of_headings(cells)
    return {
        "cells": sorted((columns[h], str(v)) for h, v in cells.items()),
        "group": source.get("group", ""),
        "extra": list(source.get("extra", [])),
    }


def _fields(get) -> dict:
    out = {}
    for k in PROJECT_FIELDS:
        value = get(k)
        out[k] = canonical_source(value) if k == "source_text" else _plain(value)
    return out


def canonical_project(project: Project) -> dict:
    def values(qs, keys):
        return [
            {k: getattr(obj, k + "_id", None) if k in FK else getattr(obj, k) for k in keys}
            for obj in qs
        ]

    return {
        "fields": _fields(lambda k: getattr(project, k + "_id" if k in FK else k)),
        "participations": _rows(
            values(project.participations.all(), PARTICIPATION_KEYS), PARTICIPATION_KEYS
        ),
        "money": _rows(values(project.money.all(), MONEY_KEYS), MONEY_KEYS),
        "deliverables": _rows(
            values(project.deliverables.all(), DELIVERABLE_KEYS), DELIVERABLE_KEYS
        ),
        "spin_offs": _rows(values(project.spin_offs.all(), SPIN_OFF_KEYS), SPIN_OFF_KEYS),
        "unresolved": _rows(values(project.unresolved.all(), UNRESOLVED_KEYS), UNRESOLVED_KEYS),
        "links": sorted((link.kind, link.target.slug) for link in project.links_out.all()),
    }


FK = {
    "consultant",
    "owner_municipality",
    "owner_organisation",
    "host_municipality",
    "municipality",
    "organisation",
    "funder",
}
