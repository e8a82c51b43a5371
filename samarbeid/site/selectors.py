"""Reads for the front page, which draws on several domains at once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count

from governance import selectors as governance_selectors
from members import selectors as member_selectors
from members.models import Cooperation, KeyFigure
from projects.models import Project


@dataclass
class FrontPage:
    cooperation: Cooperation | None
    members: member_selectors.MemberList | None = None
    key_figures: list[KeyFigure] = field(default_factory=list)
    projects_total: int = 0
    projects_by_phase: list[tuple[str, str, int]] = field(default_factory=list)
    """(phase, label, count) in lifecycle order, phases without projects left out."""
    open_referrals: int = 0
    undecided_councils: int = 0
    overdue_councils: int = 0


def front_page(*, today: dt.date, inside: bool) -> FrontPage:
    """Members and key figures for everyone; portfolio and referral counts for signed-in users.

    Query count does not depend on the number of members, projects or referrals.
    """
    cooperation = member_selectors.default_cooperation()
    page = FrontPage(cooperation=cooperation)
    if cooperation is None:
        return page
    page.members = member_selectors.member_list(cooperation, on=today)
    page.key_figures = list(member_selectors.key_figures_for(cooperation=cooperation))
    if not inside:
        return page
    counts = dict(
        Project.objects.filter(cooperation=cooperation)
        .values_list("phase")
        .annotate(n=Count("pk"))
        .values_list("phase", "n")
    )
    page.projects_by_phase = [
        (value, str(label), counts[value])
        for value, label in Project.Phase.choices
        if counts.get(value)
    ]
    page.projects_total = sum(counts.values())
    board = governance_selectors.dashboard(today=today)
    page.open_referrals = board.referral_count  # the lists hold only the first page
    page.undecided_councils = board.undecided_count
    page.overdue_councils = board.overdue_count
    return page
