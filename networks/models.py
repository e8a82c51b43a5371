"""Professional networks: who takes part over time, their meetings, a shared library of
documents with versions, an experience log, the projects they propose and the training and
competence programmes of the cooperation. See docs/networks.md."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members.models import Cooperation, Municipality, Organisation, Person
from projects.models import Project
from samarbeid.common.uploads import upload_to_generated


def _check_period(start, end, field: str = "end") -> None:
    if start and end and end < start:
        raise ValidationError({field: _("The period cannot end before it starts.")})


def _period_ordered(name: str, start: str = "start", end: str = "end") -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{end}__isnull": True})
        | Q(**{f"{start}__isnull": True})
        | Q(**{f"{end}__gte": models.F(start)}),
        name=name,
    )


class Network(models.Model):
    """A professional network of the cooperation (IKT-ledere, Overformynderi …)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        RESTING = "resting", _("resting")
        ENDED = "ended", _("ended")

    cooperation = models.ForeignKey(
        Cooperation,
        on_delete=models.PROTECT,
        related_name="networks",
        verbose_name=_("cooperation"),
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=120)
    field = models.CharField(_("professional field"), max_length=200, blank=True)
    started = models.DateField(_("started"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    coordinator = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="coordinated_networks",
        verbose_name=_("coordinator"),
    )
    project = models.OneToOneField(
        Project,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="network",
        verbose_name=_("portfolio row"),
        help_text=_("The row of the project list that stood for this network."),
    )
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["cooperation", "slug"], name="network_slug_unique")
        ]

    def __str__(self) -> str:
        return self.name


class NetworkMembership(models.Model):
    """A municipality or an organisation taking part in a network over a period."""

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("network")
    )
    municipality = models.ForeignKey(
        Municipality,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="network_memberships",
        verbose_name=_("municipality"),
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="network_memberships",
        verbose_name=_("organisation"),
    )
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True, help_text=_("Last day."))
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("member municipality or organisation")
        verbose_name_plural = _("member municipalities and organisations")
        ordering = ["municipality__name", "organisation__name", "start"]
        constraints = [
            _period_ordered("network_membership_period_ordered"),
            models.CheckConstraint(
                condition=Q(municipality__isnull=True, organisation__isnull=False)
                | Q(municipality__isnull=False, organisation__isnull=True),
                name="network_membership_one_party",
            ),
        ]

    def __str__(self) -> str:
        return str(self.municipality or self.organisation)

    def clean(self):
        if bool(self.municipality_id) == bool(self.organisation_id):
            raise ValidationError(
                {"municipality": _("Choose either a municipality or an organisation.")}
            )
        _check_period(self.start, self.end)


class NetworkMember(models.Model):
    """A person in a network, for a municipality (or an organisation), over a period."""

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="members", verbose_name=_("network")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="network_members", verbose_name=_("person")
    )
    municipality = models.ForeignKey(
        Municipality,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="network_people",
        verbose_name=_("municipality"),
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="network_people",
        verbose_name=_("organisation"),
    )
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True, help_text=_("Last day."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("network member")
        verbose_name_plural = _("network members")
        ordering = ["person__name", "start"]
        constraints = [_period_ordered("network_member_period_ordered")]

    def __str__(self) -> str:
        return str(self.person)

    def clean(self):
        _check_period(self.start, self.end)


class NetworkMeeting(models.Model):
    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("network")
    )
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    attendees = models.ManyToManyField(
        NetworkMember, blank=True, related_name="meetings", verbose_name=_("attendance")
    )
    history = HistoricalRecords(m2m_fields=[attendees])

    class Meta:
        verbose_name = _("network meeting")
        verbose_name_plural = _("network meetings")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.network} {self.date:%d.%m.%Y}"


# --- the library --------------------------------------------------------------------------


class DocumentTag(models.Model):
    name = models.CharField(_("name"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("library tag")
        verbose_name_plural = _("library tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Document(models.Model):
    """A document in a network's library; its content is in its versions."""

    class Kind(models.TextChoices):
        TEMPLATE = "template", _("template")
        TOOLBOX = "toolbox", _("toolbox")
        TRAINING = "training", _("training programme")
        RULES = "rules", _("rules and practices")
        CASE_TEMPLATE = "case_template", _("case template")
        REPORT = "report", _("report")

    class Visibility(models.TextChoices):
        NETWORK = "network", _("the network only")
        MEMBERS = "members", _("all members of the cooperation")
        PUBLIC = "public", _("public")

    network = models.ForeignKey(
        Network, on_delete=models.PROTECT, related_name="documents", verbose_name=_("network")
    )
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.NETWORK
    )
    tags = models.ManyToManyField(
        DocumentTag, blank=True, related_name="documents", verbose_name=_("tags")
    )
    # Title, tags and the newest version's text, folded (samarbeid.common.text), for search;
    # written only by networks.services (which keeps the SQLite FTS5 table in step).
    search_text = models.TextField(editable=False, blank=True, default="")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["search_text"], m2m_fields=[tags])

    class Meta:
        verbose_name = _("library document")
        verbose_name_plural = _("library documents")
        ordering = ["title"]
        indexes = [models.Index(fields=["network", "visibility"])]

    def __str__(self) -> str:
        return self.title


class DocumentVersion(models.Model):
    class TextStatus(models.TextChoices):
        OK = "ok", _("text read")
        UNREADABLE = "unreadable", _("text could not be read")

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="versions", verbose_name=_("document")
    )
    number = models.PositiveIntegerField(_("version"))
    # Stored under a generated name, served only through networks:version_file.
    file = models.FileField(_("file"), upload_to=upload_to_generated)
    file_kind = models.CharField(_("file type"), max_length=10)
    size = models.PositiveIntegerField(_("size"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    change_note = models.CharField(_("change note"), max_length=300, blank=True)
    text = models.TextField(_("extracted text"), blank=True, editable=False)
    text_status = models.CharField(
        _("text"), max_length=12, choices=TextStatus.choices, default=TextStatus.OK
    )
    history = HistoricalRecords(excluded_fields=["text"])

    class Meta:
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "number"], name="document_version_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"


# --- experience, proposals ------------------------------------------------------------------


class ExperienceEntry(models.Model):
    """A short best-practice note: what worked, where, in which project."""

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="experiences", verbose_name=_("network")
    )
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    municipalities = models.ManyToManyField(
        Municipality,
        blank=True,
        related_name="network_experiences",
        verbose_name=_("municipalities"),
    )
    projects = models.ManyToManyField(
        Project, blank=True, related_name="network_experiences", verbose_name=_("projects")
    )
    history = HistoricalRecords(m2m_fields=[municipalities, projects])

    class Meta:
        verbose_name = _("experience")
        verbose_name_plural = _("experience log")
        ordering = ["-date", "title"]

    def __str__(self) -> str:
        return self.title


class Proposal(models.Model):
    """A network's proposal of a joint project: the idea it became in the portfolio."""

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("network")
    )
    project = models.OneToOneField(
        Project, on_delete=models.CASCADE, related_name="proposed_by", verbose_name=_("project")
    )
    proposed_on = models.DateField(_("proposed"))
    rationale = models.TextField(_("rationale"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-proposed_on"]

    def __str__(self) -> str:
        return str(self.project)


# --- training and competence ---------------------------------------------------------------


class Programme(models.Model):
    """A training or competence programme (12k Trainee, START), perhaps run by a network."""

    cooperation = models.ForeignKey(
        Cooperation,
        on_delete=models.PROTECT,
        related_name="programmes",
        verbose_name=_("cooperation"),
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=120)
    audience = models.CharField(_("for whom"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    network = models.ForeignKey(
        Network,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="programmes",
        verbose_name=_("network"),
    )
    project = models.ForeignKey(
        Project,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="programmes",
        verbose_name=_("portfolio row"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["cooperation", "slug"], name="programme_slug_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Course(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="courses", verbose_name=_("programme")
    )
    name = models.CharField(_("name"), max_length=200)
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["start", "name"]
        constraints = [_period_ordered("course_period_ordered")]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        _check_period(self.start, self.end)


class Session(models.Model):
    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("course")
    )
    date = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["date"]
        constraints = [models.CheckConstraint(condition=Q(hours__gt=0), name="session_hours")]

    def __str__(self) -> str:
        return f"{self.course} {self.date:%d.%m.%Y}"

    def clean(self):
        if self.hours is not None and self.hours <= 0:
            raise ValidationError({"hours": _("A session lasts more than zero hours.")})


class Attendance(models.Model):
    """How many took part in a session from a municipality (none: not stated)."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("session")
    )
    municipality = models.ForeignKey(
        Municipality,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="training_attendance",
        verbose_name=_("municipality"),
    )
    participants = models.PositiveIntegerField(_("participants"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "municipality"], name="attendance_one_row_per_municipality"
            )
        ]

    def __str__(self) -> str:
        return f"{self.session}: {self.participants}"
