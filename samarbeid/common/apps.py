from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "samarbeid.common"
    label = "common"
    verbose_name = _("Common")

    def ready(self) -> None:
        from django.db.models.signals import post_save, pre_save
        from simple_history.signals import pre_create_historical_record

        from samarbeid.common import signin
        from samarbeid.common.bounds import install_model_bounds
        from samarbeid.common.history import clear_skip, skip_unchanged_history
        from samarbeid.common.versions import clear_restored_from, copy_restored_from

        install_model_bounds()
        signin.connect()

        pre_save.connect(skip_unchanged_history, dispatch_uid="samarbeid-skip-unchanged")
        post_save.connect(clear_skip, dispatch_uid="samarbeid-clear-skip")
        pre_create_historical_record.connect(
            copy_restored_from, dispatch_uid="samarbeid-restored-from"
        )
        post_save.connect(clear_restored_from, dispatch_uid="samarbeid-clear-restored-from")
