"""PDF through WeasyPrint: tagged PDF/UA-1 with the document language, fonts embedded
(Liberation Sans from the machine's files), a title page, table headers repeated on every
page, page numbers and the cooperation's address in the footer."""

from __future__ import annotations

from reports.document import Document
from reports.render.html import render_html


def render_pdf(doc: Document) -> bytes:
    from weasyprint import HTML

    html = render_html(doc, for_pdf=True)
    return HTML(string=html, base_url="/").write_pdf(pdf_variant="pdf/ua-1")
