"""The project overview in every format: what a reader finds in it (text, tags, language,
fonts, headings, typed cells), the list's filters carried over, and an empty selection."""

import io
import itertools
import re
import shutil
import subprocess
import zipfile

import docx
import openpyxl
import pytest
from django.http import QueryDict

from projects.models import Project
from reports import registry
from tests.reports.conftest import pdf_info, pdf_objects, pdf_text

pytestmark = pytest.mark.django_db


def overview(fmt: str, lang: str = "nb", query: str = ""):
    return registry.generate("overview", fmt=fmt, lang=lang, params=QueryDict(query))


def test_pdf_has_the_sections_columns_footer_and_page_numbers_of_001(demo, tmp_path, artifacts_dir):
    data = overview("pdf").data
    text = pdf_text(data, tmp_path)
    assert "Prosjektoversikt 12k (1998–2010)" in text
    for heading in (
        "1) Driftsprosjekter",
        "2) Plan-, areal- og næringsprosjekter",
        "Faglige nettverksgrupper",
    ):
        assert heading in text
    for column in (
        "Prosjekt",
        "Periode",
        "Deltakere",
        "Arbeidsform",
        "12k resultat",
        "Status",
        "Kommentar",
    ):
        assert column in text
    assert "Havnevesen" in text and "Felles innkjøp av strøm til kommuner" in text.replace(
        "\n", " "
    )
    assert "Postadresse: 12k c/o HVE, p.b. 2243, 3103 Tønsberg" in text
    assert "Besøksadresse: Raveien 197, Borre" in text
    pages = text.split("\f")
    assert "Side 1 av" in pages[0] and "Side 3 av" in pages[2]
    # The table header repeats on every page the operations table runs over.
    table_pages = [p for p in pages if "Gjennomført" in p]
    assert len(table_pages) > 2
    assert all("Kommentar" in p and "Arbeidsform" in p for p in table_pages)
    (artifacts_dir / "report-overview-nb.pdf").write_bytes(data)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "70",
            "-f",
            "1",
            "-l",
            "3",
            str(artifacts_dir / "report-overview-nb.pdf"),
            str(artifacts_dir / "report-overview-nb"),
        ],
        check=True,
    )


def test_pdf_is_tagged_with_its_language_and_embedded_fonts(demo, tmp_path):
    for lang in ("nb", "en"):
        data = overview("pdf", lang).data
        assert "Tagged:          yes" in pdf_info(data, tmp_path)
        assert f"/Lang ({lang})".encode() in pdf_objects(data)
        structure = pdf_info(data, tmp_path, "-struct")
        assert "Table" in structure and "TH" in structure and "H1" in structure
        fonts = subprocess.run(
            ["pdffonts", str(tmp_path / "info.pdf")], capture_output=True, text=True, check=True
        ).stdout.splitlines()[2:]
        assert fonts and all(" yes yes " in line for line in fonts), fonts


def test_english_overview_translates_the_frame_not_the_data(demo, tmp_path):
    text = pdf_text(overview("pdf", "en").data, tmp_path)
    assert "Project overview 12k" in text and "1) Operations projects" in text
    assert "Postal address: 12k c/o HVE" in text and "Page 1 of" in text
    assert "Completed" in text  # the structured result, translated
    assert "Havnevesen" in text  # names stay as written


def _styles(document) -> list[str]:
    return [p.style.name for p in document.paragraphs]


def test_docx_has_heading_styles_repeated_header_rows_and_landscape_tables(demo):
    data = overview("docx").data
    document = docx.Document(io.BytesIO(data))
    styles = _styles(document)
    assert "Title" in styles and "Heading 1" in styles
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[:2] == ["1) Driftsprosjekter", "2) Plan-, areal- og næringsprosjekter"]
    table = document.tables[0]
    header = table.rows[0]
    assert [c.text for c in header.cells] == [
        "Prosjekt",
        "Periode",
        "Deltakere",
        "Arbeidsform",
        "12k resultat",
        "Status",
        "Kommentar",
    ]
    assert header._tr.trPr.xml.count("tblHeader") == 1
    widths = [c.width for c in table.rows[1].cells]
    assert widths[-1] == max(widths)  # the comment column is the widest
    landscape = [s for s in document.sections if s.page_width > s.page_height]
    assert landscape, "the wide tables are set in landscape"
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/styles.xml").decode()
    assert 'w:val="nb-NO"' in xml
    footer = document.sections[0].footer
    assert "Postadresse: 12k c/o HVE" in footer.paragraphs[0].text


def test_xlsx_cells_are_typed_with_frozen_header_autofilter_and_no_formula(demo):
    p = Project.objects.get(name="Havnevesen")
    p.comments = '=HYPERLINK("http://evil")'
    p.save()
    book = openpyxl.load_workbook(io.BytesIO(overview("xlsx").data))
    sheet = book["Prosjektoversikt"]
    header = [c.value for c in sheet[1]]
    assert header[:5] == ["Del", "Prosjekt", "Periode", "Startår", "Sluttår"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref.startswith("A1:")
    rows = {r[1].value: r for r in sheet.iter_rows(min_row=2)}
    havn = rows["Havnevesen"]
    assert havn[3].value == 2001 and havn[3].data_type == "n"
    assert havn[4].value == 2003
    comment = havn[header.index("Kommentar")]
    assert comment.data_type == "s" and comment.value.startswith("=HYPERLINK")
    assert comment.quotePrefix
    assert not [
        c.coordinate for ws in book for row in ws.iter_rows() for c in row if c.data_type == "f"
    ]


def test_csv_escapes_formula_cells_with_the_one_escaping(demo):
    from importers.exporters import escape_formula

    p = Project.objects.get(name="Havnevesen")
    p.comments = "@SUM(1)"
    p.save()
    import csv

    text = overview("csv").data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:2] == ["Del", "Prosjekt"]
    havn = next(r for r in rows if r[1] == "Havnevesen")
    assert havn[-1] == escape_formula("@SUM(1)") == "'@SUM(1)"
    assert not any(c.startswith(("=", "+", "-", "@")) for r in rows for c in r)


def test_the_lists_filters_carry_over(demo, tmp_path):
    query = "category=planning&year_from=2001"
    doc = registry.build("overview", lang="nb", params=QueryDict(query))
    names = {row[1] for row in doc.data.rows}
    from projects import selectors
    from projects.forms import ProjectFilterForm

    form = ProjectFilterForm(QueryDict(query), choices=selectors.filter_choices(cooperation=demo))
    listed = {p.name for p in selectors.project_list(cooperation=demo, filters=form.to_filter())}
    assert names == listed and names
    assert [s.title for s in doc.sections] == ["2) Plan-, areal- og næringsprosjekter"]
    assert (
        "Utvalg",
        "Kategori: Planning, land use and industrial policy",
    ) in doc.title_page or any(
        label == "Utvalg" and "Kategori" in value for label, value in doc.title_page
    )


@pytest.mark.parametrize("fmt", ["pdf", "docx", "xlsx", "csv", "html"])
def test_an_empty_selection_is_a_valid_document_saying_so(demo, tmp_path, fmt):
    out = overview(fmt, query="q=ingenting-slikt-finnes")
    message = "Ingen prosjekter passer til dette utvalget"
    if fmt == "pdf":
        assert message in pdf_text(out.data, tmp_path)
    elif fmt == "docx":
        assert any(message in p.text for p in docx.Document(io.BytesIO(out.data)).paragraphs)
    elif fmt == "xlsx":
        book = openpyxl.load_workbook(io.BytesIO(out.data))
        assert any(message in str(c.value) for row in book["Om rapporten"].iter_rows() for c in row)
        assert book["Prosjektoversikt"].max_row == 1
    elif fmt == "csv":
        assert out.data.decode("utf-8-sig").splitlines()[0].startswith("Del,Prosjekt")
    else:
        assert message in out.data.decode()


WORD = re.compile(r"\S+")


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) is not installed")
def test_libreoffice_sets_the_docx_without_splitting_a_word(demo, tmp_path, artifacts_dir):
    source = tmp_path / "overview.docx"
    source.write_bytes(overview("docx").data)
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    converted = (tmp_path / "overview.pdf").read_bytes()
    (artifacts_dir / "report-overview-docx-libreoffice.pdf").write_bytes(converted)
    document = docx.Document(io.BytesIO(source.read_bytes()))
    words = set()
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                words.update(WORD.findall(cell.text))
    for paragraph in document.paragraphs:
        words.update(WORD.findall(paragraph.text))
    for section in document.sections:
        for paragraph in section.footer.paragraphs:
            words.update(WORD.findall(paragraph.text))

    def bare(token: str) -> str:
        return token.strip("()[]{},.;:!?«»\"'")

    # A line may break after a hyphen, a dash or a slash (pdftotext joins "IKT-" + "gruppe"
    # to "IKTgruppe"), never inside a word.
    allowed = {bare(w) for w in words}
    allowed |= {bare(p) for w in words for p in re.split(r"(?<=[-–/])", w)}
    allowed |= {bare(w.replace("-", "")) for w in words}
    texts = [c.text for t in document.tables for r in t.rows for c in r.cells]
    for text in texts:  # "Nærings- ansvarlige" as written, joined by pdftotext at a line end
        tokens = WORD.findall(text)
        allowed |= {bare(a[:-1] + b) for a, b in itertools.pairwise(tokens) if a.endswith("-")}
    split = [
        token
        for token in WORD.findall(pdf_text(converted, tmp_path))
        if bare(token) not in allowed
        and not bare(token).isdigit()
        and not "\ue000" <= token <= "\uf8ff"
    ]
    assert not split, split[:20]
