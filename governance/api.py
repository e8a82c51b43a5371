"""Read-only JSON for other systems (e.g. a municipality's case archive): who takes part
in a referral, who waits for whom, and why. Mount with
`api.add_router("/governance/", "governance.api.router")` in samarbeid/api.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import PaginationBase, paginate
from ninja.security import django_auth

from governance import selectors
from governance.models import Referral

router = Router(tags=["governance"], auth=django_auth)


class ConditionOut(Schema):
    kind: str
    municipalities: list[str]
    minimum: int | None
    text: str


class DecisionOut(Schema):
    municipality: str
    municipality_number: str
    outcome: str
    date: dt.date | None
    decision_text: str
    council_reference: str
    conditions: list[ConditionOut]
    conditions_text: str
    state: str  # committed / not_committed / waiting
    reason: str
    waits_for: list[str]
    overdue: bool


class ReferralOut(Schema):
    id: int
    case_number: str
    case_title: str
    referred_on: dt.date
    deadline: dt.date | None
    closed_on: dt.date | None
    established_on: dt.date | None
    decisions: list[DecisionOut]


def _out(resolved: selectors.ResolvedReferral) -> dict:
    referral = resolved.referral
    names = {r.decision.municipality_id: r.decision.municipality.name for r in resolved.rows}
    return {
        "id": referral.pk,
        "case_number": referral.case.number,
        "case_title": referral.case.title,
        "referred_on": referral.referred_on,
        "deadline": referral.deadline,
        "closed_on": referral.closed_on,
        "established_on": referral.established_on,
        "decisions": [
            {
                "municipality": row.decision.municipality.name,
                "municipality_number": row.decision.municipality.number,
                "outcome": row.decision.outcome,
                "date": row.decision.date,
                "decision_text": row.decision.decision_text,
                "council_reference": row.decision.council_reference,
                "conditions": [
                    {
                        "kind": c.kind,
                        "municipalities": sorted(m.name for m in c.municipalities.all()),
                        "minimum": c.minimum,
                        "text": c.describe(),
                    }
                    for c in row.decision.conditions.all()
                ],
                "conditions_text": row.decision.conditions_text,
                "state": row.status.state,
                "reason": row.status.reason,
                "waits_for": [names[k] for k in row.status.waits_for if k in names],
                "overdue": row.overdue,
            }
            for row in resolved.rows
        ],
    }


PAGE_SIZE = 50
MAX_LIMIT = 100


class ReferralPagination(PaginationBase):
    """`?limit=` (default 50, at most 100) and `?offset=`; the answer holds `items` and the
    total `count`. Only the page's referrals are read and resolved."""

    class Input(Schema):
        limit: int = Field(PAGE_SIZE, ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0)

    class Output(Schema):
        items: list[Any]
        count: int

    def paginate_queryset(
        self, queryset: QuerySet[Referral], pagination: Input, request, **params
    ) -> dict:
        end = pagination.offset + pagination.limit
        page = selectors.annotate_rows(queryset[pagination.offset : end])
        return {"items": [_out(r) for r in page], "count": queryset.count()}


@router.get("/referrals", response=list[ReferralOut])
@paginate(ReferralPagination)
def open_referrals(request):
    """Open referrals, soonest deadline first, each council's decision and the resolution,
    a page at a time (fixed query count)."""
    return selectors.open_referrals_queryset()


@router.get("/referrals/{referral_id}", response=ReferralOut)
def referral(request, referral_id: int):
    get_object_or_404(Referral, pk=referral_id)
    return _out(selectors.referral_with_rows(referral_id))
