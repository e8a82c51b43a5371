"""A long PDF laid out in parts (one forked process each) and joined: one tagged PDF/UA
document with one structure tree, a consistent parent tree, pages numbered as one, the
title page once and the outline of every part."""

import io
import re

import pikepdf
import pytest
from django.http import QueryDict

from reports import registry
from reports.document import Column, Document, Table
from reports.render import pdf
from tests.reports.conftest import pdf_info, pdf_objects, pdf_text


def _doc(*sizes: int, levels: tuple[int, ...] = ()) -> Document:
    doc = Document(name="overview", lang="nb", title="T")
    for i, rows in enumerate(sizes):
        level = levels[i] if levels else 1
        doc.add(f"S{i}", level=level).add(Table([Column("A")], [["x"]] * rows))
    return doc


def test_parts_are_runs_of_about_equal_rows_cut_before_top_level_sections():
    doc = _doc(1320, 1267, 1255, 1158)
    groups = pdf.parts_of(doc, 2)
    assert [[s.title for s in g] for g in groups] == [["S0", "S1"], ["S2", "S3"]]
    assert [len(g) for g in pdf.parts_of(doc, 4)] == [1, 1, 1, 1]
    # A sub-section stays with its section; a short document is one part.
    doc = _doc(700, 700, 10, levels=(1, 2, 1))
    assert [[s.title for s in g] for g in pdf.parts_of(doc, 2)] == [["S0", "S1", "S2"]]
    assert len(pdf.parts_of(_doc(100, 100), 2)) == 1
    assert len(pdf.parts_of(_doc(1000, 1000), 1)) == 1


def _structure_problems(data: bytes) -> list[str]:
    """Every page's parent-tree entry lists one element per marked-content id on the page,
    and every element's parent and page are in the document."""
    document = pikepdf.open(io.BytesIO(data))
    tree = document.Root.StructTreeRoot
    nums = list(tree.ParentTree.Nums)
    keys = [int(k) for k in nums[::2]]
    problems = [] if keys == sorted(set(keys)) else ["parent tree keys not unique and sorted"]
    entries = dict(zip(keys, nums[1::2], strict=True))
    pages = {page.obj.objgen for page in document.pages}
    for number, page in enumerate(document.pages, start=1):
        contents = page.obj.Contents
        streams = contents if isinstance(contents, pikepdf.Array) else [contents]
        ids = [int(m) for s in streams for m in re.findall(rb"/MCID (\d+)", s.read_bytes())]
        entry = entries.get(int(page.obj.StructParents))
        if entry is None or len(entry) != len(ids) or sorted(ids) != list(range(len(ids))):
            problems.append(f"page {number}: marked content and parent tree differ")

    def walk(element, parent) -> int:
        if not isinstance(element, pikepdf.Dictionary) or "/S" not in element:
            return 0
        if element.P.objgen != parent.objgen:
            problems.append(f"{element.S}: wrong parent")
        if "/Pg" in element and element.Pg.objgen not in pages:
            problems.append(f"{element.S}: page not in the document")
        kids = element.get("/K")
        kids = kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
        return 1 + sum(walk(kid, element) for kid in kids)

    tops = tree.K if isinstance(tree.K, pikepdf.Array) else [tree.K]
    assert len(tops) == 1 and tops[0].S == "/Document"
    assert walk(tops[0], tree) > 100
    with document.open_outline() as outline:
        titles = [[item.title, [child.title for child in item.children]] for item in outline.root]
    assert titles == [
        [
            "Prosjektoversikt 12k (1998–2010)",
            [
                "1) Driftsprosjekter",
                "2) Plan-, areal- og næringsprosjekter",
                "Faglige nettverksgrupper",
                "Andre arbeidsområder",
            ],
        ]
    ]
    return problems


@pytest.mark.django_db
def test_overview_in_parts_is_one_tagged_document_numbered_as_one(demo, tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "PARALLEL_ROWS", 1)
    monkeypatch.setattr(pdf, "MIN_PART_ROWS", 1)
    monkeypatch.setattr(pdf, "_workers", lambda: 3)
    doc = registry.build("overview", lang="nb", params=QueryDict())
    assert len(pdf.parts_of(doc, 3)) == 3
    data = registry.render(doc, "pdf")
    info = pdf_info(data, tmp_path)
    assert "Tagged:          yes" in info
    count = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert b"/Lang (nb)" in pdf_objects(data)
    structure = pdf_info(data, tmp_path, "-struct-text")
    assert "Andre arbeidsområder" in structure and structure.count("Table") >= 4
    assert _structure_problems(data) == []
    pages = pdf_text(data, tmp_path).split("\f")[:count]
    for number, page in enumerate(pages, start=1):
        assert f"Side {number} av {count}" in page
        # The running title is on every page but the title page.
        assert ("Prosjektoversikt 12k (1998–2010)" in page.split("\n")[0]) == (number > 1)
    assert sum("Utvalg" in page for page in pages) == 1  # one title page
    assert "Postadresse: 12k c/o HVE" in pages[-1]


@pytest.mark.django_db
def test_a_failed_part_falls_back_to_one_process(demo, tmp_path, monkeypatch):
    def broken(parts):
        raise pdf.pdfjoin.JoinError("broken")

    monkeypatch.setattr(pdf, "PARALLEL_ROWS", 1)
    monkeypatch.setattr(pdf, "MIN_PART_ROWS", 1)
    monkeypatch.setattr(pdf, "_workers", lambda: 2)
    monkeypatch.setattr(pdf.pdfjoin, "join", broken)
    data = registry.generate("overview", fmt="pdf", lang="nb").data
    assert "Tagged:          yes" in pdf_info(data, tmp_path)
    assert "Side 1 av" in pdf_text(data, tmp_path)
