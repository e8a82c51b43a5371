"""The hearings' e-mails go through the job queue once the transaction commits: never when it
rolls back, sent in-process (with a warning) when Redis is unreachable, headers kept."""

import django_rq
import pytest
from django.core import mail
from django.db import transaction
from redis.exceptions import ConnectionError as RedisConnectionError

from hearings import mail as hearing_mail
from tests.hearings.factories import open_hearing, submit

pytestmark = pytest.mark.django_db

HEADERS = {
    "List-Unsubscribe": "<https://samarbeid.example/portal/hearings/unsubscribe/t/>",
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
}


@pytest.fixture
def _mail_at_once():
    """Overrides the package's fixture: here on_commit is Django's own, captured."""


class Recorder:
    def __init__(self):
        self.jobs = []

    def enqueue(self, func, *args, **kwargs):
        self.jobs.append((func, args))


def test_a_comment_s_mail_is_queued_after_the_commit(
    monkeypatch, django_capture_on_commit_callbacks
):
    hearing = open_hearing()
    queue = Recorder()
    monkeypatch.setattr(django_rq, "get_queue", lambda name: queue)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submit(hearing)
    assert queue.jobs == [] and len(callbacks) == 1  # nothing before the commit
    callbacks[0]()
    ((func, (to, subject, _body, headers)),) = queue.jobs
    assert func is hearing_mail.send and to == "kari@example.org" and headers is None
    assert "Confirm your comment" in subject or "Bekreft" in subject
    assert mail.outbox == []  # the worker sends it


def test_nothing_is_sent_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    hearing = open_hearing()
    mail.outbox.clear()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        submit(hearing)
        raise RuntimeError("rolled back")
    assert callbacks == [] and mail.outbox == []


def test_the_queue_sends_with_the_headers_kept(django_capture_on_commit_callbacks):
    """The test settings run jobs at once (RQ ASYNC off): the job sends the message."""
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        hearing_mail.queue("per@example.org", "Ny høring", "Tekst", dict(HEADERS))
    (message,) = mail.outbox
    assert message.to == ["per@example.org"] and message.subject == "Ny høring"
    assert message.extra_headers == HEADERS
    sent = message.message()
    assert sent["List-Unsubscribe"] == HEADERS["List-Unsubscribe"]
    assert sent["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_without_redis_the_mail_is_sent_in_process(
    monkeypatch, caplog, django_capture_on_commit_callbacks
):
    class Down:
        def enqueue(self, *args, **kwargs):
            raise RedisConnectionError("refused")

    monkeypatch.setattr(django_rq, "get_queue", lambda name: Down())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        hearing_mail.queue("per@example.org", "Emne", "Tekst", dict(HEADERS))
    assert [m.to for m in mail.outbox] == [["per@example.org"]]
    assert mail.outbox[0].extra_headers == HEADERS
    assert "Redis is not reachable" in caplog.text
