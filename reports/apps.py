from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Documents made from the data: the project overview, a municipality's account, the
    annual report and the presentation."""

    name = "reports"
    verbose_name = _("Reports")
