"""Admin for the project portfolio. Every model keeps its history (SimpleHistoryAdmin).

The admin writes only through projects.services, like the pages: a project with its inline
rows through project_create / project_update (so the version, the history reason and user and
the search text are right), participations and spin-offs through their services, tags through
tag_create / tag_update. Rows no service edits on their own (money, deliverables, phase
transitions, links, unresolved mentions) are read-only here and edited on the project.
A ValidationError from a service comes back as a form error, never a 500.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from simple_history.admin import SimpleHistoryAdmin

from projects import models, services
from projects.formatting import project_period
from samarbeid.common.admin import CHECKED_FILES, ReadOnlyAdminMixin, ServiceAdmin
from samarbeid.common.forms import BoundedForm


class ProjectServiceAdmin(ServiceAdmin):
    """A stale project version is a refusal like any other (the form says so)."""

    def call_service(self, service: Any, /, **kwargs: Any) -> Any:
        try:
            return service(**kwargs)
        except services.ProjectChangedElsewhere as exc:
            raise ValidationError(
                _("Someone else saved this project while you were editing")
            ) from exc


class ParticipationInline(admin.TabularInline):
    model = models.Participation
    extra = 0
    autocomplete_fields = ["municipality", "organisation"]


class MoneyEntryInline(admin.TabularInline):
    model = models.MoneyEntry
    extra = 0
    autocomplete_fields = ["funder", "municipality"]
    fields = [
        "kind",
        "benefit_category",
        "certainty",
        "amount_nok",
        "approximate",
        "funder",
        "municipality",
        "year_from",
        "year_to",
        "purpose",
    ]


class DeliverableInline(admin.TabularInline):
    model = models.Deliverable
    extra = 0
    fields = ["kind", "title", "due_date", "due_precision", "delivered_date", "file", "note"]
    formfield_overrides = CHECKED_FILES


class PhaseTransitionInline(admin.TabularInline):
    model = models.PhaseTransition
    extra = 0


class SpinOffInline(admin.StackedInline):
    model = models.SpinOff
    extra = 0
    autocomplete_fields = ["organisation", "host_municipality"]


class LinkOutInline(admin.TabularInline):
    model = models.ProjectLink
    fk_name = "source"
    extra = 0
    autocomplete_fields = ["target"]
    verbose_name = _("link to another project")
    verbose_name_plural = _("links to other projects")


class UnresolvedMentionInline(ReadOnlyAdminMixin, admin.TabularInline):
    """Written by imports only (no service saves them with the project form)."""

    model = models.UnresolvedMention
    extra = 0


class ProjectAdminForm(BoundedForm, forms.ModelForm):
    """Carries the version the editor loaded, so a save over someone else's is refused."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.version


@admin.register(models.Project)
class ProjectAdmin(ProjectServiceAdmin):
    form = ProjectAdminForm
    list_display = ["name", "period", "category", "phase", "status", "host_municipality"]
    list_filter = ["cooperation", "category", "phase", "status", "result", "working_form", "tags"]
    search_fields = ["name", "short_name", "search_text"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = [
        "consultant",
        "project_leader",
        "owner_municipality",
        "owner_organisation",
        "host_municipality",
    ]
    filter_horizontal = ["tags"]
    readonly_fields = ["version", "created_at", "updated_at"]
    list_select_related = ["host_municipality"]
    inlines = [
        ParticipationInline,
        MoneyEntryInline,
        DeliverableInline,
        PhaseTransitionInline,
        SpinOffInline,
        LinkOutInline,
        UnresolvedMentionInline,
    ]

    @admin.display(description=_("period"))
    def period(self, obj):
        return project_period(obj) or "–"

    def get_readonly_fields(self, request, obj=None):
        # project_update changes what a page editor may change; the rest is fixed once made.
        fixed = ["cooperation", "slug", "source_text"] if obj is not None else []
        return [*super().get_readonly_fields(request, obj), *fixed]

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj is not None else super().get_prepopulated_fields(request, obj)

    def save_model(self, request, obj, form, change):
        """Nothing yet: save_related writes the project and its rows in one service call."""

    def save_related(self, request, form, formsets, change):
        project = form.instance
        inlines = []
        for formset in formsets:
            saved = formset.save(commit=False)  # read-only inlines save nothing
            if formset.model is models.UnresolvedMention:
                continue
            inlines.append(services.InlineChanges(saved=saved, deleted=formset.deleted_objects))
        tags = [tag.name for tag in form.cleaned_data.get("tags", [])]
        fields = {
            name: form.cleaned_data[name]
            for name in services.EDITABLE_FIELDS
            if name in form.cleaned_data
        }
        if not change:
            created = self.call_service(
                services.project_create,
                actor=request.user,
                cooperation=form.cleaned_data["cooperation"],
                name=fields.pop("name"),
                category=fields.pop("category"),
                fields=fields,
                slug=form.cleaned_data.get("slug", ""),
                tags=tags,
                inlines=inlines,
                source_text=form.cleaned_data.get("source_text") or None,
                reason=gettext_noop("created in the admin"),
            )
            # The admin goes on with the form's instance (its log entry, its redirect).
            for f in models.Project._meta.concrete_fields:
                setattr(project, f.attname, getattr(created, f.attname))
            project._state.adding = False
            return
        loaded = form.cleaned_data.get("loaded_version")
        if loaded is None:
            loaded = models.Project.objects.values_list("version", flat=True).get(pk=project.pk)
        self.call_service(
            services.project_update,
            actor=request.user,
            project=project,
            expected_version=loaded,
            changes=fields,
            tags=tags,
            inlines=inlines,
            reason=gettext_noop("edited in the admin"),
        )

    def delete_model(self, request, obj):
        services.project_delete(actor=request.user, project=obj)

    def delete_queryset(self, request, queryset):
        for project in queryset:
            services.project_delete(actor=request.user, project=project)


@admin.register(models.Tag)
class TagAdmin(ProjectServiceAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(self, request, obj, form, change):
        name, slug = form.cleaned_data["name"], form.cleaned_data["slug"]
        if change:
            self.call_service(
                services.tag_update, actor=request.user, tag=obj, name=name, slug=slug
            )
        else:
            created = self.call_service(
                services.tag_create, actor=request.user, name=name, slug=slug
            )
            self.adopt(obj, created)

    def has_delete_permission(self, request, obj=None):
        # Deleting a tag would leave its projects' search text stale; untag them instead.
        return False


def _changes(form: forms.ModelForm, editable: tuple[str, ...]) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in form.changed_data if name in editable}


class ProjectRowAdmin(ProjectServiceAdmin):
    """A row of a project with an add and an update service; its project is fixed once
    made, and it is removed on the project (where the search text follows)."""

    add_service: Any
    update_service: Any
    row_argument: str
    fields_editable: tuple[str, ...]
    add_reason: str
    update_reason: str

    def get_readonly_fields(self, request, obj=None):
        fixed = ["project"] if obj is not None else []
        return [*super().get_readonly_fields(request, obj), *fixed]

    def save_model(self, request, obj, form, change):
        if change:
            self.call_service(
                type(self).update_service,
                actor=request.user,
                changes=_changes(form, self.fields_editable),
                reason=self.update_reason,
                **{self.row_argument: obj},
            )
            return
        values = {n: form.cleaned_data[n] for n in self.fields_editable}
        created = self.call_service(
            type(self).add_service,
            actor=request.user,
            project=form.cleaned_data["project"],
            reason=self.add_reason,
            **values,
        )
        self.adopt(obj, created)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.Participation)
class ParticipationAdmin(ProjectRowAdmin):
    list_display = ["project", "municipality", "organisation", "role", "joined", "left"]
    list_filter = ["role"]
    search_fields = ["project__name", "municipality__name", "organisation__name", "note"]
    autocomplete_fields = ["project", "municipality", "organisation"]
    list_select_related = ["project", "municipality", "organisation"]
    add_service = services.participation_add
    update_service = services.participation_update
    row_argument = "participation"
    fields_editable = services.PARTICIPATION_FIELDS
    add_reason = gettext_noop("participant added in the admin")
    update_reason = gettext_noop("participation changed in the admin")


@admin.register(models.SpinOff)
class SpinOffAdmin(ProjectRowAdmin):
    list_display = ["__str__", "project", "kind", "date"]
    list_filter = ["kind"]
    search_fields = ["name", "project__name", "organisation__name"]
    autocomplete_fields = ["project", "organisation", "host_municipality"]
    add_service = services.spin_off_add
    update_service = services.spin_off_update
    row_argument = "spin_off"
    fields_editable = services.SPIN_OFF_FIELDS
    add_reason = gettext_noop("spin-off recorded in the admin")
    update_reason = gettext_noop("spin-off changed in the admin")


@admin.register(models.MoneyEntry)
class MoneyEntryAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["project", "kind", "benefit_category", "certainty", "amount_nok", "year_from"]
    list_filter = ["kind", "benefit_category", "certainty"]
    search_fields = ["project__name", "purpose", "source_text"]
    list_select_related = ["project"]


@admin.register(models.Deliverable)
class DeliverableAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "project", "kind", "due_date", "delivered_date"]
    list_filter = ["kind"]
    search_fields = ["title", "project__name", "note"]
    list_select_related = ["project"]


@admin.register(models.ProjectLink)
class ProjectLinkAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["source", "kind", "target"]
    list_filter = ["kind"]
    search_fields = ["source__name", "target__name"]
    list_select_related = ["source", "target"]


@admin.register(models.PhaseTransition)
class PhaseTransitionAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["project", "phase", "date"]
    list_filter = ["phase"]
    search_fields = ["project__name", "note"]
    list_select_related = ["project"]


@admin.register(models.UnresolvedMention)
class UnresolvedMentionAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["project", "column", "text", "source_row"]
    list_filter = ["column"]
    search_fields = ["project__name", "text", "note"]
    list_select_related = ["project"]
