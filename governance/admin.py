"""The governance admin writes only through governance.services.

An admin that edits calls the service from save_model / save_related / save_formset; a
ValidationError from the service rolls the whole request back and comes back as an error on
the form, with what the editor typed (never a 500). What no service writes (notifications,
conditions on their own, a referral after it was made, deletions) is read-only here.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from governance import services
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
from samarbeid.common.admin import CHECKED_FILES, ReadOnlyAdminMixin, ReadOnlyInline
from samarbeid.common.admin import ServiceAdmin as CommonServiceAdmin


class ServiceAdmin(CommonServiceAdmin):
    """Writes go through a service; nothing is deleted here."""

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class ReadOnlyAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Rows written elsewhere through services: shown, never changed here."""


@admin.register(BoardSeat)
class BoardSeatAdmin(ServiceAdmin):
    """Add a seat (board_seat_create); on an existing seat only its end (board_seat_end)."""

    list_display = ("__str__", "role", "voting", "municipality", "organisation", "start", "end")
    list_filter = ("role", "voting", "cooperation")
    search_fields = ("person__name", "label", "municipality__name", "organisation__name")
    raw_id_fields = ("person", "municipality", "organisation")
    list_select_related = ("person", "municipality", "organisation")
    fields = (
        "cooperation",
        "role",
        "label",
        "person",
        "municipality",
        "organisation",
        "voting",
        "start",
        "end",
        "note",
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        if obj is None:
            return ()
        return tuple(f for f in self.fields if f != "end")

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        data = form.cleaned_data
        if change:
            services.board_seat_end(actor=request.user, seat=obj, end=data["end"])
            return
        seat = services.board_seat_create(
            actor=request.user,
            cooperation=data["cooperation"],
            role=data["role"],
            label=data["label"],
            person=data["person"],
            municipality=data["municipality"],
            organisation=data["organisation"],
            voting=data["voting"],
            start=data["start"],
            end=data["end"],
            note=data["note"],
        )
        self.adopt(obj, seat)


class CaseInline(ReadOnlyInline):
    model = Case
    fields = ("number", "title", "outcome")


@admin.register(Meeting)
class MeetingAdmin(ServiceAdmin):
    list_display = ("date", "place", "cooperation")
    list_filter = ("cooperation",)
    search_fields = ("place", "agenda", "minutes", "notes")
    date_hierarchy = "date"
    fields = ("cooperation", "date", "place", "agenda", "minutes", "notes")
    inlines = [CaseInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        return ("cooperation",) if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        data = form.cleaned_data
        fields = {k: data[k] for k in ("date", "place", "agenda", "minutes", "notes")}
        if change:
            services.meeting_update(actor=request.user, meeting=obj, **fields)
        else:
            meeting = services.meeting_create(
                actor=request.user, cooperation=data["cooperation"], **fields
            )
            self.adopt(obj, meeting)


class CaseDocumentInline(admin.TabularInline):
    """New documents through case_document_add; attached ones stay as they are."""

    model = CaseDocument
    fields = ("title", "file")
    extra = 0
    formfield_overrides = CHECKED_FILES

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class ReferralInline(ReadOnlyInline):
    model = Referral
    fields = ("referred_on", "deadline", "closed_on")


@admin.register(Case)
class CaseAdmin(ServiceAdmin):
    list_display = ("number", "title", "meeting", "outcome")
    list_filter = ("outcome", "cooperation")
    search_fields = ("number", "title", "proposal", "decision_text")
    raw_id_fields = ("projects",)
    list_select_related = ("meeting", "meeting__cooperation")
    fields = (
        "cooperation",
        "meeting",
        "number",
        "title",
        "proposal",
        "projects",
        "decision_text",
        "outcome",
    )
    inlines = [CaseDocumentInline, ReferralInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        return ("cooperation",) if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        data = form.cleaned_data
        fields = {
            k: data[k]
            for k in ("number", "title", "proposal", "meeting", "decision_text", "outcome")
        }
        if change:
            services.case_update(actor=request.user, case=obj, projects=data["projects"], **fields)
        else:
            case = services.case_create(
                actor=request.user,
                cooperation=data["cooperation"],
                projects=data["projects"],
                **fields,
            )
            self.adopt(obj, case)

    def save_related(
        self, request: HttpRequest, form: ModelForm, formsets: list, change: bool
    ) -> None:
        # The projects were set by the service; only new documents are left to write.
        for formset in formsets:
            self.save_formset(request, form, formset, change)

    def save_formset(
        self, request: HttpRequest, form: ModelForm, formset: BaseInlineFormSet, change: bool
    ) -> None:
        self.written_by_service(formset)
        if formset.model is not CaseDocument:
            return
        for document_form in formset.forms:
            data = document_form.cleaned_data
            if not data or data.get("DELETE") or document_form.instance.pk:
                continue
            services.case_document_add(
                actor=request.user, case=form.instance, title=data["title"], file=data["file"]
            )


class CouncilDecisionInline(ReadOnlyInline):
    model = CouncilDecision
    fields = ("municipality", "outcome", "date", "decision_text", "conditions_text")


@admin.register(Referral)
class ReferralAdmin(ServiceAdmin):
    """Refer a case (referral_create, to the default municipalities); a referral once made
    is shown only: it is closed and settled on the case page."""

    list_display = ("case", "referred_on", "deadline", "closed_on", "established_on")
    list_filter = ("closed_on", "deadline")
    search_fields = ("case__number", "case__title")
    list_select_related = ("case",)
    date_hierarchy = "referred_on"
    raw_id_fields = ("case",)
    fields = ("case", "referred_on", "deadline", "note")
    readonly_fields = ("closed_on", "closed_by", "established_on")
    inlines = [CouncilDecisionInline]

    def get_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        return self.fields if obj is None else (*self.fields, *self.readonly_fields)

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        return () if obj is None else self.readonly_fields

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        data = form.cleaned_data
        referral = services.referral_create(
            actor=request.user,
            case=data["case"],
            referred_on=data["referred_on"],
            deadline=data["deadline"],
            note=data["note"],
        )
        self.adopt(obj, referral)


class ConditionInline(admin.TabularInline):
    model = Condition
    fields = ("kind", "municipalities", "minimum")
    extra = 0
    raw_id_fields = ("municipalities",)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return True  # a deleted row is a condition left out of council_decision_record


@admin.register(CouncilDecision)
class CouncilDecisionAdmin(ServiceAdmin):
    """Record or correct a council's decision with its conditions (council_decision_record).
    Decisions are made by referring a case, never added here."""

    list_display = ("municipality", "referral", "outcome", "date")
    list_filter = ("outcome",)
    search_fields = (
        "municipality__name",
        "referral__case__title",
        "decision_text",
        "conditions_text",
    )
    list_select_related = ("municipality", "referral__case")
    fields = (
        "referral",
        "municipality",
        "outcome",
        "date",
        "decision_text",
        "council_reference",
        "conditions_text",
        "recorded_by",
    )
    readonly_fields = ("referral", "municipality", "recorded_by")
    inlines = [ConditionInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        """Written with its conditions in save_related."""

    def save_related(
        self, request: HttpRequest, form: ModelForm, formsets: list, change: bool
    ) -> None:
        specs = []
        for formset in formsets:
            self.written_by_service(formset)
            for condition_form in formset.forms:
                data = condition_form.cleaned_data
                if not data or data.get("DELETE"):
                    continue
                specs.append(
                    services.ConditionSpec(
                        kind=data["kind"],
                        municipalities=list(data.get("municipalities") or []),
                        minimum=data.get("minimum"),
                    )
                )
        data = form.cleaned_data
        services.council_decision_record(
            actor=request.user,
            decision=form.instance,
            outcome=data["outcome"],
            date=data["date"],
            decision_text=data["decision_text"],
            council_reference=data["council_reference"],
            conditions_text=data["conditions_text"],
            conditions=specs,
        )


@admin.register(Condition)
class ConditionAdmin(ReadOnlyAdmin):
    """Conditions are recorded with their decision (the council decision admin)."""

    list_display = ("decision", "kind", "minimum")
    list_filter = ("kind",)
    search_fields = ("decision__municipality__name",)
    raw_id_fields = ("decision", "municipalities")


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """Written by governance.notifications when the e-mail is sent."""

    list_display = ("decision", "kind", "sent_at", "recipients")
    list_filter = ("kind",)
    search_fields = ("recipients", "decision__municipality__name")
    raw_id_fields = ("decision",)
