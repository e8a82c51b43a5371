"""Business actions of governance: board seats, meetings, cases, documents, referrals,
council decisions and the establishment of the adopted arrangement.

Every action checks permissions first (raising PermissionDenied; `actor=None` is the
system: commands and demo loaders), validates (raising ValidationError with a message
naming the field) and runs in one transaction, stamping each row's history with a
constant reason. Permission predicates live in governance.permissions, e-mail to the
contacts in governance.notifications, reads in governance.selectors.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from governance import notifications, resolution, selectors
from governance.models import (
    BoardSeat,
    Case,
    CaseDocument,
    Condition,
    CouncilDecision,
    Meeting,
    Referral,
)
from governance.permissions import require_can_record_decision
from members import selectors as member_selectors
from members.models import Cooperation, Municipality, Organisation, Person
from projects import services as project_services
from projects.models import Participation, Project, SpinOff
from samarbeid.common import trash
from samarbeid.common.services import (
    Actor,
    apply_changes,
    require_secretariat_or_system,
    stamp,
)
from samarbeid.common.text import fold_for_search
from samarbeid.common.versions import RESTORED, mark_restored, version_values


@dataclass
class ConditionSpec:
    """A structured condition to record: kind is one of Condition.Kind."""

    kind: str
    municipalities: list[Municipality] = field(default_factory=list)
    minimum: int | None = None


def _user_or_none(actor: Actor) -> User | None:
    """The user to store as recorder/closer: None for the system and anonymous users (the
    project keeps Django's default user model)."""
    return actor if isinstance(actor, User) and actor.is_authenticated else None


# --- board -------------------------------------------------------------------------------


@transaction.atomic
def meeting_create(
    *,
    actor: Actor,
    cooperation: Cooperation,
    date: dt.date,
    place: str = "",
    agenda: str = "",
    minutes: str = "",
    notes: str = "",
) -> Meeting:
    require_secretariat_or_system(actor)
    meeting = Meeting(
        cooperation=cooperation, date=date, place=place, agenda=agenda, minutes=minutes, notes=notes
    )
    meeting.full_clean()
    stamp(meeting, actor, gettext_noop("meeting created"))
    meeting.save()
    return meeting


@transaction.atomic
def meeting_update(
    *,
    actor: Actor,
    meeting: Meeting,
    date: dt.date,
    place: str = "",
    agenda: str = "",
    minutes: str = "",
    notes: str = "",
) -> Meeting:
    """Correct a meeting or add its minutes afterwards."""
    require_secretariat_or_system(actor)
    meeting.date, meeting.place, meeting.agenda = date, place, agenda
    meeting.minutes, meeting.notes = minutes, notes
    meeting.full_clean()
    stamp(meeting, actor, gettext_noop("meeting updated"))
    meeting.save()
    return meeting


def _check_seat_member(seat: BoardSeat) -> None:
    """A municipal seat belongs to a member of the cooperation on the day it begins."""
    municipality = seat.municipality
    if municipality is None:
        return
    on = seat.start or seat.end or timezone.localdate()
    members = member_selectors.member_municipalities_on(cooperation=seat.cooperation, on=on)
    if members and municipality.pk not in {m.pk for m in members}:
        raise ValidationError(
            {
                "municipality": _("%(name)s is not a member of %(cooperation)s on %(date)s.")
                % {"name": municipality.name, "cooperation": seat.cooperation, "date": on}
            }
        )


@transaction.atomic
def board_seat_create(
    *,
    actor: Actor,
    cooperation: Cooperation,
    role: str,
    label: str = "",
    person: Person | None = None,
    municipality: Municipality | None = None,
    organisation: Organisation | None = None,
    voting: bool | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    note: str = "",
) -> BoardSeat:
    """A seat on the board for a period. `voting` defaults by role: mayors and city
    managers vote; the county mayor, county governor and union representative observe."""
    require_secretariat_or_system(actor)
    if voting is None:
        voting = role in BoardSeat.MUNICIPAL_ROLES
    seat = BoardSeat(
        cooperation=cooperation,
        role=role,
        label=label.strip(),
        person=person,
        municipality=municipality,
        organisation=organisation,
        voting=voting,
        start=start,
        end=end,
        note=note,
    )
    seat.full_clean()
    _check_seat_member(seat)
    stamp(seat, actor, gettext_noop("board seat created"))
    seat.save()
    return seat


@transaction.atomic
def board_seat_end(*, actor: Actor, seat: BoardSeat, end: dt.date) -> BoardSeat:
    """End a seat (the last day it was held); the board on later days no longer shows it."""
    require_secretariat_or_system(actor)
    seat.end = end
    seat.full_clean()
    stamp(seat, actor, gettext_noop("board seat ended"))
    seat.save()
    return seat


# --- cases -------------------------------------------------------------------------------


def case_search_text(*, number: str, title: str) -> str:
    """What the case search looks in (Case.search_text): the number and title, folded."""
    return fold_for_search(f"{number} {title}")


@transaction.atomic
def case_create(
    *,
    actor: Actor,
    cooperation: Cooperation,
    number: str,
    title: str,
    proposal: str = "",
    meeting: Meeting | None = None,
    projects: Iterable[Project] = (),
    decision_text: str = "",
    outcome: str = "",
    is_public: bool = True,
) -> Case:
    require_secretariat_or_system(actor)
    project_list = list(projects)
    case = Case(
        cooperation=cooperation,
        meeting=meeting,
        number=number.strip(),
        title=title.strip(),
        proposal=proposal,
        decision_text=decision_text,
        outcome=outcome,
        is_public=is_public,
    )
    case.search_text = case_search_text(number=case.number, title=case.title)
    _check_case(case, project_list, meeting)
    case.full_clean()
    stamp(case, actor, gettext_noop("case created"))
    case.save()
    case.projects.set(project_list)
    return case


def _check_case(case: Case, projects: list[Project], meeting: Meeting | None) -> None:
    # A case in the trash keeps its number (it may come back).
    taken = Case._base_manager.filter(cooperation_id=case.cooperation_id, number=case.number)
    if case.pk:
        taken = taken.exclude(pk=case.pk)
    other = taken.only("deleted_at").first()
    if other is not None and other.deleted_at is not None:
        raise ValidationError(
            {
                "number": _(
                    "Case %(number)s is in the trash: restore it, or choose another number."
                )
                % {"number": case.number}
            }
        )
    if other is not None:
        raise ValidationError(
            {"number": _("Case %(number)s already exists.") % {"number": case.number}}
        )
    for project in projects:
        if project.cooperation_id != case.cooperation_id:
            raise ValidationError(
                {"projects": _("%(name)s belongs to another cooperation.") % {"name": project}}
            )
    if meeting is not None and meeting.cooperation_id != case.cooperation_id:
        raise ValidationError({"meeting": _("The meeting belongs to another cooperation.")})
    if (
        case.outcome
        and not case.decision_text.strip()
        and case.outcome not in (Case.Outcome.POSTPONED, Case.Outcome.INFORMATION)
    ):
        raise ValidationError(
            {"decision_text": _("Write the board's decision when you record its outcome.")}
        )


@transaction.atomic
def case_update(
    *,
    actor: Actor,
    case: Case,
    number: str,
    title: str,
    proposal: str = "",
    meeting: Meeting | None = None,
    projects: Iterable[Project] = (),
    decision_text: str = "",
    outcome: str = "",
    is_public: bool | None = None,
    reason: str = gettext_noop("case updated"),
) -> Case:
    """Correct a case or record the board's decision on it (text and outcome).
    `is_public=None` leaves the case's visibility on the portal as it is."""
    require_secretariat_or_system(actor)
    project_list = list(projects)
    case.number, case.title, case.proposal = number.strip(), title.strip(), proposal
    case.meeting, case.decision_text, case.outcome = meeting, decision_text, outcome
    case.search_text = case_search_text(number=case.number, title=case.title)
    if is_public is not None:
        case.is_public = is_public
    _check_case(case, project_list, meeting)
    case.full_clean()
    stamp(case, actor, reason)
    case.save()
    case.projects.set(project_list)
    return case


@transaction.atomic
def case_delete(*, actor: Actor, case: Case) -> Case:
    """Move a case to the trash, with its referrals and decisions (hidden, kept)."""
    require_secretariat_or_system(actor)
    trash.move_to_trash(case, actor, gettext_noop("moved to the trash"))
    return case


@transaction.atomic
def case_restore_from_trash(*, actor: Actor, instance: Case) -> Case:
    require_secretariat_or_system(actor)
    _check_case(instance, list(instance.projects.all()), instance.meeting)
    trash.take_back(instance, actor, gettext_noop("restored from the trash"))
    return instance


@transaction.atomic
def case_purge(*, actor: Actor, instance: Case) -> None:
    """Delete a case in the trash for good, with its referrals and decisions (logged)."""
    require_secretariat_or_system(actor)
    trash.purge_for_good(instance, actor, gettext_noop("deleted for good"))


CASE_FIELDS = ("number", "title", "proposal", "meeting", "decision_text", "outcome")


@transaction.atomic
def case_restore(*, actor: Actor, instance: Case, version: object) -> Case:
    """Bring back an earlier version's text and outcome through case_update (its projects
    stay as they are now)."""
    require_secretariat_or_system(actor)
    if instance.deleted_at is not None:
        raise ValidationError(_("Restore the case from the trash first."))
    values = version_values(version, CASE_FIELDS)
    mark_restored(instance, version)
    return case_update(
        actor=actor,
        case=instance,
        projects=list(instance.projects.all()),
        reason=RESTORED,
        **values,
    )


DOCUMENT_EXTENSIONS = ("pdf", "doc", "docx", "odt", "xls", "xlsx", "ods", "txt", "png", "jpg")
DOCUMENT_MAX_BYTES = 20 * 1024 * 1024


@transaction.atomic
def case_document_add(
    *, actor: Actor, case: Case, title: str, file: File, is_public: bool = False
) -> CaseDocument:
    """Attach a file to a case (PDF, office documents, text or images; at most 20 MB)."""
    require_secretariat_or_system(actor)
    name = getattr(file, "name", "") or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in DOCUMENT_EXTENSIONS:
        raise ValidationError(
            {
                "file": _("Attach a file of one of these kinds: %(kinds)s.")
                % {"kinds": ", ".join(DOCUMENT_EXTENSIONS)}
            }
        )
    if file.size > DOCUMENT_MAX_BYTES:
        raise ValidationError({"file": _("The file is larger than 20 MB.")})
    document = CaseDocument(
        case=case, title=title.strip() or name.rsplit("/", 1)[-1], file=file, is_public=is_public
    )
    document.full_clean()
    stamp(document, actor, gettext_noop("document attached"))
    document.save()
    return document


@transaction.atomic
def case_document_set_public(
    *, actor: Actor, document: CaseDocument, is_public: bool
) -> CaseDocument:
    """Offer a case document on the public portal, or take it off again."""
    require_secretariat_or_system(actor)
    if document.is_public == is_public:
        return document
    document.is_public = is_public
    document.full_clean()
    stamp(
        document,
        actor,
        gettext_noop("document made public")
        if is_public
        else gettext_noop("document made internal"),
    )
    document.save()
    return document


# --- referral ----------------------------------------------------------------------------


def _check_targets(targets: Sequence[Municipality], referred_on: dt.date) -> None:
    if not targets:
        raise ValidationError(
            {"municipalities": _("Choose at least one municipality to refer the case to.")}
        )
    for m in targets:
        if not m.valid_on(referred_on):
            raise ValidationError(
                {
                    "municipalities": _("%(name)s did not exist on %(date)s.")
                    % {"name": m, "date": referred_on.isoformat()}
                }
            )


@transaction.atomic
def referral_create(
    *,
    actor: Actor,
    case: Case,
    referred_on: dt.date,
    deadline: dt.date | None = None,
    municipalities: Sequence[Municipality] | None = None,
    note: str = "",
) -> Referral:
    """Refer a board case to the councils; each target gets a pending decision and its
    contacts an e-mail (sent after commit; an old referral whose deadline has passed tells
    nobody)."""
    require_secretariat_or_system(actor)
    targets = (
        list(municipalities)
        if municipalities is not None
        else selectors.default_referral_targets(case=case, on=referred_on)
    )
    _check_targets(targets, referred_on)
    referral = Referral(case=case, referred_on=referred_on, deadline=deadline, note=note)
    referral.full_clean()
    stamp(referral, actor, gettext_noop("case referred to the councils"))
    referral.save()
    seen = set()
    for m in targets:
        if m.pk in seen:
            continue
        seen.add(m.pk)
        decision = CouncilDecision(referral=referral, municipality=m)
        decision.full_clean()
        stamp(decision, actor, gettext_noop("referred"))
        decision.save()
    if deadline is None or deadline >= timezone.localdate():
        transaction.on_commit(
            lambda: notifications.referral_notifications_send(actor=actor, referral=referral)
        )
    return referral


@transaction.atomic
def referral_close(*, actor: Actor, referral: Referral, on: dt.date) -> Referral:
    """Close (settle) a referral: councils that have not decided no longer hold it up."""
    require_secretariat_or_system(actor)
    if referral.is_closed:
        raise ValidationError(_("This referral is already closed."))
    if on > timezone.localdate():
        raise ValidationError({"closed_on": _("A referral cannot be closed in advance.")})
    referral.closed_on = on
    referral.closed_by = _user_or_none(actor)
    referral.full_clean()
    stamp(referral, actor, gettext_noop("referral closed"))
    referral.save()
    return referral


REFERRAL_FIELDS = ("referred_on", "deadline", "closed_on", "closed_by", "note")


@transaction.atomic
def referral_update(
    *,
    actor: Actor,
    referral: Referral,
    changes: dict[str, object],
    reason: str = gettext_noop("referral changed"),
) -> Referral:
    """Correct a referral's dates or note (the councils referred to stay as they are)."""
    require_secretariat_or_system(actor)
    apply_changes(referral, changes, REFERRAL_FIELDS)
    referral.full_clean()
    stamp(referral, actor, reason)
    referral.save()
    return referral


@transaction.atomic
def referral_restore(*, actor: Actor, instance: Referral, version: object) -> Referral:
    require_secretariat_or_system(actor)
    changes = version_values(version, REFERRAL_FIELDS)
    mark_restored(instance, version)
    return referral_update(actor=actor, referral=instance, changes=changes, reason=RESTORED)


DECISION_FIELDS = ("outcome", "date", "decision_text", "council_reference", "conditions_text")


@transaction.atomic
def council_decision_restore(
    *, actor: Actor, instance: CouncilDecision, version: object
) -> CouncilDecision:
    """Record an earlier version of a council's decision again, through
    council_decision_record (its structured conditions stay as they are now)."""
    require_secretariat_or_system(actor)
    values = version_values(version, DECISION_FIELDS)
    conditions = [
        ConditionSpec(kind=c.kind, municipalities=list(c.municipalities.all()), minimum=c.minimum)
        for c in instance.conditions.prefetch_related("municipalities")
    ]
    mark_restored(instance, version)
    return council_decision_record(
        actor=actor, decision=instance, conditions=conditions, reason=RESTORED, **values
    )


# --- council decisions -------------------------------------------------------------------


def _validate_conditions(
    decision: CouncilDecision, outcome: str, conditions: Sequence[ConditionSpec]
) -> None:
    targets = {d.municipality_id for d in decision.referral.decisions.all()}
    if outcome == CouncilDecision.Outcome.ADOPTED_WITH_CONDITIONS and not conditions:
        raise ValidationError(
            {
                "conditions": _(
                    "Adopted with conditions needs at least one structured condition "
                    "(keep the council's wording in “conditions as written”)."
                )
            }
        )
    if conditions and outcome != CouncilDecision.Outcome.ADOPTED_WITH_CONDITIONS:
        raise ValidationError(
            {"conditions": _("Only a decision adopted with conditions can have conditions.")}
        )
    for spec in conditions:
        if spec.kind not in Condition.Kind.values:
            raise ValidationError({"conditions": _("Unknown kind of condition.")})
        if spec.kind == Condition.Kind.AT_LEAST:
            if not spec.minimum or spec.minimum < 1:
                raise ValidationError(
                    {"conditions": _("Give the least number of municipalities (1 or more).")}
                )
            if spec.minimum > len(targets):
                raise ValidationError(
                    {
                        "conditions": _(
                            "At least %(n)s municipalities cannot take part: the case was "
                            "referred to %(total)s."
                        )
                        % {"n": spec.minimum, "total": len(targets)}
                    }
                )
            continue
        if not spec.municipalities:
            raise ValidationError(
                {"conditions": _("Name the municipality or municipalities the condition requires.")}
            )
        if spec.kind == Condition.Kind.REQUIRES and len(spec.municipalities) != 1:
            raise ValidationError(
                {"conditions": _("“Only if … takes part” names exactly one municipality.")}
            )
        for m in spec.municipalities:
            if m.pk == decision.municipality_id:
                raise ValidationError(
                    {
                        "conditions": _(
                            "A condition cannot name the deciding municipality itself (%(name)s)."
                        )
                        % {"name": m.name}
                    }
                )
            if m.pk not in targets:
                raise ValidationError(
                    {
                        "conditions": _(
                            "%(name)s is not among the municipalities this case was referred to."
                        )
                        % {"name": m.name}
                    }
                )


def _check_decision(
    decision: CouncilDecision,
    outcome: str,
    date: dt.date | None,
    conditions: Sequence[ConditionSpec],
) -> None:
    referral = decision.referral
    if referral.is_closed:
        raise ValidationError(_("This referral is closed; decisions can no longer be recorded."))
    if outcome not in CouncilDecision.Outcome.values:
        raise ValidationError({"outcome": _("Unknown outcome.")})
    if date and date < referral.referred_on:
        raise ValidationError(
            {
                "date": _(
                    "The council's decision (%(date)s) cannot be before the case was referred "
                    "(%(referred)s)."
                )
                % {"date": date.isoformat(), "referred": referral.referred_on.isoformat()}
            }
        )
    if date and date > timezone.localdate():
        raise ValidationError({"date": _("The decision date cannot be in the future.")})
    _validate_conditions(decision, outcome, conditions)


def _same_conditions(decision: CouncilDecision, conditions: Sequence[ConditionSpec]) -> bool:
    """True when the stored conditions are the ones in `conditions` (order aside)."""
    stored = sorted(
        (c.kind, c.minimum or 0, tuple(sorted(m.pk for m in c.municipalities.all())))
        for c in decision.conditions.prefetch_related("municipalities")
    )
    wanted = sorted(
        (s.kind, s.minimum or 0, tuple(sorted(m.pk for m in s.municipalities))) for s in conditions
    )
    return stored == wanted


@transaction.atomic
def council_decision_record(
    *,
    actor: Actor,
    decision: CouncilDecision,
    outcome: str,
    date: dt.date | None = None,
    decision_text: str = "",
    council_reference: str = "",
    conditions_text: str = "",
    conditions: Sequence[ConditionSpec] = (),
    reason: str = gettext_noop("council decision recorded"),
) -> CouncilDecision:
    """Record (or correct) a council's decision on a referral; its structured conditions
    replace the earlier ones. The system, the secretariat or the council's contact."""
    require_can_record_decision(actor, decision.municipality)
    # Serialise concurrent recordings of the same council (secretariat and contact).
    CouncilDecision.objects.select_for_update().filter(pk=decision.pk).exists()
    _check_decision(decision, outcome, date, conditions)
    decision.outcome = outcome
    decision.date = date
    decision.decision_text = decision_text
    decision.council_reference = council_reference
    decision.conditions_text = conditions_text
    decision.recorded_by = _user_or_none(actor)
    decision.full_clean()
    stamp(decision, actor, reason)
    decision.save()
    if _same_conditions(decision, conditions):
        return decision  # an unchanged re-post writes no history
    for old in decision.conditions.all():
        stamp(old, actor, gettext_noop("condition replaced"))
        old.delete()
    for spec in conditions:
        cond = Condition(decision=decision, kind=spec.kind, minimum=spec.minimum)
        cond.full_clean()
        stamp(cond, actor, gettext_noop("condition recorded"))
        cond.save()
        cond.municipalities.set(spec.municipalities)
    return decision


# --- adoption ----------------------------------------------------------------------------


def _check_establishable(
    *,
    referral: Referral,
    kind: str,
    host_municipality: Municipality | None,
    date: dt.date,
) -> set[int]:
    """Validate an establishment; returns the committed identities' pks."""
    if kind not in SpinOff.Kind.values:
        raise ValidationError({"kind": _("Unknown kind of arrangement.")})
    if referral.established_on:
        raise ValidationError(_("The arrangement for this referral is already established."))
    statuses = resolution.resolve_participation(referral)
    if any(s.waiting for s in statuses.values()):
        names = ", ".join(
            sorted(
                d.municipality.name
                for d in referral.decisions.select_related("municipality")
                if statuses[d.municipality_id].waiting
            )
        )
        raise ValidationError(
            _("The referral is not settled: %(names)s still waiting. Close it first.")
            % {"names": names}
        )
    committed_ids = {k for k, s in statuses.items() if s.committed}
    if not committed_ids:
        raise ValidationError(_("No municipality committed; there is nothing to establish."))
    if date < referral.referred_on:
        raise ValidationError(
            {"date": _("The arrangement cannot be established before the case was referred.")}
        )
    if kind == SpinOff.Kind.HOST_MUNICIPALITY and host_municipality is None:
        raise ValidationError(
            {"host_municipality": _("A host-municipality service needs a host municipality.")}
        )
    if host_municipality is not None and host_municipality.pk not in committed_ids:
        raise ValidationError(
            {
                "host_municipality": _("%(name)s has not committed and cannot be the host.")
                % {"name": host_municipality.name}
            }
        )
    return committed_ids


def _establish_participations(
    *,
    actor: Actor,
    project: Project,
    committed: list[Municipality],
    not_committed_ids: set[int],
    host_municipality: Municipality | None,
    date: dt.date,
    case_number: str,
) -> None:
    """Committed councils take part from `date` (the host as host); a referred council that
    did not commit no longer takes part from that day (its earlier participation stays as
    history)."""
    open_parts = {
        p.municipality_id: p
        for p in Participation.objects.filter(
            project=project, municipality__isnull=False, left__isnull=True
        ).select_related("project")
    }
    for m in committed:
        is_host = host_municipality is not None and m.pk == host_municipality.pk
        part = open_parts.get(m.pk)
        if part is None:
            project_services.participation_add(
                actor=actor,
                project=project,
                municipality=m,
                role=Participation.Role.HOST if is_host else Participation.Role.PARTICIPANT,
                joined=date,
                note=_("Committed in council (case %(number)s)") % {"number": case_number},
                reason=gettext_noop("committed in council"),
            )
        elif is_host and part.role != Participation.Role.HOST:
            project_services.participation_update(
                actor=actor,
                participation=part,
                changes={"role": Participation.Role.HOST},
                reason=gettext_noop("host of the established arrangement"),
            )
    note_left = _("Did not commit in council (case %(number)s)") % {"number": case_number}
    last_day = date - dt.timedelta(days=1)
    for municipality_id in sorted(not_committed_ids):
        part = open_parts.get(municipality_id)
        if part is None:
            continue
        note = ((f"{part.note} · " if part.note else "") + note_left)[:300]
        project_services.participation_update(
            actor=actor,
            participation=part,
            changes={"left": max(last_day, part.joined) if part.joined else last_day, "note": note},
            reason=gettext_noop("did not commit in council"),
        )


@transaction.atomic
def arrangement_establish(
    *,
    actor: Actor,
    referral: Referral,
    kind: str,
    host_municipality: Municipality | None,
    organisation: Organisation | None = None,
    date: dt.date,
) -> list[Project]:
    """Establish the arrangement a settled referral adopted, for every project of the case:
    phase → establishment (a transition dated `date`), committed municipalities become
    participants, host recorded, a spin-off row. Returns the projects."""
    require_secretariat_or_system(actor)
    committed_ids = _check_establishable(
        referral=referral, kind=kind, host_municipality=host_municipality, date=date
    )
    projects = list(referral.case.projects.all())
    if not projects:
        raise ValidationError(_("The case is not linked to any project."))
    committed = list(Municipality.objects.filter(pk__in=committed_ids).order_by("name"))
    referred_ids = set(referral.decisions.values_list("municipality_id", flat=True))
    changes: dict[str, object] = {"phase": Project.Phase.ESTABLISHMENT}
    if host_municipality is not None:
        changes["host_municipality"] = host_municipality
    updated = []
    for project in projects:
        project = project_services.project_update(
            actor=actor,
            project=project,
            expected_version=project.version,
            changes=changes,
            reason=gettext_noop("arrangement established"),
            phase_changed_on=date,
            phase_note=_("Established after case %(number)s") % {"number": referral.case.number},
        )
        _establish_participations(
            actor=actor,
            project=project,
            committed=committed,
            not_committed_ids=referred_ids - committed_ids,
            host_municipality=host_municipality,
            date=date,
            case_number=referral.case.number,
        )
        project_services.spin_off_add(
            actor=actor,
            project=project,
            kind=kind,
            organisation=organisation,
            host_municipality=host_municipality,
            name=project.name,
            date=date,
            date_precision="day",
            reason=gettext_noop("arrangement established"),
        )
        updated.append(project)
    referral.established_on = date
    if not referral.is_closed:
        referral.closed_on = date
        referral.closed_by = _user_or_none(actor)
    referral.full_clean()
    stamp(referral, actor, gettext_noop("arrangement established"))
    referral.save()
    return updated
