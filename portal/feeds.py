"""Atom feeds of what the public may follow: the board's decisions, the councils'
decisions and the projects' phase and status changes, per cooperation and per municipality.

    /feeds/cooperation/<slug>/board-decisions.atom
    /feeds/municipality/<number>/council-decisions.atom
    /feeds/<scope>/<key>/project-changes.atom

Only public cases and projects appear (portal.api_selectors). Answers carry an ETag from
the data version (portal.conditional), so an edit shows on the next request.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponseBase
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from portal import feed_selectors
from portal.conditional import conditional

KINDS = ("board-decisions", "council-decisions", "project-changes")
ITEMS = 50


@dataclass
class Scope:
    kind: str
    scope: str
    key: str
    name: str
    cooperation_id: int | None
    municipality_ids: list[int] | None


def _midnight(day: dt.date | None) -> dt.datetime | None:
    if day is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


class PublicFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, scope: str, key: str, kind: str) -> Scope:
        if kind not in KINDS:
            raise Http404
        if scope == "cooperation":
            found = feed_selectors.cooperation_named(key)
            if found is None:
                raise Http404
            return Scope(kind, scope, key, found[1], found[0], None)
        if scope == "municipality":
            ids_name = feed_selectors.municipality_family(key)
            if ids_name is None:
                raise Http404
            return Scope(kind, scope, key, ids_name[1], None, ids_name[0])
        raise Http404

    def title(self, obj: Scope) -> str:
        label = {
            "board-decisions": _("Board decisions"),
            "council-decisions": _("Council decisions"),
            "project-changes": _("Project phase and status changes"),
        }[obj.kind]
        return f"{label} – {obj.name}"

    def link(self, obj: Scope) -> str:
        if obj.scope == "municipality":
            return reverse("portal:municipality", args=[obj.key])
        return reverse("portal:home")

    def subtitle(self, obj: Scope) -> str:
        return _("Public records of the inter-municipal cooperation.")

    def items(self, obj: Scope) -> list[dict]:
        read = {
            "board-decisions": feed_selectors.board_decisions,
            "council-decisions": feed_selectors.council_decisions,
        }.get(obj.kind, feed_selectors.project_changes)
        return read(
            cooperation_id=obj.cooperation_id, municipality_ids=obj.municipality_ids, limit=ITEMS
        )

    def item_title(self, item: dict) -> str:
        return str(item["title"])

    def item_description(self, item: dict) -> str:
        return str(item["description"])

    def item_link(self, item: dict) -> str:
        return str(item["link"])

    def item_guid(self, item: dict) -> str:
        return str(item["guid"])

    item_guid_is_permalink = False

    def item_pubdate(self, item: dict) -> dt.datetime | None:
        value = item["date"]
        return value if isinstance(value, dt.datetime) else _midnight(value)

    def item_updateddate(self, item: dict) -> dt.datetime | None:
        return self.item_pubdate(item)


_feed = PublicFeed()


@conditional(max_age=0)
def feed_view(request: HttpRequest, scope: str, key: str, kind: str) -> HttpResponseBase:
    return _feed(request, scope=scope, key=key, kind=kind)


def feed_paths(scope: str, key: str) -> list[str]:
    """The three feeds of a cooperation or municipality (for pages that link them)."""
    return [f"/feeds/{scope}/{key}/{kind}.atom" for kind in KINDS]
