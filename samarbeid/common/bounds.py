"""The bounds of every value a form, the admin, the API or an import may store.

No value may reach the database that it cannot hold (a year-1 date saved and then not
re-savable, an integer past the column's range answered with a 500). The limits are
stated once here and enforced twice:

- on the models: `install_model_bounds()` (called when the apps are ready) adds range
  and length validators to the fields of the domain apps, so every `full_clean` (the
  services, admin forms, the API) refuses such a value with a message on the field. They
  are added to the fields' validator lists at start-up and are not part of the
  migrations;
- on the forms: `samarbeid.common.forms.BoundedForm` gives every field the same limits,
  so the form says it before a service is asked.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.apps import apps
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models

DATE_MIN = dt.date(1900, 1, 1)
DATE_MAX = dt.date(2100, 12, 31)
# Municipalities' identities go back to the local government acts of 1838.
HISTORICAL_DATE_MIN = dt.date(1838, 1, 1)
YEAR_MIN, YEAR_MAX = DATE_MIN.year, DATE_MAX.year
INT_MAX = 2**31 - 1  # PostgreSQL's integer
BIGINT_MAX = 2**63 - 1
SMALLINT_MAX = 2**15 - 1
AMOUNT_MAX = 10**12  # NOK: far beyond any budget, and within every decimal column
TEXT_MAX = 50_000  # free text (a long set of minutes is ~20,000 characters)

DOMAIN_APPS = {"members", "projects", "governance", "importers", "reports", "portal"}
# Fields whose dates are older than 1900 by nature: (app_label, model_name, field name).
HISTORICAL_DATES = {
    ("members", "municipality", "valid_from"),
    ("members", "municipality", "valid_to"),
    ("members", "municipalityevent", "date"),
    ("members", "organisation", "founded"),
    ("members", "organisation", "dissolved"),
}


def is_year(name: str) -> bool:
    return name == "year" or name.startswith("year_") or name.endswith("_year")


def date_bounds(min_date: dt.date = DATE_MIN) -> list:
    return [MinValueValidator(min_date), MaxValueValidator(DATE_MAX)]


def datetime_bounds() -> list:
    utc = dt.UTC
    return [
        MinValueValidator(dt.datetime(DATE_MIN.year, 1, 1, tzinfo=utc)),
        MaxValueValidator(dt.datetime(DATE_MAX.year, 12, 31, 23, 59, tzinfo=utc)),
    ]


def integer_bounds(
    name: str, *, positive: bool = False, big: bool = False, small: bool = False
) -> list:
    if is_year(name):
        return [MinValueValidator(YEAR_MIN), MaxValueValidator(YEAR_MAX)]
    top = BIGINT_MAX if big else SMALLINT_MAX if small else INT_MAX
    return [MinValueValidator(0 if positive else -top), MaxValueValidator(top)]


def amount_bounds() -> list:
    return [MinValueValidator(Decimal(-AMOUNT_MAX)), MaxValueValidator(Decimal(AMOUNT_MAX))]


def model_field_bounds(model: type[models.Model], field: models.Field) -> list:
    """The validators `field` of `model` gets; [] for a field that needs none."""
    if field.primary_key or field.is_relation:
        return []
    if isinstance(field, models.DateTimeField):
        return [] if (field.auto_now or field.auto_now_add) else datetime_bounds()
    if isinstance(field, models.DateField):
        key = (model._meta.app_label, model._meta.model_name, field.name)
        return date_bounds(HISTORICAL_DATE_MIN if key in HISTORICAL_DATES else DATE_MIN)
    if isinstance(field, models.IntegerField):
        positive = isinstance(
            field,
            models.PositiveIntegerField
            | models.PositiveSmallIntegerField
            | models.PositiveBigIntegerField,
        )
        big = isinstance(field, models.BigIntegerField | models.PositiveBigIntegerField)
        small = isinstance(field, models.SmallIntegerField | models.PositiveSmallIntegerField)
        return integer_bounds(field.name, positive=positive, big=big, small=small)
    if isinstance(field, models.DecimalField | models.FloatField):
        return amount_bounds()
    if isinstance(field, models.TextField):
        return [MaxLengthValidator(TEXT_MAX)]
    return []


def install_model_bounds() -> None:
    """Add the bounds to the validators of every domain model's fields (once)."""
    for model in apps.get_models():
        meta = model._meta
        if meta.app_label not in DOMAIN_APPS or getattr(meta, "_samarbeid_bounded", False):
            continue
        for field in meta.concrete_fields:
            extra = model_field_bounds(model, field)
            if extra:
                # `validators` is the field's cached list (deconstruct() and so the
                # migrations read `_validators`, which stays as declared).
                field.validators.extend(extra)
        meta._samarbeid_bounded = True  # type: ignore[attr-defined]
