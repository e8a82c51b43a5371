"""Text out of a library upload, bounded against bombs.

The upload has already passed `samarbeid.common.uploads.check_document` (size, type by
content, and for Office/OpenDocument files `check_zip`: no zip bomb, no DTD or entities), so
the parsers here only ever see archives whose parts are within the limits. On top of that
every reader stops at `MAX_TEXT` characters, PDFs at `MAX_PDF_PAGES` pages and sheets at the
import limits for rows and columns. A file whose text cannot be read is kept and marked
(`Extracted.readable` False), never refused for that.
"""

from __future__ import annotations

import io
import logging
import zipfile
from dataclasses import dataclass

from defusedxml import ElementTree

from samarbeid.common.text import collapse_whitespace
from samarbeid.common.uploads import limits

MAX_TEXT = 400_000  # characters kept per version
MAX_PDF_PAGES = 500

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Extracted:
    text: str
    readable: bool


class _Collector:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0

    def add(self, text: str | None) -> bool:
        """Add text; False once the limit is reached (stop reading)."""
        if text:
            text = text[: MAX_TEXT - self.size]
            self.parts.append(text)
            self.size += len(text) + 1
        return self.size < MAX_TEXT

    def text(self) -> str:
        return "\n".join(self.parts)[:MAX_TEXT]


def _pdf(data: bytes, out: _Collector) -> None:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    for number, page in enumerate(reader.pages):
        if number >= MAX_PDF_PAGES or not out.add(page.extract_text()):
            break


def _docx(data: bytes, out: _Collector) -> None:
    import docx

    document = docx.Document(io.BytesIO(data))
    for paragraph in document.paragraphs:
        if not out.add(paragraph.text):
            return
    for table in document.tables:
        for row in table.rows:
            if not out.add(" ".join(cell.text for cell in row.cells)):
                return


def _xlsx(data: bytes, out: _Collector) -> None:
    import openpyxl

    lim = limits()
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        cells = 0
        for sheet in book.worksheets:
            out.add(sheet.title)
            for row in sheet.iter_rows(max_row=lim.rows, max_col=lim.columns, values_only=True):
                values = [str(v) for v in row if v is not None and str(v).strip()]
                cells += len(row)
                if cells > lim.cells or not out.add(" ".join(values)):
                    return
    finally:
        book.close()


def _xml_parts(data: bytes, names: list[str], out: _Collector) -> None:
    """OpenDocument (content.xml) and PowerPoint slides: all text nodes, parsed with
    defusedxml (entities refused a second time)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in names:
            root = ElementTree.fromstring(archive.read(name))
            for element in root.iter():
                if element.text and not out.add(element.text):
                    return
                if element.tail and element.tail.strip() and not out.add(element.tail):
                    return


def _opendocument(data: bytes, out: _Collector) -> None:
    _xml_parts(data, ["content.xml"], out)


def _pptx(data: bytes, out: _Collector) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        slides = sorted(
            n for n in archive.namelist() if n.startswith("ppt/slides/") and n.endswith(".xml")
        )
    _xml_parts(data, slides, out)


def _txt(data: bytes, out: _Collector) -> None:
    head = data[: MAX_TEXT * 4]
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = head.decode("cp1252", errors="replace")
    out.add(text)


READERS = {
    "pdf": _pdf,
    "docx": _docx,
    "xlsx": _xlsx,
    "odt": _opendocument,
    "ods": _opendocument,
    "pptx": _pptx,
    "txt": _txt,
}


def extract_text(data: bytes, kind: str) -> Extracted:
    """The text of a checked upload of type `kind` (from `check_document`)."""
    reader = READERS.get(kind)
    if reader is None:
        return Extracted("", False)  # pictures and the old Office formats: kept, marked
    out = _Collector()
    try:
        reader(data, out)
    except Exception:  # a damaged file is kept and marked, whatever the parser raised
        log.info("could not read the text of a %s upload", kind, exc_info=True)
        return Extracted(out.text(), False)
    text = out.text().replace("\x00", "")
    readable = bool(collapse_whitespace(text))
    return Extracted(text, readable)
