"""The hostile corpus against the comment attachments, the one upload path open to anyone:
everything active or a bomb is refused with the comment's text kept and nothing stored; what
passes is stored under a generated name and served only through the view that checks the
comment's visibility, as a download with nosniff, with DEBUG off."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hearings import services
from hearings.models import Comment, CommentAttachment
from tests.hearings.factories import open_hearing, token_from_mail
from tests.hostile import corpus

pytestmark = [pytest.mark.django_db]

REFUSED = [
    *corpus.ACTIVE,
    *("xlsx_bomb", "docx_bomb", "zip_lying_sizes", "xlsx_xxe", "docx_xxe"),
    "docx_billion_laughs",
]
PASSES = [key for key in corpus.FILES if key not in REFUSED]


@pytest.fixture(autouse=True)
def _mail_at_once(monkeypatch):
    monkeypatch.setattr("hearings.mail.transaction.on_commit", lambda func, **kw: func())


@pytest.fixture
def hearing(db):
    return open_hearing()


def _post(client, hearing, upload, text="Min merknad om planen"):
    return client.post(
        reverse("hearings:embed", args=[hearing.pk]),
        {"text": text, "name": "Ola", "email": "ola@example.org", "attachments": [upload]},
    )


@pytest.mark.parametrize("key", REFUSED)
def test_hostile_attachment_is_refused_and_the_text_kept(client, hearing, hostile, key):
    path = hostile[key]
    response = _post(client, hearing, SimpleUploadedFile(path.name, path.read_bytes()))
    assert response.status_code == 422, key
    assert "Min merknad om planen" in response.content.decode()
    assert not Comment.objects.exists()
    assert not CommentAttachment.objects.exists()


@pytest.mark.parametrize("key", PASSES)
def test_plain_files_of_the_corpus_pass_under_a_generated_name(client, hearing, hostile, key):
    """Sheets with many rows or formulas are plain documents here: nobody parses them; they
    are stored under a generated name, or refused when past the size limit: never a 500."""
    path = hostile[key]
    response = _post(client, hearing, SimpleUploadedFile(path.name, path.read_bytes()))
    assert response.status_code in (200, 422), key
    for attachment in CommentAttachment.objects.all():
        assert "oversikt" not in attachment.file.name
        assert attachment.file.name.rsplit(".", 1)[-1] in ("xlsx", "txt")
    if response.status_code == 422:
        assert not Comment.objects.exists()


def test_size_limit_from_the_setting(client, hearing, settings):
    settings.HEARINGS_ATTACHMENT_MAX_BYTES = 1000
    response = _post(client, hearing, SimpleUploadedFile("stor.pdf", b"%PDF-1.4 " + b"x" * 2000))
    assert response.status_code == 422
    assert "1 KB" in response.content.decode()
    assert not Comment.objects.exists()


def test_attachment_served_only_when_the_comment_is_public(
    client, hearing, settings, secretariat_user
):
    response = _post(client, hearing, SimpleUploadedFile("<x>.svg.pdf", b"%PDF-1.4 kart"))
    assert response.status_code == 200
    attachment = CommentAttachment.objects.get()
    assert "<x>" not in attachment.file.name and attachment.file.name.endswith(".pdf")
    url = reverse("hearings:attachment", args=[attachment.pk])
    settings.DEBUG = False
    assert client.get(url).status_code == 404  # received, not confirmed
    comment = services.comment_confirm(token=token_from_mail())
    assert client.get(url).status_code == 404  # confirmed, not published
    client.force_login(secretariat_user)
    officer = client.get(url)
    assert officer.status_code == 200
    assert b"".join(officer.streaming_content) == b"%PDF-1.4 kart"
    client.logout()
    services.comment_publish(actor=None, comment=comment)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert "sandbox" in response["Content-Security-Policy"]
    page = client.get(reverse("hearings:detail", args=[hearing.pk])).content.decode()
    assert url in page and "/media/" not in page
    assert client.get(f"/media/{attachment.file.name}").status_code == 404
    services.comment_hold_back(actor=None, comment=comment, reason="Personopplysninger")
    assert client.get(url).status_code == 404
