from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members and registry")

    def ready(self):
        from members import (
            checks,  # noqa: F401 - registers the system checks
            history_pages,
            request_cache,
        )

        history_pages.register()
        request_cache.connect()
