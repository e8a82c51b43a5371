"""E-mail to municipality contacts: the notice that a case was referred to their council,
and a reminder a week before the deadline. Each is sent once per council decision (the
Notification row's unique key), so the sending services are safe to run again.

The mail is sent by a job on the queue (django-rq, `manage.py rqworker default`) once the
transaction that recorded the Notification commits; without a reachable Redis it is sent
in-process after the commit. A mail that cannot be sent deletes its Notification, so the
next run of `send_referral_reminders` tries again."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Callable
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from governance import selectors
from governance.models import CouncilDecision, Notification, Referral
from governance.permissions import contact_positions_on, related_identity_ids
from members.models import Municipality
from samarbeid.common import queue
from samarbeid.common.services import Actor, require_secretariat_or_system, stamp

logger = logging.getLogger(__name__)

REMINDER_DAYS = 7


def contact_emails(municipality: Municipality, on: dt.date) -> list[str]:
    """E-mail addresses of the identity's (and its predecessors'/successors') contacts."""
    ids = related_identity_ids(municipality, on)
    emails = (
        contact_positions_on(on)
        .filter(municipality_id__in=ids)
        .exclude(person__email="")
        .values_list("person__email", flat=True)
    )
    return sorted(set(emails))


def mail_text(decision: CouncilDecision, kind: str) -> tuple[str, str]:
    """Subject and body, in the site's default language (the contacts' language, not the
    language of whoever triggered the sending)."""
    case = decision.referral.case
    referral = decision.referral
    with translation.override(settings.LANGUAGE_CODE):
        deadline = date_format(referral.deadline, "DATE_FORMAT") if referral.deadline else "–"
        params = {
            "number": case.number,
            "title": case.title,
            "name": decision.municipality.name,
            "deadline": deadline,
            "referred": date_format(referral.referred_on, "DATE_FORMAT"),
        }
        if kind == Notification.Kind.REFERRED:
            subject = _("Case %(number)s referred to the council of %(name)s") % params
            body = (
                _(
                    "The board has referred case %(number)s “%(title)s” to the council of "
                    "%(name)s on %(referred)s.\nDeadline for the council's decision: "
                    "%(deadline)s."
                )
                % params
            )
        else:
            subject = _("Reminder: council decision on case %(number)s due %(deadline)s") % params
            body = (
                _(
                    "Reminder: the council of %(name)s has not yet recorded its decision on "
                    "case %(number)s “%(title)s”, referred on %(referred)s.\nThe deadline is "
                    "%(deadline)s."
                )
                % params
            )
        page = reverse("governance:municipality", args=[decision.municipality.number])
        site = getattr(settings, "SITE_URL", "").rstrip("/")
        body += "\n\n" + (
            _("Record the council's decision in Samarbeid: %(url)s") % {"url": site + page}
            if site
            else _("Record the council's decision on the municipality's page in Samarbeid.")
        )
    return subject, body


def _send_once(
    *, actor: Actor, decision: CouncilDecision, kind: str, on: dt.date, dry_run: bool
) -> str | None:
    """Send one notification unless already sent; returns a line describing it, or None."""
    if Notification.objects.filter(decision=decision, kind=kind).exists():
        return None
    recipients = contact_emails(decision.municipality, on)
    if not recipients:
        return None
    case = decision.referral.case
    subject, body = mail_text(decision, kind)
    line = f"{kind}: {case.number} → {decision.municipality.name}: {', '.join(recipients)}"
    if dry_run:
        return line
    try:
        with transaction.atomic():
            notification = Notification(
                decision=decision, kind=kind, recipients=", ".join(recipients)
            )
            notification.full_clean()
            stamp(notification, actor, gettext_noop("notification sent"))
            notification.save()
            _after_commit(partial(_enqueue, notification.pk, subject, body, recipients))
    except (IntegrityError, ValidationError):
        return None  # sent meanwhile by another run
    return line


def _after_commit(func: Callable[[], None]) -> None:
    """Run `func` once the outermost transaction commits (never if it rolls back)."""
    transaction.on_commit(func, robust=True)


def _enqueue(notification_pk: int, subject: str, body: str, recipients: list[str]) -> None:
    if not queue.enqueue(deliver, notification_pk, subject, body, recipients):
        logger.warning(
            "Redis is not reachable; sending notification %s in-process", notification_pk
        )
        # Logged by deliver; the transaction has committed, its caller must not fail now.
        with contextlib.suppress(Exception):
            deliver(notification_pk, subject, body, recipients)


def deliver(notification_pk: int, subject: str, body: str, recipients: list[str]) -> None:
    """The job: send one notification. When the mail cannot be sent its Notification is
    deleted (so the next run sends it again) and the error raised (the job failed)."""
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    except Exception:
        logger.exception("Could not send notification %s", notification_pk)
        Notification.objects.filter(pk=notification_pk).delete()
        raise


@transaction.atomic
def referral_notifications_send(
    *, actor: Actor, referral: Referral, on: dt.date | None = None, dry_run: bool = False
) -> list[str]:
    """E-mail the contacts (valid on `on`, by default the referral date) of every referred
    municipality that has not been told yet. Returns a line per notice sent."""
    require_secretariat_or_system(actor)
    sent = []
    on = on or referral.referred_on
    for decision in selectors.referral_decisions(referral):
        line = _send_once(
            actor=actor, decision=decision, kind=Notification.Kind.REFERRED, on=on, dry_run=dry_run
        )
        if line:
            sent.append(line)
    return sent


@transaction.atomic
def referral_reminders_send(*, actor: Actor, today: dt.date, dry_run: bool = False) -> list[str]:
    """Referral notices not yet sent, and reminders for councils that have not decided
    when the deadline is a week away or less. Safe to run again: nothing is sent twice."""
    require_secretariat_or_system(actor)
    sent: list[str] = []
    # Late referral notices only while they are still of use (deadline not yet passed).
    for referral in selectors.referrals_to_notify(today=today):
        sent += referral_notifications_send(
            actor=actor, referral=referral, on=today, dry_run=dry_run
        )
    for decision in selectors.decisions_due_reminder(today=today, days=REMINDER_DAYS):
        line = _send_once(
            actor=actor,
            decision=decision,
            kind=Notification.Kind.REMINDER,
            on=today,
            dry_run=dry_run,
        )
        if line:
            sent.append(line)
    return sent
