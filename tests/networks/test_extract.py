"""Text is read out of PDF, DOCX, XLSX, ODT and plain text (the type found by content, not
by the name), and the library search finds each file by a word inside it."""

import io
import zipfile

import pytest
from django.core.files.base import ContentFile

from networks import selectors, services
from networks.models import DocumentVersion

pytestmark = pytest.mark.django_db

WORD = "Skjønnsmessig"  # found as "skjonnsmessig" too


def _pdf(text: str) -> bytes:
    """A one-page PDF with `text` in Helvetica (WinAnsi, so ø is one byte)."""
    stream = b"BT /F1 12 Tf 72 720 Td (" + text.encode("cp1252") + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources "
        b"<< /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def _docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _xlsx(text: str) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["Rutine", text])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _odt(text: str) -> bytes:
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:text><text:p>{text}</text:p></office:text></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="/"'
        ' manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _txt(text: str) -> bytes:
    return text.encode("utf-8")


@pytest.mark.parametrize(
    ("kind", "make"),
    [("pdf", _pdf), ("docx", _docx), ("xlsx", _xlsx), ("odt", _odt), ("txt", _txt)],
)
def test_text_is_read_from_each_format_and_found_by_a_word_inside(network, kind, make):
    data = make(f"Rutine for {WORD} vurdering av verjemål")
    services.document_create(
        actor=None,
        network=network,
        title="Rutine",
        kind="rules",
        upload=ContentFile(data, name="vedlegg.bin"),  # the name says nothing
    )
    version = DocumentVersion.objects.get()
    assert (version.file_kind, version.text_status) == (kind, "ok")
    assert WORD in version.text
    for query in (WORD, "skjonnsmessig", "skjønnsmes"):
        result = selectors.library_search(user=None, query=query)
        assert [hit.document.title for hit in result.hits] == ["Rutine"], (kind, query)
        assert f"<mark>{WORD}</mark>" in str(result.hits[0].passage)
