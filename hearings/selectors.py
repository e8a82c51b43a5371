"""Reads for hearings: public lists hold nothing personal beyond what a commenter chose to
show."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from governance import selectors as governance_selectors
from governance.models import Case
from hearings.models import Comment, CommentAttachment, Hearing
from members import selectors as member_selectors
from members.models import Municipality
from projects import selectors as project_selectors
from projects.models import Project
from samarbeid.common.text import fold_for_search

PUBLIC_STATES = (Hearing.State.OPEN, Hearing.State.CLOSED, Hearing.State.PROCESSED)


def public_hearings() -> QuerySet[Hearing]:
    return (
        Hearing.objects.filter(state__in=PUBLIC_STATES)
        .annotate(
            published_count=Count("comments", filter=Q(comments__state=Comment.State.PUBLISHED))
        )
        .prefetch_related(
            Prefetch("municipalities", queryset=Municipality.objects.order_by("name"))
        )
        .order_by("-start_date", "-pk")
    )


def published_comments() -> QuerySet[Comment]:
    return (
        Comment.objects.filter(state=Comment.State.PUBLISHED)
        .only(
            "hearing_id",
            "reference",
            "text",
            "name",
            "organisation",
            "show_name",
            "submitted_at",
            "topic",
            "response",
            "purged_at",
        )
        .prefetch_related(Prefetch("attachments", queryset=_attachment_list()))
    )


def _attachment_list() -> QuerySet[CommentAttachment]:
    return CommentAttachment.objects.only("pk", "comment_id", "title", "size").order_by("pk")


def public_hearing(pk: int) -> Hearing:
    """Raises Hearing.DoesNotExist for a draft or an unknown hearing."""
    return (
        Hearing.objects.filter(state__in=PUBLIC_STATES)
        .select_related("plan_municipality", "case", "project")
        .prefetch_related(
            "municipalities",
            "documents",
            Prefetch("comments", queryset=published_comments(), to_attr="published"),
        )
        .get(pk=pk)
    )


def open_hearings_for(municipality_ids: set[int], today: dt.date) -> QuerySet[Hearing]:
    return (
        Hearing.objects.filter(
            Q(municipalities__in=municipality_ids) | Q(plan_municipality__in=municipality_ids),
            state=Hearing.State.OPEN,
            start_date__lte=today,
            deadline__gte=today,
        )
        .distinct()
        .only("pk", "title", "deadline")
        .order_by("deadline", "pk")
    )


def desk_hearings(municipality_ids: set[int] | None) -> QuerySet[Hearing]:
    """The hearings an officer handles (all for the secretariat: None)."""
    qs = Hearing.objects.annotate(
        waiting=Count(
            "comments",
            filter=Q(comments__state=Comment.State.RECEIVED, comments__confirmed_at__isnull=False),
        )
    ).order_by("-start_date", "-pk")
    if municipality_ids is not None:
        qs = qs.filter(
            Q(municipalities__in=municipality_ids) | Q(plan_municipality__in=municipality_ids)
        ).distinct()
    return qs


def desk_comments(hearing: Hearing) -> QuerySet[Comment]:
    return (
        hearing.comments.exclude(confirmed_at__isnull=True)
        .prefetch_related(Prefetch("attachments", queryset=_attachment_list()))
        .order_by("submitted_at", "pk")
    )


def hearings_due_for_purge(cutoff: dt.datetime) -> QuerySet[Hearing]:
    """Processed before `cutoff` and not purged yet."""
    return Hearing.objects.filter(
        state=Hearing.State.PROCESSED, processed_at__lte=cutoff, purged_at__isnull=True
    ).order_by("processed_at", "pk")


def followed_hearings(municipality_ids: set[int]) -> QuerySet[Hearing]:
    """The public hearings concerning these municipalities (the municipality's hearings page)."""
    concerned = Hearing.objects.filter(
        Q(municipalities__in=municipality_ids) | Q(plan_municipality__in=municipality_ids)
    ).values("pk")
    return public_hearings().filter(pk__in=concerned)


# ------------------------------------------------------------------ the new-hearing form
#
# The form offers the cooperation's members and a short list of recent cases and projects;
# anything else is found by search (the folding of samarbeid.common.text, as the portfolio
# search). Each read is one query of a bounded number of rows: cases and projects are
# searched in the database (their folded `search_text`), the municipality register (a few
# hundred rows, however many projects and cases there are) in a folded index.

PICK_LIMIT = 15
RECENT_LIMIT = 5


@dataclass(frozen=True)
class Choice:
    """One option of a picker: its primary key and the label shown."""

    pk: int
    label: str


def _municipality_choice(m: Municipality) -> Choice:
    return Choice(m.pk, m.name)


def member_municipalities(on: dt.date) -> list[Choice]:
    """The current member municipalities of the cooperation the desk serves, by name."""
    cooperation = member_selectors.default_cooperation()
    if cooperation is None:
        return []
    rows = member_selectors.members_on(cooperation=cooperation, on=on)
    return [_municipality_choice(r.municipality) for r in rows]


def municipality_choices(pks: Iterable[int], on: dt.date) -> list[Choice]:
    """The municipalities (valid on the day) of these keys, by name."""
    wanted = set(pks)
    if not wanted:
        return []
    rows = member_selectors.municipalities_on(on).filter(pk__in=wanted).order_by("name")
    return [_municipality_choice(m) for m in rows.only("pk", "name")]


def _words(query: str) -> list[str]:
    return [w for w in fold_for_search(query).split(" ") if w]


def _matches(words: list[str], text: str) -> bool:
    folded = fold_for_search(text)
    return all(w in folded for w in words)


def choices_matching(query: str, choices: Iterable[Choice]) -> list[Choice]:
    """The choices whose label (folded) holds every word of the query."""
    words = _words(query)
    return [c for c in choices if words and _matches(words, c.label)]


# What the municipality search looks in: (key, label, folded label, number) per
# municipality valid on the day, built once per day and data version by the view
# (projects.analytics.cache) so a search folds only the query. Its size is the register's.
SearchIndex = list[tuple[int, str, str, str]]


def municipality_index(on: dt.date) -> SearchIndex:
    rows = member_selectors.municipalities_on(on).only("pk", "name", "number").order_by("name")
    return [(m.pk, m.name, fold_for_search(m.name), m.number) for m in rows]


def municipality_matches(
    query: str,
    on: dt.date,
    *,
    exclude: Collection[int] = (),
    limit: int = PICK_LIMIT,
    index: SearchIndex | None = None,
) -> list[Choice]:
    """Municipalities valid on the day whose name (folded: “tonsberg” finds Tønsberg) or
    number holds every word of the query; names starting with it first."""
    words = _words(query)
    if not words:
        return []
    rows = municipality_index(on) if index is None else index
    found = [
        (not folded.startswith(words[0]), label, pk)
        for pk, label, folded, number in rows
        if pk not in exclude and (number.startswith(words[0]) or all(w in folded for w in words))
    ]
    found.sort()
    return [Choice(pk, label) for _, label, pk in found[:limit]]


def _case_choice(case: Case) -> Choice:
    return Choice(case.pk, f"{case.number} {case.title}")


def _cases() -> QuerySet[Case]:
    return Case.objects.only("pk", "number", "title").order_by("-pk")


def recent_cases(*, limit: int = RECENT_LIMIT) -> list[Choice]:
    """The board cases registered last."""
    return [_case_choice(c) for c in _cases()[:limit]]


def case_choices(pks: Iterable[int]) -> list[Choice]:
    wanted = set(pks)
    return [_case_choice(c) for c in _cases().filter(pk__in=wanted)] if wanted else []


def case_matches(query: str, *, limit: int = PICK_LIMIT) -> list[Choice]:
    """Board cases whose number and title (folded: Case.search_text) hold every word of the
    query, newest first: one query of at most `limit` rows, served by a trigram index."""
    rows = governance_selectors.case_search(_words(query), limit=limit)
    return [Choice(pk, f"{number} {title}") for pk, number, title in rows]


def _projects() -> QuerySet[Project]:
    return Project.objects.only("pk", "name")


def recent_projects(*, limit: int = RECENT_LIMIT) -> list[Choice]:
    """The projects changed last."""
    return [Choice(p.pk, p.name) for p in _projects().order_by("-updated_at", "-pk")[:limit]]


def project_choices(pks: Iterable[int]) -> list[Choice]:
    wanted = set(pks)
    rows = _projects().filter(pk__in=wanted).order_by("name") if wanted else []
    return [Choice(p.pk, p.name) for p in rows]


def project_matches(query: str, *, limit: int = PICK_LIMIT) -> list[Choice]:
    """Projects found as the portfolio's search finds them (folded, every word)."""
    if not _words(query):
        return []
    rows = _projects().filter(project_selectors.search_condition(query)).order_by("name")
    return [Choice(p.pk, p.name) for p in rows[:limit]]
