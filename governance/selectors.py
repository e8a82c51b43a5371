"""Reads for the governance pages, each in a fixed number of queries however many rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Case as SqlCase
from django.db.models import Count, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import (
    BoardSeat,
    Case,
    CaseDocument,
    Condition,
    CouncilDecision,
    Meeting,
    Referral,
)
from governance.resolution import WAITING, Status, resolve_participation
from members.models import Cooperation, CooperationName, Municipality, Organisation, Position
from members.selectors import identities_of, member_municipalities_on
from projects.models import Participation, Project
from samarbeid.common.services import Actor


def _decisions() -> QuerySet[CouncilDecision]:
    return (
        CouncilDecision.objects.select_related("municipality")
        .prefetch_related("conditions__municipalities")
        .order_by("municipality__name")
    )


def _with_decisions(qs: QuerySet[Referral]) -> QuerySet[Referral]:
    """The referrals with `decisions__conditions__municipalities` in Django's prefetch cache
    (`.decisions.all()` works). The governance pages use `_with_decision_lists`."""
    return qs.select_related("case", "case__cooperation").prefetch_related(
        Prefetch("decisions", queryset=_decisions())
    )


def _condition_lists() -> Prefetch:
    """A decision's conditions into `condition_list`, each one's municipalities into
    `municipality_list` (read by `condition_rows` / `municipality_rows`)."""
    return Prefetch(
        "conditions",
        queryset=Condition.objects.prefetch_related(
            Prefetch("municipalities", to_attr="municipality_list")
        ),
        to_attr="condition_list",
    )


def _with_decision_lists(qs: QuerySet[Referral]) -> QuerySet[Referral]:
    """As `_with_decisions`, but into plain lists (`referral.decision_list`,
    `decision.condition_list`, `condition.municipality_list`): three queries however many
    rows, and no per-row queryset (Django builds one for every prefetched row otherwise,
    which was most of the governance pages' time)."""
    decisions = (
        CouncilDecision.objects.select_related("municipality")
        .prefetch_related(_condition_lists())
        .order_by("municipality__name")
    )
    return qs.select_related("case", "case__cooperation").prefetch_related(
        Prefetch("decisions", queryset=decisions, to_attr="decision_list")
    )


@dataclass
class Row:
    """A council's decision on a referral, with the resolved participation."""

    referral: Referral
    decision: CouncilDecision
    status: Status
    waited_on_by: tuple[str, ...] = ()
    can_record: bool = False  # set by the municipality page for the signed-in user

    @property
    def waited_on_by_text(self) -> str:
        """“Stokke and Tjøme” (in the active language)."""
        names = list(self.waited_on_by)
        if len(names) < 2:
            return "".join(names)
        return _("%(first)s and %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}

    @property
    def overdue(self) -> bool:
        """Not decided (pending or postponed) and the deadline has passed."""
        return self.decision.is_undecided and bool(
            not self.referral.is_closed
            and self.referral.deadline
            and self.referral.deadline < timezone.localdate()
        )


def referral_rows(referral: Referral) -> list[Row]:
    """Rows for a referral whose decisions were loaded (`_with_decision_lists`) or
    prefetched (`_with_decisions`)."""
    loaded = referral.__dict__.get("decision_list")
    decisions = list(referral.decisions.all()) if loaded is None else loaded
    statuses = resolve_participation(referral, decisions)
    names = {d.municipality_id: d.municipality.name for d in decisions}
    waiters = _waiters(statuses, names)
    return [
        Row(
            referral,
            d,
            statuses[d.municipality_id],
            tuple(sorted(waiters.get(d.municipality_id, ()))),
        )
        for d in decisions
    ]


def _waiters(statuses: dict[Any, Status], names: dict[int, str]) -> dict[int, list[str]]:
    """Municipality pk → the names of the councils that wait for it."""
    waiters: dict[int, list[str]] = {}
    for key, status in statuses.items():
        for blocker in status.waits_for:
            if blocker != key:
                waiters.setdefault(blocker, []).append(names[key])
    return waiters


@dataclass
class ResolvedReferral:
    """A referral with its council rows resolved, their counts by state and, for the
    secretariat's case page, its close and establish forms. Templates read the referral's
    own fields through it (`referral.pk`, `referral.case`, …)."""

    referral: Referral
    rows: list[Row]
    counts: dict[str, int] = field(default_factory=dict)
    close_form: forms.Form | None = None
    establish_form: forms.Form | None = None

    def __getattr__(self, name: str) -> Any:
        if name == "referral":  # not set yet (copy, pickle): no recursion
            raise AttributeError(name)
        return getattr(self.referral, name)


def annotate_rows(referrals: Iterable[Referral]) -> list[ResolvedReferral]:
    """Resolve referrals whose decisions were loaded (`_with_decision_lists`) or prefetched
    (`_with_decisions`)."""
    resolved = []
    for referral in referrals:
        rows = referral_rows(referral)
        counts = {
            state: sum(1 for r in rows if r.status.state == state)
            for state in ("committed", "not_committed", "waiting")
        }
        resolved.append(ResolvedReferral(referral=referral, rows=rows, counts=counts))
    return resolved


def referral_with_rows(pk: int) -> ResolvedReferral:
    referral = _with_decision_lists(Referral.objects.filter(pk=pk)).get()
    return annotate_rows([referral])[0]


def open_referrals_queryset() -> QuerySet[Referral]:
    """Open referrals, soonest deadline first, with their decisions loaded: slice a page
    off and resolve it with `annotate_rows`."""
    return _with_decision_lists(Referral.objects.filter(closed_on__isnull=True)).order_by(
        "deadline", "referred_on", "pk"
    )


def open_referrals() -> list[ResolvedReferral]:
    return annotate_rows(open_referrals_queryset())


DASHBOARD_PAGE_SIZE = 50
"""Open referrals per dashboard page, and the most rows each dashboard list shows."""


@dataclass
class Dashboard:
    """One page of open referrals (soonest deadline first) and the councils to chase.

    `undecided` and `overdue` are the first `DASHBOARD_PAGE_SIZE` over every open referral,
    counted in SQL; `waiting` is resolved for the referrals on the page. The response stays
    the same size however many referrals are open.
    """

    referrals: list[ResolvedReferral]
    undecided: list[Row]
    overdue: list[Row]
    waiting: list[Row]
    page: Page
    undecided_count: int = 0
    overdue_count: int = 0
    waiting_count: int = 0

    @property
    def referral_count(self) -> int:
        return self.page.paginator.count


def _undecided_rows(decisions: QuerySet[CouncilDecision]) -> list[Row]:
    """Rows for undecided decisions read straight from SQL: each waits for its own council."""
    return [
        Row(d.referral, d, Status(d.municipality_id, d.outcome, WAITING, ""))
        for d in decisions[:DASHBOARD_PAGE_SIZE]
    ]


def _undecided_decisions() -> QuerySet[CouncilDecision]:
    """Undecided councils of open referrals, soonest deadline first."""
    return (
        CouncilDecision.objects.filter(
            referral__closed_on__isnull=True,
            outcome__in=[CouncilDecision.Outcome.PENDING, CouncilDecision.Outcome.POSTPONED],
        )
        .select_related("municipality", "referral__case")
        .order_by(
            "referral__deadline", "referral__referred_on", "referral_id", "municipality__name"
        )
    )


def dashboard(*, today: dt.date, page: str | int | None = None) -> Dashboard:
    """The dashboard in a fixed number of queries however many referrals are open: the
    page's referrals with their decisions (three queries), the first rows of each list and
    both counts in one aggregate."""
    pages = Paginator(open_referrals_queryset(), DASHBOARD_PAGE_SIZE).get_page(page)
    referrals = annotate_rows(pages.object_list)
    waiting = [row for r in referrals for row in r.rows if row.status.waiting]
    undecided = _undecided_decisions()
    overdue = undecided.filter(referral__deadline__lt=today)
    counts = undecided.aggregate(
        undecided=Count("pk"), overdue=Count("pk", filter=Q(referral__deadline__lt=today))
    )
    return Dashboard(
        referrals=referrals,
        undecided=_undecided_rows(undecided),
        overdue=_undecided_rows(overdue),
        waiting=waiting[:DASHBOARD_PAGE_SIZE],
        page=pages,
        undecided_count=counts["undecided"],
        overdue_count=counts["overdue"],
        waiting_count=len(waiting),
    )


def cases() -> QuerySet[Case]:
    return (
        Case.objects.select_related("meeting", "cooperation")
        .prefetch_related("projects")
        .annotate(referral_count=Count("referrals"))
        .order_by("-meeting__date", "-pk")
    )


def public_cases(*, cooperation: Cooperation | None = None) -> QuerySet[Case]:
    """The board cases the public may see (marked public), with their meeting. Every public
    surface starts from this queryset."""
    qs = Case.objects.filter(is_public=True).select_related("meeting", "cooperation")
    if cooperation is not None:
        qs = qs.filter(cooperation=cooperation)
    return qs


def public_case_documents(case: Case) -> QuerySet[CaseDocument]:
    """The documents of a case offered for download on the public portal."""
    return CaseDocument.objects.filter(case=case, is_public=True, case__is_public=True)


def case_detail(pk: int) -> Case:
    """A case with its projects, documents and referrals prefetched (resolve them with
    `case_referrals`)."""
    return (
        Case.objects.select_related("meeting", "cooperation")
        .prefetch_related(
            "projects",
            "documents",
            Prefetch(
                "referrals",
                queryset=_with_decision_lists(Referral.objects.all()).order_by(
                    "-referred_on", "-pk"
                ),
            ),
        )
        .get(pk=pk)
    )


def case_referrals(case: Case) -> list[ResolvedReferral]:
    """The referrals of a case from `case_detail` (prefetched), newest first, resolved."""
    return annotate_rows(case.referrals.all())


def organisation_choices() -> list[Organisation]:
    """Organisations that may run an established arrangement, by name (one query)."""
    return list(Organisation.objects.order_by("name"))


def meetings() -> QuerySet[Meeting]:
    return (
        Meeting.objects.select_related("cooperation")
        .annotate(case_count=Count("cases"))
        .order_by("-date", "-pk")
    )


def meeting_detail(pk: int) -> Meeting:
    return (
        Meeting.objects.select_related("cooperation")
        .prefetch_related(
            Prefetch(
                "cases",
                queryset=Case.objects.prefetch_related("projects", "documents")
                .annotate(referral_count=Count("referrals"))
                .order_by("number"),
            )
        )
        .get(pk=pk)
    )


def board_on(*, on: dt.date, cooperation: Cooperation | None = None) -> QuerySet[BoardSeat]:
    qs = BoardSeat.objects.filter(
        (Q(start__isnull=True) | Q(start__lte=on)) & (Q(end__isnull=True) | Q(end__gte=on))
    ).select_related("person", "municipality", "organisation", "cooperation")
    if cooperation is not None:
        qs = qs.filter(cooperation=cooperation)
    rank = SqlCase(
        *(When(role=role, then=Value(i)) for i, role in enumerate(BoardSeat.Role.values)),
        default=Value(99),
    )
    return qs.order_by("-voting", "municipality__name", rank, "label", "pk")


def cooperation_name_on(cooperation: Cooperation | None, on: dt.date) -> str:
    """The cooperation's full name on the day (9-kommunesamarbeidet in 2003), one query."""
    if cooperation is None:
        return ""
    found = (
        CooperationName.objects.filter(cooperation=cooperation, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("-valid_from")
        .values_list("name", flat=True)
        .first()
    )
    return found or cooperation.name


def board_periods(*, cooperation: Cooperation | None = None) -> list[dt.date]:
    """The days on which a seat began, oldest first: one link per composition on the
    board page (one query)."""
    qs = BoardSeat.objects.filter(start__isnull=False)
    if cooperation is not None:
        qs = qs.filter(cooperation=cooperation)
    starts = qs.order_by("start").values_list("start", flat=True).distinct()
    return [start for start in starts if start is not None]


def municipality_identities(number: str) -> list[Municipality]:
    """All identities that carried this number, newest first."""
    return list(Municipality.objects.filter(number=number.zfill(4)).order_by("-valid_from"))


def municipality_rows(identities: list[Municipality], *, limit: int | None = None) -> list[Row]:
    """The decisions of these identities (and their predecessors) with the resolution of
    its referral, newest referral first; of the newest `limit` referrals when given.

    Set-based, a fixed number of queries however many referrals: the identities' own
    decisions with their referral and case in one query; only a conditional adoption makes
    a council's status depend on the others' (it may wait for them), so the other councils'
    decisions (with their conditions) are read for the referrals that have one, and the
    rest resolve on their own.
    """
    ids = identities_of(identities)
    referral_ids: QuerySet[Any, Any] = _referral_ids(ids)
    if limit is not None:  # a subquery: no round trip of its own
        referral_ids = (
            Referral.objects.filter(pk__in=referral_ids)
            .order_by("-referred_on", "-pk")
            .values("pk")[:limit]
        )
    own = CouncilDecision.objects.filter(
        municipality_id__in=ids, referral_id__in=referral_ids
    ).order_by("-referral__referred_on", "-referral_id", "municipality__name")
    conditional = _conditional_rows(referral_ids)
    rows = []
    for decision in own.select_related("municipality", "referral__case"):
        found = conditional.get((decision.referral_id, decision.municipality_id))
        if found is not None:  # resolved with the others, its conditions loaded
            rows.append(Row(decision.referral, found.decision, found.status, found.waited_on_by))
            continue
        # Nobody in its referral adopted with conditions, so it has none (the services
        # allow conditions on a conditional adoption only) and nobody waits for it.
        decision.condition_list = []
        status = resolve_participation(decision.referral, [decision])[decision.municipality_id]
        rows.append(Row(decision.referral, decision, status))
    return rows


def _conditional_rows(referral_ids: QuerySet[Any, Any]) -> dict[tuple[int, int], Row]:
    """(referral pk, municipality pk) → the resolved row, for those of the referrals that
    have a conditional adoption (four queries, however many)."""
    with_conditions = CouncilDecision.objects.filter(
        referral_id__in=referral_ids, outcome=CouncilDecision.Outcome.ADOPTED_WITH_CONDITIONS
    ).values("referral_id")
    referrals = _with_decision_lists(Referral.objects.filter(pk__in=with_conditions))
    return {
        (row.referral.pk, row.decision.municipality_id): row
        for referral in referrals
        for row in referral_rows(referral)
    }


def _referral_ids(ids: list[int]) -> QuerySet[CouncilDecision, int]:
    return CouncilDecision.objects.filter(municipality_id__in=ids).values_list(
        "referral_id", flat=True
    )


def municipality_referral_count(identities: list[Municipality]) -> int:
    """How many referrals went to these identities (and their predecessors). 1 query."""
    return Referral.objects.filter(pk__in=_referral_ids(identities_of(identities))).count()


def contact_municipalities(user: Actor, *, on: dt.date) -> list[Municipality]:
    """The municipalities the user is municipality contact for on the day."""
    if user is None or not user.is_authenticated:
        return []
    ids = (
        Position.objects.filter(
            person__user__pk=user.pk,
            role=Position.Role.MUNICIPALITY_CONTACT,
            municipality__isnull=False,
        )
        .filter((Q(start__isnull=True) | Q(start__lte=on)) & (Q(end__isnull=True) | Q(end__gte=on)))
        .values("municipality_id")
    )
    return list(Municipality.objects.filter(pk__in=ids).order_by("name"))


def decision_for(*, referral: Referral, municipality: Municipality) -> CouncilDecision:
    """The council decision row of a referred municipality; ValidationError naming
    `municipality` when the case was not referred to it."""
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
    found = {p.municipality.pk: p.municipality for p in participations if p.municipality}
    if not found:
        found = {m.pk: m for m in member_municipalities_on(cooperation=case.cooperation, on=on)}
    return sorted(found.values(), key=lambda m: m.name)


def referral_decisions(referral: Referral) -> QuerySet[CouncilDecision]:
    """A referral's decisions with what a notice about them names."""
    return referral.decisions.select_related("municipality", "referral__case")


def referrals_to_notify(*, today: dt.date) -> QuerySet[Referral]:
    """Open referrals made by `today` whose deadline has not passed: late notices are
    still of use for them."""
    return (
        Referral.objects.filter(closed_on__isnull=True, referred_on__lte=today)
        .filter(Q(deadline__isnull=True) | Q(deadline__gte=today))
        .select_related("case")
    )


def decisions_due_reminder(*, today: dt.date, days: int) -> QuerySet[CouncilDecision]:
    """Undecided councils of open referrals whose deadline is at most `days` away."""
    return (
        CouncilDecision.objects.filter(
            referral__closed_on__isnull=True,
            referral__deadline__isnull=False,
            referral__deadline__gte=today,
            referral__deadline__lte=today + dt.timedelta(days=days),
            outcome__in=[CouncilDecision.Outcome.PENDING, CouncilDecision.Outcome.POSTPONED],
        )
        .select_related("municipality", "referral__case")
        .order_by("referral__deadline", "municipality__name")
    )


# --- look-ups by natural key (the demo loader finds its rows before creating them) ---------


def board_seat_labelled(*, cooperation: Cooperation, role: str, label: str) -> BoardSeat | None:
    return BoardSeat.objects.filter(cooperation=cooperation, role=role, label=label).first()


def meeting_on(*, cooperation: Cooperation, date: dt.date) -> Meeting | None:
    return Meeting.objects.filter(cooperation=cooperation, date=date).order_by("pk").first()


def case_numbered(*, cooperation: Cooperation, number: str) -> Case | None:
    return Case.objects.filter(cooperation=cooperation, number=number).first()


def referral_of(*, case: Case, referred_on: dt.date) -> Referral | None:
    return Referral.objects.filter(case=case, referred_on=referred_on).order_by("pk").first()


def project_named(*, cooperation: Cooperation, name: str) -> Project | None:
    """A project of the cooperation by name, case-insensitively (the first made)."""
    return Project.objects.filter(cooperation=cooperation, name__iexact=name).order_by("pk").first()


# --- the case search ------------------------------------------------------------------------
#
# Case.search_text holds the number and title folded (governance.services.case_search_text);
# every word of a query, folded alike, must occur in it. Each database serves the substring
# test from a trigram index (governance migration 0006), so a search reads the matching
# rows, newest first, and stops at the limit however many cases there are.

_SQLITE_CASE_SEARCH = (
    "SELECT c.id, c.number, c.title FROM governance_case_search s "
    "JOIN governance_case c ON c.id = s.rowid WHERE c.deleted_at IS NULL{words} "
    "ORDER BY s.rowid DESC LIMIT %s"
)
_GLOB_SPECIAL = str.maketrans({"*": "[*]", "?": "[?]", "[": "[[]"})


def case_search(words: Sequence[str], *, limit: int) -> list[tuple[int, str, str]]:
    """(pk, number, title) of the cases outside the trash whose folded text holds every
    (folded) word, newest first, at most `limit`: one query. SQLite reads the FTS5 trigram
    table `governance_case_search` (case-sensitive `GLOB`: both sides are folded);
    PostgreSQL's `LIKE` is served by the GIN trigram index."""
    if not words:
        return []
    if connection.vendor != "sqlite":
        cond = Q()
        for word in words:
            cond &= Q(search_text__contains=word)
        rows = Case.objects.filter(cond).order_by("-pk").values_list("pk", "number", "title")
        return list(rows[:limit])
    sql = _SQLITE_CASE_SEARCH.format(words=" AND s.search_text GLOB %s" * len(words))
    params = [f"*{word.translate(_GLOB_SPECIAL)}*" for word in words]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit])
        return [(pk, number, title) for pk, number, title in cursor.fetchall()]
