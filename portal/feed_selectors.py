"""Reads for the Atom feeds: the newest public board decisions, council decisions and
project phase/status changes of a cooperation or a municipality (with its predecessors),
each as plain dicts in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F, OuterRef, Q, QuerySet, Subquery, Window
from django.db.models.functions import Lag
from django.urls import reverse
from django.utils.translation import gettext as _

from governance import selectors as governance_selectors
from governance.models import Case, CouncilDecision
from members import selectors as member_selectors
from members.models import Cooperation
from projects.models import Participation, Project
from projects.selectors import public_projects


def cooperation_named(slug: str) -> tuple[int, str] | None:
    row = Cooperation.objects.filter(slug=slug).values_list("pk", "name").first()
    return None if row is None else (row[0], row[1])


def municipality_family(number: str) -> tuple[list[int], str] | None:
    """The identity with this number today (else the latest) with its predecessors."""
    if not number.isdigit() or len(number) > 4:
        return None
    try:
        found = member_selectors.municipality_for_number(number, dt.date.today())
    except member_selectors.UnknownMunicipality:
        return None
    return member_selectors.identities_of([found]), found.name


def _projects_in(cooperation_id: int | None, municipality_ids: list[int] | None) -> QuerySet:
    qs = public_projects()
    if cooperation_id is not None:
        qs = qs.filter(cooperation_id=cooperation_id)
    if municipality_ids is not None:
        qs = qs.filter(
            Q(
                pk__in=Participation.objects.filter(municipality_id__in=municipality_ids).values(
                    "project_id"
                )
            )
            | Q(host_municipality_id__in=municipality_ids)
            | Q(owner_municipality_id__in=municipality_ids)
        )
    return qs


def _case_page(case_id: int) -> str:
    return reverse("portal:case", args=[case_id])


def board_decisions(
    *, cooperation_id: int | None, municipality_ids: list[int] | None, limit: int
) -> list[dict[str, Any]]:
    """Public cases the board decided, newest meeting first. For a municipality: the cases
    referred to its council or about projects it takes part in."""
    qs = governance_selectors.public_cases().exclude(outcome="")
    if cooperation_id is not None:
        qs = qs.filter(cooperation_id=cooperation_id)
    if municipality_ids is not None:
        qs = qs.filter(
            Q(referrals__decisions__municipality_id__in=municipality_ids)
            | Q(projects__in=_projects_in(None, municipality_ids))
        ).distinct()
    outcomes = dict(Case.Outcome.choices)
    rows = qs.order_by(F("meeting__date").desc(nulls_last=True), "-pk").values(
        "id", "number", "title", "outcome", "decision_text", "meeting__date"
    )[:limit]
    return [
        {
            "title": f"{r['number']} {r['title']}: {outcomes.get(r['outcome'], r['outcome'])}",
            "description": r["decision_text"],
            "link": _case_page(r["id"]),
            "guid": f"samarbeid:case:{r['id']}:{r['outcome']}",
            "date": r["meeting__date"],
        }
        for r in rows
    ]


def council_decisions(
    *, cooperation_id: int | None, municipality_ids: list[int] | None, limit: int
) -> list[dict[str, Any]]:
    """Councils' decisions (not pending) on public cases, newest first."""
    qs = CouncilDecision.objects.filter(
        referral__case__in=governance_selectors.public_cases()
    ).exclude(outcome=CouncilDecision.Outcome.PENDING)
    if cooperation_id is not None:
        qs = qs.filter(referral__case__cooperation_id=cooperation_id)
    if municipality_ids is not None:
        qs = qs.filter(municipality_id__in=municipality_ids)
    outcomes = dict(CouncilDecision.Outcome.choices)
    rows = qs.order_by(F("date").desc(nulls_last=True), "-pk").values(
        "id",
        "outcome",
        "date",
        "decision_text",
        "conditions_text",
        "municipality__name",
        "referral_id",
        "referral__referred_on",
        "referral__case_id",
        "referral__case__number",
        "referral__case__title",
    )[:limit]
    return [
        {
            "title": _("%(municipality)s: %(outcome)s – %(case)s")
            % {
                "municipality": r["municipality__name"],
                "outcome": outcomes.get(r["outcome"], r["outcome"]),
                "case": f"{r['referral__case__number']} {r['referral__case__title']}",
            },
            "description": "\n\n".join(t for t in (r["decision_text"], r["conditions_text"]) if t),
            "link": f"{_case_page(r['referral__case_id'])}#referral-{r['referral_id']}",
            "guid": f"samarbeid:council-decision:{r['id']}:{r['outcome']}:{r['date']}",
            "date": r["date"] or r["referral__referred_on"],
        }
        for r in rows
    ]


def project_changes(
    *, cooperation_id: int | None, municipality_ids: list[int] | None, limit: int
) -> list[dict[str, Any]]:
    """New public projects and changes of phase or status, newest first (from the
    projects' history: each row compared with the one before it)."""
    history = Project.history.model
    order = [F("history_date").asc(), F("history_id").asc()]
    rows = (
        history.objects.filter(id__in=_projects_in(cooperation_id, municipality_ids).values("pk"))
        .annotate(
            prev_phase=Window(Lag("phase"), partition_by=[F("id")], order_by=order),
            prev_status=Window(Lag("status"), partition_by=[F("id")], order_by=order),
            current_slug=Subquery(Project.objects.filter(pk=OuterRef("id")).values("slug")[:1]),
        )
        .order_by("-history_date", "-history_id")
        .values(
            "history_id",
            "id",
            "name",
            "phase",
            "status",
            "history_date",
            "history_type",
            "current_slug",
            "prev_phase",
            "prev_status",
        )
    )
    phases, statuses = dict(Project.Phase.choices), dict(Project.Status.choices)
    found: list[dict[str, Any]] = []
    for r in rows.iterator(chunk_size=500):
        if r["history_type"] == "+":
            title = _("New project: %(name)s") % {"name": r["name"]}
        elif r["history_type"] == "~" and r["prev_phase"] != r["phase"]:
            title = _("%(name)s: phase %(phase)s") % {
                "name": r["name"],
                "phase": phases.get(r["phase"], r["phase"]),
            }
        elif r["history_type"] == "~" and r["prev_status"] != r["status"]:
            title = _("%(name)s: status %(status)s") % {
                "name": r["name"],
                "status": statuses.get(r["status"], r["status"]) or _("none"),
            }
        else:
            continue
        found.append(
            {
                "title": title,
                "description": title,
                "link": reverse("portal:project", args=[r["current_slug"]]),
                "guid": f"samarbeid:project-change:{r['history_id']}",
                "date": r["history_date"],
            }
        )
        if len(found) >= limit:
            break
    return found
