"""Every change to hearings, comments and followers (docs/architecture.md, the service
convention). Commenters are anonymous: their services take no actor and are guarded by
the hearing's state and deadline, a honeypot, size and rate limits and a hashed token."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from governance.models import Case
from hearings import mail
from hearings.models import MAX_COMMENT_CHARS, SIX_WEEKS, Comment, Hearing, HearingDocument
from hearings.permissions import require_can_moderate, require_can_run
from members.models import Municipality
from projects.models import Project
from samarbeid.common.services import Actor, apply_changes, stamp
from samarbeid.common.uploads import UploadRefused, check_document, generated_name

CONFIRM_WITHIN = dt.timedelta(days=3)
MAX_COMMENTS_PER_ADDRESS_PER_HOUR = 5
EDITABLE = (
    "title",
    "summary",
    "map_url",
    "location",
    "start_date",
    "deadline",
    "plan_identifier",
)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def default_deadline(start: dt.date) -> dt.date:
    """Six weeks, as the Planning and Building Act sets for plans."""
    return start + SIX_WEEKS


def short_deadline(hearing: Hearing) -> bool:
    """A plan hearing shorter than six weeks: the form warns."""
    return hearing.is_plan and hearing.deadline - hearing.start_date < SIX_WEEKS


@transaction.atomic
def hearing_create(
    *,
    actor: Actor,
    title: str,
    summary: str,
    start_date: dt.date,
    municipalities: Iterable[Municipality],
    deadline: dt.date | None = None,
    case: Case | None = None,
    project: Project | None = None,
    plan_municipality: Municipality | None = None,
    plan_identifier: str = "",
    map_url: str = "",
    location: str = "",
) -> Hearing:
    """A new hearing in draft."""
    concerned = list(municipalities)
    require_can_run(actor, [*concerned, *([plan_municipality] if plan_municipality else [])])
    hearing = Hearing(
        title=title,
        summary=summary,
        start_date=start_date,
        deadline=deadline or default_deadline(start_date),
        case=case,
        project=project,
        plan_municipality=plan_municipality,
        plan_identifier=plan_identifier,
        map_url=map_url,
        location=location,
    )
    hearing.full_clean()
    stamp(hearing, actor, gettext_noop("hearing created"))
    hearing.save()
    hearing.municipalities.set(concerned)
    return hearing


@transaction.atomic
def hearing_update(
    *,
    actor: Actor,
    hearing: Hearing,
    municipalities: Iterable[Municipality] | None = None,
    **changes: Any,
) -> Hearing:
    require_can_moderate(actor, hearing)
    apply_changes(hearing, changes, EDITABLE)
    hearing.full_clean()
    stamp(hearing, actor, gettext_noop("hearing updated"))
    hearing.save()
    if municipalities is not None:
        hearing.municipalities.set(list(municipalities))
    return hearing


def _move(hearing: Hearing, actor: Actor, *, frm: str, to: str, reason: str) -> Hearing:
    require_can_moderate(actor, hearing)
    if hearing.state != frm:
        raise ValidationError(
            _("The hearing is %(state)s; this step needs it %(needed)s.")
            % {"state": hearing.get_state_display(), "needed": Hearing.State(frm).label}
        )
    hearing.state = to
    hearing.full_clean()
    stamp(hearing, actor, reason)
    hearing.save()
    return hearing


@transaction.atomic
def hearing_open(*, actor: Actor, hearing: Hearing) -> Hearing:
    return _move(
        hearing,
        actor,
        frm=Hearing.State.DRAFT,
        to=Hearing.State.OPEN,
        reason=gettext_noop("hearing opened"),
    )


@transaction.atomic
def hearing_close(*, actor: Actor, hearing: Hearing) -> Hearing:
    return _move(
        hearing,
        actor,
        frm=Hearing.State.OPEN,
        to=Hearing.State.CLOSED,
        reason=gettext_noop("hearing closed"),
    )


@transaction.atomic
def hearing_mark_processed(*, actor: Actor, hearing: Hearing) -> Hearing:
    return _move(
        hearing,
        actor,
        frm=Hearing.State.CLOSED,
        to=Hearing.State.PROCESSED,
        reason=gettext_noop("hearing processed"),
    )


@transaction.atomic
def hearing_document_add(
    *, actor: Actor, hearing: Hearing, title: str, name: str, data: bytes
) -> HearingDocument:
    """A document checked by content (samarbeid.common.uploads), stored under a generated
    name."""
    from django.core.files.base import ContentFile

    require_can_moderate(actor, hearing)
    try:
        kind = check_document(data, name)
    except UploadRefused as exc:
        raise ValidationError({"file": str(exc)}) from exc
    doc = HearingDocument(hearing=hearing, title=title or name)
    doc.file.save(generated_name(kind), ContentFile(data), save=False)
    doc.full_clean()
    stamp(doc, actor, gettext_noop("hearing document added"))
    doc.save()
    return doc


# ------------------------------------------------------------------ commenters


def _refuse_closed(hearing: Hearing, today: dt.date) -> None:
    if hearing.state != Hearing.State.OPEN or today < hearing.start_date:
        raise ValidationError(_("This hearing is not open for comments."))
    if today > hearing.deadline:
        raise ValidationError(
            _(
                "The deadline for comments on this hearing was %(day)s; comments are no "
                "longer accepted."
            )
            % {"day": hearing.deadline.strftime("%d.%m.%Y")}
        )


def _new_reference() -> str:
    return "H-" + secrets.token_hex(4).upper()


@transaction.atomic
def comment_submit(
    *,
    hearing: Hearing,
    text: str,
    name: str,
    email: str,
    organisation: str = "",
    show_name: bool = True,
    honeypot: str = "",
    now: dt.datetime | None = None,
) -> Comment:
    """A comment waiting for its e-mail address to be confirmed; sends the link."""
    now = now or timezone.now()
    if honeypot:
        raise ValidationError(_("The comment could not be accepted."))
    _refuse_closed(hearing, timezone.localdate(now))
    if len(text) > MAX_COMMENT_CHARS:
        raise ValidationError(
            {
                "text": _("The comment is longer than %(limit)s characters.")
                % {"limit": MAX_COMMENT_CHARS}
            }
        )
    recent = Comment.objects.filter(
        email__iexact=email.strip(), submitted_at__gte=now - dt.timedelta(hours=1)
    ).count()
    if recent >= MAX_COMMENTS_PER_ADDRESS_PER_HOUR:
        raise ValidationError(
            {"email": _("Too many comments from this address in the last hour; try again later.")}
        )
    token = secrets.token_urlsafe(32)
    comment = Comment(
        hearing=hearing,
        reference=_new_reference(),
        text=text.strip(),
        name=name.strip(),
        organisation=organisation.strip(),
        email=email.strip(),
        show_name=show_name,
        submitted_at=now,
        token_hash=hash_token(token),
    )
    comment.full_clean()
    stamp(comment, None, gettext_noop("comment received"))
    comment.save()
    mail.confirmation(comment, token)
    return comment


def _by_token(token: str) -> Comment | None:
    if not token or len(token) > 100:
        return None
    return (
        Comment.objects.select_related("hearing")
        .select_for_update()
        .filter(token_hash=hash_token(token))
        .first()
    )


@transaction.atomic
def comment_confirm(*, token: str, now: dt.datetime | None = None) -> Comment | None:
    """The commenter opened the mailed link: the comment counts. A forged or expired token,
    or one for a closed hearing, changes nothing (None)."""
    now = now or timezone.now()
    comment = _by_token(token)
    if comment is None or comment.state != Comment.State.RECEIVED:
        return None
    if comment.confirmed_at is not None:
        return comment
    if now - comment.submitted_at > CONFIRM_WITHIN:
        return None
    comment.confirmed_at = now
    stamp(comment, None, gettext_noop("comment confirmed"))
    comment.save(update_fields=["confirmed_at"])
    mail.receipt(comment, token)
    return comment


@transaction.atomic
def comment_withdraw(*, token: str, now: dt.datetime | None = None) -> Comment | None:
    """The commenter withdraws the comment (link in the receipt) before the deadline."""
    now = now or timezone.now()
    comment = _by_token(token)
    if comment is None or comment.state == Comment.State.WITHDRAWN:
        return None
    if timezone.localdate(now) > comment.hearing.deadline:
        raise ValidationError(_("The deadline has passed; the comment can no longer be withdrawn."))
    comment.state = Comment.State.WITHDRAWN
    stamp(comment, None, gettext_noop("comment withdrawn"))
    comment.save(update_fields=["state"])
    return comment


# ------------------------------------------------------------------ the officer


def _require_confirmed(comment: Comment) -> None:
    if comment.confirmed_at is None or comment.state == Comment.State.WITHDRAWN:
        raise ValidationError(
            _("Comment %(reference)s is not confirmed or was withdrawn.")
            % {"reference": comment.reference}
        )


@transaction.atomic
def comment_publish(*, actor: Actor, comment: Comment) -> Comment:
    require_can_moderate(actor, comment.hearing)
    _require_confirmed(comment)
    comment.state = Comment.State.PUBLISHED
    comment.held_back_reason = ""
    comment.full_clean()
    stamp(comment, actor, gettext_noop("comment published"))
    comment.save()
    return comment


@transaction.atomic
def comment_hold_back(*, actor: Actor, comment: Comment, reason: str) -> Comment:
    require_can_moderate(actor, comment.hearing)
    _require_confirmed(comment)
    comment.state = Comment.State.HELD_BACK
    comment.held_back_reason = reason.strip()
    comment.full_clean()
    stamp(comment, actor, gettext_noop("comment held back"))
    comment.save()
    return comment


@transaction.atomic
def comment_process(*, actor: Actor, comment: Comment, topic: str, response: str) -> Comment:
    """Tag the comment with the plan section or topic it concerns and answer it."""
    require_can_moderate(actor, comment.hearing)
    _require_confirmed(comment)
    comment.topic = topic.strip()
    comment.response = response.strip()
    comment.full_clean()
    stamp(comment, actor, gettext_noop("comment processed"))
    comment.save()
    return comment
