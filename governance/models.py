"""Governance: the board, its meetings and cases, and the referral of cases to the councils.

The cooperation decides nothing alone. The board adopts a joint report (a `Case` with a
`decision`) and refers it (`Referral`) to the councils of chosen municipalities; each
council's answer is a `CouncilDecision`, possibly with `Condition`s ("only if Tønsberg
takes part"). Who is in follows from those answers; see governance.resolution.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members.models import Cooperation, Municipality, Organisation, Person
from projects.models import Project
from samarbeid.common.models import (
    AllRowsManager,
    NotTrashedManager,
    TrashFields,
    VersionExtras,
    trash_index,
)


class BoardSeat(models.Model):
    """A seat on the board over a period. `person` may be empty: `label` then names the seat."""

    class Role(models.TextChoices):
        MAYOR = "mayor", _("mayor")
        CITY_MANAGER = "city_manager", _("city manager")
        COUNTY_MAYOR = "county_mayor", _("county mayor")
        COUNTY_GOVERNOR = "county_governor", _("county governor")
        UNION_REPRESENTATIVE = "union_representative", _("union representative")

    MUNICIPAL_ROLES = frozenset({Role.MAYOR, Role.CITY_MANAGER})
    OBSERVER_ROLES = frozenset({Role.COUNTY_MAYOR, Role.COUNTY_GOVERNOR, Role.UNION_REPRESENTATIVE})

    cooperation = models.ForeignKey(
        Cooperation,
        on_delete=models.CASCADE,
        related_name="board_seats",
        verbose_name=_("cooperation"),
    )
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="board_seats",
        verbose_name=_("person"),
    )
    label = models.CharField(
        _("label"),
        max_length=200,
        blank=True,
        help_text=_("Names the seat when no person is recorded, e.g. “Mayor, Horten”."),
    )
    municipality = models.ForeignKey(
        Municipality,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="board_seats",
        verbose_name=_("municipality represented"),
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="board_seats",
        verbose_name=_("organisation represented"),
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    voting = models.BooleanField(
        _("voting"), default=True, help_text=_("Off for observers without a vote.")
    )
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True, help_text=_("Last day."))
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("board seat")
        verbose_name_plural = _("board seats")
        ordering = ["cooperation", "-voting", "role", "municipality__name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True)
                | Q(start__isnull=True)
                | Q(end__gte=models.F("start")),
                name="board_seat_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        who = str(self.person) if self.person_id else self.label
        return f"{who} ({self.get_role_display()})"

    def clean(self):
        if not self.person_id and not self.label.strip():
            raise ValidationError({"label": _("Name a person or give the seat a label.")})
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("A seat cannot end before it starts.")})
        if self.municipality_id and self.organisation_id:
            raise ValidationError(
                _("A seat represents either a municipality or an organisation, not both.")
            )
        if self.role in self.OBSERVER_ROLES and self.voting:
            raise ValidationError(
                {
                    "voting": _(
                        "The county mayor, the county governor and the union representative "
                        "sit on the board as observers without a vote."
                    )
                }
            )
        if self.role in self.MUNICIPAL_ROLES and not self.municipality_id:
            raise ValidationError(
                {"municipality": _("A mayor or city manager represents a member municipality.")}
            )


class Meeting(models.Model):
    cooperation = models.ForeignKey(
        Cooperation,
        on_delete=models.CASCADE,
        related_name="meetings",
        verbose_name=_("cooperation"),
    )
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    notes = models.TextField(
        _("notes"), blank=True, help_text=_("Assumptions and remarks about this record.")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("board meeting")
        verbose_name_plural = _("board meetings")
        ordering = ["-date", "pk"]

    def __str__(self) -> str:
        return f"{self.cooperation} {self.date.isoformat()}"


class Case(TrashFields, models.Model):
    """An agenda item of the board (a case), with the board's decision."""

    class Outcome(models.TextChoices):
        ADOPTED = "adopted", _("adopted")
        ADOPTED_AMENDED = "adopted_amended", _("adopted as amended")
        REJECTED = "rejected", _("rejected")
        POSTPONED = "postponed", _("postponed")
        INFORMATION = "information", _("for information")

    cooperation = models.ForeignKey(
        Cooperation, on_delete=models.CASCADE, related_name="cases", verbose_name=_("cooperation")
    )
    meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
        verbose_name=_("meeting"),
    )
    number = models.CharField(_("case number"), max_length=30, help_text=_("E.g. “12/2003”."))
    title = models.CharField(_("title"), max_length=300)
    proposal = models.TextField(_("proposal"), blank=True)
    projects = models.ManyToManyField(
        Project, blank=True, related_name="board_cases", verbose_name=_("projects")
    )
    decision_text = models.TextField(_("board decision"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    is_public = models.BooleanField(
        _("public"),
        default=True,
        help_text=_("Shown on the public portal, in the open-data API and in feeds."),
    )
    # The number and title folded (samarbeid.common.text.fold_for_search), kept by
    # governance.services: the new-hearing form's case search looks here.
    search_text = models.TextField(editable=False, blank=True, default="")
    history = HistoricalRecords(
        excluded_fields=["search_text"], m2m_fields=[projects], bases=[VersionExtras]
    )

    objects = NotTrashedManager.hiding("deleted_at")()
    all_objects = AllRowsManager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-meeting__date", "number"]
        indexes = [trash_index()]
        constraints = [
            models.UniqueConstraint(fields=["cooperation", "number"], name="case_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class CaseDocument(models.Model):
    """A file attached to a case (report, proposal, minutes extract). Served only to
    signed-in users (governance:document)."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="documents", verbose_name=_("case")
    )
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to="governance/%Y/")
    is_public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_(
            "Offered for download on the public portal. Leave off for documents with "
            "personal data or that are exempt from public access."
        ),
    )
    history = HistoricalRecords()

    objects = NotTrashedManager.hiding("case__deleted_at")()
    all_objects = AllRowsManager()

    class Meta:
        verbose_name = _("case document")
        verbose_name_plural = _("case documents")
        ordering = ["case", "title"]

    def __str__(self) -> str:
        return self.title


class Referral(models.Model):
    """A board case sent to the councils of chosen municipalities, with a deadline."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="referrals", verbose_name=_("case")
    )
    referred_on = models.DateField(_("referred on"))
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    closed_on = models.DateField(
        _("closed on"),
        null=True,
        blank=True,
        help_text=_("Once closed, councils that have not decided count as not taking part."),
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("closed by"),
    )
    established_on = models.DateField(
        _("arrangement established on"), null=True, blank=True, editable=False
    )
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords(bases=[VersionExtras])

    objects = NotTrashedManager.hiding("case__deleted_at")()
    all_objects = AllRowsManager()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-referred_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__isnull=True) | Q(deadline__gte=models.F("referred_on")),
                name="referral_deadline_after_referral",
            ),
        ]
        indexes = [
            # the dashboard and the API: open referrals, soonest deadline first
            models.Index(
                fields=["closed_on", "deadline", "referred_on"], name="referral_open_deadline"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} → {self.referred_on.isoformat()}"

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None

    def clean(self):
        if self.deadline and self.referred_on and self.deadline < self.referred_on:
            raise ValidationError({"deadline": _("The deadline cannot be before the referral.")})
        if self.closed_on and self.referred_on and self.closed_on < self.referred_on:
            raise ValidationError(
                {"closed_on": _("A referral cannot be closed before it was made.")}
            )


class CouncilDecision(models.Model):
    """One municipality council's answer to a referral (one row per referred municipality)."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("pending")
        ADOPTED = "adopted", _("adopted")
        ADOPTED_WITH_CONDITIONS = "adopted_with_conditions", _("adopted with conditions")
        REJECTED = "rejected", _("rejected")
        POSTPONED = "postponed", _("postponed")
        NOT_TREATED = "not_treated", _("not treated")

    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("referral")
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="council_decisions",
        verbose_name=_("municipality"),
    )
    outcome = models.CharField(
        _("outcome"), max_length=30, choices=Outcome.choices, default=Outcome.PENDING
    )
    date = models.DateField(_("date of decision"), null=True, blank=True)
    decision_text = models.TextField(_("decision text"), blank=True)
    council_reference = models.CharField(
        _("council's case reference or link"), max_length=300, blank=True
    )
    conditions_text = models.TextField(
        _("conditions as written"),
        blank=True,
        help_text=_(
            "The council's conditions verbatim, e.g. “ja m/forbehold om Tønsbergs deltakelse”."
        ),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    history = HistoricalRecords(bases=[VersionExtras])

    objects = NotTrashedManager.hiding("referral__case__deleted_at")()
    all_objects = AllRowsManager()

    condition_list: "list[Condition]"  # set when the selectors load it (see condition_rows)

    class Meta:
        verbose_name = _("council decision")
        verbose_name_plural = _("council decisions")
        ordering = ["referral", "municipality__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "municipality"], name="council_decision_unique"
            )
        ]
        indexes = [
            # the dashboard's undecided and overdue councils
            models.Index(fields=["outcome", "referral"], name="decision_outcome_referral"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality.name}: {self.get_outcome_display()}"

    @property
    def is_undecided(self) -> bool:
        return self.outcome in {self.Outcome.PENDING, self.Outcome.POSTPONED}

    @property
    def outcome_label(self) -> str:
        """`get_outcome_display()` in one translation look-up (Django's builds and hashes
        every choice on each call: most of a long list's time)."""
        try:
            return str(self.Outcome(self.outcome).label)
        except ValueError:
            return self.outcome

    @property
    def condition_rows(self) -> list["Condition"]:
        """Its conditions: the list the selectors loaded (`condition_list`, no query), else
        the (prefetched or read) related rows."""
        loaded = self.__dict__.get("condition_list")
        return list(self.conditions.all()) if loaded is None else loaded


class Condition(models.Model):
    """A structured condition attached to a conditional adoption."""

    class Kind(models.TextChoices):
        REQUIRES = "requires", _("only if this municipality takes part")
        REQUIRES_ALL = "requires_all", _("only if all of these take part")
        AT_LEAST = "at_least", _("only if at least N municipalities take part")

    decision = models.ForeignKey(
        CouncilDecision,
        on_delete=models.CASCADE,
        related_name="conditions",
        verbose_name=_("council decision"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    municipalities = models.ManyToManyField(
        Municipality, blank=True, related_name="+", verbose_name=_("municipalities")
    )
    minimum = models.PositiveSmallIntegerField(_("minimum"), null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[municipalities])

    objects = NotTrashedManager.hiding("decision__referral__case__deleted_at")()
    all_objects = AllRowsManager()

    class Meta:
        verbose_name = _("condition")
        verbose_name_plural = _("conditions")
        ordering = ["decision", "pk"]

    def __str__(self) -> str:
        return self.describe()

    @property
    def municipality_rows(self) -> list[Municipality]:
        """Its municipalities: the list the selectors loaded (`municipality_list`, no
        query), else the (prefetched or read) related rows."""
        loaded = self.__dict__.get("municipality_list")
        return list(self.municipalities.all()) if loaded is None else loaded

    def describe(self) -> str:
        """The condition in words (municipalities should be loaded or prefetched)."""
        names = ", ".join(sorted(m.name for m in self.municipality_rows))
        if self.kind == self.Kind.AT_LEAST:
            return gettext("only if at least %(n)s municipalities take part") % {"n": self.minimum}
        if self.kind == self.Kind.REQUIRES:
            return gettext("only if %(name)s takes part") % {"name": names}
        return gettext("only if all of %(names)s take part") % {"names": names}


class Notification(models.Model):
    """An e-mail sent about one council decision; the unique key makes sending idempotent."""

    class Kind(models.TextChoices):
        REFERRED = "referred", _("case referred")
        REMINDER = "reminder", _("deadline reminder")

    decision = models.ForeignKey(
        CouncilDecision, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    recipients = models.TextField(_("recipients"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "kind"], name="notification_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.decision}"
