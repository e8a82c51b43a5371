"""A report as one HTML document: the page a browser shows, and the input of the PDF."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import translation

from reports.document import Bullets, Chart, Document, Facts, Paragraph, Table
from reports.render.cells import display, numeric
from reports.render.fonts import font_files
from reports.render.widths import column_widths

# Text width of a page in points: A4 (595 x 842 pt) less 18 mm margins each side.
PORTRAIT_PT = 595.0 - 2 * 51.0
LANDSCAPE_PT = 842.0 - 2 * 51.0


@dataclass
class HtmlTable:
    table: Table
    widths: list[float]
    header: list[tuple[str, bool]]
    rows: list[list[tuple[str, bool]]]
    total: list[tuple[str, bool]] | None
    kind: str = "table"


@dataclass
class HtmlBlock:
    kind: str
    block: object
    image: str = ""


def _table(table: Table, available: float) -> HtmlTable:
    widths = column_widths(table, available)
    total_width = sum(widths) or 1.0
    kinds = [c.kind for c in table.columns]

    def row(values) -> list[tuple[str, bool]]:
        return [
            (display(v, kinds[i]), numeric(kinds[i])) for i, v in enumerate(values[: len(kinds)])
        ]

    return HtmlTable(
        table=table,
        widths=[round(100 * w / total_width, 2) for w in widths],
        header=[(c.label, numeric(c.kind)) for c in table.columns],
        rows=[row(r) for r in table.rows],
        total=row(table.total) if table.total else None,
    )


def _block(block, *, wide: bool, for_pdf: bool):
    if isinstance(block, Table):
        return _table(block, LANDSCAPE_PT if (wide or block.wide) else PORTRAIT_PT)
    if isinstance(block, Chart):
        image = ""
        if for_pdf:
            image = "data:image/svg+xml;base64," + base64.b64encode(block.svg.encode()).decode()
        return HtmlBlock("chart", block, image)
    kinds = {Paragraph: "paragraph", Bullets: "bullets", Facts: "facts"}
    return HtmlBlock(kinds[type(block)], block)


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def context(doc: Document, *, for_pdf: bool, part: tuple[int, int] = (0, 1)) -> dict:
    """`part` is (index, count) when a long PDF is laid out in parts (reports.render.pdf):
    only the first has the title page, only the last the closing address."""
    files = font_files()
    with translation.override(doc.lang):
        page_label = translation.gettext("Page")
        of_label = translation.gettext("of")
    return {
        "doc": doc,
        "for_pdf": for_pdf,
        "continuation": part[0] > 0,
        "before_last": part[0] < part[1] - 1,
        "intro": [_block(b, wide=False, for_pdf=for_pdf) for b in doc.intro],
        "sections": [
            (s, [_block(b, wide=s.wide, for_pdf=for_pdf) for b in s.blocks]) for s in doc.sections
        ],
        "font": files,
        "footer_css": _css_string("   ·   ".join(doc.footer)),
        "title_css": _css_string(doc.title),
        "page_css": _css_string(page_label + " "),
        "of_css": _css_string(" " + of_label + " "),
    }


def render_html(doc: Document, *, for_pdf: bool = False, part: tuple[int, int] = (0, 1)) -> str:
    with translation.override(doc.lang):
        return render_to_string("reports/document.html", context(doc, for_pdf=for_pdf, part=part))
