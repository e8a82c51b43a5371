"""Admin building blocks. Every admin writes through its app's services
(docs/architecture.md); these make a service's refusal a form error, never a 500."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import Model
from django.forms import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from samarbeid.common.forms import CheckedFileField
from samarbeid.common.models import AuditEvent

# Uploads through the admin are checked by content like those of the site's own forms.
CHECKED_FILES: dict = {models.FileField: {"form_class": CheckedFileField}}


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's error on the form: on the field it names, else over the form (with
    the name of a field the form does not show, e.g. one of an inline row)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        if name in form.fields or name == NON_FIELD_ERRORS:
            form.add_error(None if name == NON_FIELD_ERRORS else name, errors)
        else:
            form.add_error(None, [f"{name}: {m}" for m in ValidationError(errors).messages])


def refusing_form(form_class: type[forms.ModelForm], error: ValidationError) -> type:
    """`form_class`, invalid with the service's `error`."""

    class RefusedForm(form_class):  # type: ignore[valid-type,misc]
        def clean(self) -> dict[str, Any]:
            cleaned = super().clean()
            add_service_errors(self, error)
            return cleaned

    return RefusedForm


class ServiceAdmin(SimpleHistoryAdmin):
    """An admin whose saves call services (from save_model, save_related, save_formset).

    Its file fields check uploads by content (`CHECKED_FILES`; inlines set it too).

    When a service refuses with a ValidationError, the change view's transaction is rolled
    back (nothing of the request is written) and the view runs again with a form that
    carries the error, so the editor sees the input they sent with the reason it was not
    saved.
    """

    formfield_overrides = CHECKED_FILES

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            request._service_refusal = error  # type: ignore[attr-defined]
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(
        self, request: HttpRequest, obj: Model | None = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm]:
        form = super().get_form(request, obj, change, **kwargs)
        error = getattr(request, "_service_refusal", None)
        return form if error is None else refusing_form(form, error)

    @staticmethod
    def adopt(obj: Model, created: Model) -> None:
        """The admin goes on with the object it built (log entry, redirect): give it the
        primary key of the row the service created."""
        obj.pk = created.pk
        obj._state.adding = False

    @staticmethod
    def written_by_service(formset: BaseInlineFormSet) -> None:
        """What formset.save() would have told the admin's change message: nothing, the
        service wrote the rows."""
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


class ReadOnlyAdminMixin:
    """Rows no service writes from here: shown, never added, changed or deleted."""

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
    show_change_link = True


class HistoryPageLinkMixin:
    """Adds a read-only `history_page` field: a link to the object's history page, where
    the secretariat reads the diffs and restores a version (docs/history.md)."""

    @admin.display(description=_("history page"))
    def history_page(self, obj: Model | None) -> str:
        if obj is None or obj.pk is None:
            return "—"
        url = reverse("history", args=[obj._meta.label_lower, obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Versions, diffs and restore"))


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """What was deleted for good, by whom and when (written by the purge services)."""

    list_display = ["at", "actor_name", "action", "object_type", "object_repr"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_repr", "actor_name"]
    date_hierarchy = "at"
