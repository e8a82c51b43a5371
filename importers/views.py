"""Upload a project overview, preview what would change, confirm (secretariat only)."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from importers.forms import ConfirmForm, UploadForm
from importers.merge import FIELD_UNITS
from importers.readers import human_size
from importers.services import ImportFailed, max_import_bytes, upload_confirm, upload_stage
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
    try:
        report = upload_confirm(actor=request.user, token=form.cleaned_data["token"])
    except ImportFailed as exc:
        return render(
            request,
            "importers/upload.html",
            {
                "form": UploadForm(max_bytes=max_import_bytes()),
                "errors": exc.errors,
                "limit": human_size(max_import_bytes()),
            },
            status=400,
        )
    messages.success(
        request,
        _("Imported %(file)s: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
        % {"file": report.filename, **report.summary},
    )
    return render(request, "importers/done.html", {"report": report})
