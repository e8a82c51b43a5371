"""CSV (UTF-8 with a byte-order mark, so spreadsheets read æ, ø and å), every cell escaped
by the one OWASP escaping the overview export uses (importers.exporters.escape_formula)."""

from __future__ import annotations

import csv
import io

from importers.exporters import escape_formula
from reports.document import Document, Table
from reports.render.cells import numeric


def _value(value, kind: str) -> str:
    if value is None:
        return ""
    if numeric(kind):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return escape_formula(str(value))


def _rows(table: Table) -> list[list[str]]:
    kinds = [c.kind for c in table.columns]
    rows = [[escape_formula(c.label) for c in table.columns]]
    for row in [*table.rows, *([table.total] if table.total else [])]:
        rows.append([_value(v, kinds[i]) for i, v in enumerate(row[: len(kinds)])])
    return rows


def render_csv(doc: Document) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if doc.data is not None:
        writer.writerows(_rows(doc.data))
    else:
        tables = doc.tables()
        for n, table in enumerate(tables):
            if len(tables) > 1:
                writer.writerow([escape_formula(table.caption or table.sheet)])
            writer.writerows(_rows(table))
            if n < len(tables) - 1:
                writer.writerow([])
        if not tables:
            writer.writerow([escape_formula(doc.empty or doc.title)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
