"""Join tagged PDFs made by WeasyPrint from parts of one document into one tagged PDF
(pikepdf, i.e. qpdf: it copies a part's objects once, so the structure elements' page
references land on the pages copied before them, and writes compressed object streams).

The first part gives the catalogue (language, XMP metadata with the PDF/UA identification,
mark info, viewer preferences), its structure tree and its outline. Each further part adds
its pages; the top-level structure elements of its Document element become children of the
first part's Document element; its parent tree's keys (the pages' /StructParents and the
annotations' /StructParent) are shifted past the keys already used; its outline entries go
under the first part's top entry (the title), with their pages moved by the pages before.
"""

from __future__ import annotations

from io import BytesIO

import pikepdf
from pikepdf import Array, Dictionary, Name, OutlineItem, Pdf


class JoinError(ValueError):
    """A part's structure is not the flat one WeasyPrint writes."""


def _document_element(tree: Dictionary) -> Dictionary:
    kids = tree.K
    element = kids[0] if isinstance(kids, Array) else kids
    if element.get("/S") != Name.Document:
        raise JoinError("the structure tree has no Document element at its top")
    return element


def _kids(element: Dictionary) -> Array:
    kids = element.get("/K")
    if kids is None:
        element.K = Array()
    elif not isinstance(kids, Array):
        element.K = Array([kids])
    return element.K


def _nums(tree: Dictionary) -> Array:
    parent_tree = tree.ParentTree
    if "/Nums" not in parent_tree:
        raise JoinError("the parent tree is not a flat number tree")
    return parent_tree.Nums


def _shift_keys(page: Dictionary, offset: int) -> None:
    if "/StructParents" in page:
        page.StructParents = int(page.StructParents) + offset
    for annotation in page.get("/Annots", Array()):
        if "/StructParent" in annotation:
            annotation.StructParent = int(annotation.StructParent) + offset


def _outline(items: list[OutlineItem], pages: dict[tuple[int, int], int], offset: int) -> list:
    """Copies of outline entries pointing at the same pages in the joined document."""
    copies = []
    for item in items:
        destination = item.destination
        page, top = 0, None
        if isinstance(destination, Array) and len(destination) > 0:
            page = pages.get(destination[0].objgen, 0)
            if len(destination) > 3 and destination[1] == Name.XYZ:
                top = float(destination[3])
        copy = OutlineItem(item.title, page + offset, "XYZ", top=top)
        copy.children.extend(_outline(item.children, pages, offset))
        copies.append(copy)
    return copies


def join(parts: list[bytes]) -> bytes:
    pdf = Pdf.open(BytesIO(parts[0]))
    tree = pdf.Root.StructTreeRoot
    document = _document_element(tree)
    document_kids = _kids(document)
    nums = _nums(tree)
    entries: list[OutlineItem] = []
    for data in parts[1:]:
        part = Pdf.open(BytesIO(data))
        key_offset = max((int(k) for k in list(nums)[::2]), default=-1) + 1
        page_offset = len(pdf.pages)
        pdf.pages.extend(part.pages)
        for page in pdf.pages[page_offset:]:
            _shift_keys(page.obj, key_offset)
        # Copied after the pages: qpdf maps the elements' /Pg to the pages just copied.
        their_tree = pdf.copy_foreign(part.Root.StructTreeRoot)
        for kid in _kids(_document_element(their_tree)):
            if not isinstance(kid, Dictionary):
                raise JoinError("marked content directly under the Document element")
            kid.P = document
            document_kids.append(kid)
        their_nums = _nums(their_tree)
        for i in range(0, len(their_nums), 2):
            nums.append(int(their_nums[i]) + key_offset)
            nums.append(their_nums[i + 1])
        pages = {page.obj.objgen: i for i, page in enumerate(part.pages)}
        with part.open_outline() as theirs:
            entries.extend(_outline(theirs.root, pages, page_offset))
    with pdf.open_outline() as outline:
        (outline.root[0].children if outline.root else outline.root).extend(entries)
    out = BytesIO()
    pdf.save(
        out,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
        compress_streams=True,
    )
    return out.getvalue()
