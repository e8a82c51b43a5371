"""Background jobs of the reports (django-rq on the local Redis).

A web download that would take longer than a request may (gunicorn's timeout is 30 s; the
5,000-project overview PDF takes ~26 s of CPU, far more on a busy machine, see
bench/README-reports.md) is made by `run_report` in a worker (`manage.py rqworker
default`). The rule (`in_background`), one COUNT at most:

- CSV never (~3 ms a project: 5,000 in well under 30 s);
- the annual report's PDF and DOCX always (its charts: ~30 s on the busy bench machine
  already for the demo's 70 projects);
- the overview when its selection (the list's own filters) has more than
  `REPORTS_BACKGROUND_PROJECTS` projects (300), in any other format;
- the municipality account and the annual report's HTML/XLSX when the cooperation has more
  than that many projects (an upper bound of what they show, cheaper than their own
  queries);
- the presentation and the hearing summary never (they do not grow with the projects).

The finished file is the job's result in Redis, kept `KEEP` (24 hours) and then dropped
by Redis itself, so every web process on every machine can serve it and nothing needs
cleaning. The job's meta names the user who asked: only that user may see the status page
and fetch the file (the permission to a report depends on the user and the selection; the
check is made once, in the view, before the job is queued). Without a reachable Redis the
report is made in the request, as a small one is.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

import django_rq
from django.conf import settings
from django.http import QueryDict
from django.utils import translation
from redis.exceptions import RedisError
from rq import get_current_job
from rq.job import Job, JobStatus

from projects.selectors import ProjectFilter
from reports import registry, selectors
from reports.common import ReportError
from samarbeid.common import queue
from samarbeid.common.services import Actor

logger = logging.getLogger(__name__)

JOB_TIMEOUT = 30 * 60
KEEP = queue.KEEP
IMMEDIATE_FORMATS = ("csv",)
ALWAYS_FORMATS = ("pdf", "docx")  # of the annual report


def overview_size(params: QueryDict) -> int | None:
    """How many projects the overview for these filters holds; None when they do not
    validate (the report then answers 400 as before)."""
    coop = selectors.cooperation()
    form = selectors.overview_filter_form(coop=coop, data=params)
    if form.is_bound and not form.is_valid():
        return None
    return selectors.overview_projects(coop=coop, filters=form.to_filter()).count()


def cooperation_size() -> int:
    """How many projects the cooperation has (an upper bound of a municipality account's
    and an annual report's)."""
    coop = selectors.cooperation()
    return selectors.overview_projects(coop=coop, filters=ProjectFilter()).count()


def in_background(name: str, fmt: str, params: QueryDict) -> bool:
    """Whether this download is made by a job (the rule in the module's docstring)."""
    if fmt in IMMEDIATE_FORMATS:
        return False
    if name == "annual" and fmt in ALWAYS_FORMATS:
        return True
    if name == "overview":
        size = overview_size(params)
    elif name in ("municipality", "annual"):
        size = cooperation_size()
    else:
        return False
    return size is not None and size > settings.REPORTS_BACKGROUND_PROJECTS


def enqueue_report(*, user: Actor, name: str, fmt: str, lang: str, params: QueryDict) -> str | None:
    """Queue the report; its id (unguessable, the name of the stored file), or None when
    Redis is not reachable and the caller should make the report itself."""
    job_id = uuid.uuid4().hex
    meta = {"user": getattr(user, "pk", None), "report": name, "format": fmt}
    ui_lang = translation.get_language() or settings.LANGUAGE_CODE
    args = (name, fmt, lang, params.urlencode(), ui_lang)
    if not queue.enqueue(run_report, *args, job_id=job_id, meta=meta, job_timeout=JOB_TIMEOUT):
        logger.warning("Redis is not reachable; making the %s report in the request", name)
        return None
    return job_id


def run_report(name: str, fmt: str, lang: str, query: str, ui_lang: str = "nb") -> dict:
    """The job: build the document, then render it; progress in the job's meta
    ({"stage": "collecting"|"rendering"}). A failure is returned, for the status page."""
    params = QueryDict(query)
    with translation.override(ui_lang):
        try:
            _progress("collecting")
            doc = registry.build(name, lang=lang, params=params)
            _progress("rendering")
            data = registry.render(doc, fmt)
        except ReportError as exc:
            return {"ok": False, "message": str(exc)}
        except Exception:
            logger.exception("the %s report (%s, %s) failed", name, fmt, query)
            return {"ok": False, "message": ""}
    spec = registry.FORMATS[fmt]
    return {
        "ok": True,
        "data": data,
        "content_type": spec.content_type,
        "filename": f"{doc.filename}.{spec.extension}",
        "lang": lang,
    }


def _progress(stage: str) -> None:
    job = get_current_job()
    if job is None:
        return
    job.meta["progress"] = {"stage": stage}
    try:
        job.save_meta()
    except RedisError:  # progress is a courtesy; the report goes on
        logger.warning("could not save the progress of job %s", job.id)


@dataclass
class ReportJob:
    id: str
    report: str
    format: str
    state: str
    """"queued", "running", "done" or "failed"."""
    stage: str = ""
    message: str = ""
    result: dict | None = None


def report_job(job_id: str, *, user: Actor) -> ReportJob | None:
    """The report `job_id` if it exists, is kept still, and `user` asked for it."""
    try:
        job = Job.fetch(job_id, connection=django_rq.get_connection(queue.QUEUE))
        status = job.get_status()
    except Exception:  # no such job (expired, never), a bad id, or Redis unreachable
        return None
    if job.meta.get("user") is None or job.meta.get("user") != getattr(user, "pk", None):
        return None
    found = ReportJob(job_id, job.meta.get("report", ""), job.meta.get("format", ""), "queued")
    found.stage = (job.meta.get("progress") or {}).get("stage", "")
    if status == JobStatus.FINISHED:
        result = job.return_value() or {}
        found.state = "done" if result.get("ok") else "failed"
        found.message = result.get("message", "")
        found.result = result if result.get("ok") else None
    elif status in (JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED):
        found.state = "failed"
    elif status == JobStatus.STARTED:
        found.state = "running"
    return found
