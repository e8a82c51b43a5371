"""Public hearing pages on the portal (list, hearing with its published comments and the
comment form, the embedded form for the widget, the confirmation and withdrawal links) and
the officer's desk."""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from governance.permissions import contact_municipality_ids
from hearings import selectors, services
from hearings.forms import CommentForm, DocumentForm, HearingForm, HoldBackForm, ProcessForm
from hearings.models import Comment, Hearing, HearingDocument
from hearings.permissions import can_moderate
from samarbeid.common.middleware import embeddable
from samarbeid.common.permissions import is_secretariat
from samarbeid.common.uploads import serve_file


def _public(pk: int) -> Hearing:
    try:
        return selectors.public_hearing(pk)
    except Hearing.DoesNotExist as exc:
        raise Http404(_("No such hearing.")) from exc


@require_safe
def hearing_list(request: HttpRequest) -> HttpResponse:
    hearings = list(selectors.public_hearings()[:200])
    return render(
        request,
        "hearings/list.html",
        {"hearings": hearings, "today": timezone.localdate(), "section": "hearings"},
    )


MAX_COMMENTS_PER_IP_PER_HOUR = 20


def _ip_over_limit(request: HttpRequest) -> bool:
    """Count comment posts per client address (hashed, kept an hour in the cache only)."""
    address = request.META.get("REMOTE_ADDR", "")
    key = "hearings:ip:" + hashlib.sha256(address.encode()).hexdigest()
    cache.add(key, 0, 60 * 60)
    try:
        count = cache.incr(key)
    except ValueError:
        return False
    return count > MAX_COMMENTS_PER_IP_PER_HOUR


def _submit(request: HttpRequest, hearing: Hearing, form: CommentForm) -> bool:
    """Send the form's comment to the service; its refusal becomes a form error."""
    if not form.is_valid():
        return False
    if _ip_over_limit(request):
        form.add_error(
            None, _("Too many comments from this network in the last hour; try again later.")
        )
        return False
    data = form.cleaned_data
    try:
        services.comment_submit(
            hearing=hearing,
            text=data["text"],
            name=data["name"],
            email=data["email"],
            organisation=data["organisation"],
            show_name=data["show_name"],
            honeypot=data["website"],
        )
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            for message in exc.messages:
                form.add_error(None, message)
        return False
    return True


def _comment_page(request: HttpRequest, pk: int, template: str) -> HttpResponse:
    hearing = _public(pk)
    today = timezone.localdate()
    form = CommentForm(request.POST or None)
    sent = False
    status = 200
    if request.method == "POST":
        sent = _submit(request, hearing, form)
        status = 200 if sent else 422
        if sent:
            form = CommentForm()
    context = {
        "hearing": hearing,
        "form": form,
        "sent": sent,
        "open": hearing.accepts_comments(today),
        "today": today,
        "section": "hearings",
    }
    return render(request, template, context, status=status)


# The comment form is anonymous and also sits in an <iframe> on the members' websites,
# where the CSRF cookie is a third-party cookie browsers drop. A forged post gains nothing:
# a comment counts only after its sender confirms it from the e-mail.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def hearing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _comment_page(request, pk, "hearings/detail.html")


@csrf_exempt
@embeddable
@require_http_methods(["GET", "HEAD", "POST"])
def embed_form(request: HttpRequest, pk: int) -> HttpResponse:
    """The comment form inside the widget on a member's website."""
    return _comment_page(request, pk, "hearings/embed.html")


@require_safe
def document(request: HttpRequest, pk: int) -> FileResponse:
    doc = get_object_or_404(HearingDocument.objects.select_related("hearing"), pk=pk)
    if doc.hearing.state not in selectors.PUBLIC_STATES and not can_moderate(
        request.user, doc.hearing
    ):
        raise Http404(_("No such file."))
    return serve_file(doc.file, download_name=doc.title)


@require_safe
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    comment = services.comment_confirm(token=token)
    status = 200 if comment else 404
    return render(
        request,
        "hearings/confirmed.html",
        {"comment": comment, "section": "hearings"},
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def withdraw(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks, POST withdraws (a mail scanner opening the link changes nothing)."""
    done = None
    error = ""
    if request.method == "POST":
        try:
            done = services.comment_withdraw(token=token)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        if done is None and not error:
            error = _("The link is not valid, or the comment is already withdrawn.")
    return render(
        request,
        "hearings/withdraw.html",
        {"done": done, "error": error, "section": "hearings"},
        status=422 if error else 200,
    )


# ------------------------------------------------------------------ the officer's desk


@login_required
def desk(request: HttpRequest) -> HttpResponse:
    ids = (
        None
        if is_secretariat(request.user)
        else contact_municipality_ids(request.user, timezone.localdate())
    )
    if ids is not None and not ids:
        raise PermissionDenied(_("Only the secretariat and municipality contacts run hearings."))
    hearings = list(selectors.desk_hearings(ids)[:200])
    return render(request, "hearings/desk.html", {"hearings": hearings})


def _errors_to_form(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def hearing_new(request: HttpRequest) -> HttpResponse:
    """A municipality's plan out for comment, in draft."""
    form = HearingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            hearing = services.hearing_create(actor=request.user, **data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            return redirect("hearings:desk_hearing", hearing.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "hearings/desk_new.html", {"form": form}, status=status)


@login_required
@require_POST
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    hearing = get_object_or_404(Hearing, pk=pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.hearing_document_add(
                actor=request.user,
                hearing=hearing,
                title=form.cleaned_data["title"],
                name=upload.name or "",
                data=upload.read(),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("hearings:desk_hearing", hearing.pk)


@login_required
def desk_hearing(request: HttpRequest, pk: int) -> HttpResponse:
    hearing = get_object_or_404(Hearing, pk=pk)
    if not can_moderate(request.user, hearing):
        raise PermissionDenied(_("You do not handle this hearing."))
    comments = list(selectors.desk_comments(hearing))
    return render(
        request,
        "hearings/desk_hearing.html",
        {
            "hearing": hearing,
            "comments": comments,
            "hold_form": HoldBackForm(),
            "process_form": ProcessForm(),
            "document_form": DocumentForm(),
            "short_deadline": services.short_deadline(hearing),
        },
    )


@login_required
@require_POST
def comment_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("hearing"), pk=pk)
    try:
        if action == "publish":
            services.comment_publish(actor=request.user, comment=comment)
        elif action == "hold":
            form = HoldBackForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            services.comment_hold_back(actor=request.user, comment=comment, reason=reason)
        elif action == "process":
            pform = ProcessForm(request.POST)
            if not pform.is_valid():
                raise ValidationError(next(iter(pform.errors.values())))
            services.comment_process(
                actor=request.user,
                comment=comment,
                topic=pform.cleaned_data["topic"],
                response=pform.cleaned_data["response"],
            )
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("hearings:desk_hearing", comment.hearing_id)
    messages.success(request, _("Comment %(reference)s saved.") % {"reference": comment.reference})
    return redirect("hearings:desk_hearing", comment.hearing_id)


@login_required
@require_POST
def hearing_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    hearing = get_object_or_404(Hearing, pk=pk)
    steps = {
        "open": services.hearing_open,
        "close": services.hearing_close,
        "processed": services.hearing_mark_processed,
    }
    if action not in steps:
        raise Http404
    try:
        steps[action](actor=request.user, hearing=hearing)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("hearings:desk_hearing", hearing.pk)
