"""Every upload path tried with the whole hostile corpus: the web import (preview), the
import_overview command, the deliverable upload on the project form, the case document
upload and the networks' library upload. Nothing answers 500, nothing hostile is stored, and
what is stored is served only through a view that checks the user, as a download with
nosniff, with DEBUG off."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from governance.models import CaseDocument
from importers.models import ImportBatch
from projects.models import Deliverable, Project
from tests.governance.factories import CaseFactory
from tests.hostile import corpus
from tests.importers.factories import make_cooperation
from tests.projects.factories import ProjectFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

ALL = list(corpus.FILES)


@pytest.fixture
def coop(db):
    return make_cooperation()


@pytest.fixture(autouse=True)
def english_pages(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def _upload(hostile, key) -> SimpleUploadedFile:
    path = hostile[key]
    return SimpleUploadedFile(path.name, path.read_bytes())


@pytest.mark.parametrize("key", ALL)
def test_web_import_preview(secretariat_client, coop, hostile, key):
    response = secretariat_client.post(
        reverse("importers:upload"), {"file": _upload(hostile, key), "cooperation": coop.pk}
    )
    if key in corpus.FORMULA_FILES:
        assert response.status_code == 200
        names = {p.fields["comments"] for p in response.context["report"].plans}
        assert {*corpus.FORMULAS, " =1+1"} <= names
    else:
        assert response.status_code == 400
        assert response.context["errors"], key
        assert not ImportBatch.objects.exists()


@pytest.mark.parametrize("key", ALL)
def test_import_overview_command(coop, hostile, key, capsys):
    path = hostile[key]
    if key in corpus.FORMULA_FILES:
        call_command("import_overview", str(path), "--dry-run")
        return
    with pytest.raises(CommandError):
        call_command("import_overview", str(path))
    assert not Project.objects.exists()


def _deliverable_post(client, project, upload):
    data = {
        "name": project.name,
        "category": project.category,
        "phase": project.phase,
        "start_date": "2001",
        "end_date": "2002",
        "version": project.version,
        "deliverables-TOTAL_FORMS": 1,
        "deliverables-INITIAL_FORMS": 0,
        "deliverables-0-kind": "report",
        "deliverables-0-title": "Rapport",
        "deliverables-0-file": upload,
    }
    for prefix in ("participations", "money", "spin_offs", "transitions", "links_out"):
        data[f"{prefix}-TOTAL_FORMS"] = 0
        data[f"{prefix}-INITIAL_FORMS"] = 0
    return client.post(reverse("projects:edit", kwargs={"slug": project.slug}), data)


@pytest.fixture
def project(coop):
    from members.selectors import default_cooperation

    return ProjectFactory(cooperation=default_cooperation())


@pytest.mark.parametrize("key", [*corpus.ACTIVE, "xlsx_bomb", "docx_bomb", "docx_xxe"])
def test_deliverable_upload_refuses(secretariat_client, project, hostile, key):
    response = _deliverable_post(secretariat_client, project, _upload(hostile, key))
    assert response.status_code == 400
    assert not Deliverable.objects.exists()


def test_deliverable_upload_stores_a_generated_name_and_serves_it_safely(
    secretariat_client, client, plain_user, project, settings
):
    response = _deliverable_post(
        secretariat_client, project, SimpleUploadedFile("<x>.svg.pdf", b"%PDF-1.4 rapport")
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    deliverable = Deliverable.objects.get()
    assert "<x>" not in deliverable.file.name and deliverable.file.name.endswith(".pdf")
    url = reverse("projects:deliverable_file", kwargs={"pk": deliverable.pk})
    edit = secretariat_client.get(reverse("projects:edit", kwargs={"slug": project.slug}))
    assert url in edit.content.decode() and "/media/" not in edit.content.decode()
    settings.DEBUG = False
    client.logout()
    assert client.get(url).status_code == 302  # to sign-in
    client.force_login(plain_user)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 rapport"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="Rapport.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert "sandbox" in response["Content-Security-Policy"]
    assert client.get(f"/media/{deliverable.file.name}").status_code == 404  # never direct


def test_a_stored_svg_from_before_is_still_a_download(client, plain_user, project, settings):
    """A file that came in before the checks (or through a path without them) is never
    served inline."""
    deliverable = Deliverable.objects.create(
        project=project, title="Kart", file=SimpleUploadedFile("kart.svg", corpus.SVG_SCRIPT)
    )
    settings.DEBUG = False
    client.force_login(plain_user)
    response = client.get(reverse("projects:deliverable_file", kwargs={"pk": deliverable.pk}))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("key", [*corpus.ACTIVE, "xlsx_bomb", "docx_bomb", "docx_xxe"])
def test_case_document_upload_refuses(secretariat_client, coop, hostile, key):
    case = CaseFactory(cooperation=coop)
    response = secretariat_client.post(
        reverse("governance:case_document_add", args=[case.pk]), {"file": _upload(hostile, key)}
    )
    assert response.status_code == 400
    assert not CaseDocument.objects.exists()


def test_case_document_is_a_safe_download_with_debug_off(
    secretariat_client, client, board_user, coop, settings
):
    case = CaseFactory(cooperation=coop)
    response = secretariat_client.post(
        reverse("governance:case_document_add", args=[case.pk]),
        {"file": SimpleUploadedFile("styrets rapport.docx", corpus.formulas_xlsx())},
    )
    assert response.status_code == 302
    excel = CaseDocument.objects.get()
    assert excel.file.name.endswith(".xlsx")  # an Excel file called .docx: type from content
    excel.delete()
    response = secretariat_client.post(
        reverse("governance:case_document_add", args=[case.pk]),
        {"file": SimpleUploadedFile("styrets rapport.pdf", b"%PDF-1.4 styret")},
    )
    assert response.status_code == 302
    document = CaseDocument.objects.get()
    assert document.title == "styrets rapport.pdf"
    assert "styrets" not in document.file.name
    settings.DEBUG = False
    client.force_login(board_user)
    response = client.get(reverse("governance:document", args=[document.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


# --- the networks' library --------------------------------------------------------------------

LIBRARY_REFUSED = [
    *corpus.ACTIVE,
    *("xlsx_bomb", "docx_bomb", "zip_lying_sizes", "xlsx_xxe", "docx_xxe"),
    "docx_billion_laughs",
]


@pytest.fixture
def library_network(coop):
    from tests.networks.factories import NetworkFactory

    return NetworkFactory(cooperation=coop)


def _library_post(client, network, upload):
    return client.post(
        reverse("networks:document_new", args=[network.slug]),
        {"title": "Mal", "kind": "template", "visibility": "network", "file": upload},
    )


@pytest.mark.parametrize("key", ALL)
def test_library_upload_refuses_or_keeps_safely(secretariat_client, library_network, hostile, key):
    """Active content and bombs are refused (400, nothing stored); a file that passes (a
    sheet declaring a huge range, many rows, formulas) is kept with its text read within
    the limits or marked unreadable: never a 500, never a hang."""
    from networks.models import Document, DocumentVersion

    response = _library_post(secretariat_client, library_network, _upload(hostile, key))
    if key in LIBRARY_REFUSED:
        assert response.status_code == 400, key
        assert response.context["form"].errors["file"]
        assert not Document.objects.exists()
        assert not DocumentVersion.objects.exists()
    else:
        assert response.status_code in (302, 400), key
        for version in DocumentVersion.objects.all():
            assert version.file.name.rsplit(".", 1)[-1] in ("xlsx", "docx", "txt")
            assert len(version.text) <= 400_000


def test_library_download_is_safe_with_debug_off(
    secretariat_client, secretariat_user, library_network, settings, plain_user
):
    client = secretariat_client
    from networks.models import DocumentVersion

    response = _library_post(
        secretariat_client, library_network, SimpleUploadedFile("<x>.svg.pdf", b"%PDF-1.4 mal")
    )
    assert response.status_code == 302
    version = DocumentVersion.objects.get()
    assert "<x>" not in version.file.name and version.file.name.endswith(".pdf")
    url = reverse("networks:version_file", args=[version.pk])
    settings.DEBUG = False
    client.logout()
    assert client.get(url).status_code == 302  # to sign-in
    client.force_login(plain_user)
    assert client.get(url).status_code == 404  # network only: not there for outsiders
    client.force_login(secretariat_user)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert client.get(f"/media/{version.file.name}").status_code == 404


@pytest.fixture
def hearing(db):
    from tests.hearings.factories import open_hearing

    return open_hearing()


@pytest.mark.parametrize("key", [*corpus.ACTIVE, "xlsx_bomb", "docx_bomb", "docx_xxe"])
def test_hearing_document_upload_refuses(secretariat_client, hearing, hostile, key):
    from hearings.models import HearingDocument

    response = secretariat_client.post(
        reverse("hearings:document_add", args=[hearing.pk]),
        {"title": "Plankart", "file": _upload(hostile, key)},
        follow=True,
    )
    assert response.status_code == 200
    assert not HearingDocument.objects.exists()


def test_hearing_document_gets_a_generated_name_and_is_a_download(
    secretariat_client, client, hearing, settings
):
    from hearings.models import HearingDocument

    secretariat_client.post(
        reverse("hearings:document_add", args=[hearing.pk]),
        {"title": "Plankart", "file": SimpleUploadedFile("<x>.svg.pdf", b"%PDF-1.4 kart")},
    )
    doc = HearingDocument.objects.get()
    assert "<x>" not in doc.file.name and doc.file.name.endswith(".pdf")
    settings.DEBUG = False
    response = client.get(reverse("hearings:document", args=[doc.pk]))
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
