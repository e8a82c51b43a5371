"""Referral notices go through the job queue once the transaction that recorded the
Notification commits: never when it rolls back, in-process (with a warning) without Redis,
and a mail that cannot be sent is forgotten so the next run sends it again."""

import datetime as dt

import django_rq
import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from redis.exceptions import ConnectionError as RedisConnectionError

from governance import notifications, services
from governance.models import Notification

from .factories import CaseFactory, contact_user, cooperation_with_members

pytestmark = pytest.mark.django_db


@pytest.fixture
def _notifications_at_once():
    """Overrides the package's fixture: here on_commit is Django's own, captured."""


@pytest.fixture
def referral(secretariat_user, django_user_model):
    """A referral to Horten whose notice has not been sent (its on_commit not run)."""
    from .factories import municipality

    today = timezone.localdate()
    horten = municipality("Horten", today)
    case = CaseFactory(cooperation=cooperation_with_members({"Horten": horten}))
    contact_user(django_user_model, "horten", horten, email="post@horten.example")
    return services.referral_create(
        actor=secretariat_user,
        case=case,
        referred_on=today,
        deadline=today + dt.timedelta(days=30),
    )


class Recorder:
    def __init__(self):
        self.jobs = []

    def enqueue(self, func, *args, **kwargs):
        self.jobs.append((func, args))


def send(referral, user):
    return notifications.referral_notifications_send(actor=user, referral=referral)


def test_the_notice_is_queued_after_the_commit(
    referral, secretariat_user, monkeypatch, django_capture_on_commit_callbacks
):
    queue = Recorder()
    monkeypatch.setattr(django_rq, "get_queue", lambda name: queue)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert len(send(referral, secretariat_user)) == 1
    assert queue.jobs == [] and len(callbacks) == 1
    callbacks[0]()
    ((func, (pk, subject, _body, recipients)),) = queue.jobs
    assert func is notifications.deliver and recipients == ["post@horten.example"]
    assert pk == Notification.objects.get().pk and "Horten" in subject
    assert mail.outbox == []  # the worker sends it


def test_the_queue_sends_the_notice(referral, secretariat_user, django_capture_on_commit_callbacks):
    """The test settings run jobs at once (RQ ASYNC off)."""
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        send(referral, secretariat_user)
    assert [m.to for m in mail.outbox] == [["post@horten.example"]]


def test_nothing_is_sent_when_the_transaction_rolls_back(
    referral, secretariat_user, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        send(referral, secretariat_user)
        raise RuntimeError("rolled back")
    assert callbacks == [] and mail.outbox == []
    assert not Notification.objects.exists()


def test_without_redis_the_notice_is_sent_in_process(
    referral, secretariat_user, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    class Down:
        def enqueue(self, *args, **kwargs):
            raise RedisConnectionError("refused")

    monkeypatch.setattr(django_rq, "get_queue", lambda name: Down())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        send(referral, secretariat_user)
    assert [m.to for m in mail.outbox] == [["post@horten.example"]]
    assert "Redis is not reachable" in caplog.text


def test_a_mail_that_fails_is_sent_again_by_the_next_run(
    referral, secretariat_user, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise OSError("the mail server is down")

    monkeypatch.setattr(notifications, "send_mail", broken)
    with django_capture_on_commit_callbacks(execute=True):
        assert len(send(referral, secretariat_user)) == 1
    assert not Notification.objects.exists()  # forgotten: not sent
    monkeypatch.undo()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert len(send(referral, secretariat_user)) == 1
    assert [m.to for m in mail.outbox] == [["post@horten.example"]]
    assert Notification.objects.count() == 1
