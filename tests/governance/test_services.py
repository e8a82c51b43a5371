import datetime as dt
import io

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.formats import date_format

from governance import selectors, services
from governance.models import Condition, CouncilDecision, Notification
from governance.resolution import COMMITTED, NOT_COMMITTED, WAITING, resolve_participation
from projects.models import Participation, PhaseTransition, Project, SpinOff

from .factories import CaseFactory, ProjectFactory, contact_user, cooperation_with_members

pytestmark = pytest.mark.django_db

Out = CouncilDecision.Outcome
REFERRED = dt.date(2003, 6, 2)


@pytest.fixture
def case(muns):
    coop = cooperation_with_members(muns)
    project = ProjectFactory(cooperation=coop, name="Havnevesen")
    case = CaseFactory(cooperation=coop, title="Havnevesen")
    case.projects.add(project)
    return case


@pytest.fixture
def referral(case, secretariat_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.referral_create(
            actor=secretariat_user, case=case, referred_on=REFERRED, deadline=dt.date(2003, 9, 1)
        )


def record(actor, referral, mun, outcome, **kw):
    decision = selectors.decision_for(referral=referral, municipality=mun)
    return services.council_decision_record(actor=actor, decision=decision, outcome=outcome, **kw)


def test_referral_defaults_to_the_members_on_the_day(referral, muns):
    names = sorted(d.municipality.name for d in referral.decisions.all())
    assert names == sorted(muns)
    assert {d.outcome for d in referral.decisions.all()} == {Out.PENDING}


def test_referral_prefers_the_projects_municipality_participants(case, muns, secretariat_user):
    project = case.projects.get()
    for name in ("Horten", "Re"):
        Participation.objects.create(project=project, municipality=muns[name])
    referral = services.referral_create(actor=secretariat_user, case=case, referred_on=REFERRED)
    assert sorted(d.municipality.name for d in referral.decisions.all()) == ["Horten", "Re"]


def test_havnevesen_decisions_resolve_as_in_the_document(referral, muns, secretariat_user):
    for name in ("Horten", "Re", "Andebu"):
        record(secretariat_user, referral, muns[name], Out.ADOPTED)
    record(secretariat_user, referral, muns["Tønsberg"], Out.POSTPONED, decision_text="utsatt")
    for name in ("Stokke", "Tjøme"):
        record(
            secretariat_user,
            referral,
            muns[name],
            Out.ADOPTED_WITH_CONDITIONS,
            conditions_text="ja m/forbehold om Tønsbergs deltakelse",
            conditions=[services.ConditionSpec(Condition.Kind.REQUIRES, [muns["Tønsberg"]])],
        )
    for name in ("Holmestrand", "Hof"):
        record(secretariat_user, referral, muns[name], Out.NOT_TREATED)
    result = {muns_name: resolve_participation(referral)[m.pk] for muns_name, m in muns.items()}
    assert {k: v.state for k, v in result.items()} == {
        "Horten": COMMITTED,
        "Re": COMMITTED,
        "Andebu": COMMITTED,
        "Tønsberg": WAITING,
        "Stokke": WAITING,
        "Tjøme": WAITING,
        "Holmestrand": NOT_COMMITTED,
        "Hof": NOT_COMMITTED,
        "Nøtterøy": WAITING,
    }
    assert result["Stokke"].reason == "waiting for Tønsberg, which postponed"

    services.referral_close(actor=secretariat_user, referral=referral, on=dt.date(2003, 10, 1))
    after = resolve_participation(referral)
    assert after[muns["Stokke"].pk].state == NOT_COMMITTED
    assert after[muns["Nøtterøy"].pk].state == NOT_COMMITTED


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"date": dt.date(2003, 1, 1)}, "date", "cannot be before the case was referred"),
        ({"conditions_self": True}, "conditions", "cannot name the deciding municipality"),
        ({"conditions_outsider": True}, "conditions", "is not among the municipalities"),
        ({"no_conditions": True}, "conditions", "needs at least one structured condition"),
    ],
)
def test_bad_decisions_are_refused_and_nothing_changes(
    referral, muns, secretariat_user, kwargs, field, message
):
    from .factories import municipality

    outcome = Out.ADOPTED
    conditions = []
    if kwargs.pop("conditions_self", False):
        outcome = Out.ADOPTED_WITH_CONDITIONS
        conditions = [services.ConditionSpec(Condition.Kind.REQUIRES, [muns["Stokke"]])]
    if kwargs.pop("conditions_outsider", False):
        outcome = Out.ADOPTED_WITH_CONDITIONS
        outsider = municipality("Larvik")
        conditions = [services.ConditionSpec(Condition.Kind.REQUIRES, [outsider])]
    if kwargs.pop("no_conditions", False):
        outcome = Out.ADOPTED_WITH_CONDITIONS
    with pytest.raises(ValidationError) as exc:
        record(secretariat_user, referral, muns["Stokke"], outcome, conditions=conditions, **kwargs)
    assert field in exc.value.message_dict
    assert message in " ".join(exc.value.message_dict[field])
    decision = referral.decisions.get(municipality=muns["Stokke"])
    assert decision.outcome == Out.PENDING
    assert not decision.conditions.exists()


def test_decision_for_a_municipality_outside_the_referral_is_refused(referral):
    from .factories import municipality

    with pytest.raises(ValidationError) as exc:
        selectors.decision_for(referral=referral, municipality=municipality("Larvik"))
    assert "Larvik is not among" in str(exc.value)


def test_only_secretariat_and_the_municipalitys_contact_may_record(
    referral, muns, django_user_model, plain_user
):
    horten_contact = contact_user(django_user_model, "horten", muns["Horten"])
    record(horten_contact, referral, muns["Horten"], Out.ADOPTED)
    with pytest.raises(PermissionDenied):
        record(horten_contact, referral, muns["Re"], Out.ADOPTED)
    with pytest.raises(PermissionDenied):
        record(plain_user, referral, muns["Re"], Out.ADOPTED)
    assert referral.decisions.get(municipality=muns["Re"]).outcome == Out.PENDING


def test_contact_of_a_predecessor_may_record_for_the_successor(referral, muns, django_user_model):
    from members.models import Municipality, MunicipalityEvent

    vaale = Municipality.objects.create(
        number="0716",
        name="Våle (test)",
        county_number="07",
        county_name="Vestfold",
        valid_from=dt.date(1900, 1, 1),
        valid_to=dt.date(1901, 12, 31),
    )
    event = MunicipalityEvent.objects.create(kind="merger", date=dt.date(1902, 1, 1))
    event.predecessors.add(vaale)
    event.successors.add(muns["Re"])
    user = contact_user(django_user_model, "vaale", vaale)
    user.person.positions.update(start=None)
    record(user, referral, muns["Re"], Out.ADOPTED)
    assert referral.decisions.get(municipality=muns["Re"]).outcome == Out.ADOPTED


def test_arrangement_establish_moves_project_and_adds_participants(
    referral, muns, secretariat_user
):
    project = referral.case.projects.get()
    # In the study phase Horten and Hof took part; Hof's council will not commit.
    for name in ("Horten", "Hof"):
        Participation.objects.create(
            project=project, municipality=muns[name], joined=dt.date(2001, 1, 1)
        )
    for name in ("Horten", "Re"):
        record(secretariat_user, referral, muns[name], Out.ADOPTED)
    record(
        secretariat_user,
        referral,
        muns["Stokke"],
        Out.ADOPTED_WITH_CONDITIONS,
        conditions=[services.ConditionSpec(Condition.Kind.REQUIRES, [muns["Horten"]])],
    )
    with pytest.raises(ValidationError, match="not settled"):
        services.arrangement_establish(
            actor=secretariat_user,
            referral=referral,
            kind=SpinOff.Kind.HOST_MUNICIPALITY,
            host_municipality=muns["Horten"],
            date=dt.date(2003, 11, 1),
        )
    services.referral_close(actor=secretariat_user, referral=referral, on=dt.date(2003, 10, 1))
    with pytest.raises(ValidationError, match="has not committed"):
        services.arrangement_establish(
            actor=secretariat_user,
            referral=referral,
            kind=SpinOff.Kind.HOST_MUNICIPALITY,
            host_municipality=muns["Hof"],
            date=dt.date(2003, 11, 1),
        )
    version = Project.objects.get(pk=project.pk).version
    services.arrangement_establish(
        actor=secretariat_user,
        referral=referral,
        kind=SpinOff.Kind.HOST_MUNICIPALITY,
        host_municipality=muns["Horten"],
        date=dt.date(2003, 11, 1),
    )
    project = Project.objects.get(pk=project.pk)
    assert project.phase == Project.Phase.ESTABLISHMENT
    assert project.host_municipality == muns["Horten"]
    assert project.version == version + 1
    assert project.history.first().history_user == secretariat_user
    current = project.participations.filter(left__isnull=True).select_related("municipality")
    assert sorted((p.municipality.name, p.role) for p in current) == [
        ("Horten", Participation.Role.HOST),
        ("Re", Participation.Role.PARTICIPANT),
        ("Stokke", Participation.Role.PARTICIPANT),
    ]
    new = current.exclude(municipality=muns["Horten"])
    assert set(new.values_list("joined", flat=True)) == {dt.date(2003, 11, 1)}
    hof = project.participations.get(municipality=muns["Hof"])
    assert hof.left == dt.date(2003, 10, 31)
    assert "Did not commit in council" in hof.note
    assert hof.history.first().history_user == secretariat_user
    assert PhaseTransition.objects.filter(project=project, phase="establishment").count() == 1
    spin = SpinOff.objects.get(project=project)
    assert spin.kind == SpinOff.Kind.HOST_MUNICIPALITY and spin.host_municipality == muns["Horten"]
    with pytest.raises(ValidationError, match="already established"):
        services.arrangement_establish(
            actor=secretariat_user,
            referral=referral,
            kind=SpinOff.Kind.NETWORK,
            host_municipality=None,
            date=dt.date(2003, 11, 2),
        )


def test_establish_requires_secretariat(referral, board_user):
    with pytest.raises(PermissionDenied):
        services.arrangement_establish(
            actor=board_user,
            referral=referral,
            kind=SpinOff.Kind.NETWORK,
            host_municipality=None,
            date=dt.date(2003, 11, 1),
        )


def test_contacts_are_told_when_referred_and_reminded_once(
    secretariat_user, django_user_model, django_capture_on_commit_callbacks
):
    from .factories import municipality

    today = timezone.localdate()
    muns = {"Horten": municipality("Horten", today), "Re": municipality("Færder", today)}
    case = CaseFactory(cooperation=cooperation_with_members(muns))
    contact_user(django_user_model, "horten", muns["Horten"], email="post@horten.example")
    contact_user(django_user_model, "re", muns["Re"], email="post@re.example")
    deadline = today + dt.timedelta(days=30)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        referral = services.referral_create(
            actor=secretariat_user, case=case, referred_on=today, deadline=deadline
        )
    assert sorted(m.to[0] for m in mail.outbox) == ["post@horten.example", "post@re.example"]
    # In the contacts' language (the site default, nb), whoever referred the case.
    horten_mail = next(m for m in mail.outbox if m.to == ["post@horten.example"])
    assert horten_mail.subject == f"Sak {case.number} oversendt til kommunestyret i Horten"
    with translation.override("nb"):
        assert date_format(deadline, "DATE_FORMAT") in horten_mail.body
    record(secretariat_user, referral, muns["Re"], Out.ADOPTED)
    mail.outbox.clear()

    def run(days: int, *args: str) -> None:
        day = (today + dt.timedelta(days=days)).isoformat()
        call_command("send_referral_reminders", "--today", day, *args, stdout=io.StringIO())

    run(22)  # eight days before: too early
    assert mail.outbox == []
    run(23, "--dry-run")
    assert mail.outbox == []
    run(23)  # a week before the deadline
    assert [m.to for m in mail.outbox] == [["post@horten.example"]]  # Re has decided
    assert mail.outbox[0].subject.startswith("Påminnelse")
    assert "Horten" in mail.outbox[0].body and case.title in mail.outbox[0].body
    run(23)  # the same day again
    run(24)  # and the next
    assert len(mail.outbox) == 1
    assert Notification.objects.filter(kind=Notification.Kind.REMINDER).count() == 1
    assert Notification.objects.filter(kind=Notification.Kind.REFERRED).count() == 2


def test_recording_an_old_referral_tells_nobody_and_late_notices_are_sent_once(
    case, muns, secretariat_user, django_user_model, django_capture_on_commit_callbacks
):
    from .factories import municipality

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.referral_create(
            actor=secretariat_user, case=case, referred_on=REFERRED, deadline=dt.date(2003, 9, 1)
        )
    contact_user(django_user_model, "horten", muns["Horten"], email="post@horten.example")
    call_command("send_referral_reminders", stdout=io.StringIO())
    assert mail.outbox == []  # deadline long past: nobody is told about 2003 today
    # A referral made before the contact was registered: the command sends the notice once.
    today = timezone.localdate()
    horten_now = municipality("Horten", today)
    contact_user(django_user_model, "horten-now", horten_now, email="post@horten.example")
    other = CaseFactory(cooperation=case.cooperation)
    services.referral_create(  # on_commit callbacks not run: as if the mail failed
        actor=secretariat_user,
        case=other,
        referred_on=today,
        deadline=today + dt.timedelta(days=60),
        municipalities=[horten_now],
    )
    out = io.StringIO()
    call_command("send_referral_reminders", stdout=out)
    call_command("send_referral_reminders", stdout=out)
    assert [m.to for m in mail.outbox] == [["post@horten.example"]]
    assert "1 notification(s) sent." in out.getvalue()
    assert "0 notification(s) sent." in out.getvalue()


def test_every_recorded_decision_is_in_the_history(referral, muns, secretariat_user):
    decision = selectors.decision_for(referral=referral, municipality=muns["Stokke"])
    before = decision.history.count()
    record(
        secretariat_user,
        referral,
        muns["Stokke"],
        Out.ADOPTED_WITH_CONDITIONS,
        date=dt.date(2003, 6, 20),
        council_reference="PS 45/03",
        conditions_text="ja m/forbehold om Tønsbergs deltakelse",
        conditions=[services.ConditionSpec(Condition.Kind.REQUIRES, [muns["Tønsberg"]])],
    )
    record(secretariat_user, referral, muns["Stokke"], Out.ADOPTED, date=dt.date(2003, 6, 21))
    history = list(decision.history.order_by("history_date"))
    assert len(history) == before + 2
    assert [h.outcome for h in history[-2:]] == [Out.ADOPTED_WITH_CONDITIONS, Out.ADOPTED]
    assert {h.history_user for h in history[-2:]} == {secretariat_user}
    assert history[-2].council_reference == "PS 45/03"
    # the replaced condition is in the history too (created, its municipality set, deleted)
    assert sorted(Condition.history.values_list("history_type", flat=True)) == ["+", "-", "~"]
    assert referral.history.first().history_user == secretariat_user


def test_board_member_cannot_record_and_nothing_changes(referral, muns, board_user):
    decision = selectors.decision_for(referral=referral, municipality=muns["Horten"])
    before = decision.history.count()
    with pytest.raises(PermissionDenied):
        record(board_user, referral, muns["Horten"], Out.ADOPTED)
    with pytest.raises(PermissionDenied):
        services.referral_close(actor=board_user, referral=referral, on=dt.date(2003, 10, 1))
    with pytest.raises(PermissionDenied):
        services.referral_create(actor=board_user, case=referral.case, referred_on=REFERRED)
    decision.refresh_from_db()
    assert decision.outcome == Out.PENDING and decision.history.count() == before
    referral.refresh_from_db()
    assert not referral.is_closed and referral.case.referrals.count() == 1


def test_future_dates_and_closed_referrals_are_refused(referral, muns, secretariat_user):
    with pytest.raises(ValidationError, match="cannot be in the future"):
        record(
            secretariat_user,
            referral,
            muns["Horten"],
            Out.ADOPTED,
            date=timezone.localdate() + dt.timedelta(days=1),
        )
    with pytest.raises(ValidationError, match="Only a decision adopted with conditions"):
        record(
            secretariat_user,
            referral,
            muns["Horten"],
            Out.REJECTED,
            conditions=[services.ConditionSpec(Condition.Kind.AT_LEAST, minimum=3)],
        )
    with pytest.raises(ValidationError, match="cannot take part: the case was referred to 9"):
        record(
            secretariat_user,
            referral,
            muns["Horten"],
            Out.ADOPTED_WITH_CONDITIONS,
            conditions=[services.ConditionSpec(Condition.Kind.AT_LEAST, minimum=10)],
        )
    with pytest.raises(ValidationError, match="cannot be closed in advance"):
        services.referral_close(
            actor=secretariat_user,
            referral=referral,
            on=timezone.localdate() + dt.timedelta(days=1),
        )
    services.referral_close(actor=secretariat_user, referral=referral, on=dt.date(2003, 10, 1))
    with pytest.raises(ValidationError, match="closed"):
        record(secretariat_user, referral, muns["Horten"], Out.ADOPTED)


def test_chain_and_cycle_stored_and_resolved(referral, muns, secretariat_user):
    """A if B, B if C on stored decisions; then a cycle: both conditionally yes → both in."""

    def cond(name, other):
        record(
            secretariat_user,
            referral,
            muns[name],
            Out.ADOPTED_WITH_CONDITIONS,
            conditions=[services.ConditionSpec(Condition.Kind.REQUIRES, [muns[other]])],
        )

    def state(name):
        return resolve_participation(referral)[muns[name].pk].state

    cond("Stokke", "Tjøme")
    cond("Tjøme", "Tønsberg")
    assert (state("Stokke"), state("Tjøme")) == (WAITING, WAITING)
    assert resolve_participation(referral)[muns["Stokke"].pk].reason == (
        "waiting for Tjøme, which is itself waiting"
    )
    record(secretariat_user, referral, muns["Tønsberg"], Out.REJECTED)
    assert (state("Stokke"), state("Tjøme")) == (NOT_COMMITTED, NOT_COMMITTED)
    cond("Tønsberg", "Stokke")  # now a cycle of three conditional yeses
    assert {state(n) for n in ("Stokke", "Tjøme", "Tønsberg")} == {COMMITTED}


def test_notice_links_to_the_municipality_page_when_the_site_address_is_known(
    secretariat_user, django_user_model, django_capture_on_commit_callbacks, settings
):
    from .factories import municipality

    settings.SITE_URL = "https://samarbeid.example.no"
    today = timezone.localdate()
    horten = municipality("Horten", today)
    case = CaseFactory(cooperation=cooperation_with_members({"Horten": horten}))
    contact_user(django_user_model, "horten", horten, email="post@horten.example")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.referral_create(
            actor=secretariat_user,
            case=case,
            referred_on=today,
            deadline=today + dt.timedelta(days=30),
        )
    assert f"https://samarbeid.example.no/governance/municipality/{horten.number}/" in (
        mail.outbox[0].body
    )


def test_cases_keep_their_folded_search_text():
    """Case.search_text (the new-hearing form's case search) follows the number and title
    through case_create and case_update, folded as every search on the site."""
    cooperation = CaseFactory().cooperation
    case = services.case_create(
        actor=None, cooperation=cooperation, number=" 12/2026 ", title="Havneutvikling i Tønsberg"
    )
    case.refresh_from_db()
    assert case.search_text == "12/2026 havneutvikling i tonsberg"
    services.case_update(actor=None, case=case, number="13/2026", title="Bredbånd på Nøtterøy")
    case.refresh_from_db()
    assert case.search_text == "13/2026 bredband pa notteroy"
    assert "search_text" not in {f.name for f in case.history.model._meta.fields}
