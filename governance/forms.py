"""Forms parse input only; the services validate and act."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from governance.models import Case, Condition, CouncilDecision, Meeting, Referral
from governance.services import ConditionSpec
from members import selectors as member_selectors
from members.models import Municipality, Organisation
from projects.models import Project, SpinOff
from samarbeid.common.forms import BoundedForm
from samarbeid.common.uploads import validate_upload


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def apply_service_errors(form: forms.Form, error: ValidationError, aliases=None) -> None:
    """Show a service's ValidationError on the form, on the field it names if there is one."""
    aliases = aliases or {}
    if hasattr(error, "error_dict"):
        for key, messages in error.message_dict.items():
            field = aliases.get(key, key)
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class DecisionForm(BoundedForm, forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=CouncilDecision.Outcome.choices)
    date = forms.DateField(label=_("Date of decision"), required=False, widget=DateInput())
    decision_text = forms.CharField(
        label=_("Decision text"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    council_reference = forms.CharField(
        label=_("Council's case reference or link"), required=False, max_length=300
    )
    conditions_text = forms.CharField(
        label=_("Conditions as written"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The council's wording, kept verbatim."),
    )
    requires = forms.ModelMultipleChoiceField(
        label=_("Only if these take part"),
        queryset=Municipality.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For “adopted with conditions”: every municipality ticked must take part."),
        error_messages={
            "invalid_choice": _(
                "A condition can only name municipalities this case was referred to."
            ),
            "invalid_pk_value": _("“%(pk)s” is not a municipality."),
        },
    )
    at_least = forms.IntegerField(
        label=_("Only if at least this many take part"), required=False, min_value=1
    )

    def __init__(self, *args, decision: CouncilDecision, **kwargs):
        self.decision = decision
        if "initial" not in kwargs:
            kwargs["initial"] = self.initial_for(decision)
        super().__init__(*args, **kwargs)
        self.fields["requires"].queryset = Municipality.objects.filter(
            council_decisions__referral_id=decision.referral_id
        ).order_by("name")
        self.prefix = f"d{decision.pk}"

    @staticmethod
    def initial_for(decision: CouncilDecision) -> dict:
        initial = {
            "outcome": decision.outcome,
            "date": decision.date,
            "decision_text": decision.decision_text,
            "council_reference": decision.council_reference,
            "conditions_text": decision.conditions_text,
        }
        if decision.pk:
            requires, at_least = [], None
            for cond in decision.conditions.all():
                if cond.kind == Condition.Kind.AT_LEAST:
                    at_least = cond.minimum
                else:
                    requires.extend(m.pk for m in cond.municipalities.all())
            initial.update(requires=requires, at_least=at_least)
        return initial

    def condition_specs(self) -> list[ConditionSpec]:
        specs = []
        requires = list(self.cleaned_data.get("requires") or [])
        if len(requires) == 1:
            specs.append(ConditionSpec(Condition.Kind.REQUIRES, requires))
        elif requires:
            specs.append(ConditionSpec(Condition.Kind.REQUIRES_ALL, requires))
        if self.cleaned_data.get("at_least"):
            specs.append(
                ConditionSpec(Condition.Kind.AT_LEAST, minimum=self.cleaned_data["at_least"])
            )
        return specs


class ReferralForm(BoundedForm, forms.Form):
    referred_on = forms.DateField(label=_("Referred on"), widget=DateInput())
    deadline = forms.DateField(
        label=_("Deadline"),
        widget=DateInput(),
        help_text=_("The contacts are reminded a week before."),
    )
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Councils"),
        queryset=Municipality.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Leave all unticked to refer to the default: the projects' participating "
            "municipalities on the referral date, or else the cooperation's members that day."
        ),
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referred_on"].initial = timezone.localdate()
        self.fields["municipalities"].queryset = self.councils_on(case, self._referral_date())

    def _referral_date(self) -> dt.date:
        """The date the picker lists councils for: the one posted, else today."""
        if self.is_bound:
            field = self.fields["referred_on"]
            try:
                return field.clean(
                    field.widget.value_from_datadict(
                        self.data, self.files, self.add_prefix("referred_on")
                    )
                )
            except ValidationError:
                pass
        return timezone.localdate()

    @staticmethod
    def councils_on(case: Case, on: dt.date) -> QuerySet[Municipality]:
        """The municipalities that exist on the referral date and are the cooperation's
        members that day (memberships follow mergers) or take part in the case's projects."""
        members = member_selectors.members_on(cooperation=case.cooperation, on=on)
        return (
            Municipality.objects.filter(
                Q(pk__in=members.values("municipality"))
                | Q(participations__project__board_cases=case)
            )
            .filter(valid_from__lte=on)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
            .distinct()
            .order_by("name", "number")
        )


class CloseForm(BoundedForm, forms.Form):
    closed_on = forms.DateField(label=_("Closed on"), widget=DateInput())


class EstablishForm(BoundedForm, forms.Form):
    kind = forms.ChoiceField(
        label=_("Arrangement"),
        choices=[
            (SpinOff.Kind.HOST_MUNICIPALITY, SpinOff.Kind.HOST_MUNICIPALITY.label),
            (SpinOff.Kind.INTERMUNICIPAL_COMPANY, SpinOff.Kind.INTERMUNICIPAL_COMPANY.label),
            (SpinOff.Kind.LIMITED_COMPANY, SpinOff.Kind.LIMITED_COMPANY.label),
            (SpinOff.Kind.NETWORK, SpinOff.Kind.NETWORK.label),
        ],
    )
    host_municipality = forms.ModelChoiceField(
        label=_("Host municipality"), queryset=Municipality.objects.none(), required=False
    )
    organisation = forms.ModelChoiceField(
        label=_("Operating body (organisation)"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
    )
    date = forms.DateField(label=_("Date"), widget=DateInput())

    def __init__(
        self,
        *args,
        referral: Referral,
        committed_ids: list[int],
        committed: list[Municipality] | None = None,
        organisations: list[Organisation] | None = None,
        **kwargs,
    ):
        """`committed` and `organisations`, when given, are the choices to show, already
        loaded (the case page shows a form per referral without a query each)."""
        super().__init__(*args, **kwargs)
        self.fields["host_municipality"].queryset = Municipality.objects.filter(
            pk__in=committed_ids
        ).order_by("name")
        empty = [("", self.fields["host_municipality"].empty_label)]
        if committed is not None:
            ordered = sorted(committed, key=lambda m: m.name)
            self.fields["host_municipality"].choices = empty + [(m.pk, str(m)) for m in ordered]
        if organisations is not None:
            self.fields["organisation"].choices = empty + [(o.pk, str(o)) for o in organisations]
        self.prefix = f"e{referral.pk}"


class MeetingForm(BoundedForm, forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    place = forms.CharField(label=_("Place"), required=False, max_length=200)
    agenda = forms.CharField(
        label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    minutes = forms.CharField(
        label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Assumptions and remarks about this record."),
    )

    @staticmethod
    def initial_for(meeting: Meeting) -> dict:
        return {f: getattr(meeting, f) for f in ("date", "place", "agenda", "minutes", "notes")}


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Meeting) -> str:
        day = date_format(obj.date, "DATE_FORMAT")
        return f"{day}, {obj.place}" if obj.place else day


class CaseForm(BoundedForm, forms.Form):
    number = forms.CharField(label=_("Case number"), max_length=30, help_text=_("E.g. “12/2003”."))
    title = forms.CharField(label=_("Title"), max_length=300)
    meeting = MeetingChoiceField(
        label=_("Meeting"), queryset=Meeting.objects.none(), required=False
    )
    proposal = forms.CharField(
        label=_("Proposal"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    projects = forms.ModelMultipleChoiceField(
        label=_("Projects"),
        queryset=Project.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The projects the case concerns; their participants are the default "
            "councils to refer it to."
        ),
    )
    outcome = forms.ChoiceField(
        label=_("The board's decision"),
        choices=[("", _("not yet decided")), *list(Case.Outcome.choices)],
        required=False,
    )
    decision_text = forms.CharField(
        label=_("Decision text"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_public = forms.BooleanField(
        label=_("Public on the portal"),
        required=False,
        initial=True,
        help_text=_("Shown on the open portal with the board's decision and the councils'."),
    )

    def __init__(self, *args, cooperation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = Meeting.objects.filter(cooperation=cooperation).order_by(
            "-date"
        )
        self.fields["projects"].queryset = Project.objects.filter(cooperation=cooperation).order_by(
            "name"
        )

    @staticmethod
    def initial_for(case: Case) -> dict:
        initial = {
            f: getattr(case, f)
            for f in ("number", "title", "proposal", "outcome", "decision_text", "is_public")
        }
        initial["meeting"] = case.meeting_id
        initial["projects"] = [p.pk for p in case.projects.all()]
        return initial


class DocumentForm(BoundedForm, forms.Form):
    title = forms.CharField(
        label=_("Title"),
        required=False,
        max_length=300,
        help_text=_("Leave empty to use the file name."),
    )
    file = forms.FileField(label=_("File"))
    is_public = forms.BooleanField(
        label=_("Public on the portal"),
        required=False,
        initial=False,
        help_text=_("Anyone may download it from the case's page on the open portal."),
    )

    def clean(self):
        """The title defaults to the name as sent; the type is read from the content (HTML,
        SVG and scripts are refused whatever the name) and the stored name is generated."""
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is not None:
            if not cleaned.get("title"):
                cleaned["title"] = (upload.name or "").rsplit("/", 1)[-1][:300]
            try:
                validate_upload(upload)
            except forms.ValidationError as exc:
                self.add_error("file", exc)
        return cleaned
