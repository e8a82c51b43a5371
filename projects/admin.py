"""Admin for the project portfolio. Every model keeps its history (SimpleHistoryAdmin).

Saving through the admin bumps the project's version (so page editors holding an older
version are told) and refreshes the search text so the portfolio search stays right.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from projects import models, services
from projects.formatting import project_period


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


class UnresolvedMentionInline(admin.TabularInline):
    model = models.UnresolvedMention
    extra = 0


@admin.register(models.Project)
class ProjectAdmin(SimpleHistoryAdmin):
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

    def save_model(self, request, obj, form, change):
        if change:
            # Bump the version so editors who loaded the page form earlier are told.
            obj.version = (
                models.Project.objects.filter(pk=obj.pk).values_list("version", flat=True).get() + 1
            )
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.refresh_search_text(form.instance)


@admin.register(models.Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(models.Participation)
class ParticipationAdmin(SimpleHistoryAdmin):
    list_display = ["project", "municipality", "organisation", "role", "joined", "left"]
    list_filter = ["role"]
    search_fields = ["project__name", "municipality__name", "organisation__name", "note"]
    autocomplete_fields = ["project", "municipality", "organisation"]
    list_select_related = ["project", "municipality", "organisation"]


@admin.register(models.MoneyEntry)
class MoneyEntryAdmin(SimpleHistoryAdmin):
    list_display = ["project", "kind", "benefit_category", "certainty", "amount_nok", "year_from"]
    list_filter = ["kind", "benefit_category", "certainty"]
    search_fields = ["project__name", "purpose", "source_text"]
    autocomplete_fields = ["project", "funder", "municipality"]
    list_select_related = ["project"]


@admin.register(models.Deliverable)
class DeliverableAdmin(SimpleHistoryAdmin):
    list_display = ["title", "project", "kind", "due_date", "delivered_date"]
    list_filter = ["kind"]
    search_fields = ["title", "project__name", "note"]
    autocomplete_fields = ["project"]
    list_select_related = ["project"]


@admin.register(models.SpinOff)
class SpinOffAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "project", "kind", "date"]
    list_filter = ["kind"]
    search_fields = ["name", "project__name", "organisation__name"]
    autocomplete_fields = ["project", "organisation", "host_municipality"]


@admin.register(models.ProjectLink)
class ProjectLinkAdmin(SimpleHistoryAdmin):
    list_display = ["source", "kind", "target"]
    list_filter = ["kind"]
    search_fields = ["source__name", "target__name"]
    autocomplete_fields = ["source", "target"]


@admin.register(models.PhaseTransition)
class PhaseTransitionAdmin(SimpleHistoryAdmin):
    list_display = ["project", "phase", "date"]
    list_filter = ["phase"]
    search_fields = ["project__name", "note"]
    autocomplete_fields = ["project"]


@admin.register(models.UnresolvedMention)
class UnresolvedMentionAdmin(SimpleHistoryAdmin):
    list_display = ["project", "column", "text", "source_row"]
    list_filter = ["column"]
    search_fields = ["project__name", "text", "note"]
    autocomplete_fields = ["project"]
