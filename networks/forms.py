"""Forms check shape; the rules are in the models' clean() and in networks.services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import Municipality, Organisation, Person
from networks.models import Document, Network, NetworkMember
from projects.models import Project

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _municipalities():
    return Municipality.objects.filter(county_name__icontains="Vestfold").order_by(
        "name", "valid_from"
    )


class NetworkForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    field = forms.CharField(label=_("Professional field"), max_length=200, required=False)
    started = forms.DateField(label=_("Started"), required=False, widget=DATE)
    status = forms.ChoiceField(label=_("Status"), choices=Network.Status.choices)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)


class MembershipForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=_municipalities(), required=False
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.order_by("name"), required=False
    )
    start = forms.DateField(label=_("Start"), required=False, widget=DATE)
    end = forms.DateField(label=_("End"), required=False, widget=DATE)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class MemberForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.order_by("name"))
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=_municipalities(), required=False
    )
    start = forms.DateField(label=_("Start"), required=False, widget=DATE)
    end = forms.DateField(label=_("End"), required=False, widget=DATE)


class PeriodForm(forms.Form):
    """When a person took part: change the start, or set the last day to end it."""

    start = forms.DateField(label=_("Start"), required=False, widget=DATE)
    end = forms.DateField(
        label=_("End"), required=False, widget=DATE, help_text=_("Last day; empty while it lasts.")
    )


class MembershipPeriodForm(PeriodForm):
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class MeetingForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    agenda = forms.CharField(label=_("Agenda"), required=False, widget=forms.Textarea)
    minutes = forms.CharField(label=_("Minutes"), required=False, widget=forms.Textarea)
    attendees = forms.ModelMultipleChoiceField(
        label=_("Attendance"),
        queryset=NetworkMember.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, network: Network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = network.members.select_related("person")  # type: ignore[attr-defined]


def _tag_list(value: str) -> list[str]:
    return [t.strip() for t in value.split(",") if t.strip()]


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=Document.Kind.choices)
    visibility = forms.ChoiceField(
        label=_("Who may read it"),
        choices=Document.Visibility.choices,
        initial=Document.Visibility.NETWORK,
    )
    tags = forms.CharField(
        label=_("Tags"), required=False, help_text=_("Separated by commas."), max_length=500
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, Word, Excel, OpenDocument, PowerPoint, plain text or a picture."),
    )
    change_note = forms.CharField(label=_("Change note"), max_length=300, required=False)

    def clean_tags(self) -> list[str]:
        return _tag_list(self.cleaned_data["tags"])


class DocumentEditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=Document.Kind.choices)
    visibility = forms.ChoiceField(label=_("Who may read it"), choices=Document.Visibility.choices)
    tags = forms.CharField(
        label=_("Tags"), required=False, help_text=_("Separated by commas."), max_length=500
    )

    def clean_tags(self) -> list[str]:
        return _tag_list(self.cleaned_data["tags"])


class VersionForm(forms.Form):
    file = forms.FileField(label=_("File"))
    change_note = forms.CharField(label=_("Change note"), max_length=300, required=False)


class ExperienceForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE)
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("What we learnt"), widget=forms.Textarea)
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Municipalities"),
        queryset=Municipality.objects.filter(
            county_name__icontains="Vestfold", valid_to__isnull=True
        ).order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    projects = forms.ModelMultipleChoiceField(
        label=_("Projects"), queryset=Project.objects.order_by("name"), required=False
    )


class ProposalForm(forms.Form):
    name = forms.CharField(label=_("Project name"), max_length=300)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea)
    category = forms.ChoiceField(
        label=_("Category"), choices=Project.Category.choices, initial=Project.Category.OTHER
    )
    rationale = forms.CharField(
        label=_("Why the network proposes it"), required=False, widget=forms.Textarea
    )
    proposed_on = forms.DateField(label=_("Proposed on"), widget=DATE)


class ProgrammeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    audience = forms.CharField(label=_("For whom"), max_length=300, required=False)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)
    network = forms.ModelChoiceField(
        label=_("Network"), queryset=Network.objects.order_by("name"), required=False
    )
    project = forms.ModelChoiceField(
        label=_("In the project list"), queryset=Project.objects.order_by("name"), required=False
    )


class CourseForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    start = forms.DateField(label=_("Start"), required=False, widget=DATE)
    end = forms.DateField(label=_("End"), required=False, widget=DATE)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class SessionForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE)
    topic = forms.CharField(label=_("Topic"), max_length=200, required=False)
    hours = forms.DecimalField(label=_("Hours"), max_digits=5, decimal_places=1, min_value=0.1)
    attendance = forms.CharField(
        label=_("Participants per municipality"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One line each: municipality and number, e.g. “Tønsberg: 3”."),
    )

    def clean(self):
        """Each line names a municipality valid on the session's date and a number."""
        from members.selectors import UnknownMunicipality, municipality_on

        cleaned = super().clean() or self.cleaned_data
        on, rows, errors = cleaned.get("date"), {}, []
        for number, line in enumerate((cleaned.get("attendance") or "").splitlines(), 1):
            if not line.strip():
                continue
            name, _sep, count = line.rpartition(":")
            if not name.strip() or not count.strip().isdigit() or on is None:
                errors.append(
                    _("Line %(n)s: write the municipality, a colon and a number.") % {"n": number}
                )
                continue
            try:
                rows[municipality_on(name.strip(), on)] = int(count)
            except UnknownMunicipality as error:
                errors.append(_("Line %(n)s: %(error)s") % {"n": number, "error": error})
        if errors:
            self.add_error("attendance", errors)
        cleaned["attendance"] = rows
        return cleaned
