"""Thin views: parse, call a selector or service, render. PermissionDenied becomes 403."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from governance import permissions, selectors, services
from governance.forms import (
    CaseForm,
    CloseForm,
    DecisionForm,
    DocumentForm,
    EstablishForm,
    MeetingForm,
    ReferralForm,
    apply_service_errors,
)
from governance.models import Case, CaseDocument, CouncilDecision, Meeting, Referral
from members.models import Organisation
from members.selectors import default_cooperation
from projects.analytics.cache import cached
from projects.page_shell import render_page
from samarbeid.common.permissions import is_secretariat, require_secretariat
from samarbeid.common.uploads import serve_file


def _recordable_ids(request: HttpRequest) -> set[int] | None:
    """None: the user may record every council's decision; else the identities it may."""
    if is_secretariat(request.user):
        return None
    return permissions.contact_municipality_ids(request.user, timezone.localdate())


def _page_number(value: str | None) -> int:
    """`?page=` as a positive number (1 when missing or not a number); the paginator turns
    one past the end into the last page."""
    return int(value) if value and value.isdigit() and 0 < int(value) < 10**6 else 1


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    page = _page_number(request.GET.get("page"))

    def render_body() -> str:
        data = selectors.dashboard(today=today, page=page)
        return render_to_string(
            "governance/_dashboard_body.html", {"data": data, "today": today}, request
        )

    # The counts and lists depend only on the data, the day and the page: rendered once per
    # data version (an edit shows on the next request), not per request.
    body = cached("governance-dashboard", (today, page), render_body)
    return render(
        request,
        "governance/dashboard.html",
        {
            "body": mark_safe(body),
            "today": today,
            "my_municipalities": selectors.contact_municipalities(request.user, on=today),
        },
    )


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "governance/case_list.html",
        {"cases": selectors.cases(), "secretariat": is_secretariat(request.user)},
    )


def _case_context(request: HttpRequest, case: Case, **extra) -> dict:
    context = {
        "case": case,
        "referrals": selectors.case_referrals(case),
        "recordable": _recordable_ids(request),
        "secretariat": is_secretariat(request.user),
        "today": timezone.localdate(),
    }
    if context["secretariat"]:
        context.setdefault("referral_form", ReferralForm(case=case))
        organisations = selectors.organisation_choices()
        for referral in context["referrals"]:
            _attach_secretariat_forms(referral, organisations)
    context.update(extra)
    return context


def _attach_secretariat_forms(
    referral: selectors.ResolvedReferral, organisations: list[Organisation] | None = None
) -> None:
    """The close and establish forms under a referral's table (secretariat only)."""
    committed = [r.decision.municipality for r in referral.rows if r.status.committed]
    referral.close_form = CloseForm(initial={"closed_on": timezone.localdate()})
    referral.establish_form = EstablishForm(
        referral=referral.referral,
        committed_ids=[m.pk for m in committed],
        committed=committed,
        organisations=organisations,
        initial={"date": timezone.localdate()},
    )


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    def context() -> dict:
        try:
            case = selectors.case_detail(pk)
        except Case.DoesNotExist:
            raise Http404 from None
        return _case_context(request, case)

    # Kept whole per data version, user and address (an edit shows on the next request);
    # the page's forms get the visitor's own CSRF token.
    return render_page(request, "governance/case_detail.html", None, context)


@login_required
@require_POST
def case_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Move the case to the trash (the secretariat can restore it from there)."""
    require_secretariat(request.user)
    case = Case.objects.filter(pk=pk).first()
    if case is None:
        raise Http404
    services.case_delete(actor=request.user, case=case)
    messages.success(
        request,
        _("Case %(number)s is moved to the trash. The secretariat can restore it from there.")
        % {"number": case.number},
    )
    return redirect("governance:cases")


@login_required
@require_POST
def case_refer(request: HttpRequest, pk: int) -> HttpResponse:
    require_secretariat(request.user)
    case = get_object_or_404(Case, pk=pk)
    form = ReferralForm(request.POST, case=case)
    if form.is_valid():
        chosen = list(form.cleaned_data["municipalities"])
        try:
            services.referral_create(
                actor=request.user,
                case=case,
                referred_on=form.cleaned_data["referred_on"],
                deadline=form.cleaned_data["deadline"],
                municipalities=chosen or None,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The case was referred to the councils."))
            return redirect("governance:case", pk=case.pk)
    case = selectors.case_detail(pk)
    context = _case_context(request, case, referral_form=form)
    return render(request, "governance/case_detail.html", context, status=400)


@login_required
@require_POST
def referral_close(request: HttpRequest, pk: int) -> HttpResponse:
    require_secretariat(request.user)
    referral = get_object_or_404(Referral, pk=pk)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.referral_close(
                actor=request.user, referral=referral, on=form.cleaned_data["closed_on"]
            )
            messages.success(request, _("The referral is closed."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, _("Give the date the referral was closed."))
    return redirect("governance:case", pk=referral.case_id)


@login_required
@require_POST
def referral_establish(request: HttpRequest, pk: int) -> HttpResponse:
    require_secretariat(request.user)
    referral = get_object_or_404(Referral, pk=pk)
    form = EstablishForm(
        request.POST,
        referral=referral,
        committed_ids=list(referral.decisions.values_list("municipality_id", flat=True)),
    )
    if form.is_valid():
        try:
            services.arrangement_establish(
                actor=request.user,
                referral=referral,
                kind=form.cleaned_data["kind"],
                host_municipality=form.cleaned_data["host_municipality"],
                organisation=form.cleaned_data["organisation"],
                date=form.cleaned_data["date"],
            )
            messages.success(request, _("The arrangement is established."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("governance:case", pk=referral.case_id)


def _decision_or_404(pk: int) -> CouncilDecision:
    return get_object_or_404(
        CouncilDecision.objects.select_related("municipality", "referral__case"), pk=pk
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision_record(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the form (htmx fragment). POST: record; htmx gets the refreshed referral table
    (or, from the municipality page, the refreshed card)."""
    decision = _decision_or_404(pk)
    if not permissions.can_record_decision(request.user, decision.municipality):
        raise PermissionDenied(_("You may not record this council's decision."))
    where = request.GET.get("from") or request.POST.get("from") or "case"
    if request.method == "GET":
        form = DecisionForm(decision=decision)
        return render(
            request,
            "governance/_decision_form.html",
            {"form": form, "decision": decision, "where": where},
        )
    form = DecisionForm(request.POST, decision=decision)
    if form.is_valid():
        try:
            services.council_decision_record(
                actor=request.user,
                decision=decision,
                outcome=form.cleaned_data["outcome"],
                date=form.cleaned_data["date"],
                decision_text=form.cleaned_data["decision_text"],
                council_reference=form.cleaned_data["council_reference"],
                conditions_text=form.cleaned_data["conditions_text"],
                conditions=form.condition_specs(),
            )
        except ValidationError as error:
            apply_service_errors(form, error, aliases={"conditions": "requires"})
        else:
            if not request.htmx:
                messages.success(request, _("The council's decision is recorded."))
                if where == "municipality":
                    page = reverse("overview:municipality", args=[decision.municipality.number])
                    return redirect(page + "#referred-cases")
                return redirect("governance:case", pk=decision.referral.case_id)
            referral = selectors.referral_with_rows(decision.referral_id)
            if where == "municipality":
                row = next(r for r in referral.rows if r.decision.pk == decision.pk)
                return render(
                    request,
                    "governance/_decision_card.html",
                    {"row": row, "can_record": True, "just_saved": True},
                )
            if is_secretariat(request.user):
                # The refreshed table keeps its close/establish forms (establish appears
                # as soon as nobody waits any more).
                _attach_secretariat_forms(referral)
            return render(
                request,
                "governance/_referral.html",
                {
                    "referral": referral,
                    "recordable": _recordable_ids(request),
                    "just_saved": decision.pk,
                    "today": timezone.localdate(),
                },
            )
    response = render(
        request,
        "governance/_decision_form.html",
        {"form": form, "decision": decision, "where": where},
        status=200 if request.htmx else 400,
    )
    if request.htmx:
        response["HX-Retarget"] = f"#decision-form-{decision.pk}"
        response["HX-Reswap"] = "outerHTML"
    return response


def municipality_council(request: HttpRequest, number: str) -> dict[str, Any]:
    """The cases referred to the councils that had this number, for the municipality page
    (samarbeid.site.views.municipality_detail), with whether the user may record each."""
    identities = selectors.municipality_identities(number)
    rows = selectors.municipality_rows(identities, limit=COUNCIL_CASE_LIMIT) if identities else []
    count = selectors.municipality_referral_count(identities) if identities else 0
    recordable = _recordable_ids(request)
    for row in rows:
        row.can_record = recordable is None or row.decision.municipality_id in recordable
    return {
        "council_identities": identities,
        "council_rows": rows,
        "council_count": count,
        "council_limit": COUNCIL_CASE_LIMIT,
    }


# The municipality page shows the newest this many referred cases (all 2,000 were 1 MB).
COUNCIL_CASE_LIMIT = 20


@login_required
def municipality(request: HttpRequest, number: str) -> HttpResponse:
    """The referred cases are a section of the one municipality page."""
    if not number.isdigit() or len(number) > 4:
        raise Http404
    return redirect(reverse("overview:municipality", args=[number]) + "#referred-cases")


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "governance/meeting_list.html",
        {"meetings": selectors.meetings(), "secretariat": is_secretariat(request.user)},
    )


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        meeting = selectors.meeting_detail(pk)
    except Meeting.DoesNotExist:
        raise Http404 from None
    board = selectors.board_on(on=meeting.date, cooperation=meeting.cooperation)
    return render(
        request,
        "governance/meeting_detail.html",
        {
            "meeting": meeting,
            "board": board,
            "secretariat": is_secretariat(request.user),
            "cooperation_name": selectors.cooperation_name_on(meeting.cooperation, meeting.date),
        },
    )


@login_required
def board(request: HttpRequest) -> HttpResponse:
    on = timezone.localdate()
    raw = request.GET.get("on", "")
    error = ""
    if raw:
        try:
            on = dt.date.fromisoformat(raw)
        except ValueError:
            error = _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": raw}
    cooperation = default_cooperation()
    seats = list(selectors.board_on(on=on, cooperation=cooperation))
    periods = selectors.board_periods(cooperation=cooperation)
    fallback = None
    if not seats and not raw and periods:
        # Nothing recorded for today: show the latest board on record, and say so.
        fallback = on
        on = max(p for p in periods if p <= on) if any(p <= on for p in periods) else periods[0]
        seats = list(selectors.board_on(on=on, cooperation=cooperation))
    return render(
        request,
        "governance/board.html",
        {
            "seats": seats,
            "on": on,
            "error": error,
            "cooperation": cooperation,
            "periods": periods,
            "fallback": fallback,
            "cooperation_name": selectors.cooperation_name_on(cooperation, on),
            "secretariat": is_secretariat(request.user),
        },
    )


# --- the secretariat's forms: meetings, cases, documents --------------------------------


def _form_page(request, form, *, title: str, back: str, status: int = 200, multipart=False):
    return render(
        request,
        "governance/form.html",
        {"form": form, "title": title, "back": back, "multipart": multipart},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """New meeting (pk None) or edit one, e.g. to add its minutes afterwards."""
    require_secretariat(request.user)
    meeting = get_object_or_404(Meeting, pk=pk) if pk else None
    title = _("Edit board meeting") if meeting else _("New board meeting")
    back = reverse("governance:meeting", args=[pk]) if meeting else reverse("governance:meetings")
    if request.method == "GET":
        initial = MeetingForm.initial_for(meeting) if meeting else {}
        return _form_page(request, MeetingForm(initial=initial), title=title, back=back)
    form = MeetingForm(request.POST)
    if form.is_valid():
        try:
            if meeting:
                services.meeting_update(actor=request.user, meeting=meeting, **form.cleaned_data)
            else:
                meeting = services.meeting_create(
                    actor=request.user, cooperation=_cooperation(), **form.cleaned_data
                )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The meeting is saved."))
            return redirect("governance:meeting", pk=meeting.pk)
    return _form_page(request, form, title=title, back=back, status=400)


def _cooperation():
    cooperation = default_cooperation()
    if cooperation is None:
        raise Http404("No cooperation")
    return cooperation


@login_required
@require_http_methods(["GET", "POST"])
def case_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """New case (pk None; `?meeting=` preselects the meeting) or edit one, e.g. to record
    the board's decision."""
    require_secretariat(request.user)
    case = get_object_or_404(Case, pk=pk) if pk else None
    cooperation = case.cooperation if case else _cooperation()
    title = _("Edit case") if case else _("New case")
    back = reverse("governance:case", args=[pk]) if case else reverse("governance:cases")
    if request.method == "GET":
        if case:
            initial = CaseForm.initial_for(case)
        else:
            initial = {"meeting": request.GET.get("meeting") or None}
        form = CaseForm(initial=initial, cooperation=cooperation)
        return _form_page(request, form, title=title, back=back)
    form = CaseForm(request.POST, cooperation=cooperation)
    if form.is_valid():
        try:
            if case:
                services.case_update(actor=request.user, case=case, **form.cleaned_data)
            else:
                case = services.case_create(
                    actor=request.user, cooperation=cooperation, **form.cleaned_data
                )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The case is saved."))
            return redirect("governance:case", pk=case.pk)
    return _form_page(request, form, title=title, back=back, status=400)


@login_required
@require_POST
def case_document_add(request: HttpRequest, pk: int) -> HttpResponse:
    require_secretariat(request.user)
    case = get_object_or_404(Case, pk=pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.case_document_add(
                actor=request.user,
                case=case,
                title=form.cleaned_data["title"],
                file=form.cleaned_data["file"],
                is_public=form.cleaned_data["is_public"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The document is attached."))
            return redirect("governance:case", pk=case.pk)
    back = reverse("governance:case", args=[pk])
    title = _("Attach a document to case %(number)s") % {"number": case.number}
    return _form_page(request, form, title=title, back=back, status=400, multipart=True)


@login_required
def document(request: HttpRequest, pk: int) -> FileResponse:
    """A case document, to signed-in users only (files are not public)."""
    doc = get_object_or_404(CaseDocument, pk=pk)
    # always a download with nosniff and a sandbox: nothing in it runs on this origin
    return serve_file(doc.file, download_name=doc.title)
