"""Upload a project overview, preview what would change, confirm (secretariat only)."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from importers.forms import ConfirmForm, UploadForm
from importers.readers import human_size
from importers.services import ImportFailed, confirm_upload, max_import_bytes, stage_upload
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
                batch, report = stage_upload(
                    actor=request.user,
                    cooperation=form.cleaned_data["cooperation"],
                    data=upload_file.read(),
                    filename=upload_file.name,
                )
            except ImportFailed as exc:
                errors = exc.errors
            else:
                return render(
                    request,
                    "importers/preview.html",
                    {
                        "batch": batch,
                        "report": report,
                        "rows": [_row(p) for p in report.plans],
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


def _row(p) -> dict:
    return {
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
        report = confirm_upload(actor=request.user, token=form.cleaned_data["token"])
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
