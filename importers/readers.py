"""Read a project overview file (tab-separated text, CSV, XLSX, DOCX or our JSON export)
into section-aware rows keyed by column.

The format is detected from the content, not from the file name. Header rows are
recognised by their Norwegian or English headings wherever they occur (page breaks repeat
them) and each following row is mapped by that header, so a section without a Status
column, or with "Resultat" as its last column, is read correctly.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from samarbeid.common.text import collapse_whitespace
from samarbeid.common.uploads import UploadRefused, check_zip, limits


class ReadError(Exception):
    """The file cannot be read as a project overview; the message names file and row."""


NAME = "name"
PERIOD = "period"
PARTICIPANTS = "participants"
WORKING_FORM = "working_form"
RESULT = "result"
STATUS = "status"
COMMENT = "comment"
COLUMNS = (NAME, PERIOD, PARTICIPANTS, WORKING_FORM, RESULT, STATUS, COMMENT)

OPERATIONS = "operations"
PLANNING = "planning"
NETWORK = "network"
OTHER = "other"
CATEGORIES = (OPERATIONS, PLANNING, NETWORK, OTHER)

# The exporter writes these, and the reader recognises them (and the English ones).
SECTION_TITLES = {
    OPERATIONS: "1) Driftsprosjekter",
    PLANNING: "2) Plan-, areal og næringsprosjekter",
    NETWORK: "Faglige nettverksgrupper:",
    OTHER: "Andre arbeidsområder:",
}
HEADINGS = {
    NAME: "Prosjekt",
    PERIOD: "Periode",
    PARTICIPANTS: "Deltagere",
    WORKING_FORM: "Arbeidsform",
    RESULT: "9k resultat",
    STATUS: "Status",
    COMMENT: "Kommentar",
}
SECTION_COLUMNS = {
    OPERATIONS: COLUMNS,
    PLANNING: COLUMNS,
    NETWORK: (NAME, PERIOD, PARTICIPANTS, WORKING_FORM, RESULT, COMMENT),
    OTHER: (NAME, COMMENT),
}

_SECTION_PATTERNS = [
    (re.compile(r"(?i)^(?:1\)\s*)?(drifts?pro[sj]{1,2}ekter|operations)"), OPERATIONS),
    (re.compile(r"(?i)^2\)\s*(plan|planning)"), PLANNING),
    (
        re.compile(r"(?i)^(plan-?,?\s*(areal|og)|areal-?\s*og\s*nærings)\S*\s*\S*prosjekter"),
        PLANNING,
    ),
    (re.compile(r"(?i)^(faglige\s+nettverksgrupper|professional\s+network)"), NETWORK),
    (re.compile(r"(?i)^(andre\s+arbeidsområder|other\s+work\s+areas)"), OTHER),
]

_HEADER_WORDS = {
    "prosjekt": NAME,
    "project": NAME,
    "periode": PERIOD,
    "period": PERIOD,
    "deltagere": PARTICIPANTS,
    "deltakere": PARTICIPANTS,
    "participants": PARTICIPANTS,
    "arbeidsform": WORKING_FORM,
    "working form": WORKING_FORM,
    "9k resultat": RESULT,
    "9k result": RESULT,
    "prosjektnavn": NAME,
    "tiltak": NAME,
    "tidsrom": PERIOD,
    "tidsperiode": PERIOD,
    "år": PERIOD,
    "deltakende kommuner": PARTICIPANTS,
    "deltakende parter": PARTICIPANTS,
    "organisering": WORKING_FORM,
    "merknad": COMMENT,
    "merknader": COMMENT,
    "kommentarer": COMMENT,
    "stilling": STATUS,
    "status": STATUS,
    "kommentar": COMMENT,
    "comment": COMMENT,
    "comments": COMMENT,
}
_PLAIN_RESULT = {"resultat", "result"}
# "12k resultat", "7k-resultat", "9-k resultat", "IKS resultat": the result column of any
# cooperation, by its short name.
_COOPERATION_RESULT = re.compile(r"(?i)^\S{1,12}[\s-]+result(?:at)?$")


def _heading_key(word: str) -> str | None:
    key = _HEADER_WORDS.get(word)
    if key is None and _COOPERATION_RESULT.match(word):
        return RESULT
    return key


DEFAULT_MAX_BYTES = 20 * 1024 * 1024
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def human_size(size: int | float) -> str:
    """20971520 → "20 MB", 52428800.5 → "50 MB", 1024 → "1 KB"."""
    if size >= 1024 * 1024:
        text = f"{size / 1024 / 1024:.1f}".removesuffix(".0")
        return f"{text} MB"
    return f"{max(size / 1024, 0):.0f} KB"


def _too_many_rows(name: str, limit: int) -> ReadError:
    return ReadError(
        _("%(file)s has more than %(limit)s rows, the limit for rows.")
        % {"file": name, "limit": f"{limit:,}".replace(",", " ")}
    )


def _too_many_columns(name: str, row: int, limit: int) -> ReadError:
    return ReadError(
        _("%(file)s, row %(row)s: more than %(limit)s columns, the limit for columns.")
        % {"file": name, "row": row, "limit": limit}
    )


def _too_many_cells(name: str, limit: int) -> ReadError:
    return ReadError(
        _("%(file)s has more than %(limit)s filled cells, the limit for cells.")
        % {"file": name, "limit": f"{limit:,}".replace(",", " ")}
    )


class _Counter:
    """Counts rows and filled cells as a reader streams them; raises at a limit."""

    def __init__(self, name: str):
        self.name = name
        self.limits = limits()
        self.rows = 0
        self.cells = 0

    def row(self, number: int, cells: list[str]) -> list[str]:
        self.rows += 1
        if self.rows > self.limits.rows:
            raise _too_many_rows(self.name, self.limits.rows)
        if len(cells) > self.limits.columns:
            if any(c.strip() for c in cells[self.limits.columns :]):
                raise _too_many_columns(self.name, number, self.limits.columns)
            cells = cells[: self.limits.columns]
        self.cells += sum(1 for c in cells if c)
        if self.cells > self.limits.cells:
            raise _too_many_cells(self.name, self.limits.cells)
        return cells


def keep_as_written(cell: str) -> str:
    """The cell without surrounding blanks, except a blank before a formula character:
    " =1+1" stays " =1+1" (the space is what keeps it from being a formula). A cell our
    CSV/TSV export escaped ("'=1+1") reads back as written ("=1+1")."""
    text = cell.strip()
    if text[:1] == "'" and text[1:2] in FORMULA_START and text[1:2]:
        return text[1:]
    if text[:1] in FORMULA_START and text and cell[:1].isspace():
        return cell[: len(cell) - len(cell.lstrip())][-1:] + text
    return text


@dataclass
class SourceRow:
    """One data row of the overview: where it was, its section and its cells by column."""

    number: int
    category: str
    cells: dict[str, str]
    headers: dict[str, str]  # column → heading as written
    group: str = ""  # the sub-heading in "other work areas"
    extra: list[str] = field(default_factory=list)

    def source_text(self) -> dict:
        data: dict = {
            "row": self.number,
            "cells": {self.headers.get(k, HEADINGS[k]): v for k, v in self.cells.items()},
        }
        if self.group:
            data["group"] = self.group
        if self.extra:
            data["extra"] = list(self.extra)
        return data


@dataclass
class Overview:
    filename: str
    format: str
    rows: list[SourceRow]
    warnings: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)  # lines before the first table

    def recorded(self) -> tuple[dt.date, str] | None:
        """The date the document is a record of, as (last day it stands for, precision):
        the latest date or year in its title lines ("Prosjektoversikt 9k (1998-2005)",
        "oppdatert 15.01.2007"), else the latest year a project in it starts."""
        days = []
        years = []
        for line in self.titles:
            for d, m, y in _TITLE_DATE.findall(line):
                with contextlib.suppress(ValueError):
                    days.append(dt.date(int(y), int(m), int(d)))
            years.extend(int(y) for y in _TITLE_YEAR.findall(_TITLE_DATE.sub(" ", line)))
        if days and (not years or max(days).year >= max(years)):
            return max(days), "day"
        if not years:
            years = [
                int(m.group(0))
                for row in self.rows
                if (m := _TITLE_YEAR.search(row.cells.get(PERIOD, "")))
            ]
        if not years:
            return None
        return dt.date(max(years), 12, 31), "year"


_TITLE_DATE = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.((?:19|20)\d{2})\b")
_TITLE_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")


def detect_format(data: bytes, filename: str = "") -> str:
    """ "xlsx", "docx", "json", "tsv" or "csv", from the bytes. Raises ReadError."""
    name = filename or _("the file")
    if not data or not data.strip():
        raise ReadError(_("%(file)s is empty.") % {"file": name})
    if data[:4] == b"PK\x03\x04":
        try:
            names = check_zip(data, name)  # sizes and entities before any parser sees it
        except UploadRefused as exc:
            raise ReadError(str(exc)) from exc
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        raise ReadError(
            _("%(file)s is an archive but neither a Word nor an Excel file.") % {"file": name}
        )
    text = _decode(data, name)
    stripped = text.lstrip()
    if stripped.startswith("{"):
        try:
            doc = json.loads(stripped)
        except ValueError:
            doc = None
        if isinstance(doc, dict) and "projects" in doc:
            return "json"
    if "\t" in text:
        return "tsv"
    return "csv"


def _decode(data: bytes, name: str) -> str:
    if b"\x00" in data:
        raise ReadError(_("%(file)s is a binary file, not a text table.") % {"file": name})
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    control = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n\f")
    if control > max(2, len(text) // 200) or text.count("\ufffd") > max(2, len(text) // 50):
        raise ReadError(_("%(file)s is a binary file, not a text table.") % {"file": name})
    return text


def raw_rows(data: bytes, fmt: str, filename: str = "") -> list[tuple[int, list[str]]]:
    """(row number, cell texts) for every row/line/paragraph of the file, in order."""
    name = filename or _("the file")
    counter = _Counter(name)
    if fmt == "tsv":
        lines = _decode(data, name).splitlines()
        return [(i, counter.row(i, line.split("\t"))) for i, line in enumerate(lines, start=1)]
    if fmt == "csv":
        text = _decode(data, name)
        delimiter = _header_delimiter(text)
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            return [(reader.line_num, counter.row(reader.line_num, row)) for row in reader]
        except csv.Error as exc:
            raise ReadError(
                _("%(file)s, row %(row)s: %(error)s")
                % {"file": name, "row": reader.line_num, "error": exc}
            ) from exc
    if fmt == "xlsx":
        return _xlsx_rows(data, name, counter)
    if fmt == "docx":
        return _docx_rows(data, name, counter)
    raise ReadError(_("%(file)s: unknown format %(format)s.") % {"file": name, "format": fmt})


def _header_delimiter(text: str) -> str:
    """The delimiter of a CSV file, chosen from its header row (the first line that reads
    as one with "," or ";"), not from a title or section line above it."""
    for line in text.splitlines()[:200]:
        for delimiter in (";", ","):
            if delimiter in line:
                try:
                    cells = next(csv.reader([line], delimiter=delimiter), [])
                except csv.Error:  # the reader proper reports it, naming the row
                    continue
                if _header_of(cells):
                    return delimiter
    try:
        return csv.Sniffer().sniff(text[:4096], delimiters=",;").delimiter
    except csv.Error:
        return ","


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_rows(data: bytes, name: str, counter: _Counter) -> list[tuple[int, list[str]]]:
    """Streamed in read-only mode; the sheet's declared dimension is ignored (a sheet
    declaring A1:XFD1048576 would otherwise be padded to 17 billion cells) and reading
    stops one row and one column past the limits."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            if hasattr(sheet, "reset_dimensions"):
                sheet.reset_dimensions()
            rows: list[tuple[int, list[str]]] = []
            for number, row in enumerate(
                sheet.iter_rows(
                    min_row=1,
                    max_row=counter.limits.rows + 1,
                    min_col=1,
                    max_col=counter.limits.columns + 1,
                    values_only=True,
                ),
                start=1,
            ):
                cells = [_cell(v) for v in row]
                while cells and not cells[-1]:
                    cells.pop()
                if number > counter.limits.rows:  # a row (or a far cell) past the limit
                    raise _too_many_rows(name, counter.limits.rows)
                rows.append((number, counter.row(number, cells)))
            width = max((len(cells) for _, cells in rows), default=0)
            return [(number, cells + [""] * (width - len(cells))) for number, cells in rows]
        finally:
            book.close()
    except ReadError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for broken files
        raise ReadError(_("%(file)s is not a readable Excel file.") % {"file": name}) from exc


def _docx_rows(data: bytes, name: str, counter: _Counter) -> list[tuple[int, list[str]]]:
    import docx
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
        rows: list[tuple[int, list[str]]] = []
        number = 0
        for child in document.element.body.iterchildren():
            if child.tag == qn("w:p"):
                number += 1
                rows.append((number, counter.row(number, [Paragraph(child, document).text])))
            elif child.tag == qn("w:tbl"):
                for row in Table(child, document).rows:
                    number += 1
                    cells = row.cells
                    if len(cells) > counter.limits.columns:
                        raise _too_many_columns(name, number, counter.limits.columns)
                    rows.append((number, counter.row(number, [cell.text for cell in cells])))
        return rows
    except ReadError:
        raise
    except Exception as exc:  # python-docx raises many kinds for broken files
        raise ReadError(_("%(file)s is not a readable Word file.") % {"file": name}) from exc


def _section_of(cells: list[str]) -> str | None:
    filled = [c for c in cells if c.strip()]
    if len(filled) != 1 or not cells[0].strip():
        return None
    text = collapse_whitespace(cells[0])
    for pattern, category in _SECTION_PATTERNS:
        if pattern.match(text):
            return category
    return None


def _header_of(cells: list[str]) -> tuple[list[str | None], dict[str, str]] | None:
    keys: list[str | None] = []
    written: dict[str, str] = {}
    hits = 0
    for cell in cells:
        word = collapse_whitespace(cell).casefold().rstrip(":")
        key = _heading_key(word)
        if key is None and word in _PLAIN_RESULT:
            key = COMMENT if RESULT in written else RESULT
        if key is not None and key in written:
            key = None
        if key is not None:
            hits += 1
            written[key] = collapse_whitespace(cell)
        keys.append(key)
    if hits >= 3 and NAME in written:
        return keys, written
    return None


def columns_of_headings(headings) -> dict[str, str]:
    """Heading as written → column key, by the reader's rules ("Resultat" is the comment
    column when a "9k resultat" heading is among them); unknown headings map to themselves."""
    words = {h: collapse_whitespace(h).casefold().rstrip(":") for h in headings}
    has_result = any(_heading_key(w) == RESULT for w in words.values())
    out = {}
    for heading, word in words.items():
        key = _heading_key(word)
        if key is None and word in _PLAIN_RESULT:
            key = COMMENT if has_result else RESULT
        out[heading] = key or heading
    return out


def read_overview(data: bytes, filename: str = "", *, max_bytes: int | None = None) -> Overview:
    """Read the whole file into SourceRows. Raises ReadError naming the file and row."""
    name = filename or _("the file")
    limit = max_bytes or DEFAULT_MAX_BYTES
    if len(data) > limit:
        raise ReadError(
            _("%(file)s is %(size)s; the limit is %(limit)s.")
            % {"file": name, "size": human_size(len(data)), "limit": human_size(limit)}
        )
    fmt = detect_format(data, name)
    if fmt == "json":
        return _read_json(data, name)
    overview = Overview(filename=name, format=fmt, rows=[])
    at = _Position()
    for number, cells in raw_rows(data, fmt, name):
        if any(c.strip() for c in cells):
            _read_row(overview, at, number, cells)
    if not at.seen_header and not overview.rows:
        raise ReadError(
            _("%(file)s has no recognisable header row (Prosjekt, Periode, Deltagere ...).")
            % {"file": name}
        )
    return overview


@dataclass
class _Position:
    """Where reading a table-like file has got to: the section, its header row (column
    keys and the headings as written) and, among "other" projects, the group title."""

    category: str | None = None
    header: list[str | None] | None = None
    written: dict[str, str] = field(default_factory=dict)
    group: str = ""
    seen_header: bool = False


def _read_row(overview: Overview, at: _Position, number: int, cells: list[str]) -> None:
    """One non-empty row: a section heading, a header row, or a project."""
    name = overview.filename
    section = _section_of(cells)
    if section:
        at.category, at.header, at.written, at.group = section, None, {}, ""
        return
    parsed_header = _header_of(cells)
    if parsed_header:
        at.header, at.written = parsed_header
        at.seen_header = True
        if at.category is None:
            at.category = OPERATIONS
            overview.warnings.append(
                _(
                    "%(file)s, row %(row)s: a table before any section heading is read as "
                    "operations projects."
                )
                % {"file": name, "row": number}
            )
        return
    if at.category is None:
        if not at.seen_header:
            overview.titles.append(" ".join(c for c in cells if c.strip()))
        return  # title and introduction before the first section
    if at.category == OTHER and at.header is None:
        _read_other_row(overview, at, number, cells)
        return
    if at.header is None:
        raise ReadError(
            _("%(file)s, row %(row)s: a data row before any header row.")
            % {"file": name, "row": number}
        )
    _read_table_row(overview, at, number, cells)


def _read_other_row(overview: Overview, at: _Position, number: int, cells: list[str]) -> None:
    """Under "other" projects (no header): a group title, or a name and its comment."""
    filled = [c for c in cells if c.strip()]
    if len(filled) == 1 and cells[0].strip():
        at.group = collapse_whitespace(cells[0])
        return
    if len(cells) < 2:
        raise ReadError(
            _("%(file)s, row %(row)s: too few cells (%(found)s, expected %(expected)s).")
            % {"file": overview.filename, "row": number, "found": len(cells), "expected": 2}
        )
    row_cells = {NAME: keep_as_written(cells[0]), COMMENT: keep_as_written(cells[1])}
    overview.rows.append(
        SourceRow(
            number=number,
            category=OTHER,
            cells=row_cells,
            headers={NAME: HEADINGS[NAME], COMMENT: HEADINGS[COMMENT]},
            group=at.group,
            extra=[c for c in cells[2:] if c.strip()],
        )
    )


def _read_table_row(overview: Overview, at: _Position, number: int, cells: list[str]) -> None:
    """A project row under a header row; cells beyond the header are kept as text."""
    name = overview.filename
    header = at.header or []
    columns = [k for k in header if k]
    if len(cells) < len(header):
        raise ReadError(
            _("%(file)s, row %(row)s: too few cells (%(found)s, expected %(expected)s).")
            % {"file": name, "row": number, "found": len(cells), "expected": len(header)}
        )
    row_cells = {}
    extra = []
    for key, cell in zip(header, cells, strict=False):
        if key:
            row_cells[key] = keep_as_written(cell)
        elif cell.strip():
            extra.append(cell.strip())
    extra.extend(c.strip() for c in cells[len(header) :] if c.strip())
    if not row_cells.get(NAME):
        raise ReadError(
            _("%(file)s, row %(row)s: the project name is empty.") % {"file": name, "row": number}
        )
    if extra:
        overview.warnings.append(
            _("%(file)s, row %(row)s: %(count)s cell(s) beyond the header are kept as text.")
            % {"file": name, "row": number, "count": len(extra)}
        )
    overview.rows.append(
        SourceRow(
            number=number,
            category=at.category or OPERATIONS,
            cells={k: row_cells.get(k, "") for k in columns},
            headers={k: at.written.get(k, HEADINGS[k]) for k in columns},
            extra=extra,
        )
    )


def _read_json(data: bytes, name: str) -> Overview:
    """Our own JSON export: {"projects": [{"category", "cells": {column: text}, ...}]}."""
    try:
        doc = json.loads(_decode(data, name))
    except ValueError as exc:
        raise ReadError(_("%(file)s is not valid JSON.") % {"file": name}) from exc
    overview = Overview(filename=name, format="json", rows=[])
    projects = doc.get("projects") if isinstance(doc, dict) else None
    if not isinstance(projects, list):
        raise ReadError(_("%(file)s: “projects” is not a list.") % {"file": name})
    if len(projects) > limits().rows:
        raise _too_many_rows(name, limits().rows)
    for index, item in enumerate(projects, start=1):
        if not isinstance(item, dict) or item.get("category") not in CATEGORIES:
            raise ReadError(
                _("%(file)s, project %(row)s: missing or unknown category.")
                % {"file": name, "row": index}
            )
        category = item["category"]
        cells_in = item.get("cells")
        columns = SECTION_COLUMNS[category]
        if cells_in is None:
            cells_in = {}
        if not isinstance(cells_in, dict) or not all(
            isinstance(cells_in.get(k, ""), str | None) for k in columns
        ):
            raise ReadError(
                _("%(file)s, project %(row)s: “cells” must map columns to texts.")
                % {"file": name, "row": index}
            )
        cells = {k: keep_as_written(cells_in.get(k) or "") for k in columns}
        if not cells.get(NAME):
            raise ReadError(
                _("%(file)s, project %(row)s: the project name is empty.")
                % {"file": name, "row": index}
            )
        row = item.get("source_row")
        if row is None:
            row = index
        if isinstance(row, bool) or not isinstance(row, int) or not 1 <= row <= 10**9:
            raise ReadError(
                _("%(file)s, project %(row)s: “source_row” is not a row number.")
                % {"file": name, "row": index}
            )
        group = item.get("group") or ""
        overview.rows.append(
            SourceRow(
                number=row,
                category=category,
                cells=cells,
                headers={k: HEADINGS[k] for k in columns},
                group=group if isinstance(group, str) else str(group),
            )
        )
    return overview
