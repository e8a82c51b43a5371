"""An uploaded overview kept between preview and confirmation."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from members.models import Cooperation


class ImportBatch(models.Model):
    """The bytes of an uploaded file, keyed by a random token, until confirmed."""

    token = models.CharField(_("token"), max_length=64, unique=True)
    cooperation = models.ForeignKey(
        Cooperation, on_delete=models.CASCADE, related_name="import_batches"
    )
    filename = models.CharField(_("file name"), max_length=200)
    data = models.BinaryField(_("content"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="import_batches",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("imported"), null=True, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename
