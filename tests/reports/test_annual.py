"""The annual report: its totals agree with the money page for the year, and its charts are
vector images in the PDF (SVG drawn by WeasyPrint) and the DOCX (svgBlip + PNG fallback)."""

import io
import zipfile

import docx
import pytest
from django.http import QueryDict
from django.urls import reverse

from reports import registry
from tests.reports.conftest import pdf_text

pytestmark = pytest.mark.django_db


def test_totals_agree_with_the_money_page_for_the_year(demo, client, plain_user):
    client.force_login(plain_user)
    page = client.get(reverse("overview:money") + "?year_from=2003&year_to=2003")
    by_year = page.context["by_year"]
    doc = registry.build("annual", lang="nb", params=QueryDict("year=2003"))
    money = next(t for t in doc.tables() if t.total and t.columns[-1].kind == "money")
    assert money.total[-1] == by_year.grand_total
    assert by_year.grand_total > 0
    shown = {row[0]: row[1] for row in money.rows}
    for series in by_year.series:
        assert shown[series.label.capitalize()] == by_year.totals[series.key]


def test_pdf_has_the_sections_and_vector_charts(demo, tmp_path, artifacts_dir):
    doc = registry.build("annual", lang="en", params=QueryDict("year=2004"))
    data = registry.render(doc, "pdf")
    (artifacts_dir / "report-annual-en.pdf").write_bytes(data)
    text = pdf_text(data, tmp_path)
    for heading in (
        "Annual report 2004",
        "Projects",
        "Board cases and referrals",
        "Grants and benefits",
        "Figures",
    ):
        assert heading in text
    # The charts' text is drawn as text (vector), so pdftotext finds the chart titles' words
    # and the municipality names on the matrix axis.
    assert "Participation" in text and "Tønsberg" in text
    assert b"/Subtype /Image" not in data  # no raster image in the PDF


def test_docx_embeds_svg_with_a_png_fallback(demo):
    data = registry.generate("annual", fmt="docx", lang="nb", params=QueryDict("year=2004")).data
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert any(n.endswith(".svg") for n in names) and any(n.endswith(".png") for n in names)
    body = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert "svgBlip" in body and 'descr="' in body
    document = docx.Document(io.BytesIO(data))
    assert "Årsrapport 2004" in [p.text for p in document.paragraphs if p.style.name == "Title"]


def test_a_year_without_projects_says_so(demo, tmp_path):
    data = registry.generate("annual", fmt="pdf", lang="nb", params=QueryDict("year=1950")).data
    assert "Ingen prosjekter var aktive i 1950" in pdf_text(data, tmp_path)


def test_networks_activity_comes_from_the_networks_app(demo, settings, tmp_path):
    import datetime as dt
    from decimal import Decimal

    from django.utils import timezone

    from members.selectors import municipality_on
    from networks.models import Attendance, Course, NetworkMeeting, Programme, Session
    from tests.networks.factories import NetworkFactory, make_document

    settings.MEDIA_ROOT = tmp_path
    network = NetworkFactory(cooperation=demo, name="Nettverk for byggesak", field="Byggesak")
    NetworkMeeting.objects.create(network=network, date=dt.date(2004, 3, 1))
    NetworkMeeting.objects.create(network=network, date=dt.date(2004, 9, 1))
    NetworkMeeting.objects.create(network=network, date=dt.date(2005, 1, 1))
    document = make_document(network)
    type(document).objects.filter(pk=document.pk).update(
        created_at=timezone.make_aware(dt.datetime(2004, 5, 1))
    )
    programme = Programme.objects.create(cooperation=demo, name="Lederskole", slug="leder")
    course = Course.objects.create(programme=programme, name="Kull 1")
    session = Session.objects.create(course=course, date=dt.date(2004, 4, 1), hours=Decimal("3"))
    re_ = municipality_on("Re", dt.date(2004, 6, 1))
    Attendance.objects.create(session=session, municipality=re_, participants=5)

    doc = registry.build("annual", lang="nb", params=QueryDict("year=2004"))
    networks = next(t for t in doc.tables() if t.sheet == "Nettverk")
    row = next(r for r in networks.rows if r[0] == "Nettverk for byggesak")
    assert row[2:] == [2, 1]  # two meetings and one document in 2004, not the 2005 meeting
    training = next(t for t in doc.tables() if t.sheet == "Opplæring")
    assert ["Re", 5, Decimal("15.0")] in training.rows
    assert training.total[1] >= 5
