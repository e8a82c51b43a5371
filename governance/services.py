"""Business actions of governance: meetings, cases, referrals, council decisions, adoption.

Every action checks permissions (raising PermissionDenied), validates (raising
ValidationError with a message naming the field) and runs in one transaction with history.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from governance import resolution
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
from members import selectors as member_selectors
from members.models import Cooperation, Municipality, Organisation, Person, Position
from projects import services as project_services
from projects.models import Participation, Project, SpinOff
from samarbeid.common.permissions import is_secretariat, require_secretariat
from samarbeid.common.services import Actor, require_secretariat_or_system, stamp

logger = logging.getLogger(__name__)

User = AbstractBaseUser | AnonymousUser


def _user_or_none(actor: Actor):
    """The user to store as recorder/closer: None for the system and anonymous users."""
    return actor if actor is not None and actor.is_authenticated else None


@dataclass
class ConditionSpec:
    """A structured condition to record: kind is one of Condition.Kind."""

    kind: str
    municipalities: list[Municipality] = field(default_factory=list)
    minimum: int | None = None


# --- permissions -------------------------------------------------------------------------


def related_identity_ids(municipality: Municipality, on: dt.date) -> set[int]:
    """The identity itself, its predecessors and its successors on `on`."""
    ids = {municipality.pk}
    ids.update(m.pk for m in member_selectors.predecessors(municipality))
    ids.update(m.pk for m in member_selectors.successors(municipality, on))
    return ids


def _valid_positions(on: dt.date):
    return Position.objects.filter(role=Position.Role.MUNICIPALITY_CONTACT).filter(
        (Q(start__isnull=True) | Q(start__lte=on)) & (Q(end__isnull=True) | Q(end__gte=on))
    )


def is_contact_for(user, municipality: Municipality, on: dt.date) -> bool:
    """Whether the user's person is municipality contact for this identity (or one of its
    predecessors/successors) on the day."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return (
        _valid_positions(on)
        .filter(person__user=user, municipality_id__in=related_identity_ids(municipality, on))
        .exists()
    )


def contact_municipality_ids(user, on: dt.date) -> set[int]:
    """Identities (with predecessors/successors) the user is municipality contact for."""
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    ids: set[int] = set()
    positions = (
        _valid_positions(on)
        .filter(person__user=user, municipality__isnull=False)
        .select_related("municipality")
    )
    for position in positions:
        ids |= related_identity_ids(position.municipality, on)
    return ids


def can_record_decision(user, municipality: Municipality, on: dt.date | None = None) -> bool:
    on = on or timezone.localdate()
    return is_secretariat(user) or is_contact_for(user, municipality, on)


def require_can_record_decision(user, municipality: Municipality) -> None:
    if not can_record_decision(user, municipality):
        raise PermissionDenied(
            _(
                "Only the secretariat and the municipality contact of %(name)s may record "
                "its decision."
            )
            % {"name": municipality.name}
        )


# --- board -------------------------------------------------------------------------------


def meeting_create(
    *,
    actor,
    cooperation: Cooperation,
    date: dt.date,
    place: str = "",
    agenda: str = "",
    minutes: str = "",
    notes: str = "",
) -> Meeting:
    require_secretariat(actor)
    meeting = Meeting(
        cooperation=cooperation, date=date, place=place, agenda=agenda, minutes=minutes, notes=notes
    )
    meeting.full_clean()
    stamp(meeting, actor, "meeting created")
    with transaction.atomic():
        meeting.save()
    return meeting


def meeting_update(
    *,
    actor,
    meeting: Meeting,
    date: dt.date,
    place: str = "",
    agenda: str = "",
    minutes: str = "",
    notes: str = "",
) -> Meeting:
    """Correct a meeting or add its minutes afterwards."""
    require_secretariat(actor)
    meeting.date, meeting.place, meeting.agenda = date, place, agenda
    meeting.minutes, meeting.notes = minutes, notes
    meeting.full_clean()
    stamp(meeting, actor, "meeting updated")
    with transaction.atomic():
        meeting.save()
    return meeting


def board_seat_create(
    *,
    actor,
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
    require_secretariat(actor)
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
    if municipality is not None:
        on = start or end or timezone.localdate()
        members = member_selectors.member_municipalities_on(cooperation=cooperation, on=on)
        if members and municipality.pk not in {m.pk for m in members}:
            raise ValidationError(
                {
                    "municipality": _("%(name)s is not a member of %(cooperation)s on %(date)s.")
                    % {"name": municipality.name, "cooperation": cooperation, "date": on}
                }
            )
    stamp(seat, actor, "board seat created")
    with transaction.atomic():
        seat.save()
    return seat


def board_seat_end(*, actor, seat: BoardSeat, end: dt.date) -> BoardSeat:
    """End a seat (the last day it was held); the board on later days no longer shows it."""
    require_secretariat(actor)
    seat.end = end
    seat.full_clean()
    stamp(seat, actor, "board seat ended")
    with transaction.atomic():
        seat.save()
    return seat


def case_create(
    *,
    actor,
    cooperation: Cooperation,
    number: str,
    title: str,
    proposal: str = "",
    meeting: Meeting | None = None,
    projects: Iterable[Project] = (),
    decision_text: str = "",
    outcome: str = "",
) -> Case:
    require_secretariat(actor)
    projects = list(projects)
    case = Case(
        cooperation=cooperation,
        meeting=meeting,
        number=number.strip(),
        title=title.strip(),
        proposal=proposal,
        decision_text=decision_text,
        outcome=outcome,
    )
    _check_case(case, projects, meeting)
    case.full_clean()
    stamp(case, actor, "case created")
    with transaction.atomic():
        case.save()
        case.projects.set(projects)
    return case


def _check_case(case: Case, projects: list[Project], meeting: Meeting | None) -> None:
    taken = Case.objects.filter(cooperation_id=case.cooperation_id, number=case.number)
    if case.pk:
        taken = taken.exclude(pk=case.pk)
    if taken.exists():
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


def case_update(
    *,
    actor,
    case: Case,
    number: str,
    title: str,
    proposal: str = "",
    meeting: Meeting | None = None,
    projects: Iterable[Project] = (),
    decision_text: str = "",
    outcome: str = "",
) -> Case:
    """Correct a case or record the board's decision on it (text and outcome)."""
    require_secretariat(actor)
    projects = list(projects)
    case.number, case.title, case.proposal = number.strip(), title.strip(), proposal
    case.meeting, case.decision_text, case.outcome = meeting, decision_text, outcome
    _check_case(case, projects, meeting)
    case.full_clean()
    stamp(case, actor, "case updated")
    with transaction.atomic():
        case.save()
        case.projects.set(projects)
    return case


DOCUMENT_EXTENSIONS = ("pdf", "doc", "docx", "odt", "xls", "xlsx", "ods", "txt", "png", "jpg")
DOCUMENT_MAX_BYTES = 20 * 1024 * 1024


def case_document_add(*, actor, case: Case, title: str, file) -> CaseDocument:
    """Attach a file to a case (PDF, office documents, text or images; at most 20 MB)."""
    require_secretariat(actor)
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
    document = CaseDocument(case=case, title=title.strip() or name.rsplit("/", 1)[-1], file=file)
    document.full_clean()
    stamp(document, actor, "document attached")
    with transaction.atomic():
        document.save()
    return document


# --- referral ----------------------------------------------------------------------------


def default_referral_targets(*, case: Case, on: dt.date) -> list[Municipality]:
    """The case's projects' municipality participants valid on the day; failing those,
    the cooperation's members on the day."""
    participations = (
        Participation.objects.filter(project__in=case.projects.all(), municipality__isnull=False)
        .filter(Q(joined__isnull=True) | Q(joined__lte=on))
        .filter(Q(left__isnull=True) | Q(left__gte=on))
        .filter(municipality__valid_from__lte=on)
        .filter(Q(municipality__valid_to__isnull=True) | Q(municipality__valid_to__gte=on))
        .select_related("municipality")
    )
    found = {p.municipality.pk: p.municipality for p in participations}
    if not found:
        found = {
            m.pk: m
            for m in member_selectors.member_municipalities_on(cooperation=case.cooperation, on=on)
        }
    return sorted(found.values(), key=lambda m: m.name)


def referral_create(
    *,
    actor,
    case: Case,
    referred_on: dt.date,
    deadline: dt.date | None = None,
    municipalities: Sequence[Municipality] | None = None,
    note: str = "",
) -> Referral:
    """Refer a board case to the councils; each target gets a pending decision and its
    contacts an e-mail (sent after commit)."""
    require_secretariat(actor)
    targets = (
        list(municipalities)
        if municipalities is not None
        else default_referral_targets(case=case, on=referred_on)
    )
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
    referral = Referral(case=case, referred_on=referred_on, deadline=deadline, note=note)
    referral.full_clean()
    stamp(referral, actor, "case referred to the councils")
    with transaction.atomic():
        referral.save()
        seen = set()
        for m in targets:
            if m.pk in seen:
                continue
            seen.add(m.pk)
            decision = CouncilDecision(referral=referral, municipality=m)
            stamp(decision, actor, "referred")
            decision.save()
        # Recording an old referral (deadline passed) tells nobody.
        if deadline is None or deadline >= timezone.localdate():
            transaction.on_commit(lambda: send_referral_notifications(referral=referral))
    return referral


def referral_close(*, actor, referral: Referral, on: dt.date) -> Referral:
    """Close (settle) a referral: councils that have not decided no longer hold it up."""
    require_secretariat(actor)
    if referral.is_closed:
        raise ValidationError(_("This referral is already closed."))
    if on > timezone.localdate():
        raise ValidationError({"closed_on": _("A referral cannot be closed in advance.")})
    referral.closed_on = on
    referral.closed_by = actor if getattr(actor, "is_authenticated", False) else None
    referral.full_clean()
    stamp(referral, actor, "referral closed")
    with transaction.atomic():
        referral.save()
    return referral


def decision_for(*, referral: Referral, municipality: Municipality) -> CouncilDecision:
    try:
        return referral.decisions.select_related("municipality", "referral").get(
            municipality=municipality
        )
    except CouncilDecision.DoesNotExist:
        raise ValidationError(
            {
                "municipality": _(
                    "%(name)s is not among the municipalities this case was referred to."
                )
                % {"name": municipality.name}
            }
        ) from None


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


def council_decision_record(
    *,
    actor,
    decision: CouncilDecision,
    outcome: str,
    date: dt.date | None = None,
    decision_text: str = "",
    council_reference: str = "",
    conditions_text: str = "",
    conditions: Sequence[ConditionSpec] = (),
) -> CouncilDecision:
    """Record (or correct) a council's decision on a referral."""
    require_can_record_decision(actor, decision.municipality)
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
    decision.outcome = outcome
    decision.date = date
    decision.decision_text = decision_text
    decision.council_reference = council_reference
    decision.conditions_text = conditions_text
    decision.recorded_by = actor if getattr(actor, "is_authenticated", False) else None
    decision.full_clean()
    stamp(decision, actor, f"council decision recorded: {outcome}")
    with transaction.atomic():
        # Serialise concurrent recordings of the same council (secretariat and contact).
        CouncilDecision.objects.select_for_update().filter(pk=decision.pk).exists()
        decision.save()
        for old in decision.conditions.all():
            stamp(old, actor, "condition replaced")
            old.delete()
        for spec in conditions:
            cond = Condition(decision=decision, kind=spec.kind, minimum=spec.minimum)
            cond.full_clean()
            stamp(cond, actor, "condition recorded")
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


# --- notifications -----------------------------------------------------------------------


def contact_emails(municipality: Municipality, on: dt.date) -> list[str]:
    ids = related_identity_ids(municipality, on)
    emails = (
        _valid_positions(on)
        .filter(municipality_id__in=ids)
        .exclude(person__email="")
        .values_list("person__email", flat=True)
    )
    return sorted(set(emails))


def _mail_text(decision: CouncilDecision, kind: str) -> tuple[str, str]:
    """Subject and body, in the site's default language (the contacts' language, not the
    language of whoever triggered the sending)."""
    case = decision.referral.case
    referral = decision.referral
    with translation.override(settings.LANGUAGE_CODE):
        deadline = date_format(referral.deadline, "DATE_FORMAT") if referral.deadline else "–"
        params = {
            "number": case.number,
            "title": case.title,
            "name": decision.municipality.name,
            "deadline": deadline,
            "referred": date_format(referral.referred_on, "DATE_FORMAT"),
        }
        if kind == Notification.Kind.REFERRED:
            subject = _("Case %(number)s referred to the council of %(name)s") % params
            body = (
                _(
                    "The board has referred case %(number)s “%(title)s” to the council of "
                    "%(name)s on %(referred)s.\nDeadline for the council's decision: "
                    "%(deadline)s."
                )
                % params
            )
        else:
            subject = _("Reminder: council decision on case %(number)s due %(deadline)s") % params
            body = (
                _(
                    "Reminder: the council of %(name)s has not yet recorded its decision on "
                    "case %(number)s “%(title)s”, referred on %(referred)s.\nThe deadline is "
                    "%(deadline)s."
                )
                % params
            )
        page = reverse("governance:municipality", args=[decision.municipality.number])
        site = getattr(settings, "SITE_URL", "").rstrip("/")
        body += "\n\n" + (
            _("Record the council's decision in Samarbeid: %(url)s") % {"url": site + page}
            if site
            else _("Record the council's decision on the municipality's page in Samarbeid.")
        )
    return subject, body


def _send_once(decision: CouncilDecision, kind: str, on: dt.date, *, dry_run: bool) -> str | None:
    """Send one notification unless already sent; returns a line describing it, or None."""
    if Notification.objects.filter(decision=decision, kind=kind).exists():
        return None
    recipients = contact_emails(decision.municipality, on)
    if not recipients:
        return None
    case = decision.referral.case
    subject, body = _mail_text(decision, kind)
    line = f"{kind}: {case.number} → {decision.municipality.name}: {', '.join(recipients)}"
    if dry_run:
        return line
    try:
        with transaction.atomic():
            Notification.objects.create(
                decision=decision, kind=kind, recipients=", ".join(recipients)
            )
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    except IntegrityError:
        return None
    except Exception:
        logger.exception("Could not send %s for %s", kind, decision)
        return None
    return line


def send_referral_notifications(
    *, referral: Referral, on: dt.date | None = None, dry_run: bool = False
) -> list[str]:
    """E-mail the contacts (valid on `on`, by default the referral date) of every referred
    municipality that has not been told yet."""
    sent = []
    on = on or referral.referred_on
    for decision in referral.decisions.select_related("municipality", "referral__case"):
        line = _send_once(decision, Notification.Kind.REFERRED, on, dry_run=dry_run)
        if line:
            sent.append(line)
    return sent


REMINDER_DAYS = 7


def send_due_reminders(*, today: dt.date, dry_run: bool = False) -> list[str]:
    """Referral notices not yet sent, and reminders for councils that have not decided
    when the deadline is a week away or less. Safe to run again: nothing is sent twice."""
    sent: list[str] = []
    # Late referral notices only while they are still of use (deadline not yet passed).
    open_referrals = Referral.objects.filter(closed_on__isnull=True, referred_on__lte=today).filter(
        Q(deadline__isnull=True) | Q(deadline__gte=today)
    )
    for referral in open_referrals.select_related("case"):
        sent += send_referral_notifications(referral=referral, on=today, dry_run=dry_run)
    due = (
        CouncilDecision.objects.filter(
            referral__closed_on__isnull=True,
            referral__deadline__isnull=False,
            referral__deadline__gte=today,
            referral__deadline__lte=today + dt.timedelta(days=REMINDER_DAYS),
            outcome__in=[CouncilDecision.Outcome.PENDING, CouncilDecision.Outcome.POSTPONED],
        )
        .select_related("municipality", "referral__case")
        .order_by("referral__deadline", "municipality__name")
    )
    for decision in due:
        line = _send_once(decision, Notification.Kind.REMINDER, today, dry_run=dry_run)
        if line:
            sent.append(line)
    return sent
