"""E-mails to commenters and followers, sent through the job queue (django-rq, `manage.py
rqworker default`) once the transaction commits, never when it rolls back; without a
reachable Redis they are sent in-process after the commit (in the test suite the queue runs
the job at once). Every mail to a follower carries a one-click unsubscribe link, in the text
and as List-Unsubscribe (RFC 2369/8058)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from hearings.models import Comment, Follower, Hearing
from samarbeid.common import queue as background

log = logging.getLogger(__name__)


def send(to: str, subject: str, body: str, headers: dict[str, str] | None = None) -> None:
    """The job: one plain-text message."""
    EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [to], headers=headers).send()


def _enqueue(to: str, subject: str, body: str, headers: dict[str, str] | None) -> None:
    if not background.enqueue(send, to, subject, body, headers):
        # the queue is down: the change is committed, send now
        log.warning("hearings: Redis is not reachable, sending the mail in-process")
        send(to, subject, body, headers)


def queue(to: str, subject: str, body: str, headers: dict[str, str] | None = None) -> None:
    """Send once the transaction commits. `robust`: a mail that cannot be sent is logged
    and does not turn the committed request into an error."""
    transaction.on_commit(partial(_enqueue, to, subject, body, headers), robust=True)


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
    names = [a.title for a in comment.attachments.all()]
    if names:
        body += "\n" + _("Attachments: %(names)s") % {"names": ", ".join(names)} + "\n"
    queue(comment.email, subject, body)


def follow_confirmation(follower: Follower, token: str) -> None:
    url = link(reverse("hearings:follow_confirm", args=[token]))
    subject = _("Confirm that you follow the hearings of %(municipality)s") % {
        "municipality": follower.municipality.name
    }
    body = _(
        "You (or someone using your address) asked to be told when a hearing concerning "
        "%(municipality)s opens and when its outcome is published.\n\n"
        "Nothing is sent until you confirm by opening this link:\n%(url)s\n\n"
        "If you did not ask, ignore this message."
    ) % {"municipality": follower.municipality.name, "url": url}
    queue(follower.email, subject, body)


def unsubscribe_headers(url: str) -> dict[str, str]:
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def hearing_news(hearing: Hearing, followers: Iterable[Follower], *, opened: bool) -> None:
    """One mail per follower: the hearing opened, or its outcome is published."""
    page = link(reverse("hearings:detail", args=[hearing.pk]))
    for follower in followers:
        stop = link(reverse("hearings:unsubscribe", args=[follower.unsubscribe_token]))
        values = {
            "title": hearing.title,
            "municipality": follower.municipality.name,
            "deadline": hearing.deadline.strftime("%d.%m.%Y"),
            "url": page,
            "stop": stop,
        }
        if opened:
            subject = _("New hearing: %(title)s") % values
            body = (
                _(
                    "A hearing concerning %(municipality)s is open for comments until "
                    "%(deadline)s:\n\n%(title)s\n%(url)s\n"
                )
                % values
            )
        else:
            subject = _("Outcome of the hearing: %(title)s") % values
            body = (
                _(
                    "The comments on the hearing “%(title)s” have been processed; the responses "
                    "are published on the hearing's page:\n%(url)s\n"
                )
                % values
            )
        body += (
            "\n"
            + _(
                "You get this because you follow the hearings of %(municipality)s. Stop with one "
                "click:\n%(stop)s\n"
            )
            % values
        )
        queue(follower.email, subject, body, unsubscribe_headers(stop))
