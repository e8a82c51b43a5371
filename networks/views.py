"""Thin views: parse, check who may, call a selector or a service, render.

A service's PermissionDenied becomes 403; its ValidationError a form error (400)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from governance.forms import apply_service_errors
from networks import forms, permissions, selectors, services
from networks.models import (
    Course,
    Document,
    Network,
    NetworkMeeting,
    NetworkMember,
    NetworkMembership,
    Programme,
)
from networks.page_cache import viewer
from projects.page_shell import render_page
from samarbeid.common.uploads import serve_file


def _form_page(request, form, *, title: str, back: str, status: int = 200, multipart=False):
    return render(
        request,
        "networks/form.html",
        {"form": form, "title": title, "back": back, "multipart": multipart},
        status=status,
    )


def _handle_form(
    request: HttpRequest,
    form,
    *,
    save: Callable[[dict[str, Any]], Any],
    done: str,
    title: str,
    back: str,
    message: str,
    multipart: bool = False,
) -> HttpResponse:
    """GET shows the form; POST validates, calls the service and redirects, or answers 400
    with the errors (a service's ValidationError named by field)."""
    if request.method == "POST":
        if form.is_valid():
            try:
                save(form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, message)
                return redirect(done)
        return _form_page(request, form, title=title, back=back, status=400, multipart=multipart)
    return _form_page(request, form, title=title, back=back, multipart=multipart)


# --- reading -----------------------------------------------------------------------------------


@login_required
def network_list(request: HttpRequest) -> HttpResponse:
    # Kept whole per data version, user, day and address (networks.page_cache).
    return render_page(
        request,
        "networks/list.html",
        viewer(request.user),
        lambda: {"networks": selectors.network_list(), "programmes": selectors.programmes()},
    )


@login_required
def network_detail(request: HttpRequest, slug: str) -> HttpResponse:
    user = request.user

    def context() -> dict[str, Any]:
        network = selectors.network_by_slug(slug)  # a 404 is decided on a miss
        internals = permissions.can_read_internals(user, network)
        return {
            "network": network,
            "memberships": selectors.memberships(network),
            "people": selectors.members(network),
            "meetings": selectors.meetings(network) if internals else [],
            "documents": selectors.documents_for(user=user, network=network),
            "experiences": selectors.experience_for_network(network),
            "proposals": selectors.proposals(network),
            "programmes": network.programmes.all(),
            "internals": internals,
            "can_coordinate": permissions.can_coordinate(user, network),
            "can_take_part": permissions.can_take_part(user, network),
            "today": timezone.localdate(),
        }

    # What the user may read and do is theirs: kept per user (networks.page_cache).
    return render_page(request, "networks/detail.html", viewer(user), context)


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_detail(pk)
    if not permissions.can_read_internals(request.user, meeting.network):
        raise PermissionDenied(_("Only the network's members may read its meetings."))
    return render(request, "networks/meeting.html", {"meeting": meeting})


@login_required
def library(request: HttpRequest) -> HttpResponse:
    user = request.user

    def context() -> dict[str, Any]:
        query = request.GET.get("q", "").strip()[:200]
        network = None
        if slug := request.GET.get("network"):
            network = Network.objects.filter(slug=slug).first()
        result = selectors.library_search(
            user=user, query=query, page=request.GET.get("page"), network=network
        )
        documents = None if query else selectors.documents_for(user=user, network=network)
        return {"result": result, "query": query, "network": network, "documents": documents}

    # Per user and full address (the search, the network, the page): networks.page_cache.
    return render_page(request, "networks/library.html", viewer(user), context)


def _visible_document(request: HttpRequest, pk: int) -> Document:
    document = selectors.document_detail(pk)
    if not permissions.can_see_document(request.user, document):
        raise Http404  # a document one may not see is not there
    return document


@login_required
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = _visible_document(request, pk)
    return render(
        request,
        "networks/document.html",
        {
            "document": document,
            "version_form": forms.VersionForm(),
            "can_take_part": permissions.can_take_part(request.user, document.network),
            "can_coordinate": permissions.can_coordinate(request.user, document.network),
        },
    )


@login_required
def version_file(request: HttpRequest, pk: int) -> FileResponse:
    """Any version of a document, to those who may see the document, as an attachment."""
    version = selectors.version_for_download(pk)
    if not permissions.can_see_document(request.user, version.document):
        raise Http404
    name = f"{version.document.title} v{version.number}"
    return serve_file(version.file, download_name=name)


@login_required
def training(request: HttpRequest) -> HttpResponse:
    rows = selectors.competence_summary()
    return render(
        request,
        "networks/training.html",
        {
            "programmes": selectors.programmes(),
            "summary": selectors.competence_by_year(rows),
            "can_start": permissions.may_start_programmes(request.user),
        },
    )


@login_required
def programme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    programme = selectors.programme_by_slug(slug)
    rows = selectors.competence_summary(programme=programme)
    return render(
        request,
        "networks/programme.html",
        {
            "programme": programme,
            "summary": selectors.competence_by_year(rows),
            "can_edit": permissions.can_edit_programme(request.user, programme),
        },
    )


# --- writing: the coordinator (and the secretariat) -------------------------------------------


def _coordinated(request: HttpRequest, slug: str) -> Network:
    network = get_object_or_404(Network, slug=slug)
    permissions.require_coordinator(request.user, network)
    return network


def _network_form(
    request: HttpRequest,
    slug: str,
    *,
    form: Callable[[Network], Form],
    service: Callable[..., Any],
    title: str,
    message: str,
) -> HttpResponse:
    """A coordinator's form that adds something to the network through
    `service(actor=…, network=…, **cleaned_data)` and returns to the network page."""
    network = _coordinated(request, slug)
    back = reverse("networks:detail", args=[slug])
    return _handle_form(
        request,
        form(network),
        save=lambda data: service(actor=request.user, network=network, **data),
        done=back,
        title=title,
        back=back,
        message=message,
    )


def _values(obj: Any, *fields: str) -> dict[str, Any]:
    return {f: getattr(obj, f) for f in fields}


def _edit_form(
    request: HttpRequest,
    *,
    form: type[Form],
    initial: dict[str, Any],
    save: Callable[[dict[str, Any]], Any],
    back: str,
    title: str,
    message: str,
    form_kwargs: dict[str, Any] | None = None,
) -> HttpResponse:
    """A coordinator's form that changes something (the form starts from `initial`)."""
    return _handle_form(
        request,
        form(request.POST or None, initial=initial, **(form_kwargs or {})),
        save=save,
        done=back,
        title=title,
        back=back,
        message=message,
    )


@login_required
@require_http_methods(["GET", "POST"])
def network_edit(request: HttpRequest, slug: str) -> HttpResponse:
    network = _coordinated(request, slug)
    return _edit_form(
        request,
        form=forms.NetworkForm,
        initial=_values(network, "name", "field", "started", "status", "description"),
        save=lambda data: services.network_update(
            actor=request.user, network=network, changes=data
        ),
        back=reverse("networks:detail", args=[slug]),
        title=_("Edit %(network)s") % {"network": network},
        message=_("The network is saved."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def membership_new(request: HttpRequest, slug: str) -> HttpResponse:
    return _network_form(
        request,
        slug,
        form=lambda network: forms.MembershipForm(request.POST or None),
        service=services.membership_add,
        title=_("Add a member municipality or organisation"),
        message=_("The member is added."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def membership_edit(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(
        NetworkMembership.objects.select_related("network", "municipality", "organisation"), pk=pk
    )
    permissions.require_coordinator(request.user, membership.network)
    return _edit_form(
        request,
        form=forms.MembershipPeriodForm,
        initial=_values(membership, "start", "end", "note"),
        save=lambda data: services.membership_update(
            actor=request.user, membership=membership, **data
        ),
        back=reverse("networks:detail", args=[membership.network.slug]),
        title=_("Membership of %(member)s") % {"member": membership},
        message=_("The membership is saved."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_new(request: HttpRequest, slug: str) -> HttpResponse:
    return _network_form(
        request,
        slug,
        form=lambda network: forms.MemberForm(request.POST or None),
        service=services.member_add,
        title=_("Add a person to the network"),
        message=_("The person is added."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(NetworkMember.objects.select_related("network", "person"), pk=pk)
    permissions.require_coordinator(request.user, member.network)
    return _edit_form(
        request,
        form=forms.PeriodForm,
        initial=_values(member, "start", "end"),
        save=lambda data: services.member_update(actor=request.user, member=member, **data),
        back=reverse("networks:detail", args=[member.network.slug]),
        title=_("%(person)s in the network") % {"person": member.person},
        message=_("The person's membership is saved."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest, slug: str) -> HttpResponse:
    return _network_form(
        request,
        slug,
        form=lambda network: forms.MeetingForm(request.POST or None, network=network),
        service=services.meeting_create,
        title=_("New meeting"),
        message=_("The meeting is saved."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(NetworkMeeting.objects.select_related("network"), pk=pk)
    permissions.require_coordinator(request.user, meeting.network)

    def save(data: dict[str, Any]) -> None:
        attendees = data.pop("attendees")
        services.meeting_update(
            actor=request.user, meeting=meeting, changes=data, attendees=attendees
        )

    return _edit_form(
        request,
        form=forms.MeetingForm,
        initial={
            **_values(meeting, "date", "place", "agenda", "minutes"),
            "attendees": list(meeting.attendees.all()),
        },
        form_kwargs={"network": meeting.network},
        save=save,
        back=reverse("networks:meeting", args=[pk]),
        title=_("Edit the meeting"),
        message=_("The meeting is saved."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def experience_new(request: HttpRequest, slug: str) -> HttpResponse:
    return _network_form(
        request,
        slug,
        form=lambda network: forms.ExperienceForm(
            request.POST or None, initial={"date": timezone.localdate()}
        ),
        service=services.experience_add,
        title=_("Record an experience"),
        message=_("The experience is recorded."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_new(request: HttpRequest, slug: str) -> HttpResponse:
    return _network_form(
        request,
        slug,
        form=lambda network: forms.ProposalForm(
            request.POST or None, initial={"proposed_on": timezone.localdate()}
        ),
        service=services.proposal_create,
        title=_("Propose a joint project"),
        message=_("The proposal is in the portfolio as an idea."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def document_edit(request: HttpRequest, pk: int) -> HttpResponse:
    document = _visible_document(request, pk)
    permissions.require_coordinator(request.user, document.network)

    def save(data: dict[str, Any]) -> None:
        tags = data.pop("tags")
        services.document_update(actor=request.user, document=document, changes=data, tags=tags)

    return _edit_form(
        request,
        form=forms.DocumentEditForm,
        initial={
            **_values(document, "title", "kind", "visibility"),
            "tags": ", ".join(t.name for t in document.tags.all()),
        },
        save=save,
        back=reverse("networks:document", args=[pk]),
        title=_("Edit %(document)s") % {"document": document},
        message=_("The document is saved."),
    )


# --- writing: members upload to the library ----------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def document_new(request: HttpRequest, slug: str) -> HttpResponse:
    network = get_object_or_404(Network, slug=slug)
    permissions.require_participant(request.user, network)
    form = forms.DocumentForm(request.POST or None, request.FILES or None)
    created: list[Document] = []

    def save(data: dict[str, Any]) -> None:
        created.append(
            services.document_create(
                actor=request.user,
                network=network,
                title=data["title"],
                kind=data["kind"],
                visibility=data["visibility"],
                tags=data["tags"],
                upload=data["file"],
                change_note=data["change_note"],
            )
        )

    response = _handle_form(
        request,
        form,
        save=save,
        done=reverse("networks:detail", args=[slug]),
        title=_("Upload a document to %(network)s") % {"network": network},
        back=reverse("networks:detail", args=[slug]),
        message=_("The document is in the library."),
        multipart=True,
    )
    if created:
        return redirect("networks:document", pk=created[0].pk)
    return response


@login_required
@require_POST
def version_new(request: HttpRequest, pk: int) -> HttpResponse:
    document = _visible_document(request, pk)
    permissions.require_participant(request.user, document.network)
    form = forms.VersionForm(request.POST, request.FILES)
    back = reverse("networks:document", args=[pk])
    return _handle_form(
        request,
        form,
        save=lambda data: services.document_version_add(
            actor=request.user,
            document=document,
            upload=data["file"],
            change_note=data["change_note"],
        ),
        done=back,
        title=_("New version of %(document)s") % {"document": document},
        back=back,
        message=_("The new version is saved."),
        multipart=True,
    )


# --- writing: training (the secretariat, or the coordinator of the network that runs it) -------


@login_required
@require_http_methods(["GET", "POST"])
def programme_new(request: HttpRequest) -> HttpResponse:
    form = forms.ProgrammeForm(request.POST or None)
    if not permissions.may_start_programmes(request.user):
        raise PermissionDenied(_("Only the secretariat or a network's coordinator may do this."))
    back = reverse("networks:training")
    created: list[Programme] = []

    def save(data: dict[str, Any]) -> None:
        cooperation = data["network"].cooperation if data["network"] else _cooperation()
        created.append(
            services.programme_create(actor=request.user, cooperation=cooperation, **data)
        )

    response = _handle_form(
        request,
        form,
        save=save,
        done=back,
        title=_("New programme"),
        back=back,
        message=_("The programme is saved."),
    )
    return redirect("networks:programme", slug=created[0].slug) if created else response


def _cooperation():
    from members.selectors import default_cooperation

    cooperation = default_cooperation()
    if cooperation is None:
        raise Http404
    return cooperation


def _editable_programme(request: HttpRequest, slug: str) -> Programme:
    programme = get_object_or_404(Programme.objects.select_related("network"), slug=slug)
    if not permissions.can_edit_programme(request.user, programme):
        raise PermissionDenied(_("Only the secretariat or the network's coordinator may do this."))
    return programme


@login_required
@require_http_methods(["GET", "POST"])
def course_new(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _editable_programme(request, slug)
    back = reverse("networks:programme", args=[slug])
    return _handle_form(
        request,
        forms.CourseForm(request.POST or None),
        save=lambda data: services.course_add(actor=request.user, programme=programme, **data),
        done=back,
        title=_("New course in %(programme)s") % {"programme": programme},
        back=back,
        message=_("The course is saved."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_new(request: HttpRequest, pk: int) -> HttpResponse:
    course = get_object_or_404(Course.objects.select_related("programme"), pk=pk)
    _editable_programme(request, course.programme.slug)
    back = reverse("networks:programme", args=[course.programme.slug])
    return _handle_form(
        request,
        forms.SessionForm(request.POST or None),
        save=lambda data: services.session_add(actor=request.user, course=course, **data),
        done=back,
        title=_("New session in %(course)s") % {"course": course},
        back=back,
        message=_("The session is saved."),
    )
