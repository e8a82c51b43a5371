"""System checks for the member registry."""

from django.core.checks import Info, register
from django.db import DatabaseError
from django.utils.translation import gettext_lazy as _


@register()
def municipality_registry_loaded(app_configs=None, **kwargs):
    """A hint (never an error) when the municipality registry is empty."""
    from members.models import Municipality

    try:
        empty = not Municipality.objects.exists()
    except DatabaseError:  # not migrated yet, or no database: nothing to say
        return []
    if not empty:
        return []
    return [
        Info(
            _("The municipality registry is empty."),
            hint=_("Run “python manage.py load_municipalities” to load it from the SSB snapshot."),
            id="members.I001",
        )
    ]
