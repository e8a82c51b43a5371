import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hearings import services
from hearings.models import Comment, Hearing
from tests.governance.factories import contact_user
from tests.hearings.factories import municipality, open_hearing, submit, token_from_mail

pytestmark = pytest.mark.django_db


def test_create_defaults_to_six_weeks_and_warns_when_shorter(secretariat_user):
    mun = municipality("3905")
    start = dt.date(2026, 1, 5)
    h = services.hearing_create(
        actor=secretariat_user,
        title="Plan",
        summary="S",
        start_date=start,
        municipalities=[mun],
        plan_municipality=mun,
        plan_identifier="P1",
    )
    assert h.deadline == dt.date(2026, 2, 16)
    assert h.state == Hearing.State.DRAFT
    assert not services.short_deadline(h)
    h = services.hearing_update(actor=secretariat_user, hearing=h, deadline=dt.date(2026, 2, 1))
    assert services.short_deadline(h)
    assert h.history.first().history_change_reason == "hearing updated"


def test_a_plan_needs_its_identifier(secretariat_user):
    mun = municipality("3905")
    with pytest.raises(ValidationError) as exc:
        services.hearing_create(
            actor=secretariat_user,
            title="Plan",
            summary="S",
            start_date=dt.date(2026, 1, 5),
            municipalities=[mun],
            plan_municipality=mun,
        )
    assert "plan_identifier" in exc.value.message_dict
    assert not Hearing.objects.exists()


def test_contact_of_another_municipality_may_not_moderate(django_user_model):
    h = open_hearing(number="3905")
    other = contact_user(django_user_model, "sandefjord", municipality("3907"))
    own = contact_user(django_user_model, "tonsberg", municipality("3905"))
    c = submit(h)
    services.comment_confirm(token=token_from_mail())
    with pytest.raises(PermissionDenied):
        services.comment_publish(actor=other, comment=c)
    c.refresh_from_db()
    assert c.state == Comment.State.RECEIVED
    services.comment_publish(actor=own, comment=c)
    assert Comment.objects.get().state == Comment.State.PUBLISHED


def test_submit_confirm_and_receipt():
    h = open_hearing()
    c = submit(h, text="<script>alert(1)</script> Nei takk")
    assert c.confirmed_at is None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["kari@example.org"]
    token = token_from_mail()
    assert token not in c.token_hash
    confirmed = services.comment_confirm(token=token)
    assert confirmed is not None and confirmed.confirmed_at is not None
    receipt = mail.outbox[-1]
    assert c.reference in receipt.subject
    assert "Nei takk" in receipt.body


def test_forged_and_expired_tokens_change_nothing():
    h = open_hearing()
    c = submit(h)
    token = token_from_mail()
    assert services.comment_confirm(token="forged-" + token) is None
    assert services.comment_confirm(token="") is None
    later = timezone.now() + dt.timedelta(days=4)
    assert services.comment_confirm(token=token, now=later) is None
    c.refresh_from_db()
    assert c.confirmed_at is None
    assert len(mail.outbox) == 1


def test_refused_after_deadline_and_on_draft_or_closed(secretariat_user):
    h = open_hearing(days_left=1)
    later = timezone.now() + dt.timedelta(days=3)
    with pytest.raises(ValidationError, match="Fristen for merknader"):
        submit(h, now=later)
    services.hearing_close(actor=secretariat_user, hearing=h)
    with pytest.raises(ValidationError, match="ikke åpen"):
        submit(h)
    draft = services.hearing_create(
        actor=None,
        title="Utkast",
        summary="S",
        start_date=timezone.localdate(),
        municipalities=[],
        case=None,
        project=None,
        plan_municipality=municipality("3907"),
        plan_identifier="X",
    )
    with pytest.raises(ValidationError):
        submit(draft)
    assert not Comment.objects.exists()
    assert not mail.outbox


def test_honeypot_and_size_and_rate_limits():
    h = open_hearing()
    with pytest.raises(ValidationError):
        submit(h, honeypot="http://spam.example")
    with pytest.raises(ValidationError) as exc:
        submit(h, text="x" * 20_001)
    assert "text" in exc.value.message_dict
    for _ in range(services.MAX_COMMENTS_PER_ADDRESS_PER_HOUR):
        submit(h)
    with pytest.raises(ValidationError) as exc:
        submit(h, email="KARI@example.org")
    assert "email" in exc.value.message_dict
    assert Comment.objects.count() == services.MAX_COMMENTS_PER_ADDRESS_PER_HOUR


def test_hold_back_needs_reason_kept_in_history_and_process(secretariat_user):
    h = open_hearing()
    c = submit(h)
    with pytest.raises(ValidationError):
        services.comment_publish(actor=secretariat_user, comment=c)  # not confirmed yet
    services.comment_confirm(token=token_from_mail())
    c.refresh_from_db()
    with pytest.raises(ValidationError):
        services.comment_hold_back(actor=secretariat_user, comment=c, reason=" ")
    c.refresh_from_db()
    services.comment_hold_back(actor=secretariat_user, comment=c, reason="Personangrep")
    row = c.history.first()
    assert row.held_back_reason == "Personangrep"
    assert row.history_change_reason == "comment held back"
    services.comment_process(
        actor=secretariat_user, comment=c, topic="§ 3.2", response="Tatt til følge."
    )
    c.refresh_from_db()
    assert (c.topic, c.response) == ("§ 3.2", "Tatt til følge.")


def test_withdraw_before_deadline_only():
    h = open_hearing(days_left=1)
    submit(h)
    token = token_from_mail()
    services.comment_confirm(token=token)
    with pytest.raises(ValidationError):
        services.comment_withdraw(token=token, now=timezone.now() + dt.timedelta(days=3))
    assert services.comment_withdraw(token="forged") is None
    c = services.comment_withdraw(token=token)
    assert c is not None and c.state == Comment.State.WITHDRAWN


def test_a_failed_comment_leaves_no_attachment_files_behind(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    hearing = open_hearing()

    def broken_mail(comment, token):
        raise RuntimeError("mail queue down")

    monkeypatch.setattr("hearings.services.mail.confirmation", broken_mail)
    with pytest.raises(RuntimeError):
        submit(
            hearing,
            attachments=[("kart.pdf", b"%PDF-1.4 kart"), ("notat.pdf", b"%PDF-1.4 notat")],
        )
    assert not Comment.objects.exists()
    assert [p for p in (tmp_path / "media").rglob("*") if p.is_file()] == []
