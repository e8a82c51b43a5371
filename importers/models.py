"""An uploaded overview kept between preview and confirmation."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from members.models import Cooperation


class ImportBatch(models.Model):
    """The bytes of an uploaded file, keyed by a random token, until confirmed."""

    class Status(models.TextChoices):
        STAGED = "staged", _("previewed")
        QUEUED = "queued", _("waiting")
        RUNNING = "running", _("importing")
        DONE = "done", _("imported")
        FAILED = "failed", _("failed")

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
    # A large import runs as a background job (importers.jobs): its state, for the status
    # page. The progress while it runs is in the job's meta in Redis.
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.STAGED
    )
    job_id = models.CharField(_("job"), max_length=64, blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True)

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename

    @property
    def rows_total(self) -> int:
        return sum(int(n) for n in (self.summary or {}).values())
