"""Every change to hearings, comments and followers (docs/architecture.md, the service
convention). Commenters are anonymous: their services take no actor and are guarded by
the hearing's state and deadline, a honeypot, size and rate limits and a hashed token."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from governance.models import Case
from hearings import mail
from hearings.limits import count_this_hour
from hearings.models import (
    MAX_COMMENT_CHARS,
    SIX_WEEKS,
    Comment,
    CommentAttachment,
    Follower,
    Hearing,
    HearingDocument,
)
from hearings.permissions import hearing_municipality_ids, require_can_moderate, require_can_run
from members import selectors as member_selectors
from members.models import Municipality
from projects.models import Project
from samarbeid.common.models import AuditEvent
from samarbeid.common.services import Actor, apply_changes, stamp
from samarbeid.common.uploads import UploadRefused, check_document, generated_name, human_size

CONFIRM_WITHIN = dt.timedelta(days=3)
MAX_COMMENTS_PER_ADDRESS_PER_HOUR = 5
MAX_FOLLOW_REQUESTS_PER_ADDRESS_PER_HOUR = 5
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 5


def attachment_max_bytes() -> int:
    """The size limit of one comment attachment (setting HEARINGS_ATTACHMENT_MAX_BYTES)."""
    return int(getattr(settings, "HEARINGS_ATTACHMENT_MAX_BYTES", ATTACHMENT_MAX_BYTES))


def max_attachments() -> int:
    return int(getattr(settings, "HEARINGS_MAX_ATTACHMENTS", MAX_ATTACHMENTS))


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
    """A hearing shorter than six weeks (the Planning and Building Act's period for plans):
    the desk warns, it does not refuse."""
    return hearing.deadline - hearing.start_date < SIX_WEEKS


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
    """Open for comments; the followers of the municipalities concerned are told."""
    _move(
        hearing,
        actor,
        frm=Hearing.State.DRAFT,
        to=Hearing.State.OPEN,
        reason=gettext_noop("hearing opened"),
    )
    mail.hearing_news(hearing, followers_of(hearing), opened=True)
    return hearing


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
def hearing_mark_processed(
    *, actor: Actor, hearing: Hearing, now: dt.datetime | None = None
) -> Hearing:
    """The outcome is published: the comments' responses are final and shown on the public
    page; the followers are told. The purge period counts from now."""
    hearing.processed_at = now or timezone.now()
    _move(
        hearing,
        actor,
        frm=Hearing.State.CLOSED,
        to=Hearing.State.PROCESSED,
        reason=gettext_noop("hearing processed"),
    )
    mail.hearing_news(hearing, followers_of(hearing), opened=False)
    return hearing


def followers_of(hearing: Hearing) -> list[Follower]:
    """Confirmed followers of a municipality the hearing concerns (or of a successor of one,
    through the identities' predecessors), one per address."""
    concerned = hearing_municipality_ids(hearing)
    followers = Follower.objects.filter(confirmed_at__isnull=False).select_related("municipality")
    wanted: dict[int, bool] = {}
    chosen: dict[str, Follower] = {}
    for follower in followers.order_by("pk"):
        mid = follower.municipality_id
        if mid not in wanted:
            wanted[mid] = bool(
                concerned & set(member_selectors.identities_of([follower.municipality]))
            )
        if wanted[mid]:
            chosen.setdefault(follower.email.lower(), follower)
    return list(chosen.values())


@transaction.atomic
def hearing_document_add(
    *, actor: Actor, hearing: Hearing, title: str, name: str, data: bytes
) -> HearingDocument:
    """A document checked by content (samarbeid.common.uploads), stored under a generated
    name."""
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


def _check_attachments(attachments: Sequence[tuple[str, bytes]]) -> list[tuple[str, str, bytes]]:
    """(name as sent, kind, data) of each file, or a ValidationError on `attachments` saying
    which file is refused and why (size, type by content, too many)."""
    if len(attachments) > max_attachments():
        raise ValidationError(
            {"attachments": _("Attach at most %(limit)s files.") % {"limit": max_attachments()}}
        )
    limit = attachment_max_bytes()
    checked = []
    for name, data in attachments:
        shown = (name or _("the file"))[-200:]
        if len(data) > limit:
            raise ValidationError(
                {
                    "attachments": _("%(file)s is %(size)s; the limit is %(limit)s.")
                    % {"file": shown, "size": human_size(len(data)), "limit": human_size(limit)}
                }
            )
        try:
            kind = check_document(data, shown)
        except UploadRefused as exc:
            raise ValidationError({"attachments": str(exc)}) from exc
        checked.append((shown, kind, data))
    return checked


def _refuse_address_over_limit(email: str, now: dt.datetime) -> None:
    recent = Comment.objects.filter(
        email__iexact=email, submitted_at__gte=now - dt.timedelta(hours=1)
    ).count()
    if recent >= MAX_COMMENTS_PER_ADDRESS_PER_HOUR:
        raise ValidationError(
            {"email": _("Too many comments from this address in the last hour; try again later.")}
        )


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
    attachments: Sequence[tuple[str, bytes]] = (),
    now: dt.datetime | None = None,
) -> Comment:
    """A comment waiting for its e-mail address to be confirmed; sends the link.
    `attachments` are (name as sent, content) pairs, checked by content and size."""
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
    if not name.strip() or not email.strip():
        raise ValidationError(_("Give your name and e-mail address."))
    _refuse_address_over_limit(email.strip(), now)
    files = _check_attachments(attachments)
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
    written: list[str] = []
    try:
        for shown, kind, data in files:
            attachment = CommentAttachment(comment=comment, title=shown, size=len(data))
            attachment.file.save(generated_name(kind), ContentFile(data), save=False)
            written.append(str(attachment.file.name))
            stamp(attachment, None, gettext_noop("attachment received"))
            attachment.save()
        mail.confirmation(comment, token)
    except BaseException:
        _delete_written(written)
        raise
    return comment


def _delete_written(names: Sequence[str]) -> None:
    """The comment's transaction rolls back: its rows go, so the files written for it go too."""
    storage = CommentAttachment._meta.get_field("file").storage
    for name in names:
        storage.delete(name)


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


# ------------------------------------------------------------------ followers


def _refuse_follow_over_limit(email: str) -> None:
    """Confirmation mails to one address: a few an hour (counted in the cache, hashed)."""
    if count_this_hour("follow", email.lower()) > MAX_FOLLOW_REQUESTS_PER_ADDRESS_PER_HOUR:
        raise ValidationError(
            {"email": _("Too many requests for this address in the last hour; try again later.")}
        )


@transaction.atomic
def follower_subscribe(
    *,
    municipality: Municipality,
    email: str,
    honeypot: str = "",
    now: dt.datetime | None = None,
) -> Follower | None:
    """Ask to follow a municipality's hearings: mails a confirmation link. An address that
    already follows gets nothing new (the page says the same either way, so it tells no one
    who follows)."""
    now = now or timezone.now()
    email = email.strip()
    if honeypot:
        raise ValidationError(_("The request could not be accepted."))
    if not email:
        raise ValidationError({"email": _("Give your e-mail address.")})
    _refuse_follow_over_limit(email)
    follower = (
        Follower.objects.select_for_update()
        .filter(municipality=municipality, email__iexact=email)
        .first()
    )
    if follower is not None and follower.confirmed_at is not None:
        return None
    token = secrets.token_urlsafe(32)
    if follower is None:
        follower = Follower(
            municipality=municipality, email=email, unsubscribe_token=secrets.token_urlsafe(32)
        )
    follower.token_hash = hash_token(token)
    follower.requested_at = now
    follower.full_clean()
    stamp(follower, None, gettext_noop("follower asked to follow"))
    follower.save()
    mail.follow_confirmation(follower, token)
    return follower


@transaction.atomic
def follower_confirm(*, token: str, now: dt.datetime | None = None) -> Follower | None:
    """The mailed link was opened: the address follows. A forged or expired token changes
    nothing (None)."""
    now = now or timezone.now()
    if not token or len(token) > 100:
        return None
    follower = (
        Follower.objects.select_for_update()
        .select_related("municipality")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if follower is None or follower.requested_at is None:
        return None
    if follower.confirmed_at is not None:
        return follower
    if now - follower.requested_at > CONFIRM_WITHIN:
        return None
    follower.confirmed_at = now
    stamp(follower, None, gettext_noop("follower confirmed"))
    follower.save(update_fields=["confirmed_at"])
    return follower


def follower_by_unsubscribe_token(token: str) -> Follower | None:
    if not token or len(token) > 100:
        return None
    return Follower.objects.select_related("municipality").filter(unsubscribe_token=token).first()


@transaction.atomic
def follower_unsubscribe(*, token: str) -> Municipality | None:
    """One click from any mail: the address is deleted (nothing kept). A forged token
    changes nothing (None)."""
    follower = follower_by_unsubscribe_token(token)
    if follower is None:
        return None
    municipality = follower.municipality
    stamp(follower, None, gettext_noop("follower unsubscribed"))
    follower.delete()
    return municipality


# ------------------------------------------------------------------ the purge

PURGE_AFTER_DAYS = 365
REMOVED = "[…]"


def purge_after() -> dt.timedelta:
    """How long after processing a hearing keeps its commenters' personal data (setting
    HEARINGS_PURGE_AFTER_DAYS)."""
    return dt.timedelta(days=int(getattr(settings, "HEARINGS_PURGE_AFTER_DAYS", PURGE_AFTER_DAYS)))


def _scrub(text: str, comment: Comment) -> str:
    """The text with the commenter's name and address taken out where they appear."""
    for value in {comment.name.strip(), comment.email.strip()} - {""}:
        text = text.replace(value, REMOVED)
    return text


def _scrub_history(comment: Comment) -> None:
    """The comment's earlier history rows lose the personal data too."""
    for row in comment.history.all():
        row.text = _scrub(row.text, comment)
        row.name = ""
        row.email = ""
        row.save(update_fields=["text", "name", "email"])


@transaction.atomic
def hearing_purge_personal_data(
    *, actor: Actor, hearing: Hearing, now: dt.datetime | None = None
) -> dict[str, int]:
    """Remove the commenters' personal data from a processed hearing: names and e-mail
    addresses (also in history, and where they appear in the text), the attachments (files
    deleted), the links' tokens; comments never confirmed are deleted. The text, the
    organisation, the topic and the officer's response stay. Logged as an AuditEvent."""
    require_can_moderate(actor, hearing)
    now = now or timezone.now()
    if hearing.state != Hearing.State.PROCESSED:
        raise ValidationError(_("Only a processed hearing's personal data can be purged."))
    counts = {"comments": 0, "unconfirmed": 0, "attachments": 0}
    for attachment in CommentAttachment.objects.filter(comment__hearing=hearing):
        attachment.file.delete(save=False)
        stamp(attachment, actor, gettext_noop("personal data purged"))
        attachment.delete()
        counts["attachments"] += 1
    unconfirmed = hearing.comments.filter(confirmed_at__isnull=True)
    counts["unconfirmed"] = unconfirmed.count()
    for comment in unconfirmed:
        comment.history.all().delete()
        comment.delete()
    for comment in hearing.comments.filter(purged_at__isnull=True):
        _scrub_history(comment)
        comment.text = _scrub(comment.text, comment)
        comment.name = ""
        comment.email = ""
        comment.token_hash = ""
        comment.purged_at = now
        stamp(comment, actor, gettext_noop("personal data purged"))
        comment.save()
        counts["comments"] += 1
    hearing.purged_at = now
    stamp(hearing, actor, gettext_noop("personal data of the comments purged"))
    hearing.save(update_fields=["purged_at"])
    user: Any = actor if getattr(actor, "is_authenticated", False) else None
    AuditEvent.objects.create(
        actor=user,
        actor_name=user.get_username() if user else "",
        action=AuditEvent.Action.PURGED,
        object_type=hearing._meta.label_lower,
        object_pk=str(hearing.pk),
        object_repr=str(hearing)[:300],
        detail={"personal_data_of_comments": counts, "processed_at": _iso(hearing.processed_at)},
    )
    return counts


def _iso(value: dt.datetime | None) -> str:
    return value.isoformat() if value else ""
