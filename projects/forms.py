"""Forms for the portfolio pages: parsing and validating input only; saving is in services."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from django import forms
from django.core.validators import MinValueValidator
from django.db.models import Q
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from members.models import Municipality, Organisation
from projects import selectors
from projects.formatting import format_point
from projects.models import (
    Deliverable,
    MoneyEntry,
    Participation,
    PhaseTransition,
    Precision,
    Project,
    ProjectLink,
    SpinOff,
)
from projects.services import EDITABLE_FIELDS
from samarbeid.common.forms import BoundedForm
from samarbeid.common.uploads import validate_upload

VESTFOLD = Q(county_name__icontains="vestfold")


def municipality_label(m: Municipality) -> str:
    end = m.valid_to.year if m.valid_to else ""
    if m.valid_to or m.valid_from.year > 1900:
        return f"{m.name} ({m.number}, {m.valid_from.year}–{end})"
    return f"{m.name} ({m.number})"


class MunicipalityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Municipality) -> str:
        return municipality_label(obj)


def municipality_queryset(extra_pks=()):
    """Vestfold's municipality identities, plus any already referenced by the rows edited."""
    return Municipality.objects.filter(VESTFOLD | Q(pk__in=list(extra_pks))).order_by(
        "name", "valid_from"
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


# -- the portfolio list filters ----------------------------------------------------------


def _blank(label):
    return [("", label)]


class ProjectFilterForm(BoundedForm, forms.Form):
    """GET parameters of the portfolio list; every value is optional."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Name, text, participant …")}
        ),
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    phase = forms.ChoiceField(label=_("Phase"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    municipality = forms.ChoiceField(label=_("Municipality"), required=False)
    organisation = forms.ChoiceField(label=_("Organisation"), required=False)
    host = forms.ChoiceField(label=_("Host municipality"), required=False)
    year_from = forms.IntegerField(
        label=_("From year"), required=False, min_value=1900, max_value=2100
    )
    year_to = forms.IntegerField(label=_("To year"), required=False, min_value=1900, max_value=2100)
    tag = forms.ChoiceField(label=_("Tag"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("name", _("Name (A–Å)")),
            ("-name", _("Name (Å–A)")),
            ("-start", _("Newest first")),
            ("start", _("Oldest first")),
            ("category", _("Category")),
            ("phase", _("Phase")),
        ],
    )

    def __init__(self, *args, choices: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self._municipalities = {str(m.pk): m for m in choices["municipalities"]}
        self._hosts = {str(m.pk): m for m in choices["hosts"]}
        self._organisations = {str(o.pk): o for o in choices["organisations"]}
        every = _("All")
        self.fields["category"].choices = _blank(every) + list(Project.Category.choices)
        self.fields["phase"].choices = _blank(every) + list(Project.Phase.choices)
        self.fields["status"].choices = _blank(every) + list(Project.Status.choices)
        self.fields["municipality"].choices = _blank(every) + [
            (pk, municipality_label(m)) for pk, m in self._municipalities.items()
        ]
        self.fields["host"].choices = _blank(every) + [
            (pk, municipality_label(m)) for pk, m in self._hosts.items()
        ]
        self.fields["organisation"].choices = _blank(every) + [
            (pk, str(o)) for pk, o in self._organisations.items()
        ]
        self.fields["tag"].choices = _blank(every) + [(t.slug, t.name) for t in choices["tags"]]

    def clean(self):
        data = super().clean()
        y_from, y_to = data.get("year_from"), data.get("year_to")
        if y_from and y_to and y_to < y_from:
            self.add_error("year_to", _("The end year cannot be before the start year."))
        return data

    def to_filter(self) -> selectors.ProjectFilter:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return selectors.ProjectFilter(
            q=data.get("q") or "",
            category=[data["category"]] if data.get("category") else [],
            phase=[data["phase"]] if data.get("phase") else [],
            status=[data["status"]] if data.get("status") else [],
            municipality=self._municipalities.get(data.get("municipality") or ""),
            organisation=self._organisations.get(data.get("organisation") or ""),
            host=self._hosts.get(data.get("host") or ""),
            year_from=data.get("year_from"),
            year_to=data.get("year_to"),
            tags=[data["tag"]] if data.get("tag") else [],
            sort=data.get("sort") or selectors.DEFAULT_SORT,
        )

    @property
    def active_count(self) -> int:
        if not self.is_bound or not self.is_valid():
            return 0
        return sum(1 for k, v in self.cleaned_data.items() if v not in ("", None) and k != "sort")


# -- the project form ----------------------------------------------------------------------

_YEAR = re.compile(r"^\d{4}$")
_MONTH = re.compile(r"^(\d{1,2})[./-](\d{4})$|^(\d{4})-(\d{1,2})$")
_DAY_NO = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_DAY_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


class PeriodPointField(forms.CharField):
    """A date written as precisely as it is known: "1999", "03.1999", "15.03.1999" or
    "1999-03-15". Cleans to (date, precision); an end point becomes the period's last day."""

    default_error_messages = {
        "invalid": _("Write a year (1999), a month (03.1999) or a date (15.03.1999)."),
    }

    def __init__(self, *, end: bool = False, **kwargs):
        self.end = end
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 10)
        super().__init__(**kwargs)

    def to_python(self, value):
        text = (super().to_python(value) or "").strip()
        if not text:
            return None
        try:
            if _YEAR.match(text):
                year = int(text)
                return (dt.date(year, 12, 31) if self.end else dt.date(year, 1, 1)), Precision.YEAR
            if m := _MONTH.match(text):
                month, year = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
                year, month = int(year), int(month)
                day = calendar.monthrange(year, month)[1] if self.end else 1
                return dt.date(year, month, day), Precision.MONTH
            if m := _DAY_NO.match(text):
                return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1))), Precision.DAY
            if m := _DAY_ISO.match(text):
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))), Precision.DAY
        except ValueError:
            pass
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")

    def has_changed(self, initial, data) -> bool:
        # The initial value is the written form ("2004"); compare parsed values, so an
        # untouched row is not re-saved (and not logged as changed) on every save.
        try:
            return self.to_python(initial) != self.to_python(data)
        except forms.ValidationError:
            return True


class ProjectForm(BoundedForm, forms.ModelForm):
    start_date = PeriodPointField(
        label=_("Start"), help_text=_("Year, month or date, e.g. 1999, 03.1999 or 15.03.1999.")
    )
    end_date = PeriodPointField(
        label=_("End"), end=True, help_text=_("Leave empty while the end is not known.")
    )
    tags_text = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=500,
        help_text=_("Separate with commas, e.g. broadband, ICT."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta:
        model = Project
        fields = [
            "name",
            "short_name",
            "category",
            "phase",
            "start_date",
            "end_date",
            "open_ended",
            "result",
            "result_text",
            "status",
            "status_text",
            "working_form",
            "working_form_text",
            "consultant",
            "project_leader",
            "owner_municipality",
            "owner_organisation",
            "host_municipality",
            "description",
            "comments",
            "participants_text",
            "is_public",
        ]
        field_classes = {
            "owner_municipality": MunicipalityChoiceField,
            "host_municipality": MunicipalityChoiceField,
        }
        widgets = {
            "working_form_text": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 4}),
            "comments": forms.Textarea(attrs={"rows": 4}),
            "participants_text": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        project = self.instance
        referenced = [project.host_municipality_id, project.owner_municipality_id]
        for name in ("owner_municipality", "host_municipality"):
            self.fields[name].queryset = municipality_queryset(p for p in referenced if p)
        self.fields["consultant"].queryset = Organisation.objects.order_by("name")
        self.fields["owner_organisation"].queryset = Organisation.objects.order_by("name")
        self._precisions: dict[str, str] = {}
        if project.pk:
            self.initial["start_date"] = format_point(project.start_date, project.start_precision)
            self.initial["end_date"] = format_point(project.end_date, project.end_precision)
            self.initial["tags_text"] = ", ".join(t.name for t in project.tags.all())
            self.initial.setdefault("version", project.version)
        else:
            self.initial.setdefault("version", 1)

    def clean(self):
        data = super().clean()
        for name in ("start_date", "end_date"):
            value = data.get(name)
            if isinstance(value, tuple):
                data[name], self._precisions[name] = value
        return data

    def _post_clean(self):
        if "start_date" in self._precisions:
            self.instance.start_precision = self._precisions["start_date"]
        if "end_date" in self._precisions:
            self.instance.end_precision = self._precisions["end_date"]
        super()._post_clean()

    def changes(self) -> dict:
        """The model fields this form sets, for services.project_create/update."""
        data = {k: v for k, v in self.cleaned_data.items() if k in EDITABLE_FIELDS}
        data["start_precision"] = self.instance.start_precision
        data["end_precision"] = self.instance.end_precision
        return data

    def tag_names(self) -> list[str]:
        return [t.strip() for t in self.cleaned_data.get("tags_text", "").split(",") if t.strip()]


def _extra_municipalities(instance, cache: dict | None) -> list[int]:
    extra = set(cache["extra_municipalities"]) if cache else set()
    if instance.municipality_id:
        extra.add(instance.municipality_id)
    return sorted(extra)


class ParticipationForm(BoundedForm, forms.ModelForm):
    class Meta:
        model = Participation
        fields = ["municipality", "organisation", "role", "joined", "left", "note"]
        field_classes = {"municipality": MunicipalityChoiceField}
        widgets = {"joined": DateInput(), "left": DateInput()}

    def __init__(self, *args, choice_cache: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        extra = _extra_municipalities(self.instance, choice_cache)
        self.fields["municipality"].queryset = municipality_queryset(extra)
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")
        _share_choices(self, choice_cache)


class MoneyEntryForm(BoundedForm, forms.ModelForm):
    class Meta:
        model = MoneyEntry
        fields = [
            "kind",
            "benefit_category",
            "certainty",
            "amount_nok",
            "approximate",
            "funder",
            "municipality",
            "year_from",
            "year_to",
            "purpose",
        ]
        field_classes = {"municipality": MunicipalityChoiceField}

    def __init__(self, *args, choice_cache: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        extra = _extra_municipalities(self.instance, choice_cache)
        self.fields["municipality"].queryset = municipality_queryset(extra)
        self.fields["funder"].queryset = Organisation.objects.order_by("name")
        amount = self.fields["amount_nok"]
        amount.validators = [
            v for v in amount.validators if not isinstance(v, MinValueValidator)
        ] + [MinValueValidator(0, message=_("An amount cannot be negative."))]
        value = self.instance.amount_nok
        if value is not None and value == value.to_integral_value():
            self.initial["amount_nok"] = int(value)  # "5000000", not "5000000.00"
        _share_choices(self, choice_cache)


class _StoredFile:
    """The stored file as the clearable input shows it: its link is the download view."""

    def __init__(self, url: str, label: str):
        self.url, self.label = url, label

    def __str__(self) -> str:
        return self.label


class DownloadLinkFileInput(forms.ClearableFileInput):
    """Links the current file through projects:deliverable_file, never MEDIA_URL."""

    def __init__(self, *args, url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.download_url = url

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if self.is_initial(value) and self.download_url:
            context["widget"]["value"] = _StoredFile(self.download_url, str(_("Download")))
        return context


class DeliverableForm(BoundedForm, forms.ModelForm):
    class Meta:
        model = Deliverable
        fields = ["kind", "title", "due_date", "delivered_date", "file", "note"]
        widgets = {
            "due_date": DateInput(),
            "delivered_date": DateInput(),
            "note": forms.TextInput(),
        }

    def __init__(self, *args, choice_cache: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        _share_choices(self, choice_cache)
        if self.instance.pk and self.instance.file:
            self.fields["file"].widget = DownloadLinkFileInput(
                url=reverse("projects:deliverable_file", kwargs={"pk": self.instance.pk})
            )

    def clean_file(self):
        """The type is read from the content (PDF, Office, picture, text); HTML, SVG and
        scripts are refused whatever the name; the stored name is generated."""
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
            validate_upload(upload)
        return upload


class _DateWithPrecisionForm(BoundedForm, forms.ModelForm):
    """A `date` typed as a year, a month or a day; the precision goes to `precision_field`."""

    precision_field = "precision"
    date = PeriodPointField(label=_("Date"), help_text=_("Year, month or date."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            precision = getattr(self.instance, self.precision_field)
            self.initial["date"] = format_point(self.instance.date, precision)
        self._precision: str | None = None

    def clean(self):
        data = super().clean()
        if isinstance(data.get("date"), tuple):
            data["date"], self._precision = data["date"]
        return data

    def _post_clean(self):
        if self._precision:
            setattr(self.instance, self.precision_field, self._precision)
        super()._post_clean()


class SpinOffForm(_DateWithPrecisionForm):
    precision_field = "date_precision"

    class Meta:
        model = SpinOff
        fields = ["kind", "name", "organisation", "host_municipality", "date", "description"]
        field_classes = {"host_municipality": MunicipalityChoiceField}
        widgets = {"description": forms.TextInput()}

    def __init__(self, *args, choice_cache: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        extra = [self.instance.host_municipality_id] if self.instance.host_municipality_id else []
        if choice_cache:
            extra += sorted(choice_cache["extra_municipalities"])
        self.fields["host_municipality"].queryset = municipality_queryset(extra)
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")
        _share_choices(self, choice_cache)


class PhaseTransitionForm(_DateWithPrecisionForm):
    class Meta:
        model = PhaseTransition
        fields = ["phase", "date", "note"]
        widgets = {"note": forms.TextInput()}

    def __init__(self, *args, choice_cache: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)


class ProjectChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Project) -> str:
        year = f" ({obj.start_date.year})" if obj.start_date else ""
        return f"{obj.name}{year}"


class ProjectLinkForm(BoundedForm, forms.ModelForm):
    class Meta:
        model = ProjectLink
        fields = ["kind", "target", "note"]
        field_classes = {"target": ProjectChoiceField}
        labels = {"target": _("Other project")}
        widgets = {"note": forms.TextInput()}

    def __init__(self, *args, choice_cache: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        targets = (choice_cache or {}).get("link_targets")
        self.fields["target"].queryset = (
            targets if targets is not None else Project.objects.order_by("name")
        )
        _share_choices(self, choice_cache)


class CachedChoicesFormSet(BaseInlineFormSet):
    """Builds each select's options once for all rows instead of one query per row."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        extra: set[int] = set()
        for name in ("municipality", "host_municipality"):
            if name in self.form.base_fields and self.instance.pk:
                extra = set(self.queryset.exclude(**{name: None}).values_list(name, flat=True))
        self._choice_cache: dict = {"extra_municipalities": extra}
        if "target" in self.form.base_fields:
            # Links point to other projects of the same cooperation, never to the project itself.
            targets = Project.objects.order_by("name", "pk")
            if self.instance.cooperation_id:
                targets = targets.filter(cooperation_id=self.instance.cooperation_id)
            if self.instance.pk:
                targets = targets.exclude(pk=self.instance.pk)
            self._choice_cache["link_targets"] = targets

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        kwargs["choice_cache"] = self._choice_cache
        return kwargs


def _share_choices(form: forms.BaseForm, cache: dict | None) -> None:
    if cache is None:
        return
    for name, field in form.fields.items():
        if isinstance(field, forms.ModelChoiceField):
            if name not in cache:
                cache[name] = list(field.choices)
            field.choices = cache[name]


ParticipationFormSet = inlineformset_factory(
    Project,
    Participation,
    form=ParticipationForm,
    formset=CachedChoicesFormSet,
    extra=1,
    can_delete=True,
)
MoneyEntryFormSet = inlineformset_factory(
    Project,
    MoneyEntry,
    form=MoneyEntryForm,
    formset=CachedChoicesFormSet,
    extra=1,
    can_delete=True,
)
DeliverableFormSet = inlineformset_factory(
    Project,
    Deliverable,
    form=DeliverableForm,
    formset=CachedChoicesFormSet,
    extra=1,
    can_delete=True,
)

SpinOffFormSet = inlineformset_factory(
    Project,
    SpinOff,
    form=SpinOffForm,
    formset=CachedChoicesFormSet,
    extra=1,
    can_delete=True,
)

PhaseTransitionFormSet = inlineformset_factory(
    Project,
    PhaseTransition,
    form=PhaseTransitionForm,
    formset=CachedChoicesFormSet,
    extra=1,
    can_delete=True,
)

ProjectLinkFormSet = inlineformset_factory(
    Project,
    ProjectLink,
    form=ProjectLinkForm,
    formset=CachedChoicesFormSet,
    fk_name="source",
    extra=1,
    can_delete=True,
)

FORMSETS = (
    ("participations", ParticipationFormSet, _("Participants")),
    ("money", MoneyEntryFormSet, _("Money")),
    ("deliverables", DeliverableFormSet, _("Deliverables")),
    ("transitions", PhaseTransitionFormSet, _("Dated phase transitions")),
    ("spin_offs", SpinOffFormSet, _("Operation after the project")),
    ("links_out", ProjectLinkFormSet, _("Links to other projects")),
)
