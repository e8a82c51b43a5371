"""Upload a project overview, preview what would change, confirm (secretariat only)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from importers import jobs
from importers.forms import ConfirmForm, UploadForm
from importers.merge import FIELD_UNITS
from importers.readers import human_size
from importers.selectors import batch_by_token
from importers.services import (
    ImportFailed,
    max_import_bytes,
    upload_confirm,
    upload_queue,
    upload_stage,
)
from members.selectors import default_cooperation
from samarbeid.common.permissions import is_secretariat


def _guard(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not is_secretariat(request.user):
        raise PermissionDenied(_("Only the secretariat may import project overviews."))
    return None


@require_http_methods(["GET", "POST"])
def upload(request):
    if (response := _guard(request)) is not None:
        return response
    limit = max_import_bytes()
    errors: list[str] = []
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES, max_bytes=limit)
        if form.is_valid():
            upload_file = form.cleaned_data["file"]
            try:
                batch, report = upload_stage(
                    actor=request.user,
                    cooperation=form.cleaned_data["cooperation"],
                    data=upload_file.read(),
                    filename=upload_file.name,
                )
            except ImportFailed as exc:
                errors = exc.errors
            else:
                rows = [_row(p) for p in report.plans]
                return render(
                    request,
                    "importers/preview.html",
                    {
                        "batch": batch,
                        "report": report,
                        "rows": rows,
                        "changed_rows": [r for r in rows if r["action"] != "unchanged"],
                        "file_warnings": _file_warnings(report),
                        "confirm_form": ConfirmForm(initial={"token": batch.token}),
                    },
                )
    else:
        cooperation = default_cooperation()
        form = UploadForm(
            initial={"cooperation": cooperation.pk if cooperation else None}, max_bytes=limit
        )
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "importers/upload.html",
        {"form": form, "errors": errors, "limit": human_size(limit)},
        status=status,
    )


# What changed in an updated row, in the words of the overview's columns: the project
# fields in the units the merge compares, then the rows the import writes.
CHANGE_GROUPS = (
    *(
        ((*keys, "participations") if "participants_text" in keys else keys, label)
        for keys, label in FIELD_UNITS
    ),
    (("money",), pgettext_lazy("import change", "money")),
    (("deliverables",), pgettext_lazy("import change", "reports and due dates")),
    (("spin_offs",), pgettext_lazy("import change", "spin-offs")),
    (("unresolved",), pgettext_lazy("import change", "unresolved text")),
    (("links",), pgettext_lazy("import change", "links")),
)


def _change_labels(keys: list[str]) -> list[str]:
    """ "participants_text", "participations", "source_text" → ["participants"]; the
    source cells change with every cell and are not listed on their own."""
    labels = [str(label) for group, label in CHANGE_GROUPS if set(group) & set(keys)]
    if not labels and keys:
        labels = [str(pgettext_lazy("import change", "cells as written"))]
    return labels


def _file_warnings(report) -> list[str]:
    """Warnings about the file rather than one project (cells beyond the header ...)."""
    per_row = {w for p in report.plans for w in p.warnings}
    return [w for w in report.warnings if w not in per_row]


def _row(p) -> dict:
    return {
        "changes": _change_labels(p.changes),
        "number": p.row.number,
        "name": p.name,
        "category": p.fields["category"],
        "action": p.action,
        "participants": sum(1 for item in p.participations if item["role"] != "host"),
        "money": len(p.money),
        "warnings": p.messages,
    }


@require_POST
def confirm(request):
    if (response := _guard(request)) is not None:
        return response
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The confirmation was incomplete; upload the file again."))
        return redirect("importers:upload")
    token = form.cleaned_data["token"]
    batch = batch_by_token(token)
    try:
        if batch is not None and batch.rows_total > settings.IMPORT_BACKGROUND_ROWS:
            # A large file is imported by a worker; the status page shows how far it got.
            batch = upload_queue(actor=request.user, token=token)
            jobs.enqueue_import(batch, actor=request.user)
            return redirect("importers:status", token=batch.token)
        report = upload_confirm(actor=request.user, token=token)
    except ImportFailed as exc:
        return _upload_again(request, exc.errors)
    messages.success(
        request,
        _("Imported %(file)s: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
        % {"file": report.filename, **report.summary},
    )
    return render(request, "importers/done.html", {"report": report})


def _upload_again(request, errors: list[str]):
    return render(
        request,
        "importers/upload.html",
        {
            "form": UploadForm(max_bytes=max_import_bytes()),
            "errors": errors,
            "limit": human_size(max_import_bytes()),
        },
        status=400,
    )


@require_http_methods(["GET"])
def status(request, token: str):
    """How far a background import got; htmx polls the fragment until it is done."""
    if (response := _guard(request)) is not None:
        return response
    batch = batch_by_token(token)
    if batch is None:
        raise Http404(_("No such import."))
    progress = jobs.import_progress(batch)
    lost = bool(progress and progress.get("lost"))
    percent = None
    if progress and progress.get("total"):
        percent = round(100 * progress["done"] / progress["total"])
    context = {
        "batch": batch,
        "progress": progress,
        "percent": percent,
        "lost": lost,
        "working": batch.status in (batch.Status.QUEUED, batch.Status.RUNNING) and not lost,
    }
    template = "importers/_status.html" if request.htmx else "importers/status.html"
    return render(request, template, context)
