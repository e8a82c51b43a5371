"""Business actions on networks, their library, experience log, proposals and training.

Each takes the acting user (`None` is the system: demo loaders, commands), checks the role
first (networks.permissions), validates with full_clean, stamps the history row and runs in
one transaction: bad input or a refused file leaves nothing half-written.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from members.models import Cooperation, Municipality, Organisation, Person
from networks import search
from networks.extract import extract_text
from networks.models import (
    Attendance,
    Course,
    Document,
    DocumentTag,
    DocumentVersion,
    ExperienceEntry,
    Network,
    NetworkMeeting,
    NetworkMember,
    NetworkMembership,
    Programme,
    Proposal,
    Session,
)
from networks.permissions import (
    require_coordinator,
    require_participant,
    require_secretariat_or_system,
)
from projects import services as project_services
from projects.analytics.cache import bump_data_version
from projects.models import Project
from samarbeid.common.services import Actor, apply_changes, stamp
from samarbeid.common.text import fold_for_search
from samarbeid.common.uploads import UploadRefused, check_document, generated_name, limits

NETWORK_FIELDS = ("name", "field", "started", "status", "coordinator", "project", "description")
MEETING_FIELDS = ("date", "place", "agenda", "minutes")
DOCUMENT_FIELDS = ("title", "kind", "visibility")


def _unique_slug(model, *, cooperation: Cooperation, name: str) -> str:
    base = slugify(name)[:100] or "x"
    slug, n = base, 2
    while model.objects.filter(cooperation=cooperation, slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


# --- networks, who takes part, meetings -----------------------------------------------------


@transaction.atomic
def network_create(
    *, actor: Actor, cooperation: Cooperation, name: str, fields: Mapping[str, Any] | None = None
) -> Network:
    require_secretariat_or_system(actor)
    network = Network(cooperation=cooperation, name=name)
    apply_changes(network, dict(fields or {}), NETWORK_FIELDS)
    network.slug = _unique_slug(Network, cooperation=cooperation, name=name)
    network.full_clean()
    stamp(network, actor, gettext_noop("network created"))
    network.save()
    return network


@transaction.atomic
def network_update(*, actor: Actor, network: Network, changes: Mapping[str, Any]) -> Network:
    """The coordinator edits the network; only the secretariat names another coordinator
    or links another portfolio row."""
    require_coordinator(actor, network)
    if {"coordinator", "project"} & set(changes):
        require_secretariat_or_system(actor)
    apply_changes(network, changes, NETWORK_FIELDS)
    network.full_clean()
    stamp(network, actor, gettext_noop("network edited"))
    network.save()
    return network


@transaction.atomic
def membership_add(
    *,
    actor: Actor,
    network: Network,
    municipality: Municipality | None = None,
    organisation: Organisation | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    note: str = "",
) -> NetworkMembership:
    require_coordinator(actor, network)
    membership = NetworkMembership(
        network=network,
        municipality=municipality,
        organisation=organisation,
        start=start,
        end=end,
        note=note,
    )
    membership.full_clean()
    stamp(membership, actor, gettext_noop("joined the network"))
    membership.save()
    return membership


@transaction.atomic
def member_add(
    *,
    actor: Actor,
    network: Network,
    person: Person,
    municipality: Municipality | None = None,
    organisation: Organisation | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> NetworkMember:
    require_coordinator(actor, network)
    member = NetworkMember(
        network=network,
        person=person,
        municipality=municipality,
        organisation=organisation,
        start=start,
        end=end,
    )
    member.full_clean()
    stamp(member, actor, gettext_noop("member added"))
    member.save()
    return member


def _set_period(
    row: NetworkMembership | NetworkMember,
    *,
    actor: Actor,
    start: dt.date | None,
    end: dt.date | None,
    left: str,
    re_dated: str,
) -> None:
    """End (the history says `left` when an end is first set) or re-date a membership."""
    ended = end is not None and row.end is None
    row.start, row.end = start, end
    row.full_clean()
    stamp(row, actor, left if ended else re_dated)
    row.save()


@transaction.atomic
def membership_update(
    *,
    actor: Actor,
    membership: NetworkMembership,
    start: dt.date | None,
    end: dt.date | None,
    note: str | None = None,
) -> NetworkMembership:
    """The coordinator ends or re-dates a municipality's or an organisation's membership."""
    require_coordinator(actor, membership.network)
    if note is not None:
        membership.note = note
    _set_period(
        membership,
        actor=actor,
        start=start,
        end=end,
        left=gettext_noop("left the network"),
        re_dated=gettext_noop("membership re-dated"),
    )
    return membership


@transaction.atomic
def member_update(
    *, actor: Actor, member: NetworkMember, start: dt.date | None, end: dt.date | None
) -> NetworkMember:
    """The coordinator ends or re-dates a person's membership."""
    require_coordinator(actor, member.network)
    _set_period(
        member,
        actor=actor,
        start=start,
        end=end,
        left=gettext_noop("member left"),
        re_dated=gettext_noop("member re-dated"),
    )
    return member


def _check_attendees(network: Network, attendees: Iterable[NetworkMember]) -> list[NetworkMember]:
    attendees = list(attendees)
    if any(a.network_id != network.pk for a in attendees):
        raise ValidationError({"attendees": _("Only the network's members can attend.")})
    return attendees


@transaction.atomic
def meeting_create(
    *,
    actor: Actor,
    network: Network,
    date: dt.date,
    place: str = "",
    agenda: str = "",
    minutes: str = "",
    attendees: Iterable[NetworkMember] = (),
) -> NetworkMeeting:
    require_coordinator(actor, network)
    present = _check_attendees(network, attendees)
    meeting = NetworkMeeting(
        network=network, date=date, place=place, agenda=agenda, minutes=minutes
    )
    meeting.full_clean()
    stamp(meeting, actor, gettext_noop("meeting created"))
    meeting.save()
    meeting.attendees.set(present)
    return meeting


@transaction.atomic
def meeting_update(
    *,
    actor: Actor,
    meeting: NetworkMeeting,
    changes: Mapping[str, Any],
    attendees: Iterable[NetworkMember] | None = None,
) -> NetworkMeeting:
    require_coordinator(actor, meeting.network)
    apply_changes(meeting, changes, MEETING_FIELDS)
    meeting.full_clean()
    stamp(meeting, actor, gettext_noop("meeting edited"))
    meeting.save()
    if attendees is not None:
        meeting.attendees.set(_check_attendees(meeting.network, attendees))
    return meeting


# --- the library ----------------------------------------------------------------------------


def _tags_named(names: Iterable[str]) -> list[DocumentTag]:
    tags = []
    for name in names:
        name = " ".join(name.split())[:60]
        if name:
            tags.append(DocumentTag.objects.get_or_create(name=name)[0])
    return tags


def _read_upload(upload) -> tuple[bytes, str]:
    """The bytes of an upload (bounded by the size limit) and its name as sent."""
    name = os.path.basename(getattr(upload, "name", "") or "") or _("the file")
    if hasattr(upload, "seek"):
        upload.seek(0)
    return upload.read(limits().document + 1), name


def refresh_search_text(document: Document, text: str | None = None) -> None:
    """Fold title, tags and the newest version's text into `search_text` and the index."""
    if text is None:
        newest = document.versions.order_by("-number").only("text").first()
        text = newest.text if newest else ""
    tags = " ".join(t.name for t in document.tags.all())
    document.search_text = fold_for_search(f"{document.title} {tags} {text}")
    Document.objects.filter(pk=document.pk).update(search_text=document.search_text)
    search.index_document(document)
    bump_data_version()  # update() and the index send no signal


def _add_version(*, actor: Actor, document: Document, upload, change_note: str) -> DocumentVersion:
    data, name = _read_upload(upload)
    try:
        kind = check_document(data, name)
    except UploadRefused as exc:
        raise ValidationError({"file": str(exc)}) from exc
    extracted = extract_text(data, kind)
    number = (document.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = DocumentVersion(
        document=document,
        number=number,
        file_kind=kind,
        size=len(data),
        uploaded_by_id=actor.pk if actor is not None and actor.is_authenticated else None,
        change_note=change_note,
        text=extracted.text,
        text_status=(
            DocumentVersion.TextStatus.OK
            if extracted.readable
            else DocumentVersion.TextStatus.UNREADABLE
        ),
    )
    version.file.save(generated_name(kind), ContentFile(data), save=False)
    try:
        version.full_clean()
    except ValidationError:
        version.file.delete(save=False)
        raise
    stamp(version, actor, gettext_noop("version uploaded"))
    version.save()
    refresh_search_text(document, extracted.text)
    return version


@transaction.atomic
def document_create(
    *,
    actor: Actor,
    network: Network,
    title: str,
    kind: str,
    upload,
    visibility: str = Document.Visibility.NETWORK,
    tags: Iterable[str] = (),
    change_note: str = "",
) -> Document:
    """A new library document with its first version. A file whose text cannot be read is
    kept and its version marked `unreadable`; a refused file (size, type) writes nothing."""
    require_participant(actor, network)
    document = Document(network=network, title=title, kind=kind, visibility=visibility)
    document.full_clean()
    stamp(document, actor, gettext_noop("document created"))
    document.save()
    document.tags.set(_tags_named(tags))
    _add_version(actor=actor, document=document, upload=upload, change_note=change_note)
    return document


@transaction.atomic
def document_version_add(
    *, actor: Actor, document: Document, upload, change_note: str = ""
) -> DocumentVersion:
    require_participant(actor, document.network)
    return _add_version(actor=actor, document=document, upload=upload, change_note=change_note)


@transaction.atomic
def document_update(
    *,
    actor: Actor,
    document: Document,
    changes: Mapping[str, Any],
    tags: Iterable[str] | None = None,
) -> Document:
    require_coordinator(actor, document.network)
    apply_changes(document, changes, DOCUMENT_FIELDS)
    document.full_clean()
    stamp(document, actor, gettext_noop("document edited"))
    document.save()
    if tags is not None:
        document.tags.set(_tags_named(tags))
    refresh_search_text(document)
    return document


# --- experience log and proposals -----------------------------------------------------------


@transaction.atomic
def experience_add(
    *,
    actor: Actor,
    network: Network,
    date: dt.date,
    title: str,
    text: str,
    municipalities: Iterable[Municipality] = (),
    projects: Iterable[Project] = (),
) -> ExperienceEntry:
    require_coordinator(actor, network)
    entry = ExperienceEntry(network=network, date=date, title=title, text=text)
    entry.full_clean()
    stamp(entry, actor, gettext_noop("experience recorded"))
    entry.save()
    entry.municipalities.set(list(municipalities))
    entry.projects.set(list(projects))
    return entry


@transaction.atomic
def proposal_create(
    *,
    actor: Actor,
    network: Network,
    name: str,
    description: str,
    proposed_on: dt.date,
    category: str = Project.Category.OTHER,
    rationale: str = "",
) -> Proposal:
    """The network proposes a joint project: it enters the portfolio as an idea, linked back
    to the network. The coordinator may propose; the portfolio row is written by the system
    on the network's behalf (the proposal's history names who proposed)."""
    require_coordinator(actor, network)
    project = project_services.project_create(
        actor=None,
        cooperation=network.cooperation,
        name=name,
        category=category,
        fields={"phase": Project.Phase.IDEA, "description": description, "is_public": False},
        reason=gettext_noop("proposed by a network"),
    )
    proposal = Proposal(
        network=network, project=project, proposed_on=proposed_on, rationale=rationale
    )
    proposal.full_clean()
    stamp(proposal, actor, gettext_noop("project proposed"))
    proposal.save()
    return proposal


# --- training and competence ----------------------------------------------------------------


def _require_programme_editor(actor: Actor, programme: Programme) -> None:
    if programme.network_id:
        require_coordinator(actor, programme.network)  # type: ignore[arg-type]
    else:
        require_secretariat_or_system(actor)


@transaction.atomic
def programme_create(
    *,
    actor: Actor,
    cooperation: Cooperation,
    name: str,
    audience: str = "",
    description: str = "",
    network: Network | None = None,
    project: Project | None = None,
) -> Programme:
    if network is not None:
        require_coordinator(actor, network)
    else:
        require_secretariat_or_system(actor)
    programme = Programme(
        cooperation=cooperation,
        name=name,
        slug=_unique_slug(Programme, cooperation=cooperation, name=name),
        audience=audience,
        description=description,
        network=network,
        project=project,
    )
    programme.full_clean()
    stamp(programme, actor, gettext_noop("programme created"))
    programme.save()
    return programme


@transaction.atomic
def course_add(
    *,
    actor: Actor,
    programme: Programme,
    name: str,
    start: dt.date | None = None,
    end: dt.date | None = None,
    note: str = "",
) -> Course:
    _require_programme_editor(actor, programme)
    course = Course(programme=programme, name=name, start=start, end=end, note=note)
    course.full_clean()
    stamp(course, actor, gettext_noop("course added"))
    course.save()
    return course


@transaction.atomic
def session_add(
    *,
    actor: Actor,
    course: Course,
    date: dt.date,
    hours: Decimal,
    topic: str = "",
    attendance: Mapping[Municipality | None, int] | None = None,
) -> Session:
    """A session with how many took part from each municipality (None: not stated)."""
    _require_programme_editor(actor, course.programme)
    session = Session(course=course, date=date, hours=hours, topic=topic)
    session.full_clean()
    stamp(session, actor, gettext_noop("session added"))
    session.save()
    for municipality, participants in (attendance or {}).items():
        attendance_set(
            actor=actor, session=session, municipality=municipality, participants=participants
        )
    return session


@transaction.atomic
def attendance_set(
    *,
    actor: Actor,
    session: Session,
    municipality: Municipality | None,
    participants: int,
    note: str = "",
) -> Attendance:
    _require_programme_editor(actor, session.course.programme)
    row = Attendance.objects.filter(session=session, municipality=municipality).first()
    row = row or Attendance(session=session, municipality=municipality)
    row.participants, row.note = participants, note
    row.full_clean(validate_unique=False)
    stamp(row, actor, gettext_noop("attendance recorded"))
    row.save()
    return row
