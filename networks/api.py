"""Read-only JSON of the networks' library, with the same visibility as the pages: a
document one may not see is neither listed nor found. Mounted at /api/networks/."""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.db.models import Prefetch, prefetch_related_objects
from django.urls import reverse
from ninja import Router, Schema
from ninja.security import django_auth

from networks import selectors
from networks.models import Document, DocumentVersion, Network

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


@router.get("/documents", response=DocumentPage)
def documents(request, q: str = "", network: str = "", page: int = 1):
    """The documents the signed-in user may see; with `q`, ranked search results with the
    matching passage (marked with <mark>)."""
    scope = Network.objects.filter(slug=network).first() if network else None
    if q.strip():
        result = selectors.library_search(
            user=request.user, query=q[:200], page=page, network=scope
        )
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
    qs = selectors.documents_for(user=request.user, network=scope).prefetch_related(_VERSIONS)
    found = Paginator(qs, PAGE_SIZE).get_page(page)
    return {
        "count": found.paginator.count,
        "page": found.number,
        "pages": found.paginator.num_pages,
        "results": [_out(d) for d in found.object_list],
    }
