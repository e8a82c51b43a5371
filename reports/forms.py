"""The reports page's choices: language, and each report's own fields (the overview takes
the portfolio list's filter form itself, see reports.selectors.overview_filter_form)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

LANGUAGE_CHOICES = [("nb", _("Norwegian (bokmål)")), ("en", _("English"))]


class LanguageForm(forms.Form):
    lang = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES, required=False)


class MunicipalityForm(forms.Form):
    number = forms.CharField(
        label=_("Municipality number"),
        max_length=4,
        help_text=_("Four digits, e.g. 3905 (today's Tønsberg)."),
    )
    year_from = forms.IntegerField(
        label=_("From year"), required=False, min_value=1900, max_value=2100
    )
    year_to = forms.IntegerField(label=_("To year"), required=False, min_value=1900, max_value=2100)

    def clean(self):
        data = super().clean()
        first, last = data.get("year_from"), data.get("year_to")
        if first and last and last < first:
            self.add_error("year_to", _("The end year cannot be before the start year."))
        return data


class AnnualForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2100)


class PresentationForm(forms.Form):
    on = forms.DateField(
        label=_("Date (empty: today)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
