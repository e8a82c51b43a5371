"""Admin for the networks. Writes go through networks.services, like the pages: networks
(network_create / network_update), member municipalities and organisations and people
(membership_add / membership_update, member_add / member_update) and library documents
(document_create with the first file, document_update, document_version_add for a new
file). Uploads are checked by content (`CHECKED_FILES`). Rows no service writes from here
(meetings, versions, tags, experience, proposals, training) are read-only; nothing is
deleted here, since no service deletes. A service's refusal is a form error, never a 500.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from networks import models, services
from samarbeid.common.admin import ReadOnlyAdminMixin, ReadOnlyInline, ServiceAdmin
from samarbeid.common.forms import CheckedFileField


class NoDeleteMixin:
    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class MembershipInline(ReadOnlyInline):
    model = models.NetworkMembership
    fields = readonly_fields = ("municipality", "organisation", "start", "end")


class MemberInline(ReadOnlyInline):
    model = models.NetworkMember
    fields = readonly_fields = ("person", "municipality", "start", "end")


@admin.register(models.Network)
class NetworkAdmin(NoDeleteMixin, ServiceAdmin):
    list_display = ["name", "field", "status", "started", "coordinator"]
    list_filter = ["status", "cooperation"]
    search_fields = ["name", "field"]
    autocomplete_fields = ["coordinator", "project"]
    fields = ["cooperation", "name", *services.NETWORK_FIELDS[1:]]
    inlines = [MembershipInline, MemberInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["cooperation"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        fields = {f: form.cleaned_data[f] for f in services.NETWORK_FIELDS if f != "name"}
        if change:
            services.network_update(
                actor=request.user,
                network=obj,
                changes={"name": form.cleaned_data["name"], **fields},
            )
            return
        created = services.network_create(
            actor=request.user,
            cooperation=form.cleaned_data["cooperation"],
            name=form.cleaned_data["name"],
            fields=fields,
        )
        self.adopt(obj, created)


class _PeriodAdmin(NoDeleteMixin, ServiceAdmin):
    """Who takes part is added with its party and then only ended or re-dated."""

    fixed: list[str] = []

    @staticmethod
    def saved(obj: Any) -> Any:
        """The row as stored (the form has already put the new period on `obj`), so the
        service sees whether the period is ended or re-dated."""
        return type(obj).objects.select_related("network").get(pk=obj.pk)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return self.fixed if obj is not None else []


@admin.register(models.NetworkMembership)
class NetworkMembershipAdmin(_PeriodAdmin):
    list_display = ["__str__", "network", "start", "end"]
    list_filter = ["network"]
    autocomplete_fields = ["municipality", "organisation"]
    fields = ["network", "municipality", "organisation", "start", "end", "note"]
    fixed = ["network", "municipality", "organisation"]

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            services.membership_update(
                actor=request.user,
                membership=self.saved(obj),
                start=data["start"],
                end=data["end"],
                note=data["note"],
            )
            return
        created = services.membership_add(actor=request.user, **{f: data[f] for f in self.fields})
        self.adopt(obj, created)


@admin.register(models.NetworkMember)
class NetworkMemberAdmin(_PeriodAdmin):
    list_display = ["person", "network", "municipality", "start", "end"]
    list_filter = ["network"]
    autocomplete_fields = ["person", "municipality", "organisation"]
    fields = ["network", "person", "municipality", "organisation", "start", "end"]
    fixed = ["network", "person", "municipality", "organisation"]

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            services.member_update(
                actor=request.user, member=self.saved(obj), start=data["start"], end=data["end"]
            )
            return
        created = services.member_add(actor=request.user, **{f: data[f] for f in self.fields})
        self.adopt(obj, created)


class DocumentAdminForm(forms.ModelForm):
    upload = CheckedFileField(
        label=_("File"),
        required=False,
        help_text=_("Required for a new document; on an existing one, a new version."),
    )
    change_note = forms.CharField(label=_("Change note"), required=False, max_length=300)
    tag_names = forms.CharField(
        label=_("Tags"), required=False, help_text=_("Separated by commas.")
    )

    class Meta:
        model = models.Document
        fields = ["network", "title", "kind", "visibility"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["tag_names"].initial = ", ".join(t.name for t in self.instance.tags.all())
        else:
            self.fields["upload"].required = True


class VersionInline(ReadOnlyInline):
    model = models.DocumentVersion
    fields = readonly_fields = (
        "number",
        "uploaded_by",
        "uploaded_at",
        "file_kind",
        "size",
        "text_status",
    )
    show_change_link = False


@admin.register(models.Document)
class DocumentAdmin(NoDeleteMixin, ServiceAdmin):
    form = DocumentAdminForm
    list_display = ["title", "network", "kind", "visibility", "updated_at"]
    list_filter = ["network", "kind", "visibility"]
    search_fields = ["title", "search_text"]
    inlines = [VersionInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["network"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        tags = [t.strip() for t in data["tag_names"].split(",") if t.strip()]
        if not change:
            created = services.document_create(
                actor=request.user,
                network=data["network"],
                title=data["title"],
                kind=data["kind"],
                visibility=data["visibility"],
                tags=tags,
                upload=data["upload"],
                change_note=data["change_note"],
            )
            self.adopt(obj, created)
            return
        changes = {f: data[f] for f in services.DOCUMENT_FIELDS}
        services.document_update(actor=request.user, document=obj, changes=changes, tags=tags)
        if data["upload"]:
            services.document_version_add(
                actor=request.user,
                document=obj,
                upload=data["upload"],
                change_note=data["change_note"],
            )


class ReadOnlyAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Written on the network pages through the services; shown here."""


for model in (
    models.NetworkMeeting,
    models.DocumentVersion,
    models.DocumentTag,
    models.ExperienceEntry,
    models.Proposal,
    models.Programme,
    models.Course,
    models.Session,
    models.Attendance,
):
    admin.site.register(model, ReadOnlyAdmin)
