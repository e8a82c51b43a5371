from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Projects")

    def ready(self) -> None:
        from projects import history_pages, page_shell
        from projects.analytics import cache

        cache.connect()
        page_shell.connect()
        history_pages.register()
