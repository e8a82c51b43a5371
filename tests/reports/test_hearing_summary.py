"""The summary of comments and responses ("merknadsbehandling") of a hearing: the hearing,
the published comments grouped by topic with the officer's responses, only counts of the
rest, never an e-mail address or a withheld name; tagged PDF, DOCX with real headings;
officers only."""

from __future__ import annotations

import io
import subprocess
import zipfile

import docx
import pytest
from django.core.management import call_command
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hearings import services
from reports import registry
from tests.governance.factories import contact_user
from tests.hearings.factories import municipality, open_hearing, submit, token_from_mail
from tests.reports.conftest import pdf_info, pdf_objects, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mail_at_once(monkeypatch):
    monkeypatch.setattr("hearings.mail.transaction.on_commit", lambda func, **kw: func())


def _confirmed(hearing, **kwargs):
    submit(hearing, **kwargs)
    comment = services.comment_confirm(token=token_from_mail())
    assert comment is not None
    return comment


@pytest.fixture
def hearing(demo):
    h = open_hearing(title="Reguleringsplan for Kaldnes brygge")
    kari = _confirmed(
        h,
        text="Byggene langs sjøen blir for høye.\n\nHusk utsikten fra Kaldnesveien.",
        name="Kari Nordmann",
        organisation="Kaldnes vel",
        email="kari@example.org",
    )
    services.comment_publish(actor=None, comment=kari)
    services.comment_process(
        actor=None,
        comment=kari,
        topic="§ 3.2 Byggehøyder",
        response="Byggehøyden er senket til fire etasjer.",
    )
    hidden = _confirmed(
        h,
        text="Gang- og sykkelveien må fram til brygga.",
        name="Ola Hemmelig",
        email="ola@example.org",
        show_name=False,
    )
    services.comment_publish(actor=None, comment=hidden)
    services.comment_process(actor=None, comment=hidden, topic="§ 10 Trafikk", response="")
    held = _confirmed(h, text="SKJULT innhold som ble holdt tilbake.", email="a@example.org")
    services.comment_hold_back(actor=None, comment=held, reason="Personangrep")
    gone = _confirmed(h, text="TRUKKET merknad.", email="b@example.org")
    services.comment_withdraw(token=token_from_mail(-1))
    submit(h, text="UBEKREFTET merknad.", email="c@example.org")
    assert gone.pk
    return h


def _make(h, fmt: str, lang: str = "nb"):
    params = QueryDict(mutable=True)
    params["hearing"] = str(h.pk)
    return registry.generate("hearing-summary", fmt=fmt, lang=lang, params=params)


def _no_private_data(text: str) -> None:
    for private in ("@example.org", "Ola Hemmelig", "SKJULT", "TRUKKET", "UBEKREFTET"):
        assert private not in text


def test_pdf_shows_the_hearing_the_comments_by_topic_and_responses(hearing, tmp_path):
    out = _make(hearing, "pdf")
    assert out.filename == f"merknadsbehandling-{hearing.pk}.pdf"
    text = " ".join(pdf_text(out.data, tmp_path).split())
    assert "Merknadsbehandling: Reguleringsplan for Kaldnes brygge" in text
    assert "Tønsberg (3905), planidentifikator 2026001" in text
    assert "Berørte kommuner Tønsberg (3905)" in text
    assert "Publiserte merknader 2" in text and "Besvart 1" in text
    assert "Holdt tilbake 1" in text and "Trukket 1" in text
    # Grouped by plan section in their natural order: § 3.2 before § 10.
    assert text.index("§ 3.2 Byggehøyder") < text.index("§ 10 Trafikk")
    assert "Kari Nordmann (Kaldnes vel)" in text and "Husk utsikten fra Kaldnesveien." in text
    assert "Byggehøyden er senket til fire etasjer." in text
    assert "Navn unntatt offentlighet" in text and "Ikke besvart ennå." in text
    assert "Postadresse:" in text and "Side 1 av" in text
    _no_private_data(text)


def test_pdf_is_tagged_with_its_language_and_embedded_fonts(hearing, tmp_path):
    for lang in ("nb", "en"):
        data = _make(hearing, "pdf", lang).data
        assert "Tagged:          yes" in pdf_info(data, tmp_path)
        assert f"/Lang ({lang})".encode() in pdf_objects(data)
        structure = pdf_info(data, tmp_path, "-struct")
        for tag in ("H1", "H2", "H3", "Table", "TH"):
            assert tag in structure, tag
        fonts = subprocess.run(
            ["pdffonts", str(tmp_path / "info.pdf")], capture_output=True, text=True, check=True
        ).stdout.splitlines()[2:]
        assert fonts and all(" yes yes " in line for line in fonts), fonts


def test_english_summary(hearing, tmp_path):
    text = " ".join(pdf_text(_make(hearing, "pdf", "en").data, tmp_path).split())
    assert "Summary of comments and responses: Reguleringsplan for Kaldnes brygge" in text
    assert "Name withheld from the public" in text and "Not answered yet." in text
    assert "Held back 1" in text and "Page 1 of" in text
    _no_private_data(text)


def test_docx_has_headings_per_topic_and_comment_and_a_table_header(hearing):
    data = _make(hearing, "docx").data
    document = docx.Document(io.BytesIO(data))
    by_style: dict[str, list[str]] = {}
    for p in document.paragraphs:
        by_style.setdefault(p.style.name, []).append(p.text)
    assert by_style["Title"] == ["Merknadsbehandling: Reguleringsplan for Kaldnes brygge"]
    assert by_style["Heading 1"] == ["Oversikt", "§ 3.2 Byggehøyder", "§ 10 Trafikk"]
    assert by_style["Heading 2"][1].endswith("· Navn unntatt offentlighet")
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == [
        "Referanse",
        "Fra",
        "Planbestemmelse eller tema",
    ]
    assert table.rows[0]._tr.trPr.xml.count("tblHeader") == 1
    whole = "\n".join(p.text for p in document.paragraphs)
    assert "Byggehøyden er senket til fire etasjer." in whole
    _no_private_data(whole + "".join(c.text for r in table.rows for c in r.cells))
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/styles.xml").decode()
    assert 'w:val="nb-NO"' in xml
    assert "Postadresse:" in document.sections[0].footer.paragraphs[0].text


def test_html_escapes_and_names_the_language(hearing):
    html = _make(hearing, "html").data.decode()
    assert '<html lang="nb">' in html and '<th scope="col">Referanse</th>' in html
    _no_private_data(html)


def test_officers_only(hearing, client, django_user_model, secretariat_user, plain_user):
    url = reverse("reports:hearing_summary", args=[hearing.pk, "pdf"])
    assert client.get(url).status_code == 302  # to sign in
    client.force_login(plain_user)
    assert client.get(url).status_code == 403
    outsider = contact_user(django_user_model, "hx-sandefjord", municipality("3907"))
    client.force_login(outsider)
    assert client.get(url).status_code == 403
    generic = (
        reverse("reports:download") + f"?report=hearing-summary&format=pdf&hearing={hearing.pk}"
    )
    assert client.get(generic).status_code == 403
    client.force_login(contact_user(django_user_model, "hx-tonsberg", municipality("3905")))
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "merknadsbehandling" in response["Content-Disposition"]
    assert client.get(generic).status_code == 200
    client.force_login(secretariat_user)
    response = client.get(reverse("reports:hearing_summary", args=[hearing.pk, "docx"]))
    assert response.status_code == 200
    assert client.get(reverse("reports:hearing_summary", args=[999999, "pdf"])).status_code == 404
    bad = client.get(reverse("reports:hearing_summary", args=[hearing.pk, "odt"]))
    assert bad.status_code == 400


def test_officers_page_has_the_download_buttons(hearing, client, secretariat_user):
    client.force_login(secretariat_user)
    html = client.get(reverse("hearings:desk_hearing", args=[hearing.pk])).content.decode()
    assert reverse("reports:hearing_summary", args=[hearing.pk, "pdf"]) in html
    assert reverse("reports:hearing_summary", args=[hearing.pk, "docx"]) in html


def test_command_line(hearing, tmp_path):
    target = tmp_path / "m.html"
    call_command(
        "report",
        "hearing-summary",
        "--hearing",
        str(hearing.pk),
        "--format",
        "html",
        "--lang",
        "en",
        "-o",
        str(target),
        stderr=io.StringIO(),
    )
    assert "Summary of comments and responses" in target.read_text()


def test_reads_do_not_grow_with_the_comments(hearing):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            _make(hearing, "html")
        return len(ctx.captured_queries)

    before = count()
    for n in range(4):
        comment = _confirmed(hearing, text=f"Merknad {n}", email=f"x{n}@example.org")
        services.comment_publish(actor=None, comment=comment)
    assert count() == before
