"""Public hearing pages on the portal (list, hearing with its published comments and the
comment form, the embedded form for the widget, the confirmation and withdrawal links) and
the officer's desk."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from governance.permissions import contact_municipality_ids
from hearings import selectors, services
from hearings.forms import (
    OWNER_FIELDS,
    OWNERS,
    CommentForm,
    DocumentForm,
    FollowForm,
    HearingForm,
    HoldBackForm,
    ProcessForm,
)
from hearings.limits import count_this_hour
from hearings.models import Comment, CommentAttachment, Hearing, HearingDocument
from hearings.permissions import can_moderate
from members import selectors as member_selectors
from members.models import Municipality
from projects.analytics.cache import cached
from projects.page_shell import render_page
from samarbeid.common.kept import render_for_session
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
MAX_FOLLOWS_PER_IP_PER_HOUR = 20


def _ip_over_limit(request: HttpRequest, kind: str = "ip") -> bool:
    """Count posts per client address (hashed, kept an hour in the cache only)."""
    count = count_this_hour(kind, request.META.get("REMOTE_ADDR", ""))
    limit = MAX_COMMENTS_PER_IP_PER_HOUR if kind == "ip" else MAX_FOLLOWS_PER_IP_PER_HOUR
    return count > limit


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
    files = data.get("attachments") or []
    try:
        services.comment_submit(
            hearing=hearing,
            text=data["text"],
            name=data["name"],
            email=data["email"],
            organisation=data["organisation"],
            show_name=data["show_name"],
            honeypot=data["website"],
            attachments=[(f.name or "", _read(f)) for f in files],
        )
    except ValidationError as exc:
        _errors_to_form(form, exc)
        if files:
            form.add_error(
                None, _("Your text is kept below; choose the attachments again before sending.")
            )
        return False
    return True


def _read(upload) -> bytes:
    """At most one byte past the limit: the service refuses what is larger."""
    return upload.read(services.attachment_max_bytes() + 1)


def _comment_page(request: HttpRequest, pk: int, template: str) -> HttpResponse:
    hearing = _public(pk)
    today = timezone.localdate()
    form = CommentForm(request.POST or None, request.FILES or None)
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
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """A published comment's attachment is public; any other only for the officer."""
    item = get_object_or_404(CommentAttachment.objects.select_related("comment__hearing"), pk=pk)
    comment = item.comment
    public = (
        comment.state == Comment.State.PUBLISHED
        and comment.hearing.state in selectors.PUBLIC_STATES
    )
    if not public and not can_moderate(request.user, comment.hearing):
        raise Http404(_("No such file."))
    return serve_file(item.file, download_name=item.title)


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
    def context() -> dict:
        ids = (
            None
            if is_secretariat(request.user)
            else contact_municipality_ids(request.user, timezone.localdate())
        )
        if ids is not None and not ids:
            raise PermissionDenied(
                _("Only the secretariat and municipality contacts run hearings.")
            )
        return {"hearings": list(selectors.desk_hearings(ids)[:200])}

    # Kept whole per data version, user (their roles and municipalities are data) and day.
    return render_page(request, "hearings/desk.html", None, context)


def _errors_to_form(form, exc: ValidationError) -> None:
    """A service's refusal as the form's errors (on the field it names when the form has
    it)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def _runs_hearings_as_secretariat(user) -> bool:
    """True for the secretariat, False for a municipality contact; anyone else may not
    run hearings (403)."""
    if is_secretariat(user):
        return True
    if contact_municipality_ids(user, timezone.localdate()):
        return False
    raise PermissionDenied(_("Only the secretariat and municipality contacts run hearings."))


def _keys(value) -> list[int]:
    """The primary keys a form value or query parameter names (junk left out)."""
    values = value if isinstance(value, list | tuple) else [value]
    return [int(v) for v in values if str(v).isdigit()]


def _chosen_first(
    chosen: list[int], others: list[selectors.Choice], fetch
) -> list[selectors.Choice]:
    """The chosen rows (read with `fetch` unless among `others`), then the others."""
    shown = {c.pk for c in others}
    missing = [pk for pk in chosen if pk not in shown]
    return [*(fetch(missing) if missing else []), *others]


def _form_pickers(form: HearingForm, secretariat: bool) -> dict:
    """What the page's pickers show: the members, the chosen municipalities that are not
    members, and the recent (and chosen) cases and projects. A fixed number of queries."""
    today = timezone.localdate()
    members = selectors.member_municipalities(today)
    member_ids = {c.pk for c in members}
    concerned = _keys(form["municipalities"].value())
    plan = _keys(form["plan_municipality"].value())
    others = selectors.municipality_choices(set(concerned + plan) - member_ids, today)
    context = {
        "members": members,
        "cooperation": member_selectors.default_cooperation(),
        "concerned": set(concerned),
        "other_concerned": [c for c in others if c.pk in concerned],
        "plan_chosen": set(plan),
        "other_plan": [c for c in others if c.pk in plan],
    }
    if secretariat:
        cases = _keys(form["case"].value())
        projects = _keys(form["project"].value())
        context["cases"] = _chosen_first(cases, selectors.recent_cases(), selectors.case_choices)
        context["case_chosen"] = set(cases)
        context["projects"] = _chosen_first(
            projects, selectors.recent_projects(), selectors.project_choices
        )
        context["project_chosen"] = set(projects)
    return context


def _initial(request: HttpRequest, secretariat: bool) -> dict:
    """`?case=<pk>`, `?project=<pk>` or `?plan_municipality=<pk>` choose the kind and the
    row; a municipality contact runs only plans."""
    initial: dict = {
        name: request.GET[name]
        for name in OWNERS
        if request.GET.get(name, "").isdigit() and (secretariat or name == "plan_municipality")
    }
    kinds = [kind for kind, field in OWNER_FIELDS.items() if field in initial]
    if len(kinds) == 1 or not secretariat:
        initial["owner"] = kinds[0] if kinds else "plan"
    return initial


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def hearing_new(request: HttpRequest) -> HttpResponse:
    """A hearing of a case, a project or a municipality's plan, in draft. `?case=<pk>` or
    `?project=<pk>` (the "Send på høring" links) fill in what it belongs to. The page lists
    the cooperation's members and a few recent cases and projects; `hearing_pick` searches
    the rest."""
    secretariat = _runs_hearings_as_secretariat(request.user)
    form = HearingForm(
        request.POST or None, initial=_initial(request, secretariat), may_pick_owner=secretariat
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            hearing = services.hearing_create(actor=request.user, **data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            if services.short_deadline(hearing):
                messages.warning(
                    request,
                    _(
                        "Saved. Note: the deadline is less than six weeks after the start; "
                        "the Planning and Building Act sets six weeks for plans."
                    ),
                )
            return redirect("hearings:desk_hearing", hearing.pk)
    context = {"form": form, **_form_pickers(form, secretariat)}
    if request.method == "POST":
        return render(request, "hearings/desk_new.html", context, status=422)
    # The empty form and its lists follow from the data, the user and the address.
    return render_for_session(request, "hearings/desk_new.html", context)


PICK_INPUT = {
    "municipalities": "checkbox",
    "plan_municipality": "radio",
    "case": "radio",
    "project": "radio",
}


def _pick_status(query: str, found: int, members: list[selectors.Choice]) -> str:
    if not query.strip():
        return ""
    if members:
        names = ", ".join(c.label for c in members)
        listed = _("Members, in the list above: %(names)s.") % {"names": names}
        return f"{_pick_status(query, found, [])} {listed}" if found else listed
    if not found:
        return _("Nothing matches “%(query)s”.") % {"query": query}
    if found >= selectors.PICK_LIMIT:
        return _("The first %(count)s matches; type more to narrow the search.") % {"count": found}
    return ngettext("%(count)s match.", "%(count)s matches.", found) % {"count": found}


def _pick_rows(what: str, query: str, chosen: list[int]) -> tuple[list, int, list]:
    """The chosen rows first, then the matches (or, for an empty search of cases and
    projects, the recent ones); how many matched; the members that match (a municipality
    search lists only non-members, the members are on the page already)."""
    today = timezone.localdate()
    if what in ("municipalities", "plan_municipality"):
        members = selectors.member_municipalities(today)
        member_ids = {c.pk for c in members}
        chosen = [pk for pk in chosen if pk not in member_ids]
        index = cached(
            "hearing-municipality-index", today, lambda: selectors.municipality_index(today)
        )
        found = selectors.municipality_matches(
            query, today, exclude={*member_ids, *chosen}, index=index
        )
        rows = [*selectors.municipality_choices(chosen, today), *found]
        return rows, len(found), selectors.choices_matching(query, members)
    matches, recent, fetch = {
        "case": (selectors.case_matches, selectors.recent_cases, selectors.case_choices),
        "project": (
            selectors.project_matches,
            selectors.recent_projects,
            selectors.project_choices,
        ),
    }[what]
    found = matches(query) if query.strip() else recent()
    return _chosen_first(chosen, found, fetch), len(found), []


@login_required
@require_safe
def hearing_pick(request: HttpRequest, what: str) -> HttpResponse:
    """The new-hearing form's search (htmx): `q` and the rows already chosen (under the
    field's own name, kept at the top and ticked) give the picker's list. Municipalities
    for whoever runs hearings; cases and projects for the secretariat."""
    if what not in PICK_INPUT:
        raise Http404
    secretariat = _runs_hearings_as_secretariat(request.user)
    if what in ("case", "project") and not secretariat:
        raise PermissionDenied(_("Only the secretariat sends cases and projects for comment."))
    query = request.GET.get("q", "")[:100]
    chosen = _keys(request.GET.getlist(what))[: selectors.PICK_LIMIT]
    rows, found, members = _pick_rows(what, query, chosen)
    return render(
        request,
        "hearings/_pick_results.html",
        {
            "what": what,
            "input_type": PICK_INPUT[what],
            "rows": rows,
            "checked": set(chosen),
            "status": _pick_status(query, found, members),
            "oob": True,
        },
    )


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
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
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
                raise ValidationError(list(next(iter(pform.errors.values()))))
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


# ------------------------------------------------------------------ followers


def _municipality(number: str) -> Municipality:
    if not number.isdigit() or len(number) > 4:
        raise Http404(_("No such municipality."))
    try:
        return member_selectors.municipality_for_number(number, timezone.localdate())
    except member_selectors.UnknownMunicipality as exc:
        raise Http404(_("No such municipality.")) from exc


def _follow(request: HttpRequest, municipality: Municipality, form: FollowForm) -> bool:
    if not form.is_valid():
        return False
    if _ip_over_limit(request, "follow-ip"):
        form.add_error(None, _("Too many requests from this network in the last hour."))
        return False
    try:
        services.follower_subscribe(
            municipality=municipality,
            email=form.cleaned_data["email"],
            honeypot=form.cleaned_data["website"],
        )
    except ValidationError as exc:
        _errors_to_form(form, exc)
        return False
    return True


def _follow_page(request: HttpRequest, number: str, template: str, **extra) -> HttpResponse:
    municipality = _municipality(number)
    form = FollowForm(request.POST or None)
    asked = request.method == "POST" and _follow(request, municipality, form)
    if asked:
        form = FollowForm()
    context = {
        "municipality": municipality,
        "follow_form": form,
        "asked": asked,
        "section": "hearings",
        **extra,
    }
    status = 422 if request.method == "POST" and not asked else 200
    return render(request, template, context, status=status)


# Anonymous, and in the widget's iframe (third-party cookies): as the comment form, a forged
# post achieves nothing, the address follows only once its owner confirms by e-mail.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def municipality_hearings(request: HttpRequest, number: str) -> HttpResponse:
    """A municipality's hearings (open and earlier) and the form to follow them."""
    municipality = _municipality(number)
    ids = set(member_selectors.identities_of([municipality]))
    hearings = list(selectors.followed_hearings(ids)[:200])
    return _follow_page(
        request,
        number,
        "hearings/municipality.html",
        hearings=hearings,
        today=timezone.localdate(),
    )


@csrf_exempt
@embeddable
@require_http_methods(["GET", "HEAD", "POST"])
def embed_follow(request: HttpRequest, number: str) -> HttpResponse:
    """The follow form inside the widget on a member's website."""
    return _follow_page(request, number, "hearings/embed_follow.html")


@require_safe
def follow_confirm(request: HttpRequest, token: str) -> HttpResponse:
    follower = services.follower_confirm(token=token)
    return render(
        request,
        "hearings/follow_confirmed.html",
        {"follower": follower, "section": "hearings"},
        status=200 if follower else 404,
    )


# The mail clients' one-click (RFC 8058) posts here without a CSRF token; the token in the
# address is the only key, and a forged one changes nothing.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows one button (a mail scanner opening the link unsubscribes no one), POST
    (the button, or the mail client's one-click) stops the mails."""
    if request.method == "POST":
        municipality = services.follower_unsubscribe(token=token)
        return render(
            request,
            "hearings/unsubscribe.html",
            {"done": municipality, "invalid": municipality is None, "section": "hearings"},
            status=200 if municipality else 404,
        )
    follower = services.follower_by_unsubscribe_token(token)
    return render(
        request,
        "hearings/unsubscribe.html",
        {"follower": follower, "invalid": follower is None, "section": "hearings"},
        status=200 if follower else 404,
    )
