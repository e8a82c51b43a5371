"""English pages use British conventions (day before month), as a Norwegian reader expects;
ISO dates come first so date fields render and parse the same as on Norwegian pages."""

from django.conf.locale.en_GB.formats import *  # noqa: F403
from django.conf.locale.en_GB.formats import DATE_INPUT_FORMATS as _GB_DATE_INPUT_FORMATS

DATE_INPUT_FORMATS = ["%Y-%m-%d", *(f for f in _GB_DATE_INPUT_FORMATS if f != "%Y-%m-%d")]
FIRST_DAY_OF_WEEK = 1
