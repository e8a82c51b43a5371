"""The project portfolio: joint projects from idea to operation.

Periods have a precision: "1999" is stored as start 1999-01-01 / end 1999-12-31 with
precision "year"; "2001 –" as start 2001-01-01 with no end and `open_ended` set.
Verbatim source text (cells of a legacy overview) is kept in `source_text` so nothing a
document said is ever lost, even where it was also parsed into structured fields.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members.models import Cooperation, Municipality, Organisation, Person
from samarbeid.common.models import (
    AllRowsManager,
    NotTrashedManager,
    TrashFields,
    VersionExtras,
    trash_index,
)
from samarbeid.common.uploads import upload_to_generated

IMPORTED_AS_HELP = _("What an import wrote (source row, values); empty when entered by hand.")


def imported_as_field():
    """`imported_as` = {"row": n, "values": {...}}: written by importers only. A re-import
    replaces a row only while its values are still those (nobody edited it since); a row
    without it was entered by hand and is never replaced."""
    return models.JSONField(
        _("imported as"), null=True, blank=True, editable=False, help_text=IMPORTED_AS_HELP
    )


def plain_value(value):
    """A field value as JSON keeps it (dates as ISO text, amounts with two decimals)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value.quantize(Decimal("0.01")))
    if hasattr(value, "name") and hasattr(value, "storage"):  # a FieldFile
        return value.name or ""
    return value


class ImportedRowMixin:
    """Rows a re-import may replace: those it wrote that nobody changed since."""

    OWNER_FIELDS = ("project",)

    def import_values(self) -> dict:
        """Every value a person could edit, as JSON keeps it."""
        return {
            f.attname: plain_value(getattr(self, f.attname))
            for f in self._meta.concrete_fields
            if not f.primary_key and f.name != "imported_as" and f.name not in self.OWNER_FIELDS
        }

    @property
    def is_imported(self) -> bool:
        return isinstance(self.imported_as, dict) and "values" in self.imported_as

    @property
    def edited_since_import(self) -> bool:
        """True for an imported row a person changed afterwards (admin, form, service)."""
        return self.is_imported and self.imported_as["values"] != self.import_values()


class Precision(models.TextChoices):
    YEAR = "year", _("year")
    MONTH = "month", _("month")
    DAY = "day", _("day")


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=60, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Project(TrashFields, models.Model):
    class Category(models.TextChoices):
        OPERATIONS = "operations", _("Operations and service development")
        PLANNING = "planning", _("Planning, land use and industrial policy")
        NETWORK = "network", _("Professional network")
        OTHER = "other", _("Other work area")

    class Phase(models.TextChoices):
        IDEA = "idea", _("idea")
        STUDY = "study", _("study")
        JOINT_REPORT = "joint_report", _("joint report")
        BOARD_DECISION = "board_decision", _("board decision")
        COUNCIL_TREATMENT = "council_treatment", _("council treatment")
        ESTABLISHMENT = "establishment", _("establishment")
        IN_OPERATION = "in_operation", _("in operation")
        CLOSED = "closed", _("closed")
        STOPPED = "stopped", _("stopped")

    class Result(models.TextChoices):
        COMPLETED = "completed", _("completed")
        ONGOING = "ongoing", _("ongoing")

    class Status(models.TextChoices):
        CLOSED = "closed", _("closed")
        IN_OPERATION = "in_operation", _("in operation")
        UNDER_TREATMENT = "under_treatment", _("under treatment in the municipalities")

    class WorkingForm(models.TextChoices):
        WORKING_GROUP = "working_group", _("working group")
        PROJECT_GROUP = "project_group", _("project group")
        NETWORK_GROUP = "network_group", _("network group")
        EXTERNAL_CONSULTANT = "external_consultant", _("external consultant")
        PROJECT_LEADER = "project_leader", _("project leader")
        OTHER = "other", _("other")

    cooperation = models.ForeignKey(
        Cooperation,
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name=_("cooperation"),
    )
    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=80, blank=True)
    slug = models.SlugField(_("slug"), max_length=120)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)

    start_date = models.DateField(_("start"), null=True, blank=True)
    start_precision = models.CharField(
        _("start precision"), max_length=5, choices=Precision.choices, default=Precision.YEAR
    )
    end_date = models.DateField(_("end"), null=True, blank=True, help_text=_("Last day."))
    end_precision = models.CharField(
        _("end precision"), max_length=5, choices=Precision.choices, default=Precision.YEAR
    )
    open_ended = models.BooleanField(
        _("open-ended"), default=False, help_text=_("Started, with no end set (“2001 –”).")
    )

    last_recorded_on = models.DateField(
        _("last recorded"),
        null=True,
        blank=True,
        help_text=_(
            "The date of the newest record (an overview, a report) that mentions the project. "
            "After it, whether an open-ended project still runs is unknown."
        ),
    )
    last_recorded_precision = models.CharField(
        _("last recorded precision"),
        max_length=5,
        choices=Precision.choices,
        default=Precision.YEAR,
    )

    phase = models.CharField(
        _("phase"), max_length=20, choices=Phase.choices, default=Phase.IDEA, db_index=True
    )
    result = models.CharField(_("result"), max_length=12, choices=Result.choices, blank=True)
    result_text = models.CharField(_("result as written"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, blank=True)
    status_text = models.CharField(_("status as written"), max_length=300, blank=True)

    working_form = models.CharField(
        _("working form"), max_length=20, choices=WorkingForm.choices, blank=True
    )
    working_form_text = models.TextField(_("working form as written"), blank=True)
    consultant = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consulted_projects",
        verbose_name=_("external consultant"),
    )
    project_leader = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_projects",
        verbose_name=_("project leader"),
    )
    owner_municipality = models.ForeignKey(
        Municipality,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_projects",
        verbose_name=_("owner (municipality)"),
    )
    owner_organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_projects",
        verbose_name=_("owner (organisation)"),
    )
    host_municipality = models.ForeignKey(
        Municipality,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hosted_projects",
        verbose_name=_("host municipality"),
    )

    description = models.TextField(_("description"), blank=True)
    comments = models.TextField(_("comments"), blank=True)
    participants_text = models.TextField(_("participants as written"), blank=True)
    source_text = models.JSONField(
        _("source text"),
        default=dict,
        blank=True,
        help_text=_("The original cells this project was imported from, verbatim."),
    )
    search_text = models.TextField(editable=False, blank=True, default="")
    imported_as = imported_as_field()
    tags = models.ManyToManyField(Tag, blank=True, related_name="projects", verbose_name=_("tags"))

    is_public = models.BooleanField(_("public"), default=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(
        excluded_fields=["search_text"], m2m_fields=[tags], bases=[VersionExtras]
    )

    objects = NotTrashedManager.hiding("deleted_at")()
    all_objects = AllRowsManager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-start_date", "name"]
        constraints = [
            models.UniqueConstraint(fields=["cooperation", "slug"], name="project_slug_unique"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="project_period_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["cooperation", "category"]),
            models.Index(fields=["start_date", "end_date"]),
            # The projects changed last (the new-hearing form), read from the index's end.
            models.Index(fields=["updated_at", "id"], name="project_changed_last"),
            trash_index(),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The period cannot end before it starts.")})
        if self.open_ended and self.end_date:
            raise ValidationError({"end_date": _("An open-ended project has no end date.")})
        if self.owner_municipality_id and self.owner_organisation_id:
            raise ValidationError(
                {
                    "owner_organisation": _(
                        "A project has one owner: choose a municipality or an organisation."
                    )
                }
            )


class PhaseTransition(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="transitions")
    phase = models.CharField(_("phase"), max_length=20, choices=Project.Phase.choices)
    date = models.DateField(_("date"), null=True, blank=True)
    precision = models.CharField(
        _("precision"), max_length=5, choices=Precision.choices, default=Precision.DAY
    )
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    objects = NotTrashedManager.hiding("project__deleted_at")()
    all_objects = AllRowsManager()

    class Meta:
        verbose_name = _("phase transition")
        verbose_name_plural = _("phase transitions")
        ordering = ["project", "date", "pk"]

    def __str__(self) -> str:
        return f"{self.project} → {self.get_phase_display()}"


class ProjectLink(ImportedRowMixin, models.Model):
    class Kind(models.TextChoices):
        CONTINUES = "continues", _("continues")
        FOLLOWS_UP = "follows_up", _("follows up")
        PART_OF = "part_of", _("part of")

    source = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="links_out")
    target = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="links_in")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    note = models.TextField(_("note"), blank=True)
    imported_as = imported_as_field()

    OWNER_FIELDS = ("source",)
    history = HistoricalRecords()

    objects = NotTrashedManager.hiding("source__deleted_at", "target__deleted_at")()
    all_objects = AllRowsManager()

    class Meta:
        verbose_name = _("project link")
        verbose_name_plural = _("project links")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target", "kind"], name="project_link_unique"
            ),
            models.CheckConstraint(
                condition=~Q(source=models.F("target")), name="project_link_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.get_kind_display()} {self.target}"


class Participation(ImportedRowMixin, TrashFields, models.Model):
    """A municipality identity or an organisation taking part in a project."""

    class Role(models.TextChoices):
        OWNER = "owner", _("owner")
        HOST = "host", _("host")
        PARTICIPANT = "participant", _("participant")
        PARTNER = "partner", _("partner")
        FUNDER = "funder", _("funder")
        OBSERVER = "observer", _("observer")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="participations")
    municipality = models.ForeignKey(
        Municipality,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name=_("municipality"),
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name=_("organisation"),
    )
    role = models.CharField(
        _("role"), max_length=12, choices=Role.choices, default=Role.PARTICIPANT
    )
    joined = models.DateField(_("joined"), null=True, blank=True)
    left = models.DateField(_("left"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    imported_as = imported_as_field()
    history = HistoricalRecords(bases=[VersionExtras])

    objects = NotTrashedManager.hiding("deleted_at", "project__deleted_at")()
    all_objects = AllRowsManager()

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["project", "municipality__name", "organisation__name"]
        indexes = [trash_index()]
        constraints = [
            models.CheckConstraint(
                condition=(Q(municipality__isnull=False) & Q(organisation__isnull=True))
                | (Q(municipality__isnull=True) & Q(organisation__isnull=False)),
                name="participation_exactly_one_party",
            ),
            models.CheckConstraint(
                condition=Q(left__isnull=True)
                | Q(joined__isnull=True)
                | Q(left__gte=models.F("joined")),
                name="participation_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party} – {self.project}"

    @property
    def party(self):
        return self.municipality or self.organisation

    def clean(self):
        if bool(self.municipality_id) == bool(self.organisation_id):
            raise ValidationError(_("Choose either a municipality or an organisation."))
        if self.joined and self.left and self.left < self.joined:
            raise ValidationError({"left": _("A participant cannot leave before joining.")})


class MoneyEntry(ImportedRowMixin, TrashFields, models.Model):
    """A grant, a cost or a benefit, estimated or realised, for a year or a period."""

    class Kind(models.TextChoices):
        GRANT = "grant", _("grant")
        COST = "cost", _("cost")
        BENEFIT = "benefit", _("benefit")

    class BenefitCategory(models.TextChoices):
        BUDGET_SAVING = "budget_saving", _("budget saving in the municipalities")
        FREED_CAPACITY = "freed_capacity", _("freed capacity")
        PUBLIC_SECTOR = "public_sector", _("effects elsewhere in the public sector")
        NON_MONETARY = "non_monetary", _("non-monetary benefit")

    class Certainty(models.TextChoices):
        ESTIMATED = "estimated", _("estimated")
        REALISED = "realised", _("realised")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="money")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    benefit_category = models.CharField(
        _("benefit category"), max_length=20, choices=BenefitCategory.choices, blank=True
    )
    certainty = models.CharField(
        _("certainty"), max_length=10, choices=Certainty.choices, default=Certainty.ESTIMATED
    )
    amount_nok = models.DecimalField(
        _("amount (NOK)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    approximate = models.BooleanField(_("approximate"), default=False)
    funder = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="funded",
        verbose_name=_("funder"),
    )
    municipality = models.ForeignKey(
        Municipality,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="money",
        verbose_name=_("municipality"),
    )
    year_from = models.PositiveSmallIntegerField(_("from year"), null=True, blank=True)
    year_to = models.PositiveSmallIntegerField(_("to year"), null=True, blank=True)
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)
    source_text = models.TextField(_("as written"), blank=True)
    imported_as = imported_as_field()
    history = HistoricalRecords(bases=[VersionExtras])

    objects = NotTrashedManager.hiding("deleted_at", "project__deleted_at")()
    all_objects = AllRowsManager()

    class Meta:
        verbose_name = _("money entry")
        verbose_name_plural = _("money entries")
        ordering = ["project", "kind", "year_from"]
        indexes = [trash_index()]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_nok__isnull=True) | Q(amount_nok__gte=0),
                name="money_amount_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(year_to__isnull=True)
                | Q(year_from__isnull=True)
                | Q(year_to__gte=models.F("year_from")),
                name="money_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        amount = self.amount_nok
        if amount is None:
            return str(self.get_kind_display())
        decimals = 0 if amount == amount.to_integral_value() else 2
        shown = number_format(amount, decimal_pos=decimals, force_grouping=True)
        return f"{self.get_kind_display()} {shown} kr"

    def clean(self):
        if self.amount_nok is not None and self.amount_nok < 0:
            raise ValidationError({"amount_nok": _("An amount cannot be negative.")})
        if self.year_from and self.year_to and self.year_to < self.year_from:
            raise ValidationError({"year_to": _("The period cannot end before it starts.")})
        if self.kind == self.Kind.BENEFIT and not self.benefit_category:
            raise ValidationError({"benefit_category": _("Choose the kind of benefit.")})


class Deliverable(ImportedRowMixin, TrashFields, models.Model):
    class Kind(models.TextChoices):
        REPORT = "report", _("report")
        PROPOSAL = "proposal", _("proposal")
        OTHER = "other", _("other")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="deliverables")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.REPORT)
    title = models.CharField(_("title"), max_length=300)
    due_date = models.DateField(_("due"), null=True, blank=True)
    due_precision = models.CharField(
        _("due precision"), max_length=5, choices=Precision.choices, default=Precision.DAY
    )
    delivered_date = models.DateField(_("delivered"), null=True, blank=True)
    # Stored under a generated name (samarbeid.common.uploads), served only through
    # projects:deliverable_file to signed-in users, as an attachment.
    file = models.FileField(_("file"), upload_to=upload_to_generated, blank=True)
    note = models.TextField(_("note"), blank=True)
    source_text = models.TextField(_("as written"), blank=True)
    imported_as = imported_as_field()
    history = HistoricalRecords(bases=[VersionExtras])

    objects = NotTrashedManager.hiding("deleted_at", "project__deleted_at")()
    all_objects = AllRowsManager()

    class Meta:
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")
        ordering = ["project", "due_date"]
        indexes = [trash_index()]

    def __str__(self) -> str:
        return self.title


class SpinOff(ImportedRowMixin, models.Model):
    """The operating body a project established or handed its result over to."""

    class Kind(models.TextChoices):
        LIMITED_COMPANY = "limited_company", _("limited company")
        INTERMUNICIPAL_COMPANY = "intermunicipal_company", _("inter-municipal company")
        HOST_MUNICIPALITY = "host_municipality", _("host-municipality service")
        NETWORK = "network", _("network")
        OTHER = "other", _("other")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="spin_offs")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="spun_off_from",
        verbose_name=_("operating body"),
    )
    host_municipality = models.ForeignKey(
        Municipality,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hosted_services",
        verbose_name=_("host municipality"),
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    date_precision = models.CharField(
        _("date precision"), max_length=5, choices=Precision.choices, default=Precision.YEAR
    )
    description = models.TextField(_("description"), blank=True)
    source_text = models.TextField(_("as written"), blank=True)
    imported_as = imported_as_field()
    history = HistoricalRecords(bases=[VersionExtras])

    objects = NotTrashedManager.hiding("project__deleted_at")()
    all_objects = AllRowsManager()

    class Meta:
        verbose_name = _("spin-off")
        verbose_name_plural = _("spin-offs")
        ordering = ["project", "date"]

    def __str__(self) -> str:
        return self.name or str(self.organisation or self.host_municipality or "")


class UnresolvedMention(ImportedRowMixin, models.Model):
    """Text an importer could not resolve, kept verbatim with where it came from."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="unresolved")
    column = models.CharField(_("column"), max_length=60)
    text = models.TextField(_("text"))
    source_row = models.PositiveIntegerField(_("source row"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    imported_as = imported_as_field()
    history = HistoricalRecords()

    objects = NotTrashedManager.hiding("project__deleted_at")()
    all_objects = AllRowsManager()

    class Meta:
        verbose_name = _("unresolved mention")
        verbose_name_plural = _("unresolved mentions")
        ordering = ["project", "column", "pk"]

    def __str__(self) -> str:
        return f"{self.column}: {self.text}"
