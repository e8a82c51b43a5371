"""Read-only JSON for other systems (e.g. a municipality's case archive): who takes part
in a referral, who waits for whom, and why. Mount with
`api.add_router("/governance/", "governance.api.router")` in samarbeid/api.py."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.security import django_auth

from governance import selectors
from governance.models import Referral
from projects.analytics.cache import cached
from samarbeid.common.json_api import encode, json_response
from samarbeid.common.kept import keep_for_session

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
                        "municipalities": sorted(m.name for m in c.municipality_rows),
                        "minimum": c.minimum,
                        "text": c.describe(),
                    }
                    for c in row.decision.condition_rows
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


class ReferralPage(Schema):
    """One page of the list, as the portal API's lists: `next` and `previous` are the
    addresses of the neighbouring pages (null at either end)."""

    items: list[ReferralOut]
    count: int
    next: str | None = None
    previous: str | None = None


class Paging(Schema):
    limit: int = Field(PAGE_SIZE, ge=1, le=MAX_LIMIT, description=f"At most {MAX_LIMIT}.")
    offset: int = Field(0, ge=0)


def _page_url(base: str, offset: int, limit: int) -> str:
    return f"{base}?{urlencode({'limit': limit, 'offset': offset})}"


def _referral_page(base: str, offset: int, limit: int) -> bytes:
    """The page as JSON: counted, its referrals read and resolved (fixed queries) and
    checked against `ReferralPage`."""
    queryset = selectors.open_referrals_queryset()
    count = queryset.count()
    rows = queryset[offset : offset + limit] if offset < count else []
    page = {
        "items": [_out(r) for r in selectors.annotate_rows(rows)],
        "count": count,
        "next": _page_url(base, offset + limit, limit) if offset + limit < count else None,
        "previous": _page_url(base, max(offset - limit, 0), limit) if offset else None,
    }
    return encode(ReferralPage, page)


@router.get("/referrals", response=ReferralPage)
def open_referrals(request: HttpRequest, paging: Query[Paging]):
    """Open referrals, soonest deadline first, each council's decision and the resolution,
    a page at a time: `?limit=` (default 50, at most 100) and `?offset=`, the total `count`
    and the `next`/`previous` page."""
    base = request.build_absolute_uri(request.path)
    # The page depends only on the data and the day (overdue): read, resolved and encoded
    # once per data version (an edit shows on the next request), not per request.
    body = cached(
        "governance-api-referrals",
        (base, timezone.localdate(), paging.offset, paging.limit),
        lambda: _referral_page(base, paging.offset, paging.limit),
    )
    return keep_for_session(json_response(body))


@router.get("/referrals/{referral_id}", response=ReferralOut)
def referral(request, referral_id: int):
    get_object_or_404(Referral, pk=referral_id)
    return _out(selectors.referral_with_rows(referral_id))
