"""Read-only JSON of the networks' library, with the same visibility as the pages: a
document one may not see is neither listed nor found. Mounted at /api/networks/."""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Router, Schema
from ninja.security import django_auth

from networks import selectors
from networks.models import Document, DocumentVersion, Network
from networks.page_cache import viewer
from projects.analytics.cache import cached
from samarbeid.common.json_api import encode, json_response
from samarbeid.common.kept import keep_for_session

router = Router(tags=["networks"], auth=django_auth)
PAGE_SIZE = 50


class VersionOut(Schema):
    number: int
    uploaded_at: dt.datetime
    change_note: str
    text_status: str
    download: str


class DocumentOut(Schema):
    id: int
    title: str
    kind: str
    visibility: str
    network: str
    tags: list[str]
    passage: str = ""
    versions: list[VersionOut]


class DocumentPage(Schema):
    count: int
    page: int
    pages: int
    results: list[DocumentOut]


def _out(document: Document, passage: str = "") -> dict:
    return {
        "id": document.pk,
        "title": document.title,
        "kind": document.kind,
        "visibility": document.visibility,
        "network": document.network.slug,
        "tags": [t.name for t in document.tags.all()],
        "passage": passage,
        "versions": [
            {
                "number": v.number,
                "uploaded_at": v.uploaded_at,
                "change_note": v.change_note,
                "text_status": v.text_status,
                "download": reverse("networks:version_file", args=[v.pk]),
            }
            for v in document.versions.all()
        ],
    }


_VERSIONS = Prefetch("versions", queryset=DocumentVersion.objects.defer("text").order_by("-number"))


def _documents_page(user, q: str, network: str, page: int) -> dict:
    scope = Network.objects.filter(slug=network).first() if network else None
    if q.strip():
        result = selectors.library_search(user=user, query=q[:200], page=page, network=scope)
        found = result.page
        if found is None:
            return {"count": 0, "page": 1, "pages": 0, "results": []}
        prefetch_related_objects([h.document for h in result.hits], _VERSIONS)
        results = [_out(h.document, str(h.passage)) for h in result.hits]
        return {
            "count": found.paginator.count,
            "page": found.number,
            "pages": found.paginator.num_pages,
            "results": results,
        }
    qs = selectors.documents_for(user=user, network=scope).prefetch_related(_VERSIONS)
    found = Paginator(qs, PAGE_SIZE).get_page(page)
    return {
        "count": found.paginator.count,
        "page": found.number,
        "pages": found.paginator.num_pages,
        "results": [_out(d) for d in found.object_list],
    }


def _documents_body(user, q: str, network: str, page: int) -> bytes:
    """The page as JSON, checked against `DocumentPage` as Ninja would."""
    return encode(DocumentPage, _documents_page(user, q, network, page))


@router.get("/documents", response=DocumentPage)
def documents(request: HttpRequest, q: str = "", network: str = "", page: int = 1):
    """The documents the signed-in user may see; with `q`, ranked search results with the
    matching passage (marked with <mark>)."""
    user = request.user
    # Read, searched and encoded once per data version (an upload, a new version or a
    # changed membership shows on the next request), user and day, and per the query
    # string's parameters: what the user may see is theirs (networks.page_cache).
    body = cached(
        "networks-api-documents",
        (viewer(user), timezone.localdate(), q, network, page),
        lambda: _documents_body(user, q, network, page),
    )
    return keep_for_session(json_response(body))
