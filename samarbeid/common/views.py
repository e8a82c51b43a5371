"""History pages, restore of a version, and the trash (docs/history.md).

Generic over the models the apps register in samarbeid.common.versions and
samarbeid.common.trash; every write goes through the app's service.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from samarbeid.common import trash, versions
from samarbeid.common.kept import render_for_session
from samarbeid.common.permissions import is_secretariat, require_secretariat


def error_text(exc: ValidationError, model: type[models.Model]) -> str:
    """A service's refusal in words, naming the field."""
    if not hasattr(exc, "error_dict"):
        return " ".join(exc.messages)
    parts = []
    for name, errors in exc.error_dict.items():
        try:
            label = str(getattr(model._meta.get_field(name), "verbose_name", name))
            prefix = label[:1].upper() + label[1:] + ": "
        except FieldDoesNotExist:
            prefix = ""
        parts.append(prefix + " ".join(ValidationError(errors).messages))
    return " ".join(parts)


def _entry(key: str) -> versions.Registered:
    entry = versions.registered(key)
    if entry is None:
        raise Http404(_("No such page."))
    return entry


def _title(entry: versions.Registered, instance: Any, pk: Any) -> str:
    name = str(entry.model._meta.verbose_name)
    name = name[:1].upper() + name[1:]
    return f"{name}: {instance}" if instance is not None else f"{name} #{pk}"


def _when(value: Any) -> str:
    return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


@login_required
def history(request: HttpRequest, key: str, pk: int) -> HttpResponse:
    """Every version of one object, newest first, 25 a page, each with what changed."""
    entry = _entry(key)
    if not entry.can_read(request.user):
        raise PermissionDenied
    instance = entry.model._base_manager.filter(pk=pk).first()
    page, rows = versions.versions_page(entry, pk, request.GET.get("page"))
    if instance is None and not rows:
        raise Http404(_("No such page."))
    in_trash = getattr(instance, "deleted_at", None) is not None
    # Versions of the watched apps' rows, their authors and the reader's roles: kept for
    # the session (samarbeid.common.kept).
    return render_for_session(
        request,
        "common/history.html",
        {
            "title": _title(entry, instance, pk),
            "instance": instance,
            "in_trash": in_trash,
            "object_url": (
                entry.object_url(instance) if instance and entry.object_url and not in_trash else ""
            ),
            "page": page,
            "versions": rows,
            "key": entry.key,
            "pk": pk,
            "can_restore": bool(
                entry.restore and instance and not in_trash and is_secretariat(request.user)
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def restore(request: HttpRequest, key: str, pk: int, history_id: int) -> HttpResponse:
    """Confirm (GET) and restore (POST) an earlier version through the app's service."""
    require_secretariat(request.user)
    entry = _entry(key)
    instance = entry.model._base_manager.filter(pk=pk).first()
    record = versions.history_records(entry, pk).filter(history_id=history_id).first()
    if instance is None or record is None or entry.restore is None:
        raise Http404(_("No such version."))
    back = reverse("history", args=[entry.key, pk])
    changes = versions.restore_preview(entry, instance, record)
    if request.method == "POST":
        if not changes:
            messages.info(request, _("Nothing to restore: it already has these values."))
            return redirect(back)
        try:
            entry.restore(actor=request.user, instance=instance, version=record)
        except ValidationError as exc:
            messages.error(
                request,
                _("The version from %(date)s was not restored, and nothing changed: %(why)s")
                % {"date": _when(record.history_date), "why": error_text(exc, entry.model)},
            )
            return redirect(back)
        messages.success(
            request,
            _("The version from %(date)s is restored.") % {"date": _when(record.history_date)},
        )
        return redirect(back)
    return render(
        request,
        "common/restore_confirm.html",
        {
            "title": _title(entry, instance, pk),
            "when": record.history_date,
            "changes": changes,
            "back": back,
        },
    )


@login_required
def trash_list(request: HttpRequest) -> HttpResponse:
    """What the secretariat deleted, 50 a page, newest first, of one kind or all, with who and
    when; and what was purged for good."""
    require_secretariat(request.user)
    found = trash.trash_page(kind=request.GET.get("kind", ""), page=request.GET.get("page"))
    events = trash.recent_audit_events()
    # A restore or a purge changes a watched app's row (and the purge's audit row with it):
    # kept for the session (samarbeid.common.kept).
    return render_for_session(
        request,
        "common/trash.html",
        {
            "page": found.page,
            "items": found.page.object_list,
            "kinds": found.kinds,
            "kind": found.kind,
            "total": sum(k.count for k in found.kinds),
            "back": _trash_query(request),
            "events": [(e, trash.type_label(e.object_type)) for e in events],
        },
    )


def _trash_query(request: HttpRequest) -> str:
    """The trash page's kind and page from this request's query string ("?kind=…&page=…"):
    the restore and purge actions carry it, and go back to the page they were started on."""
    query = QueryDict(mutable=True)
    for name in ("kind", "page"):
        if request.GET.get(name):
            query[name] = request.GET[name]
    return "?" + query.urlencode() if query else ""


def _back_to_trash(request: HttpRequest) -> HttpResponse:
    return redirect(reverse("trash") + _trash_query(request))


def _trashed_or_404(key: str, pk: int) -> tuple[trash.Trashable, Any]:
    try:
        return trash.find(key, pk)
    except LookupError as exc:
        raise Http404(_("That is not in the trash.")) from exc


@login_required
@require_POST
def trash_restore(request: HttpRequest, key: str, pk: int) -> HttpResponse:
    require_secretariat(request.user)
    entry, instance = _trashed_or_404(key, pk)
    try:
        entry.untrash(actor=request.user, instance=instance)
    except ValidationError as exc:
        messages.error(
            request,
            _("%(name)s was not restored: %(why)s")
            % {"name": instance, "why": error_text(exc, entry.model)},
        )
    else:
        messages.success(request, _("%(name)s is restored from the trash.") % {"name": instance})
    return _back_to_trash(request)


@login_required
@require_http_methods(["GET", "POST"])
def trash_purge(request: HttpRequest, key: str, pk: int) -> HttpResponse:
    """Confirm (GET) and delete for good (POST) a row in the trash; logged."""
    require_secretariat(request.user)
    entry, instance = _trashed_or_404(key, pk)
    item = trash.TrashItem(entry, instance)
    if request.method == "POST":
        name = str(instance)
        try:
            entry.purge(actor=request.user, instance=instance)
        except ValidationError as exc:
            messages.error(request, error_text(exc, entry.model))
        else:
            messages.success(request, _("%(name)s is deleted for good.") % {"name": name})
        return _back_to_trash(request)
    return render(
        request, "common/purge_confirm.html", {"item": item, "back": _trash_query(request)}
    )
