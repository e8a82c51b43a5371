"""`manage.py purge_hearings`: the commenters' personal data of hearings processed longer
ago than HEARINGS_PURGE_AFTER_DAYS goes (names, addresses, attachments, also in history);
the anonymised text, the topic and the response stay; --dry-run changes nothing; the purge
is in the hearing's history and the audit log."""

import datetime as dt
import os

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from hearings import services
from hearings.models import Comment, CommentAttachment
from samarbeid.common.models import AuditEvent
from tests.hearings.factories import open_hearing, submit, token_from_mail

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _processed(days_ago: int):
    hearing = open_hearing()
    kept = submit(
        hearing,
        name="Kari Nordmann",
        email="kari@example.org",
        organisation="Velforeningen",
        text="Kari Nordmann mener veien bør flyttes. Svar til kari@example.org.",
        attachments=[("kart.pdf", b"%PDF-1.4 Kari sitt kart")],
    )
    kept = services.comment_confirm(token=token_from_mail())
    services.comment_publish(actor=None, comment=kept)
    services.comment_process(actor=None, comment=kept, topic="§ 3 Trafikk", response="Tas inn.")
    submit(hearing, name="Ubekreftet", email="ub@example.org", text="Aldri bekreftet.")
    services.hearing_close(actor=None, hearing=hearing)
    services.hearing_mark_processed(
        actor=None, hearing=hearing, now=timezone.now() - dt.timedelta(days=days_ago)
    )
    return hearing, Comment.objects.get(pk=kept.pk)


def test_dry_run_changes_nothing_then_purge_keeps_the_anonymised_text(settings, capsys):
    settings.HEARINGS_PURGE_AFTER_DAYS = 30
    old, comment = _processed(days_ago=40)
    _recent, recent_comment = _processed(days_ago=10)
    file_path = comment.attachments.get().file.path

    call_command("purge_hearings", "--dry-run")
    out = capsys.readouterr().out
    assert old.title in out and "Dry run" in out
    comment.refresh_from_db()
    assert comment.email == "kari@example.org" and comment.attachments.exists()

    call_command("purge_hearings")
    comment.refresh_from_db()
    assert (comment.name, comment.email, comment.token_hash) == ("", "", "")
    assert comment.text == "[…] mener veien bør flyttes. Svar til […]."
    assert (comment.topic, comment.response, comment.organisation) == (
        "§ 3 Trafikk",
        "Tas inn.",
        "Velforeningen",
    )
    assert comment.purged_at is not None
    assert not CommentAttachment.objects.filter(comment=comment).exists()
    assert not os.path.exists(file_path)
    assert not old.comments.filter(confirmed_at__isnull=True).exists()  # unconfirmed deleted
    history = str(list(comment.history.values("name", "email", "text")))
    assert "Kari" not in history and "kari@example.org" not in history
    assert comment.history.first().history_change_reason == "personal data purged"
    old.refresh_from_db()
    assert old.purged_at is not None
    assert old.history.first().history_change_reason == "personal data of the comments purged"
    event = AuditEvent.objects.get(object_pk=str(old.pk), object_type="hearings.hearing")
    assert event.detail["personal_data_of_comments"] == {
        "comments": 1,
        "unconfirmed": 1,
        "attachments": 1,
    }
    # The recent hearing is untouched; a second run does nothing more.
    recent_comment.refresh_from_db()
    assert recent_comment.email == "kari@example.org"
    call_command("purge_hearings")
    assert "No processed hearings" in capsys.readouterr().out.splitlines()[-1]


def test_public_page_after_the_purge(client):
    hearing, _comment = _processed(days_ago=400)
    call_command("purge_hearings")
    page = client.get(reverse("hearings:detail", args=[hearing.pk])).content.decode()
    assert "Kari" not in page and "@example.org" not in page
    assert "mener veien bør flyttes" in page and "Velforeningen" in page and "Tas inn." in page


def test_only_processed_hearings_can_be_purged():
    hearing = open_hearing()
    with pytest.raises(ValidationError):
        services.hearing_purge_personal_data(actor=None, hearing=hearing)
