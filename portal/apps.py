from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The public face: portal pages, the widget for members' websites, the open-data API."""

    name = "portal"
    verbose_name = _("Public portal")
