"""Public hearings: a plan or a case put out for comment, the comments citizens send, and
the people who follow a municipality's hearings. See docs/hearings.md."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from governance.models import Case
from members.models import Municipality
from projects.models import Project
from samarbeid.common.uploads import upload_to_generated

SIX_WEEKS = dt.timedelta(weeks=6)
MAX_COMMENT_CHARS = 20_000


class Hearing(models.Model):
    """A plan, a case or a project out for public comment."""

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")
        PROCESSED = "processed", _("processed")

    case = models.ForeignKey(
        Case,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hearings",
        verbose_name=_("case"),
    )
    project = models.ForeignKey(
        Project,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hearings",
        verbose_name=_("project"),
    )
    plan_municipality = models.ForeignKey(
        Municipality,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plan_hearings",
        verbose_name=_("plan of municipality"),
    )
    plan_identifier = models.CharField(_("plan identifier"), max_length=40, blank=True)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary in plain language"), max_length=10_000)
    map_url = models.URLField(_("map link"), blank=True)
    location = models.CharField(_("location"), max_length=300, blank=True)
    municipalities = models.ManyToManyField(
        Municipality,
        blank=True,
        related_name="hearings",
        verbose_name=_("municipalities concerned"),
    )
    start_date = models.DateField(_("start date"))
    deadline = models.DateField(_("deadline"))
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT)
    processed_at = models.DateTimeField(_("processed"), null=True, blank=True)
    purged_at = models.DateTimeField(_("personal data purged"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        owners = [self.case_id, self.project_id, self.plan_municipality_id]
        if sum(1 for o in owners if o is not None) != 1:
            raise ValidationError(
                _("A hearing belongs to exactly one case, one project or one municipality’s plan.")
            )
        if self.plan_municipality_id and not self.plan_identifier.strip():
            raise ValidationError(
                {"plan_identifier": _("A municipality’s plan needs its plan identifier.")}
            )
        if self.start_date and self.deadline and self.deadline <= self.start_date:
            raise ValidationError({"deadline": _("The deadline must come after the start date.")})

    @property
    def is_plan(self) -> bool:
        return self.plan_municipality_id is not None

    def accepts_comments(self, today: dt.date) -> bool:
        return self.state == self.State.OPEN and self.start_date <= today <= self.deadline


class HearingDocument(models.Model):
    hearing = models.ForeignKey(
        Hearing, on_delete=models.CASCADE, related_name="documents", verbose_name=_("hearing")
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=upload_to_generated, max_length=200)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("hearing document")
        verbose_name_plural = _("hearing documents")

    def __str__(self) -> str:
        return self.title


class Comment(models.Model):
    """A comment on a hearing. The e-mail address is never shown; the name only when the
    commenter chose so."""

    class State(models.TextChoices):
        RECEIVED = "received", _("received")
        PUBLISHED = "published", _("published")
        HELD_BACK = "held_back", _("held back")
        WITHDRAWN = "withdrawn", _("withdrawn")

    hearing = models.ForeignKey(
        Hearing, on_delete=models.CASCADE, related_name="comments", verbose_name=_("hearing")
    )
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    text = models.TextField(_("comment"), max_length=MAX_COMMENT_CHARS)
    name = models.CharField(_("name"), max_length=200, blank=True)
    organisation = models.CharField(_("on behalf of organisation"), max_length=200, blank=True)
    # Blank only after the purge (services.comment_submit requires it).
    email = models.EmailField(_("e-mail address"), blank=True)
    show_name = models.BooleanField(_("show my name"), default=True)
    submitted_at = models.DateTimeField(_("submitted"))
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    token_hash = models.CharField(max_length=64, db_index=True, editable=False)
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.RECEIVED
    )
    purged_at = models.DateTimeField(_("personal data purged"), null=True, blank=True)
    held_back_reason = models.TextField(_("reason for holding back"), blank=True, max_length=2000)
    topic = models.CharField(_("plan section or topic"), max_length=200, blank=True)
    response = models.TextField(_("response"), blank=True, max_length=10_000)
    history = HistoricalRecords(excluded_fields=["token_hash"])

    class Meta:
        ordering = ["submitted_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return self.reference

    def clean(self) -> None:
        if self.state == self.State.HELD_BACK and not self.held_back_reason.strip():
            raise ValidationError({"held_back_reason": _("Say why the comment is held back.")})

    @property
    def public_name(self) -> str:
        """What a public page may say about who wrote it."""
        if not self.show_name:
            return str(_("Name withheld from the public"))
        if self.purged_at is not None:
            return str(self.organisation or _("Name removed"))
        return f"{self.name} ({self.organisation})" if self.organisation else self.name


class CommentAttachment(models.Model):
    """A file sent with a comment: checked by content, stored under a generated name, served
    by `hearings:attachment` (public once the comment is published, else to the officer)."""

    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("comment")
    )
    title = models.CharField(_("file name as sent"), max_length=200)
    file = models.FileField(_("file"), upload_to=upload_to_generated, max_length=200)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("comment attachment")
        verbose_name_plural = _("comment attachments")

    def __str__(self) -> str:
        return self.title


class Follower(models.Model):
    """Someone who wants to hear when a municipality's hearings open and when their outcome
    is published. Counts only once the address is confirmed by the mailed link."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="hearing_followers",
        verbose_name=_("municipality"),
    )
    email = models.EmailField(_("e-mail address"))
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribe_token = models.CharField(max_length=64, unique=True, editable=False)
    token_hash = models.CharField(max_length=64, db_index=True, editable=False, default="")
    requested_at = models.DateTimeField(_("asked to follow"), null=True, blank=True)
    # The address is not kept in history: unsubscribing deletes it for good.
    history = HistoricalRecords(excluded_fields=["email", "unsubscribe_token", "token_hash"])

    class Meta:
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "email"], name="hearings_follower_unique_address"
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality} · {self.pk}"
