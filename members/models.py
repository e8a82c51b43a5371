"""The member registry: municipalities over time, the cooperation and its members,
partner organisations and people.

Time is explicit everywhere: a municipality *identity* is keyed on (number, valid_from),
memberships and positions carry their own dates, and `valid_to` / `left_on` / `end` are
exclusive-free: a period [start, end] includes both days; None means still valid.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from samarbeid.common.models import VersionExtras
from samarbeid.common.text import normalize_name


class Municipality(models.Model):
    """One identity of a Norwegian municipality: a number valid over a period under a name.

    Numbers are reused (0716 was Våle before 2002 and Re 2002-2019), so the key is
    (number, valid_from). A rename or renumbering starts a new identity linked to the old
    one by a `MunicipalityEvent`.
    """

    number = models.CharField(_("number"), max_length=4, db_index=True)
    name = models.CharField(_("name"), max_length=100)
    official_name = models.CharField(
        _("official name"),
        max_length=120,
        blank=True,
        help_text=_("The name exactly as the source gives it, e.g. “Sande (Vestfold)”."),
    )
    normalized_name = models.CharField(max_length=100, db_index=True, editable=False)
    county_number = models.CharField(_("county number"), max_length=2)
    county_name = models.CharField(_("county"), max_length=100)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True, help_text=_("Last day."))
    notes = models.TextField(_("notes"), blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["number", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["number", "valid_from"], name="municipality_identity"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="municipality_period_ordered",
            ),
        ]
        indexes = [models.Index(fields=["county_number", "valid_from"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.number})"

    def save(self, *args, **kwargs):
        self.normalized_name = normalize_name(self.name)
        super().save(*args, **kwargs)

    def valid_on(self, day) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    @property
    def period_label(self) -> str:
        end = self.valid_to.isoformat() if self.valid_to else ""
        return f"{self.valid_from.isoformat()} – {end}"


class MunicipalityNameVariant(models.Model):
    """Other spellings of an identity's name (stray spaces, county suffix, short forms)."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="name_variants",
        verbose_name=_("municipality"),
    )
    name = models.CharField(_("name"), max_length=120)
    normalized_name = models.CharField(_("normalised name"), max_length=120, db_index=True)

    class Meta:
        verbose_name = _("name variant")
        verbose_name_plural = _("name variants")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "normalized_name"], name="municipality_variant_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class MunicipalityEvent(models.Model):
    """A dated change linking predecessor identities to successor identities."""

    class Kind(models.TextChoices):
        MERGER = "merger", _("merger")
        SPLIT = "split", _("split")
        RENAME = "rename", _("rename")
        RENUMBERING = "renumbering", _("renumbering")
        BOUNDARY = "boundary", _("boundary adjustment")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    predecessors = models.ManyToManyField(
        Municipality, related_name="events_as_predecessor", verbose_name=_("predecessors")
    )
    successors = models.ManyToManyField(
        Municipality, related_name="events_as_successor", verbose_name=_("successors")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("municipality event")
        verbose_name_plural = _("municipality events")
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date.isoformat()}"


class Cooperation(models.Model):
    """An inter-municipal cooperation (a regional council)."""

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=30)
    slug = models.SlugField(_("slug"), unique=True)
    founded = models.DateField(_("founded"), null=True, blank=True)
    founded_precision = models.CharField(
        _("precision of founding date"),
        max_length=5,
        choices=[("year", _("year")), ("month", _("month")), ("day", _("day"))],
        default="day",
    )
    purpose = models.TextField(_("purpose"), blank=True)
    purpose_en = models.TextField(
        _("purpose in English"), blank=True, help_text=_("Shown on English pages.")
    )
    description = models.TextField(_("description"), blank=True)
    postal_address = models.CharField(_("postal address"), max_length=300, blank=True)
    visiting_address = models.CharField(_("visiting address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    fax = models.CharField(_("fax"), max_length=50, blank=True)
    website = models.URLField(_("website"), blank=True)
    host_organisation = models.ForeignKey(
        "Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hosted_cooperations",
        verbose_name=_("host organisation (c/o)"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cooperation")
        verbose_name_plural = _("cooperations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name or self.name

    def purpose_in(self, language: str | None) -> str:
        """The purpose in the page's language (Norwegian unless English is asked for)."""
        if language and language.startswith("en") and self.purpose_en:
            return self.purpose_en
        return self.purpose or self.purpose_en


class CooperationName(models.Model):
    """The cooperation's names over time (9-kommunesamarbeidet → 12-kommunesamarbeidet)."""

    cooperation = models.ForeignKey(
        Cooperation, on_delete=models.CASCADE, related_name="names", verbose_name=_("cooperation")
    )
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=30)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cooperation name")
        verbose_name_plural = _("cooperation names")
        ordering = ["cooperation", "valid_from"]

    def __str__(self) -> str:
        return f"{self.short_name} ({self.valid_from.year})"


class Membership(models.Model):
    """A municipality identity's membership of a cooperation over a period."""

    class Role(models.TextChoices):
        MEMBER = "member", _("member")
        OBSERVER = "observer", _("observer")

    cooperation = models.ForeignKey(
        Cooperation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("cooperation"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("municipality"),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined = models.DateField(_("joined"))
    left = models.DateField(_("left"), null=True, blank=True, help_text=_("Last day as member."))
    note = models.TextField(_("note"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    history = HistoricalRecords(bases=[VersionExtras])

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["cooperation", "joined", "municipality__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left__isnull=True) | Q(left__gte=models.F("joined")),
                name="membership_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} – {self.cooperation}"

    def clean(self):
        if self.left and self.joined and self.left < self.joined:
            raise ValidationError({"left": _("A membership cannot end before it starts.")})
        if self.municipality_id is None or self.joined is None:
            return
        errors = self._period_errors(self.municipality)
        if not errors and self.cooperation_id is not None and self._overlapping().exists():
            errors["joined"] = _(
                "This municipality is already a member of the cooperation in this period."
            )
        if errors:
            raise ValidationError(errors)

    def _period_errors(self, municipality: Municipality) -> dict[str, str]:
        """The membership starts while its identity exists, and does not end after it.

        `left` may stay empty after the identity has ended (the records often stop before
        a merger): such a membership is read as ending with its identity, and the member
        list follows it to the successors (see members.selectors.member_list).
        """
        errors = {}
        if not municipality.valid_on(self.joined):
            errors["joined"] = _("%(municipality)s did not exist on this day (%(period)s).") % {
                "municipality": municipality,
                "period": municipality.period_label,
            }
        if self.left and municipality.valid_to and self.left > municipality.valid_to:
            errors["left"] = _("%(municipality)s ceased to exist on %(day)s.") % {
                "municipality": municipality,
                "day": municipality.valid_to.isoformat(),
            }
        return errors

    def _overlapping(self) -> models.QuerySet["Membership"]:
        others = Membership.objects.filter(
            cooperation_id=self.cooperation_id, municipality_id=self.municipality_id
        ).filter(Q(left__isnull=True) | Q(left__gte=self.joined))
        if self.left:
            others = others.filter(joined__lte=self.left)
        return others.exclude(pk=self.pk) if self.pk else others


class KeyFigure(models.Model):
    """A figure per year for a member municipality or for the cooperation as a whole."""

    class Kind(models.TextChoices):
        INHABITANTS = "inhabitants", _("inhabitants")
        EMPLOYEES = "employees", _("municipal employees")

    cooperation = models.ForeignKey(
        Cooperation,
        on_delete=models.CASCADE,
        related_name="key_figures",
        verbose_name=_("cooperation"),
    )
    municipality = models.ForeignKey(
        Municipality,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="key_figures",
        verbose_name=_("municipality"),
        help_text=_("Empty: the figure is for all members together."),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    value = models.PositiveIntegerField(_("value"))
    approximate = models.BooleanField(_("approximate"), default=False)
    source = models.CharField(_("source"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("key figure")
        verbose_name_plural = _("key figures")
        ordering = ["year", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperation", "municipality", "year", "kind"],
                name="key_figure_unique",
            ),
            # NULLs are distinct in a unique index on both databases: one figure per
            # year and kind for the cooperation as a whole needs its own partial index.
            models.UniqueConstraint(
                fields=["cooperation", "year", "kind"],
                condition=models.Q(municipality__isnull=True),
                name="key_figure_unique_cooperation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year}: {self.value}"


class Organisation(models.Model):
    """A partner organisation: county council, state agency, company, association ..."""

    class Kind(models.TextChoices):
        COUNTY_COUNCIL = "county_council", _("county council")
        COUNTY_GOVERNOR = "county_governor", _("county governor")
        UNIVERSITY_COLLEGE = "university_college", _("university college")
        HOSPITAL = "hospital", _("hospital")
        STATE_AGENCY = "state_agency", _("state agency or programme")
        MINISTRY = "ministry", _("ministry")
        COMPANY = "company", _("company")
        CONSULTANCY = "consultancy", _("consultancy")
        ASSOCIATION = "association", _("association")
        UNION = "union", _("union")
        INTERMUNICIPAL = "intermunicipal", _("inter-municipal body")
        OTHER = "other", _("other or unknown")

    name = models.CharField(_("name"), max_length=200)
    abbreviation = models.CharField(_("abbreviation"), max_length=40, blank=True)
    kind = models.CharField(_("type"), max_length=30, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    founded = models.DateField(_("founded"), null=True, blank=True)
    dissolved = models.DateField(_("dissolved"), null=True, blank=True)
    identified = models.BooleanField(
        _("identified"),
        default=True,
        help_text=_("Off when a source names the organisation but nobody knows what it is."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["name"], name="organisation_name_unique")]

    def __str__(self) -> str:
        return f"{self.name} ({self.abbreviation})" if self.abbreviation else self.name


class OrganisationAlias(models.Model):
    """Another name importers may meet for an organisation ("fylkeskommunen", "Høykom")."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="aliases",
        verbose_name=_("organisation"),
    )
    alias = models.CharField(_("alias"), max_length=200)
    normalized_alias = models.CharField(max_length=200, unique=True, editable=False)

    class Meta:
        verbose_name = _("organisation alias")
        verbose_name_plural = _("organisation aliases")
        ordering = ["alias"]

    def __str__(self) -> str:
        return self.alias

    def save(self, *args, **kwargs):
        self.normalized_alias = normalize_name(self.alias)
        super().save(*args, **kwargs)


class Person(models.Model):
    """A person. Contact details are private unless `contact_public` is set."""

    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    contact_public = models.BooleanField(
        _("contact details public"),
        default=False,
        help_text=_("Only then may e-mail and phone appear on public pages and in open data."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        verbose_name=_("user account"),
    )
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords(bases=[VersionExtras])

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def public_email(self) -> str:
        return self.email if self.contact_public else ""

    @property
    def public_phone(self) -> str:
        return self.phone if self.contact_public else ""


class Position(models.Model):
    """A person's role over time, in a municipality, an organisation or the cooperation."""

    class Role(models.TextChoices):
        MAYOR = "mayor", _("mayor")
        CITY_MANAGER = "city_manager", _("city manager")
        COUNTY_MAYOR = "county_mayor", _("county mayor")
        COUNTY_GOVERNOR = "county_governor", _("county governor")
        BOARD_OBSERVER = "board_observer", _("board observer")
        UNION_REPRESENTATIVE = "union_representative", _("union representative")
        CASE_OFFICER = "case_officer", _("case officer")
        DAILY_LEADER = "daily_leader", _("daily leader")
        NETWORK_COORDINATOR = "network_coordinator", _("network coordinator")
        MUNICIPALITY_CONTACT = "municipality_contact", _("municipality contact")

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="positions", verbose_name=_("person")
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    cooperation = models.ForeignKey(
        Cooperation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="positions",
        verbose_name=_("cooperation"),
    )
    municipality = models.ForeignKey(
        Municipality,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="positions",
        verbose_name=_("municipality"),
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="positions",
        verbose_name=_("organisation"),
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["person__name", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True)
                | Q(start__isnull=True)
                | Q(end__gte=models.F("start")),
                name="position_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_role_display()}"

    def clean(self):
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("A position cannot end before it starts.")})
