from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    """The site shell: the front page and loading the demo, on top of every domain app."""

    name = "samarbeid.site"
    label = "site_shell"
    verbose_name = _("Site")
