"""DOCX through python-docx: real Title/Heading styles, table header rows repeated on every
page, wide tables in landscape sections with column widths fitted to their content, page
numbers and the cooperation's address in the footer, the document language set.

Charts: Word shows SVG through the `svgBlip` extension of a picture whose main image is a
PNG (the fallback older readers use); we embed both, drawn from the same matplotlib figure.
"""

from __future__ import annotations

import io

from django.utils import translation

from reports.document import Bullets, Chart, Document, Facts, Paragraph, Table
from reports.render.cells import display, numeric
from reports.render.fonts import DOCX_FONT
from reports.render.html import LANDSCAPE_PT, PORTRAIT_PT
from reports.render.widths import column_widths

LANG_TAGS = {"nb": "nb-NO", "en": "en-GB"}
SVG_EXT_URI = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
SVG_NS = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"
MARGIN_MM = 18


def _set_language(document, lang: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tag = LANG_TAGS.get(lang, lang)
    styles = document.styles.element
    rpr_default = styles.find(qn("w:docDefaults"))
    targets = []
    if rpr_default is not None:
        rpr = rpr_default.find(qn("w:rPrDefault"))
        if rpr is not None and rpr.find(qn("w:rPr")) is not None:
            targets.append(rpr.find(qn("w:rPr")))
    for style in document.styles:
        element = getattr(style, "element", None)
        if element is not None and element.find(qn("w:rPr")) is not None:
            targets.append(element.find(qn("w:rPr")))
    for rpr in targets:
        for old in rpr.findall(qn("w:lang")):
            rpr.remove(old)
        lang_el = OxmlElement("w:lang")
        lang_el.set(qn("w:val"), tag)
        lang_el.set(qn("w:eastAsia"), tag)
        lang_el.set(qn("w:bidi"), tag)
        rpr.append(lang_el)
    document.core_properties.language = tag


def _base_styles(document) -> None:
    from docx.enum.text import WD_BREAK  # noqa: F401  (imported for the side effect of docx)
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    normal = document.styles["Normal"]
    normal.font.name = DOCX_FONT
    normal.font.size = Pt(9)
    rfonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attr), DOCX_FONT)
    for name, size in (("Title", 24), ("Heading 1", 15), ("Heading 2", 12), ("Subtitle", 12)):
        style = document.styles[name]
        style.font.name = DOCX_FONT
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor(0x0B, 0x53, 0x94)
        style_rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            style_rfonts.attrib.pop(qn(attr), None)
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            style_rfonts.set(qn(attr), DOCX_FONT)


def _field(run, code: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = code
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    text = OxmlElement("w:t")
    text.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, instr, separate, text, end):
        run._r.append(element)


def _footer(section, doc: Document) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    footer = section.footer
    paragraph = footer.paragraphs[0]
    paragraph.text = "   ·   ".join(doc.footer)
    for run in paragraph.runs:
        run.font.size = Pt(7)
    numbers = footer.add_paragraph()
    numbers.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    with translation.override(doc.lang):
        numbers.add_run(translation.gettext("Page") + " ").font.size = Pt(7.5)
        _field(numbers.add_run(), "PAGE")
        numbers.add_run(" " + translation.gettext("of") + " ").font.size = Pt(7.5)
        _field(numbers.add_run(), "NUMPAGES")


def _orient(section, landscape: bool) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    long, short = Mm(297), Mm(210)
    section.page_width, section.page_height = (long, short) if landscape else (short, long)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(MARGIN_MM))


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)
    cant_split = OxmlElement("w:cantSplit")
    tr_pr.append(cant_split)


def _cell_text(cell, text: str, *, bold: bool = False, right: bool = False) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = paragraph.add_run(text)
    run.font.size = Pt(8.5)
    run.bold = bold


def _table(document, table: Table, available_pt: float) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    if table.caption:
        caption = document.add_paragraph(table.caption, style="Caption")
        caption.paragraph_format.keep_with_next = True
    widths = column_widths(table, available_pt)
    kinds = [c.kind for c in table.columns]
    out = document.add_table(rows=1, cols=len(table.columns))
    out.style = "Table Grid"
    out.autofit = False
    tbl_pr = out._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    for grid_col, width in zip(out._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=False):
        grid_col.set(qn("w:w"), str(int(width * 20)))
    header = out.rows[0]
    _repeat_header(header)
    for cell, column in zip(header.cells, table.columns, strict=True):
        _cell_text(cell, column.label, bold=True, right=numeric(column.kind))
    body = [*table.rows, *([table.total] if table.total else [])]
    for n, values in enumerate(body):
        row = out.add_row()
        last = bool(table.total) and n == len(body) - 1
        for i, cell in enumerate(row.cells):
            value = values[i] if i < len(values) else None
            _cell_text(cell, display(value, kinds[i]), bold=last, right=numeric(kinds[i]))
    for row in out.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Pt(width)
    document.add_paragraph()


def _chart(document, chart: Chart) -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    document.add_paragraph(chart.title, style="Caption").paragraph_format.keep_with_next = True
    paragraph = document.add_paragraph()
    run = paragraph.add_run()
    shape = run.add_picture(io.BytesIO(chart.png), width=Cm(chart.width_cm))
    doc_pr = shape._inline.docPr
    doc_pr.set("descr", f"{chart.title}. {chart.description}")
    package = document.part.package
    index = len([p for p in package.iter_parts() if str(p.partname).endswith(".svg")]) + 1
    svg_part = Part(
        PackURI(f"/word/media/chart{index}.svg"), "image/svg+xml", chart.svg.encode(), package
    )
    r_id = document.part.relate_to(svg_part, RT.IMAGE)
    blip = shape._inline.graphic.graphicData.pic.blipFill.blip
    ext_list = OxmlElement("a:extLst")
    ext = OxmlElement("a:ext")
    ext.set("uri", SVG_EXT_URI)
    svg_blip = ext.makeelement(f"{{{SVG_NS}}}svgBlip", nsmap={"asvg": SVG_NS})
    svg_blip.set(qn("r:embed"), r_id)
    ext.append(svg_blip)
    ext_list.append(ext)
    blip.append(ext_list)


def _block(document, block, available_pt: float) -> None:
    if isinstance(block, Table):
        _table(document, block, available_pt)
    elif isinstance(block, Paragraph):
        document.add_paragraph(block.text)
    elif isinstance(block, Bullets):
        for item in block.items:
            document.add_paragraph(item, style="List Bullet")
    elif isinstance(block, Facts):
        for label, value in block.pairs:
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{label}: ").bold = True
            paragraph.add_run(value)
    elif isinstance(block, Chart):
        _chart(document, block)


def render_docx(doc: Document) -> bytes:
    import docx
    from docx.enum.section import WD_SECTION
    from docx.shared import Pt

    document = docx.Document()
    _base_styles(document)
    _set_language(document, doc.lang)
    document.core_properties.title = doc.title
    document.core_properties.author = doc.organisation
    document.core_properties.subject = doc.subtitle
    first = document.sections[0]
    _orient(first, False)
    _footer(first, doc)

    document.add_paragraph(doc.subtitle, style="Subtitle").paragraph_format.space_before = Pt(120)
    document.add_paragraph(doc.title, style="Title")
    for label, value in doc.title_page:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)

    for block in doc.intro:
        _block(document, block, PORTRAIT_PT)
    state = {"landscape": None}

    def page(landscape: bool) -> None:
        """A new section after the title page and wherever the orientation changes."""
        if state["landscape"] != landscape:
            _orient(document.add_section(WD_SECTION.NEW_PAGE), landscape)
            state["landscape"] = landscape

    if doc.empty:
        page(False)
        document.add_paragraph(doc.empty)
    for section in doc.sections:
        page(section.wide)
        document.add_heading(section.title, level=min(section.level, 3))
        for block in section.blocks:
            _block(document, block, LANDSCAPE_PT if section.wide else PORTRAIT_PT)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
