from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from governance.models import (
    BoardSeat,
    Case,
    CaseDocument,
    Condition,
    CouncilDecision,
    Meeting,
    Notification,
    Referral,
)


@admin.register(BoardSeat)
class BoardSeatAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "role", "voting", "municipality", "organisation", "start", "end")
    list_filter = ("role", "voting", "cooperation")
    search_fields = ("person__name", "label", "municipality__name", "organisation__name")
    raw_id_fields = ("person", "municipality", "organisation")
    list_select_related = ("person", "municipality", "organisation")


class CaseInline(admin.TabularInline):
    model = Case
    fields = ("number", "title", "outcome")
    extra = 0
    show_change_link = True


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ("date", "place", "cooperation")
    list_filter = ("cooperation",)
    search_fields = ("place", "agenda", "minutes", "notes")
    date_hierarchy = "date"
    inlines = [CaseInline]


class CaseDocumentInline(admin.TabularInline):
    model = CaseDocument
    extra = 0


class ReferralInline(admin.TabularInline):
    model = Referral
    fields = ("referred_on", "deadline", "closed_on")
    extra = 0
    show_change_link = True


@admin.register(Case)
class CaseAdmin(SimpleHistoryAdmin):
    list_display = ("number", "title", "meeting", "outcome")
    list_filter = ("outcome", "cooperation")
    search_fields = ("number", "title", "proposal", "decision_text")
    raw_id_fields = ("projects",)
    list_select_related = ("meeting", "meeting__cooperation")
    inlines = [CaseDocumentInline, ReferralInline]


class CouncilDecisionInline(admin.TabularInline):
    model = CouncilDecision
    fields = ("municipality", "outcome", "date", "decision_text", "conditions_text")
    extra = 0
    show_change_link = True
    raw_id_fields = ("municipality",)


@admin.register(Referral)
class ReferralAdmin(SimpleHistoryAdmin):
    list_display = ("case", "referred_on", "deadline", "closed_on", "established_on")
    list_filter = ("closed_on", "deadline")
    search_fields = ("case__number", "case__title")
    list_select_related = ("case",)
    date_hierarchy = "referred_on"
    inlines = [CouncilDecisionInline]


class ConditionInline(admin.TabularInline):
    model = Condition
    extra = 0
    raw_id_fields = ("municipalities",)


@admin.register(CouncilDecision)
class CouncilDecisionAdmin(SimpleHistoryAdmin):
    list_display = ("municipality", "referral", "outcome", "date")
    list_filter = ("outcome",)
    search_fields = (
        "municipality__name",
        "referral__case__title",
        "decision_text",
        "conditions_text",
    )
    list_select_related = ("municipality", "referral__case")
    raw_id_fields = ("municipality", "referral")
    inlines = [ConditionInline]


@admin.register(Condition)
class ConditionAdmin(SimpleHistoryAdmin):
    list_display = ("decision", "kind", "minimum")
    list_filter = ("kind",)
    search_fields = ("decision__municipality__name",)
    raw_id_fields = ("decision", "municipalities")


@admin.register(Notification)
class NotificationAdmin(SimpleHistoryAdmin):
    list_display = ("decision", "kind", "sent_at", "recipients")
    list_filter = ("kind",)
    search_fields = ("recipients", "decision__municipality__name")
    raw_id_fields = ("decision",)
