"""Files other people wrote: limits, the type read from the content, generated names and
a safe way to serve them back.

- `check_zip` opens an Office file's archive and refuses it before any parser sees it when
  the members' declared or actual uncompressed size passes the limit, or an XML member
  declares a DTD or entities (external entities, "billion laughs").
- `sniff` names the type from the first bytes and the archive's structure, never from the
  file name; `check_document` refuses anything that is not a plain document (HTML, SVG,
  scripts, executables, polyglots that start as one type and carry HTML).
- `generated_name` is the name a stored upload gets (a random hex name and the extension of
  the type found), `serve_file` answers a download as an attachment with `nosniff` and a
  sandboxing Content-Security-Policy.

Limits come from settings (UPLOAD_MAX_UNCOMPRESSED_BYTES, UPLOAD_MAX_XML_BYTES,
IMPORT_MAX_ROWS, IMPORT_MAX_COLUMNS, IMPORT_MAX_CELLS) with the defaults below.
"""

from __future__ import annotations

import io
import os
import re
import uuid
import zipfile
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

MAX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024  # all members of an archive together
MAX_XML_BYTES = 16 * 1024 * 1024  # one XML part (document.xml, a sheet, shared strings)
MAX_ROWS = 20_000
MAX_COLUMNS = 64
MAX_CELLS = 500_000
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024  # a deliverable or case document as uploaded
_CHUNK = 64 * 1024


class UploadRefused(ValueError):
    """The file is refused; the message says why and names the limit."""


@dataclass(frozen=True)
class Limits:
    uncompressed: int
    xml: int
    rows: int
    columns: int
    cells: int
    document: int


def limits() -> Limits:
    return Limits(
        uncompressed=int(
            getattr(settings, "UPLOAD_MAX_UNCOMPRESSED_BYTES", MAX_UNCOMPRESSED_BYTES)
        ),
        xml=int(getattr(settings, "UPLOAD_MAX_XML_BYTES", MAX_XML_BYTES)),
        rows=int(getattr(settings, "IMPORT_MAX_ROWS", MAX_ROWS)),
        columns=int(getattr(settings, "IMPORT_MAX_COLUMNS", MAX_COLUMNS)),
        cells=int(getattr(settings, "IMPORT_MAX_CELLS", MAX_CELLS)),
        document=int(getattr(settings, "UPLOAD_MAX_DOCUMENT_BYTES", MAX_DOCUMENT_BYTES)),
    )


def human_size(size: int | float) -> str:
    """20971520 → "20 MB", 1024 → "1 KB"."""
    if size >= 1024 * 1024:
        text = f"{size / 1024 / 1024:.1f}".removesuffix(".0")
        return f"{text} MB"
    return f"{max(size / 1024, 0):.0f} KB"


_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)


def _too_big(name: str, what: str, limit: int) -> UploadRefused:
    return UploadRefused(
        _("%(file)s: %(part)s unpacks to more than %(limit)s, the limit for uncompressed size.")
        % {"file": name, "part": what, "limit": human_size(limit)}
    )


def check_zip(data: bytes, name: str) -> set[str]:
    """The member names of a safe archive. Raises UploadRefused for a zip bomb (declared or
    actual uncompressed size past the limit), a DTD/entity in an XML part or a damaged file."""
    lim = limits()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UploadRefused(_("%(file)s is a damaged archive.") % {"file": name}) from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > 10_000:
            raise UploadRefused(
                _("%(file)s has more than %(limit)s parts.") % {"file": name, "limit": 10_000}
            )
        declared = sum(i.file_size for i in infos)
        if declared > lim.uncompressed:
            raise _too_big(name, _("the archive"), lim.uncompressed)
        total = 0
        for info in infos:
            is_xml = info.filename.endswith((".xml", ".rels"))
            cap = lim.xml if is_xml else lim.uncompressed
            if info.file_size > cap:
                raise _too_big(name, info.filename, cap)
            size = 0
            head = b""
            try:
                with archive.open(info) as member:
                    while chunk := member.read(_CHUNK):
                        if len(head) < 4096:
                            head += chunk[: 4096 - len(head)]
                        size += len(chunk)
                        if size > cap or total + size > lim.uncompressed:
                            raise _too_big(name, info.filename, min(cap, lim.uncompressed))
            except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError) as exc:
                raise UploadRefused(_("%(file)s is a damaged archive.") % {"file": name}) from exc
            total += size
            if is_xml and _DTD.search(head):
                raise UploadRefused(
                    _("%(file)s: %(part)s declares a DTD or entities, which are not allowed.")
                    % {"file": name, "part": info.filename}
                )
        return {i.filename for i in infos}


# --- type by content --------------------------------------------------------------------

_MAGIC = (
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "doc"),  # an old Office file (doc, xls, ppt)
    (b"MZ", "executable"),
    (b"\x7fELF", "executable"),
    (b"#!", "script"),
)
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "gif": "image/gif",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "txt": "text/plain; charset=utf-8",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
}
_ACTIVE = re.compile(
    rb"<\s*(script|html|svg|iframe|object|embed|body|head|meta|!doctype\s+html)\b|javascript:",
    re.IGNORECASE,
)


def sniff(data: bytes, name: str = "") -> str:
    """ "pdf", "png", "jpg", "gif", "docx", "xlsx", "pptx", "odt", "ods", "txt", or "html",
    "svg", "xml", "binary" for what is not a plain document. Raises UploadRefused for a
    damaged or dangerous archive."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if data.startswith(b"PK\x03\x04"):
        return _sniff_zip(data, name)
    return _sniff_text(data)


def _sniff_zip(data: bytes, name: str) -> str:
    names = check_zip(data, name or _("the file"))
    if "[Content_Types].xml" in names:
        for part, kind in (
            ("word/document.xml", "docx"),
            ("xl/workbook.xml", "xlsx"),
            ("ppt/presentation.xml", "pptx"),
        ):
            if part in names:
                return kind
    if "mimetype" in names:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            mimetype = archive.read("mimetype")[:100]
        if mimetype == CONTENT_TYPES["odt"].encode():
            return "odt"
        if mimetype == CONTENT_TYPES["ods"].encode():
            return "ods"
    return "binary"


def _sniff_text(data: bytes) -> str:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<svg") or b"<svg" in head[:1024]:
        return "svg"
    if head.startswith((b"<!doctype html", b"<html")) or _ACTIVE.search(head):
        return "html"
    if head.startswith(b"<?xml") or head.startswith(b"<"):
        return "xml"
    sample = data[:8192]
    control = sum(1 for byte in sample if byte < 32 and byte not in b"\t\r\n\f")
    if b"\x00" in sample or control > max(2, len(sample) // 200):
        return "binary"
    return "txt"  # UTF-8 or an 8-bit code page


DOCUMENT_KINDS = (
    *("pdf", "png", "jpg", "gif", "docx", "xlsx", "pptx", "odt", "ods", "txt"),
    *("doc", "xls", "ppt"),
)


def check_document(data: bytes, name: str) -> str:
    """The kind of a plain document (PDF, image, Office, OpenDocument, text); refuses HTML,
    SVG, scripts, executables and polyglots whatever the file is called."""
    lim = limits()
    if len(data) > lim.document:
        raise UploadRefused(
            _("%(file)s is %(size)s; the limit is %(limit)s.")
            % {"file": name, "size": human_size(len(data)), "limit": human_size(lim.document)}
        )
    if not data:
        raise UploadRefused(_("%(file)s is empty.") % {"file": name})
    kind = sniff(data, name)
    if kind not in DOCUMENT_KINDS:
        raise UploadRefused(
            _(
                "%(file)s is not an accepted document (the content is %(kind)s); upload PDF, "
                "Word, Excel, PowerPoint, OpenDocument, a picture (PNG, JPEG, GIF) or plain text."
            )
            % {"file": name, "kind": kind.upper()}
        )
    if kind not in ("docx", "xlsx", "pptx", "odt", "ods") and _ACTIVE.search(data[:65536]):
        raise UploadRefused(
            _("%(file)s carries HTML or script inside a %(kind)s file, which is not allowed.")
            % {"file": name, "kind": kind.upper()}
        )
    return kind


def validate_upload(upload) -> str:
    """For a form's clean_<file>: check the content and give the upload a generated name.
    Raises ValidationError with the reason."""
    upload.seek(0)
    data = upload.read(limits().document + 1)
    upload.seek(0)
    try:
        kind = check_document(data, os.path.basename(upload.name or "") or _("the file"))
    except UploadRefused as exc:
        raise ValidationError(str(exc), code="refused") from exc
    extension = (upload.name or "").rsplit(".", 1)[-1].lower()
    if kind == "doc" and extension in ("xls", "ppt"):
        kind = extension  # the old Office formats share one container
    upload.name = generated_name(kind)
    return kind


def generated_name(kind: str) -> str:
    """A random file name with the extension of the type found in the content."""
    return f"{uuid.uuid4().hex}.{kind}"


def upload_to_generated(instance, filename: str) -> str:
    """upload_to for FileFields: keeps only a known extension, never the name as sent."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in DOCUMENT_KINDS:
        extension = "bin"
    folder = f"{instance._meta.app_label}/{instance._meta.model_name}"
    return f"{folder}/{uuid.uuid4().hex}.{extension}"


def serve_file(field_file, *, download_name: str) -> FileResponse:
    """Answer a stored upload as a download: the type read from the content, always as an
    attachment, with nosniff and a sandbox so nothing in it runs on this site's origin."""
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError, OSError):
        raise Http404 from None
    head = handle.read(8192)
    handle.seek(0)
    kind = "binary"
    for magic, found in _MAGIC:
        if head.startswith(magic):
            kind = found
    extension = field_file.name.rsplit(".", 1)[-1].lower()
    if head.startswith(b"PK\x03\x04"):
        kind = extension if extension in ("docx", "xlsx", "pptx", "odt", "ods") else "binary"
    elif kind == "doc" and extension in ("xls", "ppt"):
        kind = extension
    elif kind == "binary" and field_file.name.endswith(".txt") and not _ACTIVE.search(head):
        kind = "txt"
    extension = kind if kind in CONTENT_TYPES else "bin"
    safe_name = re.sub(r"[^\w. -]+", "_", download_name).strip(" .") or "file"
    if not safe_name.lower().endswith(f".{extension}"):
        safe_name = f"{safe_name}.{extension}"
    content_type = CONTENT_TYPES.get(kind, "application/octet-stream")
    if getattr(settings, "ACCEL_REDIRECT", False):
        # nginx sends the file from its internal location; the answer has no body.
        handle.close()
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = accel_location(field_file.name)
        response["Content-Disposition"] = content_disposition_header(True, safe_name)
    else:
        response = FileResponse(
            handle, as_attachment=True, filename=safe_name, content_type=content_type
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def accel_location(name: str) -> str:
    """The internal nginx location of a stored file (its path under MEDIA_ROOT, quoted)."""
    prefix = "/" + settings.ACCEL_REDIRECT_LOCATION.strip("/") + "/"
    return prefix + quote(name.lstrip("/"))
