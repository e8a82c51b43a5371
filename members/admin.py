"""Admin for the member registry: municipalities over time, the cooperation, organisations
and people. Every model keeps its history (SimpleHistoryAdmin)."""

import datetime as dt

from django import forms
from django.contrib import admin
from django.db import models as db_models
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from members import models, selectors
from samarbeid.common.text import normalize_name


def _municipality_list(municipalities) -> str:
    return ", ".join(f"{m.name} ({m.number})" for m in municipalities) or "–"


# Web addresses typed without a scheme are taken as https:// (the Django 6 default).
HTTPS_URLS = {db_models.URLField: {"assume_scheme": "https"}}


class ValidityFilter(admin.SimpleListFilter):
    title = _("validity")
    parameter_name = "validity"

    def lookups(self, request, model_admin):
        return [("current", _("valid today")), ("ended", _("no longer valid"))]

    def queryset(self, request, queryset):
        today = dt.date.today()
        if self.value() == "current":
            return queryset.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        if self.value() == "ended":
            return queryset.filter(valid_to__lt=today)
        return queryset


class CountyFilter(admin.SimpleListFilter):
    title = _("county")
    parameter_name = "county"

    def lookups(self, request, model_admin):
        rows = (
            models.Municipality.objects.order_by("county_number")
            .values_list("county_number", "county_name")
            .distinct()
        )
        return [(number, f"{number} {name}") for number, name in rows]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(county_number=self.value())
        return queryset


class ValidOnYearFilter(admin.SimpleListFilter):
    """Identities that existed at some point in a year (e.g. who was there in 2004)."""

    title = _("valid in year")
    parameter_name = "valid_in"

    def lookups(self, request, model_admin):
        years = (1972, 1988, 1995, 2002, 2004, 2006, 2010, 2017, 2018, 2020, 2024)
        return [(str(y), str(y)) for y in years]

    def queryset(self, request, queryset):
        if not self.value() or not self.value().isdigit():
            return queryset
        year = int(self.value())
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        return queryset.filter(valid_from__lte=end).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=start)
        )


class NameVariantForm(forms.ModelForm):
    class Meta:
        model = models.MunicipalityNameVariant
        fields = ["name"]

    def clean(self):
        data = super().clean()
        self.instance.normalized_name = normalize_name(data.get("name", ""))
        return data


class NameVariantInline(admin.TabularInline):
    model = models.MunicipalityNameVariant
    form = NameVariantForm
    extra = 0
    fields = ["name", "normalized_name"]
    readonly_fields = ["normalized_name"]
    verbose_name = _("name variant")
    verbose_name_plural = _("name variants (other spellings in the sources)")


class _EventLinkInline(admin.TabularInline):
    extra = 0
    can_delete = False
    fields = ["event_kind", "event_date", "event_link", "event_note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("municipalityevent")

    @admin.display(description=_("kind"))
    def event_kind(self, row):
        return row.municipalityevent.get_kind_display()

    @admin.display(description=_("date"))
    def event_date(self, row):
        return row.municipalityevent.date

    @admin.display(description=_("event"))
    def event_link(self, row):
        event = row.municipalityevent
        url = reverse("admin:members_municipalityevent_change", args=[event.pk])
        return format_html('<a href="{}">{}</a>', url, str(event))

    @admin.display(description=_("note"))
    def event_note(self, row):
        return row.municipalityevent.note


class EventAsPredecessorInline(_EventLinkInline):
    model = models.MunicipalityEvent.predecessors.through
    verbose_name = _("event ending this identity or taking part of it")
    verbose_name_plural = _("events as predecessor")


class EventAsSuccessorInline(_EventLinkInline):
    model = models.MunicipalityEvent.successors.through
    verbose_name = _("event starting this identity or adding to it")
    verbose_name_plural = _("events as successor")


@admin.register(models.Municipality)
class MunicipalityAdmin(SimpleHistoryAdmin):
    list_display = [
        "number",
        "name",
        "official_name",
        "county_name",
        "valid_from",
        "valid_to",
        "is_current",
    ]
    list_display_links = ["number", "name"]
    list_filter = [ValidityFilter, CountyFilter, ValidOnYearFilter]
    search_fields = ["number", "name", "official_name", "name_variants__name"]
    ordering = ["number", "valid_from"]
    readonly_fields = ["successors_today", "all_predecessors", "event_history"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "number",
                    "name",
                    "official_name",
                    ("county_number", "county_name"),
                    ("valid_from", "valid_to"),
                    "source",
                    "notes",
                ]
            },
        ),
        (
            _("Over time"),
            {"fields": ["successors_today", "all_predecessors", "event_history"]},
        ),
    ]
    inlines = [NameVariantInline, EventAsPredecessorInline, EventAsSuccessorInline]

    @admin.display(description=_("valid today"), boolean=True)
    def is_current(self, obj):
        return obj.valid_on(dt.date.today())

    @admin.display(description=_("successors today"))
    def successors_today(self, obj):
        if obj.pk is None:
            return "–"
        return _municipality_list(selectors.successors(obj))

    @admin.display(description=_("predecessors"))
    def all_predecessors(self, obj):
        if obj.pk is None:
            return "–"
        return _municipality_list(selectors.predecessors(obj))

    @admin.display(description=_("history"))
    def event_history(self, obj):
        if obj.pk is None:
            return "–"
        events = selectors.municipality_history(obj)
        return (
            format_html_join(
                "",
                "<p><strong>{} {}</strong>: {} → {}<br><span>{}</span></p>",
                (
                    (
                        e.date.isoformat(),
                        e.get_kind_display(),
                        _municipality_list(e.predecessors.all()),
                        _municipality_list(e.successors.all()),
                        e.note,
                    )
                    for e in events
                ),
            )
            or "–"
        )


@admin.register(models.MunicipalityEvent)
class MunicipalityEventAdmin(SimpleHistoryAdmin):
    list_display = ["date", "kind", "predecessor_list", "successor_list", "short_note"]
    list_filter = ["kind", ("date", admin.DateFieldListFilter)]
    search_fields = ["predecessors__name", "successors__name", "note", "source"]
    date_hierarchy = "date"
    autocomplete_fields = ["predecessors", "successors"]
    fields = ["kind", "date", "predecessors", "successors", "note", "source"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("predecessors", queryset=models.Municipality.objects.order_by("number")),
                Prefetch("successors", queryset=models.Municipality.objects.order_by("number")),
            )
        )

    def get_search_results(self, request, queryset, search_term):
        queryset, _dupes = super().get_search_results(request, queryset, search_term)
        return queryset.distinct(), False

    @admin.display(description=_("predecessors"))
    def predecessor_list(self, obj):
        return _municipality_list(obj.predecessors.all())

    @admin.display(description=_("successors"))
    def successor_list(self, obj):
        return _municipality_list(obj.successors.all())

    @admin.display(description=_("note"))
    def short_note(self, obj):
        return obj.note if len(obj.note) <= 80 else obj.note[:79] + "…"


class CooperationNameInline(admin.TabularInline):
    model = models.CooperationName
    extra = 0
    fields = ["name", "short_name", "valid_from", "valid_to", "note"]


class MembershipInline(admin.TabularInline):
    model = models.Membership
    extra = 0
    fields = ["municipality", "role", "joined", "left", "note"]
    autocomplete_fields = ["municipality"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("municipality")


class KeyFigureInline(admin.TabularInline):
    model = models.KeyFigure
    extra = 0
    fields = ["year", "kind", "municipality", "value", "approximate", "source"]
    autocomplete_fields = ["municipality"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("municipality")


@admin.register(models.Cooperation)
class CooperationAdmin(SimpleHistoryAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["name", "short_name", "founded", "host_organisation", "phone"]
    search_fields = ["name", "short_name", "names__name", "names__short_name"]
    list_select_related = ["host_organisation"]
    prepopulated_fields = {"slug": ["short_name"]}
    autocomplete_fields = ["host_organisation"]
    inlines = [CooperationNameInline, MembershipInline, KeyFigureInline]


@admin.register(models.Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["municipality", "cooperation", "role", "joined", "left"]
    list_filter = ["cooperation", "role", ("joined", admin.DateFieldListFilter)]
    search_fields = ["municipality__name", "municipality__number", "note"]
    list_select_related = ["municipality", "cooperation"]
    autocomplete_fields = ["municipality"]


@admin.register(models.KeyFigure)
class KeyFigureAdmin(SimpleHistoryAdmin):
    list_display = ["year", "kind", "value", "approximate", "municipality", "cooperation"]
    list_filter = ["kind", "year", "approximate", "cooperation"]
    search_fields = ["municipality__name", "source"]
    list_select_related = ["municipality", "cooperation"]
    autocomplete_fields = ["municipality"]


class OrganisationAliasInline(admin.TabularInline):
    model = models.OrganisationAlias
    extra = 1
    fields = ["alias"]


@admin.register(models.Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["name", "abbreviation", "kind", "identified", "alias_list"]
    list_filter = ["kind", "identified"]
    search_fields = ["name", "abbreviation", "aliases__alias", "description"]
    inlines = [OrganisationAliasInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("aliases")

    @admin.display(description=_("aliases"))
    def alias_list(self, obj):
        return ", ".join(a.alias for a in obj.aliases.all())


class PositionInline(admin.TabularInline):
    model = models.Position
    extra = 0
    fields = [
        "role",
        "title",
        "cooperation",
        "municipality",
        "organisation",
        "start",
        "end",
        "note",
    ]
    autocomplete_fields = ["municipality", "organisation"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("cooperation", "municipality", "organisation")
        )


@admin.register(models.Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["name", "email", "phone", "contact_public", "user"]
    list_filter = ["contact_public", "positions__role"]
    search_fields = ["name", "email", "user__username"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
    inlines = [PositionInline]


@admin.register(models.Position)
class PositionAdmin(SimpleHistoryAdmin):
    list_display = ["person", "role", "title", "cooperation", "municipality", "organisation"]
    list_display += ["start", "end"]
    list_filter = ["role", "cooperation"]
    search_fields = ["person__name", "title", "municipality__name", "organisation__name"]
    list_select_related = ["person", "cooperation", "municipality", "organisation"]
    autocomplete_fields = ["person", "municipality", "organisation"]
