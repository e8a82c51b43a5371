"""Background jobs of the importer (django-rq on the local Redis).

A web import with more rows than `IMPORT_BACKGROUND_ROWS` is confirmed by queuing
`run_import`: a worker (`manage.py rqworker default`) imports the file in one transaction
through `importers.services.upload_run`, and keeps its progress in the job's meta for the
status page. `cleanup_previews` is run every hour by `manage.py rqcron importers.cron`.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Iterable, Iterator
from functools import partial

import django_rq
from django.contrib.auth import get_user_model
from django.db import transaction
from redis.exceptions import RedisError
from rq import get_current_job
from rq.job import Job, JobStatus

from importers.models import ImportBatch
from importers.services import (
    PREVIEW_KEPT,
    ImportFailed,
    import_previews_cleanup,
    upload_run,
)
from samarbeid.common import queue
from samarbeid.common.services import Actor

logger = logging.getLogger(__name__)

JOB_TIMEOUT = 60 * 60  # an hour, whatever the web server's timeout


def enqueue_import(batch: ImportBatch, *, actor: Actor) -> None:
    """Queue the import of a batch `upload_queue` marked, once the transaction that marked
    it has committed. Without a reachable Redis the import runs here and now, as a small
    one would."""
    transaction.on_commit(partial(_enqueue, batch.pk, batch.job_id, getattr(actor, "pk", None)))


def _enqueue(batch_pk: int, job_id: str, user_pk: int | None) -> None:
    if not queue.enqueue(run_import, batch_pk, user_pk, job_id=job_id, job_timeout=JOB_TIMEOUT):
        logger.warning("Redis is not reachable; importing batch %s in the request", batch_pk)
        run_import(batch_pk, user_pk)


def run_import(batch_pk: int, user_pk: int | None) -> dict:
    """The job: import the batch; a failure is kept on the batch for the status page."""
    actor = get_user_model().objects.get(pk=user_pk) if user_pk is not None else None
    try:
        report = upload_run(actor=actor, batch_id=batch_pk, progress=JobProgress())
    except ImportFailed as exc:
        return {"ok": False, "errors": exc.errors}
    return {"ok": True, "summary": report.summary}


class JobProgress:
    """Wraps the rows the import goes through; every so often writes how far it got into
    the current job's meta: {"stage": "checking"|"writing", "done": n, "total": N}."""

    EVERY_SECONDS = 0.5

    def __init__(self) -> None:
        self.job = get_current_job()
        self.last = 0.0

    def __call__(self, items: Iterable, stage: str) -> Iterator:
        total = len(items) if hasattr(items, "__len__") else None
        done = 0
        self._save(stage, done, total)
        for item in items:
            yield item
            done += 1
            if time.monotonic() - self.last >= self.EVERY_SECONDS:
                self._save(stage, done, total)
        self._save(stage, done, total)

    def _save(self, stage: str, done: int, total: int | None) -> None:
        self.last = time.monotonic()
        if self.job is None:
            return
        self.job.meta["progress"] = {"stage": stage, "done": done, "total": total}
        try:
            self.job.save_meta()
        except RedisError:  # progress is a courtesy; the import goes on
            logger.warning("could not save the progress of job %s", self.job.id)


def import_progress(batch: ImportBatch) -> dict | None:
    """How far a queued or running import got, from its job's meta; None when unknown.
    {"lost": True} when the job ended without finishing the batch (a worker killed in the
    middle: its transaction was rolled back, nothing was written)."""
    if not batch.job_id or batch.status not in (
        ImportBatch.Status.QUEUED,
        ImportBatch.Status.RUNNING,
    ):
        return None
    try:
        job = Job.fetch(batch.job_id, connection=django_rq.get_connection(queue.QUEUE))
    except Exception:  # no such job (yet), or Redis unreachable
        return None
    if job.get_status() in (JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED):
        return {"lost": True}
    return job.meta.get("progress")


def cleanup_previews(hours: float | None = None) -> tuple[int, int]:
    """The hourly job: delete stored previews older than a day."""
    older = dt.timedelta(hours=hours) if hours is not None else PREVIEW_KEPT
    deleted, emptied = import_previews_cleanup(actor=None, older_than=older)
    logger.info("import previews: %s deleted, %s emptied", deleted, emptied)
    return deleted, emptied
