from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hearings.models import MAX_COMMENT_CHARS
from samarbeid.common.forms import BoundedForm


class CommentForm(BoundedForm, forms.Form):
    text = forms.CharField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=MAX_COMMENT_CHARS,
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    organisation = forms.CharField(
        label=_("On behalf of an organisation (optional)"), max_length=200, required=False
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("We send a link to confirm the comment. The address is never shown."),
    )
    show_name = forms.BooleanField(
        label=_("Show my name with the comment when it is published"), required=False, initial=True
    )
    # The honeypot: hidden from people, filled in by robots.
    website = forms.CharField(required=False, label=_("Leave this field empty"))


class HoldBackForm(BoundedForm, forms.Form):
    reason = forms.CharField(label=_("Reason for holding back"), max_length=2000)


class ProcessForm(BoundedForm, forms.Form):
    topic = forms.CharField(label=_("Plan section or topic"), max_length=200, required=False)
    response = forms.CharField(
        label=_("Response"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10_000,
        required=False,
    )


def _current_municipalities():
    from members.models import Municipality

    return Municipality.objects.filter(valid_to__isnull=True).order_by("name")


class HearingForm(BoundedForm, forms.Form):
    """A municipality's plan out for comment (hearings of cases and projects are made from
    the services for now)."""

    title = forms.CharField(label=_("Title"), max_length=300)
    summary = forms.CharField(
        label=_("Summary in plain language"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10_000,
    )
    plan_municipality = forms.ModelChoiceField(
        label=_("Municipality whose plan it is"), queryset=_current_municipalities()
    )
    plan_identifier = forms.CharField(label=_("Plan identifier"), max_length=40)
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Municipalities concerned"),
        queryset=_current_municipalities(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    start_date = forms.DateField(
        label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    deadline = forms.DateField(
        label=_("Deadline"),
        required=False,
        help_text=_("Six weeks after the start when left empty."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    map_url = forms.URLField(label=_("Map link"), required=False, assume_scheme="https")
    location = forms.CharField(label=_("Location"), max_length=300, required=False)


class DocumentForm(BoundedForm, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("File"))
