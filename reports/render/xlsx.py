"""XLSX through openpyxl: one sheet per table with typed cells (numbers as numbers, years
as whole numbers, dates as dates), the header row frozen, an autofilter, and no cell a
spreadsheet would run: every text cell is a string cell, and text that starts like a
formula (= + - @) is also marked with Excel's quote prefix, so editing it keeps it text."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

from django.utils import translation

from importers.readers import FORMULA_START
from reports.document import Document, Table
from reports.render.cells import numeric

NUMBER_FORMATS = {"money": "# ##0", "int": "0", "year": "0"}
BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def _sheet_name(name: str, taken: set[str]) -> str:
    base = BAD_SHEET_CHARS.sub(" ", name).strip()[:31] or "Data"
    candidate, n = base, 2
    while candidate.lower() in taken:
        suffix = f" ({n})"
        candidate = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(candidate.lower())
    return candidate


def _text_cell(sheet, value: str):
    from openpyxl.cell.cell import Cell

    cell = Cell(sheet, value=None)
    cell._value = value
    cell.data_type = "s"
    if value.startswith(FORMULA_START):
        cell.quotePrefix = True
    return cell


def _cell(sheet, value, kind: str):
    from openpyxl.cell.cell import Cell

    if value is None or value == "":
        return None
    if kind in ("int", "year") and isinstance(value, int):
        cell = Cell(sheet, value=value)
    elif kind == "money" and isinstance(value, int | float | Decimal):
        cell = Cell(sheet, value=float(value))
    elif kind == "date" and isinstance(value, dt.date):
        cell = Cell(sheet, value=value)
        cell.number_format = "dd.mm.yyyy"
        return cell
    else:
        return _text_cell(sheet, str(value))
    cell.number_format = NUMBER_FORMATS.get(kind, "General")
    return cell


def _fill(sheet, table: Table) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    kinds = [c.kind for c in table.columns]
    sheet.append([_text_cell(sheet, c.label) for c in table.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E8EEF5")
    for row in table.rows:
        sheet.append([_cell(sheet, v, kinds[i]) for i, v in enumerate(row[: len(kinds)])])
    last_data_row = sheet.max_row
    if table.total:
        sheet.append([_cell(sheet, v, kinds[i]) for i, v in enumerate(table.total[: len(kinds)])])
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    last = get_column_letter(len(kinds))
    sheet.auto_filter.ref = f"A1:{last}{max(last_data_row, 1)}"
    for i, column in enumerate(table.columns, start=1):
        lengths = [len(column.label)] + [
            max((len(line) for line in str(r[i - 1]).splitlines()), default=0)
            for r in table.rows[:500]
            if i - 1 < len(r) and r[i - 1] is not None
        ]
        width = min(max(lengths) + 2, 80 if column.widest else 45)
        sheet.column_dimensions[get_column_letter(i)].width = max(width, 8)
        if not numeric(column.kind):
            for (cell,) in sheet.iter_rows(min_row=2, min_col=i, max_col=i):
                cell.alignment = Alignment(wrap_text=True, vertical="top")


def render_xlsx(doc: Document) -> bytes:
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    about = book.active
    taken: set[str] = set()
    with translation.override(doc.lang):
        about.title = _sheet_name(translation.gettext("About"), taken)
    about.append([_text_cell(about, doc.title)])
    about["A1"].font = Font(bold=True, size=14)
    if doc.subtitle:
        about.append([_text_cell(about, doc.subtitle)])
    for label, value in doc.title_page:
        about.append([_text_cell(about, label), _text_cell(about, value)])
    if doc.empty:
        about.append([_text_cell(about, doc.empty)])
    for line in doc.footer:
        about.append([_text_cell(about, line)])
    about.column_dimensions["A"].width = 24
    about.column_dimensions["B"].width = 60
    tables = [doc.data] if doc.data is not None else doc.tables()
    for table in tables:
        sheet = book.create_sheet(_sheet_name(table.sheet or table.caption or "Data", taken))
        _fill(sheet, table)
    if len(book.worksheets) > 1:
        book.active = 1
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
