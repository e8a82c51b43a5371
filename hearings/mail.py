"""E-mails to commenters, sent through the job queue once the transaction commits (in the
test suite the queue runs the job at once)."""

from __future__ import annotations

from functools import partial

import django_rq
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from hearings.models import Comment


def send(to: str, subject: str, body: str) -> None:
    """The job: one plain-text message."""
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])


def _enqueue(to: str, subject: str, body: str) -> None:
    django_rq.get_queue("default").enqueue(send, to, subject, body)


def queue(to: str, subject: str, body: str) -> None:
    transaction.on_commit(partial(_enqueue, to, subject, body))


def link(path: str) -> str:
    return f"{getattr(settings, 'SITE_URL', '')}{path}"


def confirmation(comment: Comment, token: str) -> None:
    url = link(reverse("hearings:confirm", args=[token]))
    subject = _("Confirm your comment on “%(title)s”") % {"title": comment.hearing.title}
    body = _(
        "You (or someone using your address) sent a comment on the hearing “%(title)s”.\n\n"
        "The comment counts only when you confirm it by opening this link:\n%(url)s\n\n"
        "If you did not send it, ignore this message."
    ) % {"title": comment.hearing.title, "url": url}
    queue(comment.email, subject, body)


def receipt(comment: Comment, token: str) -> None:
    withdraw = link(reverse("hearings:withdraw", args=[token]))
    subject = _("Receipt for your comment %(reference)s") % {"reference": comment.reference}
    body = _(
        "We have received your comment on the hearing “%(title)s”.\n\n"
        "Reference: %(reference)s\n\nYour comment:\n%(text)s\n\n"
        "You can withdraw it before the deadline (%(deadline)s) here:\n%(url)s\n"
    ) % {
        "title": comment.hearing.title,
        "reference": comment.reference,
        "text": comment.text,
        "deadline": comment.hearing.deadline.isoformat(),
        "url": withdraw,
    }
    queue(comment.email, subject, body)
