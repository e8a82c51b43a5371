"""Reads of the open-data API, feeds and bulk data: only what the public may see.

Every read starts from `projects.selectors.public_projects` or
`governance.selectors.public_cases`, reads plain values (`.values()`) and joins related
rows with one query per relation for a whole page, so a page costs the same number of
queries whatever its size. Nothing here reads e-mail addresses or phone numbers, and the
only people named are board members (office holders).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.urls import reverse

from governance import selectors as governance_selectors
from governance.models import BoardSeat, CaseDocument, CouncilDecision, Referral
from governance.models import Case as BoardCase
from members import selectors as member_selectors
from members.models import (
    Cooperation,
    CooperationName,
    Membership,
    Municipality,
    MunicipalityEvent,
    Organisation,
)
from networks.models import Document, Network
from portal import network_selectors
from portal.models import ApiToken
from projects.models import (
    Deliverable,
    MoneyEntry,
    Participation,
    PhaseTransition,
    Project,
    SpinOff,
)
from projects.selectors import PHASE_ORDER, SORTS, overlaps_years, public_projects, search_condition

PROJECT_ORDERINGS = tuple(SORTS)


class UnknownFilterValue(LookupError):
    """A filter names something that does not exist; `field` is the query parameter."""

    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field = field_name
        self.message = message


# --- small shapes ---------------------------------------------------------------------------


def municipality_ref(pk: int | None, number: str | None, name: str | None) -> dict | None:
    if pk is None:
        return None
    return {"id": pk, "number": number, "name": name}


def organisation_ref(pk: int | None, name: str | None) -> dict | None:
    return None if pk is None else {"id": pk, "name": name}


# --- cooperations (Popolo organizations) ------------------------------------------------------


def cooperations() -> list[dict]:
    rows = list(
        Cooperation.objects.order_by("name").values(
            "id", "slug", "name", "short_name", "founded", "purpose", "website"
        )
    )
    names: dict[int, list[dict]] = {}
    for n in CooperationName.objects.order_by("valid_from").values(
        "cooperation_id", "name", "short_name", "valid_from", "valid_to"
    ):
        names.setdefault(n["cooperation_id"], []).append(
            {
                "name": n["name"],
                "short_name": n["short_name"],
                "start_date": n["valid_from"],
                "end_date": n["valid_to"],
            }
        )
    return [
        {
            "id": row["slug"],
            "name": row["name"],
            "short_name": row["short_name"],
            "classification": "intermunicipal_cooperation",
            "founding_date": row["founded"],
            "description": row["purpose"],
            "website": row["website"],
            "other_names": names.get(row["id"], []),
        }
        for row in rows
    ]


def cooperation_pk(slug: str) -> int | None:
    return Cooperation.objects.filter(slug=slug).values_list("pk", flat=True).first()


def cooperation_or_error(slug: str | None, field_name: str = "cooperation") -> int | None:
    """The id of the cooperation with this slug; None for no filter; raises for an unknown."""
    if not slug:
        return None
    pk = cooperation_pk(slug)
    if pk is None:
        raise UnknownFilterValue(field_name, f"Unknown cooperation “{slug}”.")
    return pk


def memberships(cooperation_id: int) -> QuerySet[Membership, Any]:
    return (
        Membership.objects.filter(cooperation_id=cooperation_id)
        .order_by("joined", "municipality__name", "pk")
        .values(
            "id",
            "role",
            "joined",
            "left",
            "cooperation__slug",
            "municipality_id",
            "municipality__number",
            "municipality__name",
        )
    )


def membership_out(row: dict) -> dict:
    return {
        "id": f"membership-{row['id']}",
        "organization_id": row["cooperation__slug"],
        "member": {
            "type": "organization",
            "classification": "municipality",
            **municipality_ref(  # type: ignore[dict-item]
                row["municipality_id"], row["municipality__number"], row["municipality__name"]
            ),
        },
        "role": row["role"],
        "start_date": row["joined"],
        "end_date": row["left"],
    }


def board_posts(cooperation_id: int) -> QuerySet[BoardSeat, Any]:
    return (
        BoardSeat.objects.filter(cooperation_id=cooperation_id)
        .order_by(F("start").asc(nulls_first=True), "-voting", "role", "pk")
        .values(
            "id",
            "role",
            "label",
            "voting",
            "start",
            "end",
            "cooperation__slug",
            "person__name",
            "municipality_id",
            "municipality__number",
            "municipality__name",
            "organisation_id",
            "organisation__name",
        )
    )


def post_out(row: dict) -> dict:
    """A board seat as a Popolo post with its holder's membership (a name, nothing more)."""
    on_behalf_of = municipality_ref(
        row["municipality_id"], row["municipality__number"], row["municipality__name"]
    ) or organisation_ref(row["organisation_id"], row["organisation__name"])
    holder = row["person__name"]
    return {
        "id": f"post-{row['id']}",
        "organization_id": row["cooperation__slug"],
        "label": row["label"] or holder or row["role"],
        "role": row["role"],
        "voting": row["voting"],
        "start_date": row["start"],
        "end_date": row["end"],
        "on_behalf_of": on_behalf_of,
        "memberships": [
            {
                "person": {"name": holder},
                "start_date": row["start"],
                "end_date": row["end"],
            }
        ]
        if holder
        else [],
    }


# --- municipalities ----------------------------------------------------------------------------

MUNICIPALITY_FIELDS = (
    "id",
    "number",
    "name",
    "county_number",
    "county_name",
    "valid_from",
    "valid_to",
)


def municipalities(
    *, on: dt.date | None, county: str | None, q: str | None
) -> QuerySet[Municipality, Any]:
    qs = Municipality.objects.all()
    if on is not None:
        qs = qs.filter(valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
    if county:
        qs = qs.filter(county_number=county)
    if q and q.strip():
        qs = qs.filter(Q(name__icontains=q.strip()) | Q(number=q.strip()))
    return qs.order_by("number", "valid_from").values(*MUNICIPALITY_FIELDS)


def _plain(m: Municipality) -> dict:
    return {f: getattr(m, f) for f in MUNICIPALITY_FIELDS}


def municipality_detail(number: str, on: dt.date) -> dict | None:
    """The identity with this number on `on` (else the latest that had it), its history,
    predecessors and successors. None when no identity ever had the number."""
    if not number.isdigit():
        return None
    try:
        found = member_selectors.municipality_for_number(number, on)
    except member_selectors.UnknownMunicipality:
        return None
    graph = member_selectors.SuccessionGraph()
    events = (
        MunicipalityEvent.objects.filter(Q(predecessors=found) | Q(successors=found))
        .distinct()
        .prefetch_related("predecessors", "successors")
        .order_by("date", "pk")
    )
    return {
        **_plain(found),
        "asked_for": {"number": number.zfill(4), "on": on},
        "valid_on_date": found.valid_on(on),
        "predecessors": [_plain(m) for m in graph.predecessors(found)],
        "successors": [_plain(m) for m in graph.successors(found, max(on, dt.date.today()))],
        "identities": [
            _plain(m)
            for m in Municipality.objects.filter(number=found.number).order_by("valid_from")
        ],
        "events": [
            {
                "kind": e.kind,
                "date": e.date,
                "note": e.note,
                "predecessors": [_plain(m) for m in e.predecessors.all()],
                "successors": [_plain(m) for m in e.successors.all()],
            }
            for e in events
        ],
    }


def municipality_ids_for(number: str, field_name: str = "municipality") -> list[int]:
    """The identity with this number today (else the latest) and all its predecessors."""
    try:
        found = member_selectors.municipality_for_number(number, dt.date.today())
    except member_selectors.UnknownMunicipality:
        raise UnknownFilterValue(field_name, f"Unknown municipality number “{number}”.") from None
    return member_selectors.identities_of([found])


# --- organisations ----------------------------------------------------------------------------

ORGANISATION_FIELDS = (
    "id",
    "name",
    "abbreviation",
    "kind",
    "description",
    "website",
    "founded",
    "dissolved",
)


def organisations(*, kind: str | None, q: str | None) -> QuerySet[Organisation, Any]:
    qs = Organisation.objects.all()
    if kind:
        qs = qs.filter(kind=kind)
    if q and q.strip():
        qs = qs.filter(Q(name__icontains=q.strip()) | Q(abbreviation__icontains=q.strip()))
    return qs.order_by("name", "pk").values(*ORGANISATION_FIELDS)


# --- projects -----------------------------------------------------------------------------------

PROJECT_STATE_FIELDS = (
    "category",
    "phase",
    "status",
    "result",
    "start_date",
    "start_precision",
    "end_date",
    "end_precision",
    "open_ended",
)
PROJECT_FIELDS = (
    "id",
    "slug",
    "name",
    "short_name",
    "cooperation__slug",
    *PROJECT_STATE_FIELDS,
    "host_municipality_id",
    "host_municipality__number",
    "host_municipality__name",
    "updated_at",
)


DELIVERABLE_FIELDS = ("kind", "title", "due_date", "delivered_date")
PHASE_FIELDS = ("phase", "date", "precision", "note")


@dataclass
class ProjectQuery:
    cooperation: str | None = None
    municipality: str | None = None
    phase: Sequence[str] = ()
    status: Sequence[str] = ()
    category: Sequence[str] = ()
    year_from: int | None = None
    year_to: int | None = None
    q: str | None = None
    ordering: str = "name"
    extra: dict[str, Any] = field(default_factory=dict)


def _phase_rank() -> Case:
    return Case(
        *[When(phase=value, then=Value(i)) for i, value in enumerate(PHASE_ORDER)],
        default=Value(len(PHASE_ORDER)),
        output_field=IntegerField(),
    )


def projects(query: ProjectQuery) -> QuerySet[Project, Any]:
    """Public projects narrowed by the query, as plain values. Raises UnknownFilterValue."""
    coop = cooperation_or_error(query.cooperation)
    qs = public_projects()
    if coop is not None:
        qs = qs.filter(cooperation_id=coop)
    if query.municipality:
        ids = municipality_ids_for(query.municipality)
        qs = qs.filter(
            Exists(Participation.objects.filter(project=OuterRef("pk"), municipality_id__in=ids))
            | Q(host_municipality_id__in=ids)
            | Q(owner_municipality_id__in=ids)
        )
    if query.phase:
        qs = qs.filter(phase__in=query.phase)
    if query.status:
        qs = qs.filter(status__in=query.status)
    if query.category:
        qs = qs.filter(category__in=query.category)
    if query.year_from is not None or query.year_to is not None:
        qs = qs.filter(overlaps_years(query.year_from, query.year_to))
    if query.q and query.q.strip():
        qs = qs.filter(search_condition(query.q))
    order = SORTS.get(query.ordering, SORTS["name"])
    if query.ordering in ("phase", "-phase"):
        qs = qs.annotate(phase_rank=_phase_rank())
    return qs.order_by(*order).values(*PROJECT_FIELDS)


def project_out(row: dict) -> dict:
    return {
        "id": row["id"],
        "slug": row["slug"],
        "name": row["name"],
        "short_name": row["short_name"],
        "cooperation": row["cooperation__slug"],
        "category": row["category"],
        "phase": row["phase"],
        "status": row["status"],
        "result": row["result"],
        "start_date": row["start_date"],
        "start_precision": row["start_precision"],
        "end_date": row["end_date"],
        "end_precision": row["end_precision"],
        "open_ended": row["open_ended"],
        "host_municipality": municipality_ref(
            row["host_municipality_id"],
            row["host_municipality__number"],
            row["host_municipality__name"],
        ),
        "updated_at": row["updated_at"],
    }


def of_public_projects(model: type[Any]) -> QuerySet[Any]:
    """Rows (participations, money, deliverables …) of the public projects."""
    return model.objects.filter(project__in=public_projects())


def _amount(value: Any) -> float | None:
    return None if value is None else float(value)


def project_detail(pk: int) -> dict | None:
    """One public project with its participants, money, deliverables, spin-offs, phase
    timeline and public board cases (8 queries); None when it is not public."""
    row = public_projects().filter(pk=pk).values(*PROJECT_FIELDS, "description").first()
    if row is None:
        return None
    out = project_out(row)
    out["description"] = row["description"]
    out["participations"] = [
        {
            "municipality": municipality_ref(
                p["municipality_id"], p["municipality__number"], p["municipality__name"]
            ),
            "organisation": organisation_ref(p["organisation_id"], p["organisation__name"]),
            "role": p["role"],
            "start_date": p["joined"],
            "end_date": p["left"],
            "note": p["note"],
        }
        for p in of_public_projects(Participation)
        .filter(project_id=pk)
        .order_by(F("municipality__name").asc(nulls_last=True), "organisation__name", "pk")
        .values(
            "municipality_id",
            "municipality__number",
            "municipality__name",
            "organisation_id",
            "organisation__name",
            "role",
            "joined",
            "left",
            "note",
        )
    ]
    out["money"] = [
        {
            "kind": m["kind"],
            "benefit_category": m["benefit_category"],
            "certainty": m["certainty"],
            "amount_nok": _amount(m["amount_nok"]),
            "approximate": m["approximate"],
            "funder": organisation_ref(m["funder_id"], m["funder__name"]),
            "municipality": municipality_ref(
                m["municipality_id"], m["municipality__number"], m["municipality__name"]
            ),
            "year_from": m["year_from"],
            "year_to": m["year_to"],
            "purpose": m["purpose"],
        }
        for m in of_public_projects(MoneyEntry)
        .filter(project_id=pk)
        .order_by("kind", "year_from", "pk")
        .values(
            "kind",
            "benefit_category",
            "certainty",
            "amount_nok",
            "approximate",
            "funder_id",
            "funder__name",
            "municipality_id",
            "municipality__number",
            "municipality__name",
            "year_from",
            "year_to",
            "purpose",
        )
    ]
    out["deliverables"] = list(
        of_public_projects(Deliverable)
        .filter(project_id=pk)
        .order_by("due_date", "pk")
        .values(*DELIVERABLE_FIELDS)
    )
    out["spin_offs"] = [
        {
            "kind": s["kind"],
            "name": s["name"],
            "date": s["date"],
            "description": s["description"],
            "organisation": organisation_ref(s["organisation_id"], s["organisation__name"]),
            "host_municipality": municipality_ref(
                s["host_municipality_id"],
                s["host_municipality__number"],
                s["host_municipality__name"],
            ),
        }
        for s in of_public_projects(SpinOff)
        .filter(project_id=pk)
        .order_by("date", "pk")
        .values(
            "kind",
            "name",
            "date",
            "description",
            "organisation_id",
            "organisation__name",
            "host_municipality_id",
            "host_municipality__number",
            "host_municipality__name",
        )
    ]
    out["phases"] = list(
        of_public_projects(PhaseTransition)
        .filter(project_id=pk)
        .order_by(F("date").asc(nulls_first=True), "pk")
        .values(*PHASE_FIELDS)
    )
    out["board_cases"] = list(
        governance_selectors.public_cases()
        .filter(projects=pk)
        .order_by("number")
        .values("id", "number", "title")
    )
    return out


# --- cases, referrals and council decisions -------------------------------------------------------

CASE_FIELDS = (
    "id",
    "number",
    "title",
    "cooperation__slug",
    "meeting__date",
    "proposal",
    "decision_text",
    "outcome",
)


def cases(
    *, cooperation: str | None, outcome: str | None, q: str | None
) -> QuerySet[BoardCase, Any]:
    coop = cooperation_or_error(cooperation)
    qs = governance_selectors.public_cases()
    if coop is not None:
        qs = qs.filter(cooperation_id=coop)
    if outcome:
        qs = qs.filter(outcome=outcome)
    if q and q.strip():
        qs = qs.filter(Q(title__icontains=q.strip()) | Q(number__icontains=q.strip()))
    return qs.order_by(F("meeting__date").desc(nulls_last=True), "-pk").values(*CASE_FIELDS)


def case_out(row: dict, projects_by_case: dict[int, list[dict]]) -> dict:
    return {
        "id": row["id"],
        "number": row["number"],
        "title": row["title"],
        "cooperation": row["cooperation__slug"],
        "meeting_date": row["meeting__date"],
        "proposal": row["proposal"],
        "decision_text": row["decision_text"],
        "outcome": row["outcome"],
        "projects": projects_by_case.get(row["id"], []),
    }


def case_projects(case_ids: Iterable[int]) -> dict[int, list[dict]]:
    """The public projects of these cases, by case (one query)."""
    through = BoardCase.projects.through
    found: dict[int, list[dict]] = {}
    for r in (
        through.objects.filter(case_id__in=list(case_ids), project__is_public=True)
        .order_by("project__name")
        .values("case_id", "project_id", "project__name")
    ):
        found.setdefault(r["case_id"], []).append(
            {"id": r["project_id"], "name": r["project__name"]}
        )
    return found


def case_detail(pk: int) -> dict | None:
    row = governance_selectors.public_cases().filter(pk=pk).values(*CASE_FIELDS).first()
    if row is None:
        return None
    out = case_out(row, case_projects([pk]))
    out["documents"] = list(
        CaseDocument.objects.filter(case_id=pk, is_public=True, case__is_public=True)
        .order_by("title", "pk")
        .values("id", "title")
    )
    referrals = governance_selectors.annotate_rows(
        public_referrals().filter(case_id=pk).order_by("-referred_on", "-pk")
    )
    out["referrals"] = [referral_out(r) for r in referrals]
    return out


def public_referral_rows() -> QuerySet[Referral]:
    """Referrals of public cases (the API's and the bulk download's base)."""
    return Referral.objects.filter(case__in=governance_selectors.public_cases())


def public_referrals() -> QuerySet[Referral]:
    """Referrals of public cases, their decisions prefetched for the resolution."""
    return governance_selectors._with_decisions(public_referral_rows())


def public_council_decisions() -> QuerySet[CouncilDecision]:
    """The councils' answers to referrals of public cases."""
    return CouncilDecision.objects.filter(referral__case__in=governance_selectors.public_cases())


def referrals(*, cooperation: str | None, open_only: bool | None) -> QuerySet[Referral]:
    coop = cooperation_or_error(cooperation)
    qs = public_referrals()
    if coop is not None:
        qs = qs.filter(case__cooperation_id=coop)
    if open_only is not None:
        qs = qs.filter(closed_on__isnull=open_only)
    return qs.order_by("-referred_on", "-pk")


def decision_out(row: governance_selectors.Row, names: dict[int, str]) -> dict:
    d = row.decision
    return {
        "id": d.pk,
        "referral_id": d.referral_id,
        "municipality": municipality_ref(
            d.municipality_id, d.municipality.number, d.municipality.name
        ),
        "outcome": d.outcome,
        "date": d.date,
        "decision_text": d.decision_text,
        "council_reference": d.council_reference,
        "conditions_text": d.conditions_text,
        "conditions": [
            {
                "kind": c.kind,
                "municipalities": sorted(m.name for m in c.municipalities.all()),
                "minimum": c.minimum,
            }
            for c in d.conditions.all()
        ],
        "resolution": {
            "state": row.status.state,
            "reason": str(row.status.reason),
            "waits_for": [names[k] for k in row.status.waits_for if k in names],
            "overdue": row.overdue,
        },
    }


def referral_out(resolved: governance_selectors.ResolvedReferral) -> dict:
    referral = resolved.referral
    names = {r.decision.municipality_id: r.decision.municipality.name for r in resolved.rows}
    return {
        "id": referral.pk,
        "case": {
            "id": referral.case.pk,
            "number": referral.case.number,
            "title": referral.case.title,
        },
        "referred_on": referral.referred_on,
        "deadline": referral.deadline,
        "closed_on": referral.closed_on,
        "established_on": referral.established_on,
        "counts": resolved.counts,
        "decisions": [decision_out(row, names) for row in resolved.rows],
    }


def council_decisions(
    *, cooperation: str | None, municipality: str | None, outcome: str | None
) -> QuerySet[CouncilDecision]:
    coop = cooperation_or_error(cooperation)
    qs = public_council_decisions()
    if coop is not None:
        qs = qs.filter(referral__case__cooperation_id=coop)
    if municipality:
        qs = qs.filter(municipality_id__in=municipality_ids_for(municipality))
    if outcome:
        qs = qs.filter(outcome=outcome)
    return qs.order_by(F("date").desc(nulls_last=True), "-referral__referred_on", "pk")


def council_decisions_out(page: Sequence[CouncilDecision]) -> list[dict]:
    """The page's decisions, each with the resolution of its referral (fixed queries)."""
    referral_ids = {d.referral_id for d in page}
    resolved = governance_selectors.annotate_rows(
        governance_selectors._with_decisions(Referral.objects.filter(pk__in=referral_ids))
    )
    by_decision: dict[int, dict] = {}
    for r in resolved:
        names = {row.decision.municipality_id: row.decision.municipality.name for row in r.rows}
        case = {
            "id": r.referral.case.pk,
            "number": r.referral.case.number,
            "title": r.referral.case.title,
        }
        for row in r.rows:
            by_decision[row.decision.pk] = {**decision_out(row, names), "case": case}
    return [by_decision[d.pk] for d in page if d.pk in by_decision]


def council_decision_for_write(pk: int) -> CouncilDecision | None:
    return (
        CouncilDecision.objects.select_related("referral", "referral__case", "municipality")
        .filter(pk=pk)
        .first()
    )


def council_decision_out(pk: int) -> dict | None:
    decision = CouncilDecision.objects.filter(pk=pk).only("pk", "referral_id").first()
    if decision is None:
        return None
    return next(iter(council_decisions_out([decision])), None)


def project_for_write(pk: int) -> Project | None:
    return Project.objects.filter(pk=pk).first()


# --- the user's API tokens ------------------------------------------------------------------------


def user_tokens(user: Any) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user_id=user.pk).order_by("-created_at", "-pk")


def user_token(user: Any, pk: int) -> ApiToken | None:
    return user_tokens(user).filter(pk=pk).first()


# --- networks and their public documents ----------------------------------------------------


def network_query(
    *,
    cooperation: str | None,
    status: str | None,
    municipality: str | None,
    q: str | None,
    ordering: str,
) -> QuerySet[Network]:
    """Networks narrowed by the API's filters. Raises UnknownFilterValue."""
    ids = municipality_ids_for(municipality) if municipality else None
    return network_selectors.networks(
        cooperation_id=cooperation_or_error(cooperation),
        status=status,
        municipality_ids=ids,
        q=q,
        ordering=ordering,
    )


def networks_out(page: Sequence[Network]) -> list[dict]:
    """A page of networks with their members over time (one more query)."""
    by_network = network_selectors.memberships_of(n.pk for n in page)
    return [
        {
            "id": n.pk,
            "slug": n.slug,
            "name": n.name,
            "cooperation": n.cooperation.slug,
            "field": n.field,
            "status": n.status,
            "started": n.started,
            "description": n.description,
            "coordinator": {"name": n.coordinator.name} if n.coordinator is not None else None,
            "public_document_count": n.public_document_count,  # type: ignore[attr-defined]
            "memberships": [
                {
                    "municipality": municipality_ref(
                        m.municipality_id,
                        m.municipality.number if m.municipality else None,
                        m.municipality.name if m.municipality else None,
                    ),
                    "organisation": organisation_ref(
                        m.organisation_id, m.organisation.name if m.organisation else None
                    ),
                    "start_date": m.start,
                    "end_date": m.end,
                }
                for m in by_network.get(n.pk, [])
            ],
        }
        for n in page
    ]


def network_documents(
    *, network: str | None, kind: str | None, q: str | None, ordering: str
) -> QuerySet[Document]:
    """Public documents, of one network (its slug) or all. Raises UnknownFilterValue."""
    ids = None
    if network:
        ids = list(network_selectors.networks().filter(slug=network).values_list("pk", flat=True))
        if not ids:
            raise UnknownFilterValue("network", f"Unknown network “{network}”.")
    return network_selectors.documents(network_ids=ids, kind=kind, q=q, ordering=ordering)


def network_documents_out(page: Sequence[Document], absolute: Callable[[str], str]) -> list[dict]:
    """A page of public documents with their versions (one more query); each version's
    `url` is the portal's download, which checks again that the document is public."""
    versions = network_selectors.versions_of(d.pk for d in page)
    return [
        {
            "id": d.pk,
            "title": d.title,
            "kind": d.kind,
            "network": {"id": d.network.pk, "slug": d.network.slug, "name": d.network.name},
            "tags": [t.name for t in d.tags.all()],
            "updated_at": d.updated_at,
            "versions": [
                {
                    "number": v.number,
                    "uploaded_at": v.uploaded_at,
                    "file_kind": v.file_kind,
                    "size": v.size,
                    "change_note": v.change_note,
                    "url": absolute(reverse("portal:network_file", args=[v.pk])),
                }
                for v in versions.get(d.pk, [])
            ],
        }
        for d in page
    ]
