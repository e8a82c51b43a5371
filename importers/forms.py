from django import forms
from django.utils.translation import gettext_lazy as _

from importers.readers import human_size
from members.models import Cooperation
from samarbeid.common.forms import BoundedForm


class UploadForm(BoundedForm, forms.Form):
    file = forms.FileField(
        label=_("Project overview file"),
        help_text=_(
            "Tab-separated text, CSV, Excel (.xlsx) or Word (.docx) with the columns Prosjekt, "
            "Periode, Deltagere, Arbeidsform, 9k resultat, Status, Kommentar."
        ),
    )
    cooperation = forms.ModelChoiceField(
        label=_("Cooperation"), queryset=Cooperation.objects.order_by("pk"), empty_label=None
    )

    def __init__(self, *args, max_bytes: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.max_bytes:
            raise forms.ValidationError(
                _("The file is %(size)s; the limit is %(limit)s."),
                params={"size": human_size(upload.size), "limit": human_size(self.max_bytes)},
            )
        return upload


class ConfirmForm(BoundedForm, forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
