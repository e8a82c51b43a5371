"""Forms parse input only; the services validate and act."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.models import Case, Condition, CouncilDecision, Referral
from governance.services import ConditionSpec
from members.models import Municipality, Organisation
from projects.models import SpinOff


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


class DecisionForm(forms.Form):
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


class ReferralForm(forms.Form):
    referred_on = forms.DateField(label=_("Referred on"), widget=DateInput())
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DateInput())
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
        self.fields["municipalities"].queryset = (
            Municipality.objects.filter(
                Q(memberships__cooperation_id=case.cooperation_id)
                | Q(participations__project__board_cases=case)
            )
            .distinct()
            .order_by("name", "-valid_from")
        )
        self.fields["referred_on"].initial = timezone.localdate()


class CloseForm(forms.Form):
    closed_on = forms.DateField(label=_("Closed on"), widget=DateInput())


class EstablishForm(forms.Form):
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

    def __init__(self, *args, referral: Referral, committed_ids: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host_municipality"].queryset = Municipality.objects.filter(
            pk__in=committed_ids
        ).order_by("name")
        self.prefix = f"e{referral.pk}"
