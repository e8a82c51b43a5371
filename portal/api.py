"""The open-data API, version 1 (mounted at /api/v1/; OpenAPI at /api/docs).

Reads are anonymous and show only what the public may see (see portal.api_selectors).
Writes need a personal API token (`Authorization: Bearer smb_…`) and have exactly the
permissions of the pages: the secretariat edits projects; the secretariat or the
municipality's contact records a council decision. See docs/api.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja import Status as Answer
from ninja.decorators import decorate_view
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer
from pydantic import create_model

from governance.models import Case as BoardCase
from governance.models import CouncilDecision
from members.models import Membership, Organisation
from networks.models import Document as NetworkDocument
from networks.models import Network
from portal import api_selectors as sel
from portal import network_selectors
from portal.conditional import conditional
from portal.services import api_token_authenticate
from projects import services as project_services
from projects.models import Project

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
MAX_PAGE = 100_000


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`: a personal API token that is not revoked."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = api_token_authenticate(token)
        if found is None:
            return None
        request.user = found.user
        return found.user


token_auth = TokenAuth()
router = Router(tags=["open data"])


def _choices(model_choices: Any) -> Any:
    return Literal[tuple(model_choices.values)]


Category = _choices(Project.Category)
Phase = _choices(Project.Phase)
Status = _choices(Project.Status)
Precision = Literal["year", "month", "day"]
Ordering = Literal[tuple(sel.PROJECT_ORDERINGS)]  # type: ignore[valid-type]
CaseOutcome = _choices(BoardCase.Outcome)
DecisionOutcome = _choices(CouncilDecision.Outcome)
OrganisationKind = _choices(Organisation.Kind)
NetworkStatus = _choices(Network.Status)
DocumentKind = _choices(NetworkDocument.Kind)
NetworkOrdering = Literal[tuple(network_selectors.NETWORK_ORDERINGS)]  # type: ignore[valid-type]
DocumentOrdering = Literal[tuple(network_selectors.DOCUMENT_ORDERINGS)]  # type: ignore[valid-type]


# --- schemas ------------------------------------------------------------------------------


class Error(Schema):
    detail: Any


class MunicipalityRef(Schema):
    id: int
    number: str
    name: str


class OrganisationRef(Schema):
    id: int
    name: str


class OtherName(Schema):
    name: str
    short_name: str
    start_date: dt.date
    end_date: dt.date | None


class CooperationOut(Schema):
    """A Popolo organization."""

    id: str = Field(description="The cooperation's slug: organization_id elsewhere.")
    name: str
    short_name: str
    classification: str
    founding_date: dt.date | None
    description: str
    website: str
    other_names: list[OtherName]


class MemberOut(Schema):
    type: str
    classification: str
    id: int
    number: str
    name: str


class MembershipOut(Schema):
    """A Popolo membership of a municipality (an organization) in the cooperation."""

    id: str
    organization_id: str
    member: MemberOut
    role: _choices(Membership.Role)  # type: ignore[valid-type]
    start_date: dt.date
    end_date: dt.date | None


class PersonRef(Schema):
    name: str


class PostMembership(Schema):
    person: PersonRef
    start_date: dt.date | None
    end_date: dt.date | None


class PostOut(Schema):
    """A board seat as a Popolo post; `memberships` name its holder (an office holder)."""

    id: str
    organization_id: str
    label: str
    role: str
    voting: bool
    start_date: dt.date | None
    end_date: dt.date | None
    on_behalf_of: MunicipalityRef | OrganisationRef | None
    memberships: list[PostMembership]


class MunicipalityOut(Schema):
    id: int
    number: str
    name: str
    county_number: str
    county_name: str
    valid_from: dt.date
    valid_to: dt.date | None


class AskedFor(Schema):
    number: str
    on: dt.date


class MunicipalityEventOut(Schema):
    kind: str
    date: dt.date
    note: str
    predecessors: list[MunicipalityOut]
    successors: list[MunicipalityOut]


class MunicipalityDetail(MunicipalityOut):
    asked_for: AskedFor
    valid_on_date: bool
    predecessors: list[MunicipalityOut]
    successors: list[MunicipalityOut]
    identities: list[MunicipalityOut]
    events: list[MunicipalityEventOut]


class OrganisationOut(Schema):
    id: int
    name: str
    abbreviation: str
    kind: str
    description: str
    website: str
    founded: dt.date | None
    dissolved: dt.date | None


class ProjectOut(Schema):
    id: int
    slug: str
    name: str
    short_name: str
    cooperation: str
    category: str
    phase: str
    status: str
    result: str
    start_date: dt.date | None
    start_precision: str
    end_date: dt.date | None
    end_precision: str
    open_ended: bool
    host_municipality: MunicipalityRef | None
    updated_at: dt.datetime


class ParticipationOut(Schema):
    municipality: MunicipalityRef | None
    organisation: OrganisationRef | None
    role: str
    start_date: dt.date | None
    end_date: dt.date | None
    note: str


class MoneyOut(Schema):
    kind: str
    benefit_category: str
    certainty: str
    amount_nok: float | None
    approximate: bool
    funder: OrganisationRef | None
    municipality: MunicipalityRef | None
    year_from: int | None
    year_to: int | None
    purpose: str


class DeliverableOut(Schema):
    kind: str
    title: str
    due_date: dt.date | None
    delivered_date: dt.date | None


class SpinOffOut(Schema):
    kind: str
    name: str
    date: dt.date | None
    description: str
    organisation: OrganisationRef | None
    host_municipality: MunicipalityRef | None


class PhaseOut(Schema):
    phase: str
    date: dt.date | None
    precision: str
    note: str


class CaseRef(Schema):
    id: int
    number: str
    title: str


class ProjectDetail(ProjectOut):
    description: str
    participations: list[ParticipationOut]
    money: list[MoneyOut]
    deliverables: list[DeliverableOut]
    spin_offs: list[SpinOffOut]
    phases: list[PhaseOut]
    board_cases: list[CaseRef]


class ProjectRef(Schema):
    id: int
    name: str


class PublicConditionOut(Schema):
    kind: str
    municipalities: list[str]
    minimum: int | None


class ResolutionOut(Schema):
    state: Literal["committed", "not_committed", "waiting"]
    reason: str
    waits_for: list[str]
    overdue: bool


class PublicDecisionOut(Schema):
    id: int
    referral_id: int
    municipality: MunicipalityRef
    outcome: str
    date: dt.date | None
    decision_text: str
    council_reference: str
    conditions_text: str
    conditions: list[PublicConditionOut]
    resolution: ResolutionOut


class CouncilDecisionOut(PublicDecisionOut):
    case: CaseRef


class PublicReferralOut(Schema):
    id: int
    case: CaseRef
    referred_on: dt.date
    deadline: dt.date | None
    closed_on: dt.date | None
    established_on: dt.date | None
    counts: dict[str, int]
    decisions: list[PublicDecisionOut]


class CaseOut(Schema):
    id: int
    number: str
    title: str
    cooperation: str
    meeting_date: dt.date | None
    proposal: str
    decision_text: str
    outcome: str
    projects: list[ProjectRef]


class CaseDocumentOut(Schema):
    id: int
    title: str


class CaseDetail(CaseOut):
    documents: list[CaseDocumentOut]
    referrals: list[PublicReferralOut]


def page_of(item: type[Schema]) -> type[Schema]:
    return create_model(
        f"{item.__name__}Page",
        __base__=Schema,
        items=(list[item], ...),  # type: ignore[valid-type]
        count=(int, ...),
        next=(str | None, None),
        previous=(str | None, None),
    )


class Paging(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(
        DEFAULT_PAGE_SIZE, ge=1, description=f"At most {MAX_PAGE_SIZE}; more is capped."
    )


def _page_url(request: HttpRequest, page: int) -> str:
    params = request.GET.copy()
    params["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


def paginate(
    request: HttpRequest,
    queryset: Any,
    paging: Paging,
    out: Callable[[Sequence[Any]], list[dict]],
) -> dict:
    """`{items, count, next, previous}` for one page: a count and one read of the rows."""
    size = min(paging.page_size, MAX_PAGE_SIZE)
    offset = (paging.page - 1) * size
    count = queryset.count()
    rows = list(queryset[offset : offset + size]) if offset < count else []
    return {
        "items": out(rows),
        "count": count,
        "next": _page_url(request, paging.page + 1) if offset + size < count else None,
        "previous": _page_url(request, paging.page - 1) if paging.page > 1 else None,
    }


@contextmanager
def unknown_values_are_422() -> Iterator[None]:
    try:
        yield
    except sel.UnknownFilterValue as exc:
        raise NinjaValidationError(
            [{"loc": ["query", exc.field], "msg": exc.message, "type": "value_error"}]
        ) from None


def _not_found() -> HttpError:
    return HttpError(404, "Not Found")


NOT_FOUND: dict[int, Any] = {404: Error}
BAD_FILTER: dict[int, Any] = {422: Error}
cached = decorate_view(conditional())


# --- cooperations and members -------------------------------------------------------------


@router.get("/cooperations", response={200: list[CooperationOut], **BAD_FILTER})
@cached
def cooperations(request):
    """Every cooperation as a Popolo organization, with its names over time."""
    return sel.cooperations()


def _cooperation_pk(slug: str) -> int:
    pk = sel.cooperation_pk(slug)
    if pk is None:
        raise _not_found()
    return pk


@router.get("/cooperations/{slug}", response={200: CooperationOut, **NOT_FOUND, **BAD_FILTER})
@cached
def cooperation(request, slug: str):
    for found in sel.cooperations():
        if found["id"] == slug:
            return found
    raise _not_found()


@router.get(
    "/cooperations/{slug}/memberships",
    response={200: page_of(MembershipOut), **NOT_FOUND, **BAD_FILTER},
)
@cached
def memberships(request, slug: str, paging: Query[Paging]):
    """The member municipalities with their periods (Popolo memberships)."""
    qs = sel.memberships(_cooperation_pk(slug))
    return paginate(request, qs, paging, lambda rows: [sel.membership_out(r) for r in rows])


@router.get(
    "/cooperations/{slug}/posts",
    response={200: page_of(PostOut), **NOT_FOUND, **BAD_FILTER},
)
@cached
def posts(request, slug: str, paging: Query[Paging]):
    """The board's seats over time (Popolo posts) with the office holder's name."""
    qs = sel.board_posts(_cooperation_pk(slug))
    return paginate(request, qs, paging, lambda rows: [sel.post_out(r) for r in rows])


# --- municipalities and organisations -----------------------------------------------------


class MunicipalityFilter(Schema):
    on: dt.date | None = Field(None, description="Only identities valid on this day.")
    county: str | None = Field(None, pattern=r"^\d{2}$", description="County number, e.g. 39.")
    q: str | None = Field(None, max_length=100)


@router.get("/municipalities", response={200: page_of(MunicipalityOut), **BAD_FILTER})
@cached
def municipalities(request, filters: Query[MunicipalityFilter], paging: Query[Paging]):
    qs = sel.municipalities(on=filters.on, county=filters.county, q=filters.q)
    return paginate(request, qs, paging, list)


@router.get(
    "/municipalities/{number}",
    response={200: MunicipalityDetail, **NOT_FOUND, **BAD_FILTER},
)
@cached
def municipality(request, number: str, on: dt.date | None = None):
    """The identity with this number on `on` (default today; else the latest that had the
    number), its predecessors, successors, events and every identity that had the number."""
    found = sel.municipality_detail(number, on or dt.date.today())
    if found is None:
        raise _not_found()
    return found


class OrganisationFilter(Schema):
    kind: OrganisationKind | None = None  # type: ignore[valid-type]
    q: str | None = Field(None, max_length=100)


@router.get("/organisations", response={200: page_of(OrganisationOut), **BAD_FILTER})
@cached
def organisations(request, filters: Query[OrganisationFilter], paging: Query[Paging]):
    qs = sel.organisations(kind=filters.kind, q=filters.q)
    return paginate(request, qs, paging, list)


@router.get(
    "/organisations/{organisation_id}", response={200: OrganisationOut, **NOT_FOUND, **BAD_FILTER}
)
@cached
def organisation(request, organisation_id: int):
    found = sel.organisations(kind=None, q=None).filter(pk=organisation_id).first()
    if found is None:
        raise _not_found()
    return found


# --- projects -----------------------------------------------------------------------------


class ProjectFilter(Schema):
    cooperation: str | None = Field(None, description="The cooperation's slug.")
    municipality: str | None = Field(
        None, pattern=r"^\d{1,4}$", description="A municipality number (with predecessors)."
    )
    phase: list[Phase] = Field(default_factory=list)  # type: ignore[valid-type]
    status: list[Status] = Field(default_factory=list)  # type: ignore[valid-type]
    category: list[Category] = Field(default_factory=list)  # type: ignore[valid-type]
    year_from: int | None = Field(None, ge=1900, le=2100)
    year_to: int | None = Field(None, ge=1900, le=2100)
    q: str | None = Field(None, max_length=200, description="Search words.")
    ordering: Ordering = "name"  # type: ignore[valid-type]


@router.get("/projects", response={200: page_of(ProjectOut), **BAD_FILTER})
@cached
def projects(request, filters: Query[ProjectFilter], paging: Query[Paging]):
    """Public projects, filtered and ordered, a page at a time."""
    if filters.year_from and filters.year_to and filters.year_to < filters.year_from:
        raise NinjaValidationError(
            [
                {
                    "loc": ["query", "year_to"],
                    "msg": "year_to is before year_from",
                    "type": "value_error",
                }
            ]
        )
    query = sel.ProjectQuery(
        cooperation=filters.cooperation,
        municipality=filters.municipality,
        phase=filters.phase,
        status=filters.status,
        category=filters.category,
        year_from=filters.year_from,
        year_to=filters.year_to,
        q=filters.q,
        ordering=filters.ordering,
    )
    with unknown_values_are_422():
        qs = sel.projects(query)
        return paginate(request, qs, paging, lambda rows: [sel.project_out(r) for r in rows])


@router.get("/projects/{project_id}", response={200: ProjectDetail, **NOT_FOUND, **BAD_FILTER})
@cached
def project(request, project_id: int):
    """A public project with participants, money, deliverables, spin-offs and phases."""
    found = sel.project_detail(project_id)
    if found is None:
        raise _not_found()
    return found


# --- cases, referrals, council decisions --------------------------------------------------


class CaseFilter(Schema):
    cooperation: str | None = None
    outcome: CaseOutcome | None = None  # type: ignore[valid-type]
    q: str | None = Field(None, max_length=200)


def _cases_out(rows: Sequence[dict]) -> list[dict]:
    projects_by_case = sel.case_projects(row["id"] for row in rows)
    return [sel.case_out(row, projects_by_case) for row in rows]


@router.get("/cases", response={200: page_of(CaseOut), **BAD_FILTER})
@cached
def cases(request, filters: Query[CaseFilter], paging: Query[Paging]):
    """Public board cases with the board's decision, newest meeting first."""
    with unknown_values_are_422():
        qs = sel.cases(cooperation=filters.cooperation, outcome=filters.outcome, q=filters.q)
        return paginate(request, qs, paging, _cases_out)


@router.get("/cases/{case_id}", response={200: CaseDetail, **NOT_FOUND, **BAD_FILTER})
@cached
def case(request, case_id: int):
    """A public case with its public documents and its referrals with the resolution."""
    found = sel.case_detail(case_id)
    if found is None:
        raise _not_found()
    return found


class ReferralFilter(Schema):
    cooperation: str | None = None
    open: bool | None = Field(None, description="true: open referrals; false: closed ones.")


@router.get("/referrals", response={200: page_of(PublicReferralOut), **BAD_FILTER})
@cached
def referrals(request, filters: Query[ReferralFilter], paging: Query[Paging]):
    """Referrals of public cases to the councils, each council's decision resolved."""
    from governance.selectors import annotate_rows

    with unknown_values_are_422():
        qs = sel.referrals(cooperation=filters.cooperation, open_only=filters.open)
        return paginate(
            request, qs, paging, lambda rows: [sel.referral_out(r) for r in annotate_rows(rows)]
        )


@router.get(
    "/referrals/{referral_id}", response={200: PublicReferralOut, **NOT_FOUND, **BAD_FILTER}
)
@cached
def referral(request, referral_id: int):
    from governance.selectors import annotate_rows

    found = list(sel.public_referrals().filter(pk=referral_id))
    if not found:
        raise _not_found()
    return sel.referral_out(annotate_rows(found)[0])


class DecisionFilter(Schema):
    cooperation: str | None = None
    municipality: str | None = Field(None, pattern=r"^\d{1,4}$")
    outcome: DecisionOutcome | None = None  # type: ignore[valid-type]


@router.get("/council-decisions", response={200: page_of(CouncilDecisionOut), **BAD_FILTER})
@cached
def council_decisions(request, filters: Query[DecisionFilter], paging: Query[Paging]):
    """The councils' decisions on public cases, newest first, with the resolution."""
    with unknown_values_are_422():
        qs = sel.council_decisions(
            cooperation=filters.cooperation,
            municipality=filters.municipality,
            outcome=filters.outcome,
        )
        return paginate(request, qs, paging, sel.council_decisions_out)


@router.get(
    "/council-decisions/{decision_id}",
    response={200: CouncilDecisionOut, **NOT_FOUND, **BAD_FILTER},
)
@cached
def council_decision(request, decision_id: int):
    qs = sel.council_decisions(cooperation=None, municipality=None, outcome=None)
    found = list(qs.filter(pk=decision_id))
    if not found:
        raise _not_found()
    return sel.council_decisions_out(found)[0]


# --- networks and their public documents ----------------------------------------------------


class NetworkMembershipOut(Schema):
    municipality: MunicipalityRef | None
    organisation: OrganisationRef | None
    start_date: dt.date | None
    end_date: dt.date | None = Field(description="Last day; null while it lasts.")


class NetworkOut(Schema):
    id: int
    slug: str
    name: str
    cooperation: str
    field: str = Field(description="The professional field.")
    status: NetworkStatus  # type: ignore[valid-type]
    started: dt.date | None
    description: str
    coordinator: PersonRef | None = Field(description="The coordinator (an office holder).")
    public_document_count: int
    memberships: list[NetworkMembershipOut]


class NetworkRef(Schema):
    id: int
    slug: str
    name: str


class NetworkVersionOut(Schema):
    number: int
    uploaded_at: dt.datetime
    file_kind: str
    size: int
    change_note: str
    url: str = Field(description="The download (only while the document is public).")


class NetworkDocumentOut(Schema):
    id: int
    title: str
    kind: DocumentKind  # type: ignore[valid-type]
    network: NetworkRef
    tags: list[str]
    updated_at: dt.datetime
    versions: list[NetworkVersionOut]


class NetworkDetail(NetworkOut):
    documents: list[NetworkDocumentOut]


class NetworkFilter(Schema):
    cooperation: str | None = Field(None, description="The cooperation's slug.")
    status: NetworkStatus | None = None  # type: ignore[valid-type]
    municipality: str | None = Field(
        None, pattern=r"^\d{1,4}$", description="A municipality number (with predecessors)."
    )
    q: str | None = Field(None, max_length=200, description="Words in the name or field.")
    ordering: NetworkOrdering = "name"  # type: ignore[valid-type]


@router.get("/networks", response={200: page_of(NetworkOut), **BAD_FILTER})
@cached
def networks(request, filters: Query[NetworkFilter], paging: Query[Paging]):
    """The professional networks with their member municipalities over time."""
    with unknown_values_are_422():
        qs = sel.network_query(
            cooperation=filters.cooperation,
            status=filters.status,
            municipality=filters.municipality,
            q=filters.q,
            ordering=filters.ordering,
        )
        return paginate(request, qs, paging, sel.networks_out)


@router.get("/networks/{network_id}", response={200: NetworkDetail, **NOT_FOUND, **BAD_FILTER})
@cached
def network(request, network_id: int):
    """A network with its members over time and its public documents."""
    found = list(network_selectors.networks().filter(pk=network_id))
    if not found:
        raise _not_found()
    out = sel.networks_out(found)[0]
    documents = network_selectors.documents(network_ids=[network_id])
    out["documents"] = sel.network_documents_out(list(documents), request.build_absolute_uri)
    return out


class NetworkDocumentFilter(Schema):
    network: str | None = Field(None, description="The network's slug.")
    kind: DocumentKind | None = None  # type: ignore[valid-type]
    q: str | None = Field(None, max_length=200, description="Words in the title.")
    ordering: DocumentOrdering = "title"  # type: ignore[valid-type]


@router.get("/network-documents", response={200: page_of(NetworkDocumentOut), **BAD_FILTER})
@cached
def network_documents(request, filters: Query[NetworkDocumentFilter], paging: Query[Paging]):
    """The networks' documents marked public, with their versions."""
    with unknown_values_are_422():
        qs = sel.network_documents(
            network=filters.network, kind=filters.kind, q=filters.q, ordering=filters.ordering
        )
        return paginate(
            request,
            qs,
            paging,
            lambda rows: sel.network_documents_out(rows, request.build_absolute_uri),
        )


@router.get(
    "/network-documents/{document_id}",
    response={200: NetworkDocumentOut, **NOT_FOUND, **BAD_FILTER},
)
@cached
def network_document(request, document_id: int):
    """A public document of a network; any other document is 404."""
    found = list(network_selectors.documents().filter(pk=document_id))
    if not found:
        raise _not_found()
    return sel.network_documents_out(found, request.build_absolute_uri)[0]


# --- writes (personal API token) ------------------------------------------------------------

WRITE_ERRORS: dict[int, Any] = {
    400: Error,
    401: Error,
    403: Error,
    404: Error,
    409: Error,
    422: Error,
}


@contextmanager
def service_errors() -> Iterator[None]:
    """A service's refusal as the API's answer: 403 for permission, 422 naming the field."""
    try:
        yield
    except PermissionDenied as exc:
        raise HttpError(403, str(exc) or "Permission denied") from None
    except DjangoValidationError as exc:
        if hasattr(exc, "error_dict"):
            errors = [
                {"loc": ["body", name], "msg": " ".join(m), "type": "value_error"}
                for name, m in exc.message_dict.items()
            ]
        else:
            errors = [{"loc": ["body"], "msg": " ".join(exc.messages), "type": "value_error"}]
        raise NinjaValidationError(errors) from None
    except project_services.ProjectChangedElsewhere as exc:
        raise HttpError(
            409, f"The project was changed elsewhere: it is now at version {exc.current.version}."
        ) from None


class ProjectFields(Schema):
    short_name: str | None = Field(None, max_length=80)
    category: Category | None = None  # type: ignore[valid-type]
    phase: Phase | None = None  # type: ignore[valid-type]
    status: Status | Literal[""] | None = None  # type: ignore[valid-type]
    start_date: dt.date | None = None
    start_precision: Precision | None = None
    end_date: dt.date | None = None
    end_precision: Precision | None = None
    open_ended: bool | None = None
    description: str | None = Field(None, max_length=20_000)
    is_public: bool | None = None


class ProjectCreate(ProjectFields):
    cooperation: str = Field(description="The cooperation's slug.")
    name: str = Field(min_length=1, max_length=300)
    category: Category  # type: ignore[valid-type]


class ProjectUpdate(ProjectFields):
    version: int = Field(ge=1, le=2**31, description="The version you read (optimistic locking).")
    name: str | None = Field(None, min_length=1, max_length=300)


class ProjectWritten(ProjectOut):
    version: int
    is_public: bool


def _written(project: Project) -> dict:
    row = Project.objects.filter(pk=project.pk).values(*sel.PROJECT_FIELDS).get()
    return {**sel.project_out(row), "version": project.version, "is_public": project.is_public}


@router.post(
    "/projects",
    auth=token_auth,
    response={201: ProjectWritten, **WRITE_ERRORS},
)
def project_create(request, data: ProjectCreate):
    """Create a project (the secretariat only)."""
    from members.models import Cooperation

    cooperation = Cooperation.objects.filter(slug=data.cooperation).first()
    if cooperation is None:
        raise NinjaValidationError(
            [{"loc": ["body", "cooperation"], "msg": "Unknown cooperation.", "type": "value_error"}]
        )
    fields = data.dict(exclude_unset=True, exclude={"cooperation", "name", "category"})
    with service_errors():
        project = project_services.project_create(
            actor=request.auth,
            cooperation=cooperation,
            name=data.name,
            category=data.category,
            fields=fields,
        )
    return Answer(201, _written(project))


@router.patch(
    "/projects/{project_id}",
    auth=token_auth,
    response={200: ProjectWritten, **WRITE_ERRORS},
)
def project_update(request, project_id: int, data: ProjectUpdate):
    """Change a project's fields; `version` must be the one you read (else 409)."""
    project = sel.project_for_write(project_id)
    if project is None:
        raise _not_found()
    changes = data.dict(exclude_unset=True, exclude={"version"})
    if changes.get("name") is None:
        changes.pop("name", None)
    with service_errors():
        project = project_services.project_update(
            actor=request.auth,
            project=project,
            expected_version=data.version,
            changes=changes,
        )
    return _written(project)


class DecisionRecord(Schema):
    outcome: DecisionOutcome  # type: ignore[valid-type]
    date: dt.date | None = None
    decision_text: str = Field("", max_length=20_000)
    council_reference: str = Field("", max_length=300)
    conditions_text: str = Field("", max_length=5_000)


@router.post(
    "/council-decisions/{decision_id}",
    auth=token_auth,
    response={200: CouncilDecisionOut, **WRITE_ERRORS},
)
def council_decision_record(request, decision_id: int, data: DecisionRecord):
    """Record a council's decision (the secretariat or that municipality's contact)."""
    from governance import services as governance_services

    decision = sel.council_decision_for_write(decision_id)
    if decision is None:
        raise _not_found()
    with service_errors():
        governance_services.council_decision_record(
            actor=request.auth,
            decision=decision,
            outcome=data.outcome,
            date=data.date,
            decision_text=data.decision_text,
            council_reference=data.council_reference,
            conditions_text=data.conditions_text,
        )
    return sel.council_decision_out(decision.pk)
