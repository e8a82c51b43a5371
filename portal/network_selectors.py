"""Public reads of the professional networks, shared by the portal pages, the API and the
bulk download.

Which library documents the public sees is decided by the networks app alone: this module
asks `networks.permissions.visible_documents_q` (and `can_see_document` for a download)
for an anonymous visitor, which lets through documents marked *public* and nothing else
(never *the network only* or *all members*). A network's people are never read; the only
person named is the coordinator (an office holder), by name only. Each function runs a fixed
number of queries whatever the number of rows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, F, Q, QuerySet
from django.http import Http404

from networks import permissions as network_permissions
from networks import selectors as network_selectors
from networks.models import Document, DocumentVersion, Network, NetworkMembership

NETWORK_ORDERINGS = ("name", "-name", "started", "-started")
DOCUMENT_ORDERINGS = ("title", "-title", "updated", "-updated")

_ORDER_BY: dict[str, tuple[Any, ...]] = {
    "name": ("name", "pk"),
    "-name": ("-name", "-pk"),
    "started": (F("started").asc(nulls_last=True), "name"),
    "-started": (F("started").desc(nulls_last=True), "name"),
    "title": ("title", "pk"),
    "-title": ("-title", "-pk"),
    "updated": ("updated_at", "pk"),
    "-updated": ("-updated_at", "-pk"),
}


def _anonymous() -> AnonymousUser:
    return AnonymousUser()


def public_documents() -> QuerySet[Document]:
    """The library documents anyone may read: those marked public."""
    return Document.objects.filter(network_permissions.visible_documents_q(_anonymous()))


def public_versions() -> QuerySet[DocumentVersion]:
    """Every version of the public documents (without the extracted text)."""
    return DocumentVersion.objects.filter(document__in=public_documents()).defer("text")


def public_version_for_download(pk: int) -> DocumentVersion | None:
    """A version of a public document, checked with the networks app's own rule; None for
    an unknown version or one of a document the public may not see."""
    try:
        version = network_selectors.version_for_download(pk)
    except Http404:
        return None
    if not network_permissions.can_see_document(_anonymous(), version.document):
        return None
    return version


def networks(
    *,
    cooperation_id: int | None = None,
    status: str | None = None,
    municipality_ids: list[int] | None = None,
    q: str | None = None,
    ordering: str = "name",
) -> QuerySet[Network]:
    """Networks with their coordinator and their number of public documents."""
    qs = Network.objects.select_related("cooperation", "coordinator").only(
        "pk",
        "slug",
        "name",
        "field",
        "status",
        "started",
        "description",
        "cooperation__slug",
        "cooperation__name",
        "coordinator__name",
    )
    if cooperation_id is not None:
        qs = qs.filter(cooperation_id=cooperation_id)
    if status:
        qs = qs.filter(status=status)
    if municipality_ids is not None:
        qs = qs.filter(memberships__municipality_id__in=municipality_ids).distinct()
    if q and q.strip():
        words = q.strip()
        qs = qs.filter(Q(name__icontains=words) | Q(field__icontains=words))
    public = Q(documents__in=public_documents())
    qs = qs.annotate(public_document_count=Count("documents", filter=public, distinct=True))
    return qs.order_by(*_ORDER_BY.get(ordering, _ORDER_BY["name"]))


def network_by_slug(*, cooperation_id: int | None, slug: str) -> Network | None:
    return networks(cooperation_id=cooperation_id).filter(slug=slug).first()


def memberships_of(network_ids: Iterable[int]) -> dict[int, list[NetworkMembership]]:
    """The member municipalities and organisations of these networks over time, newest
    first (one query)."""
    found: dict[int, list[NetworkMembership]] = defaultdict(list)
    rows = (
        NetworkMembership.objects.filter(network_id__in=list(network_ids))
        .select_related("municipality", "organisation")
        .only(
            "network_id",
            "start",
            "end",
            "municipality__number",
            "municipality__name",
            "organisation__name",
        )
        .order_by(F("end").desc(nulls_first=True), "municipality__name", "organisation__name")
    )
    for row in rows:
        found[row.network_id].append(row)
    return dict(found)


def is_current(membership: NetworkMembership, today: dt.date) -> bool:
    return (membership.start is None or membership.start <= today) and (
        membership.end is None or membership.end >= today
    )


def documents(
    *,
    network_ids: list[int] | None = None,
    kind: str | None = None,
    q: str | None = None,
    ordering: str = "title",
) -> QuerySet[Document]:
    """The public documents (of some networks) with their network and tags."""
    qs = public_documents().select_related("network").prefetch_related("tags")
    if network_ids is not None:
        qs = qs.filter(network_id__in=network_ids)
    if kind:
        qs = qs.filter(kind=kind)
    if q and q.strip():
        qs = qs.filter(title__icontains=q.strip())
    return qs.defer("search_text").order_by(*_ORDER_BY.get(ordering, _ORDER_BY["title"]))


def versions_of(document_ids: Iterable[int]) -> dict[int, list[DocumentVersion]]:
    """The versions of these (public) documents, newest first (one query). Who uploaded a
    version is not read."""
    found: dict[int, list[DocumentVersion]] = defaultdict(list)
    rows = (
        public_versions()
        .filter(document_id__in=list(document_ids))
        .only("pk", "document_id", "number", "file_kind", "size", "uploaded_at", "change_note")
        .order_by("document_id", "-number")
    )
    for row in rows:
        found[row.document_id].append(row)
    return dict(found)


def municipality_networks(ids: list[int]) -> list[dict[str, Any]]:
    """The networks these municipality identities take or took part in, with the period
    (one query); the periods of one network that meet or overlap (the identities before
    and after a merger) are one row."""
    rows = (
        NetworkMembership.objects.filter(municipality_id__in=ids)
        .select_related("network")
        .only("start", "end", "network__slug", "network__name", "network__status")
        .order_by("network__name", "start")
    )
    merged: list[dict[str, Any]] = []
    for r in rows:
        last = merged[-1] if merged else None
        if last and last["network"].pk == r.network_id and _overlaps(last["end"], r.start):
            # the same network through several identities (before and after a merger)
            last["end"] = None if last["end"] is None or r.end is None else max(last["end"], r.end)
            continue
        merged.append({"network": r.network, "start": r.start, "end": r.end})
    return merged


def _overlaps(end: dt.date | None, start: dt.date | None) -> bool:
    """A period that ends on `end` meets or overlaps the next, which starts on `start`."""
    return end is None or start is None or start <= end + dt.timedelta(days=1)
