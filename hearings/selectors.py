"""Reads for hearings: public lists hold nothing personal beyond what a commenter chose to
show."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Prefetch, Q, QuerySet

from hearings.models import Comment, CommentAttachment, Hearing
from members.models import Municipality

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
