"""The importer's periodic jobs, for `python manage.py rqcron importers.cron` (started by
`make run`; in production a service next to the worker, see the README)."""

from rq import cron

from importers.jobs import cleanup_previews
from samarbeid.common.queue import QUEUE

# Stored import previews are deleted a day after the upload; look every hour.
cron.register(cleanup_previews, queue_name=QUEUE, interval=60 * 60, name="cleanup-previews")
