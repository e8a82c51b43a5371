"""Form helpers shared by the apps.

`BoundedForm` (a mixin for Form and ModelForm) gives every field the limits of
`samarbeid.common.bounds`: dates from 1900-01-01 to 2100-12-31, years 1900–2100, integers
within the database's range (0 and up for counts), amounts within ±10¹², free text at most
50,000 characters. A value outside is a field error ("Ensure this value is …"), never a
500 from the database.
"""

from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import MaxLengthValidator

from samarbeid.common import bounds
from samarbeid.common.uploads import validate_upload


def _limit(field: forms.Field, validators: list, *, attrs: dict | None = None) -> None:
    field.validators.extend(validators)
    if attrs:
        field.widget.attrs.update({k: v for k, v in attrs.items() if k not in field.widget.attrs})


def bound_field(name: str, field: forms.Field) -> None:
    """Give one form field the bounds its kind needs (in place)."""
    if isinstance(field, forms.DateTimeField):
        _limit(field, bounds.datetime_bounds())
    elif isinstance(field, forms.DateField):
        _limit(
            field,
            bounds.date_bounds(),
            attrs={"min": bounds.DATE_MIN.isoformat(), "max": bounds.DATE_MAX.isoformat()},
        )
    elif isinstance(field, forms.DecimalField | forms.FloatField):
        _limit(field, bounds.amount_bounds())
    elif isinstance(field, forms.IntegerField):
        positive = field.min_value is not None and field.min_value >= 0
        validators = bounds.integer_bounds(name, positive=positive)
        attrs = {}
        if bounds.is_year(name):
            attrs = {"min": bounds.YEAR_MIN, "max": bounds.YEAR_MAX}
        _limit(field, validators, attrs=attrs)
    elif isinstance(field, forms.CharField) and field.max_length is None:
        field.max_length = bounds.TEXT_MAX
        _limit(field, [MaxLengthValidator(bounds.TEXT_MAX)], attrs={"maxlength": bounds.TEXT_MAX})


def bound_fields(form: forms.BaseForm) -> None:
    for name, field in form.fields.items():
        bound_field(name, field)


class BoundedForm:
    """Mixin: `class MyForm(BoundedForm, forms.Form)`; bounds every field of the form."""

    fields: dict[str, forms.Field]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        bound_fields(self)  # type: ignore[arg-type]


class CheckedFileField(forms.FileField):
    """A FileField whose new uploads are checked by content as the site's own forms do
    (`validate_upload`: bombs, scripts, HTML and SVG refused) and stored under a generated
    name. For the admin: `formfield_overrides = CHECKED_FILES`."""

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if isinstance(value, UploadedFile):
            validate_upload(value)
        return value
