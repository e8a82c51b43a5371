"""The widget for the members' websites: a municipality's current public joint projects
(and, once the hearings app exists, its open hearings), as an HTML fragment page for an
<iframe> and as a JSON twin.

A number that was merged away answers for its successor and says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from hearings import selectors as hearing_selectors
from members import selectors as member_selectors
from members.models import Municipality
from portal import selectors
from projects.formatting import project_period

MAX_PROJECTS = 30
MAX_HEARINGS = 20


@dataclass
class WidgetHearing:
    """An open hearing as the widget lists it (filled by `open_hearings`)."""

    title: str
    url: str
    deadline: dt.date | None = None


def open_hearings(
    municipality: Municipality, *, today: dt.date, absolute: Any = str
) -> list[WidgetHearing]:
    """The open hearings `municipality` (or a predecessor/successor identity) is asked to
    answer, each linking to the comment form made for the widget."""
    ids = set(member_selectors.identities_of([municipality]))
    return [
        WidgetHearing(
            title=h.title,
            url=absolute(reverse("hearings:embed", args=[h.pk])),
            deadline=h.deadline,
        )
        for h in hearing_selectors.open_hearings_for(ids, today)[:MAX_HEARINGS]
    ]


@dataclass
class WidgetData:
    asked: Municipality
    municipality: Municipality
    projects: list[dict[str, Any]]
    hearings: list[WidgetHearing] = field(default_factory=list)
    portal_url: str = ""

    @property
    def successor_note(self) -> str:
        """“Re (0716) was merged into Tønsberg (3905) …” when the number asked for is gone."""
        if self.asked.pk == self.municipality.pk:
            return ""
        return _(
            "%(old)s (%(old_number)s) is now part of %(new)s (%(new_number)s); "
            "the list shows %(new)s."
        ) % {
            "old": self.asked.name,
            "old_number": self.asked.number,
            "new": self.municipality.name,
            "new_number": self.municipality.number,
        }

    def as_json(self) -> dict[str, Any]:
        return {
            "municipality": {"number": self.municipality.number, "name": self.municipality.name},
            "asked_for": {"number": self.asked.number, "name": self.asked.name},
            "answered_for_successor": self.asked.pk != self.municipality.pk,
            "note": self.successor_note,
            "portal_url": self.portal_url,
            "projects": self.projects,
            "hearings": [
                {
                    "title": h.title,
                    "url": h.url,
                    "deadline": h.deadline.isoformat() if h.deadline else None,
                }
                for h in self.hearings
            ],
        }


def widget_data(*, number: str, today: dt.date, absolute: Any) -> WidgetData:
    """What the widget shows for `number`. `absolute(path)` makes a link absolute (the
    widget runs on other sites). Raises members.selectors.UnknownMunicipality."""
    asked = member_selectors.municipality_for_number(number, today)
    municipality = asked
    if asked.valid_to is not None and asked.valid_to < today:
        successors = member_selectors.successors(asked, today)
        if successors:
            municipality = successors[0]
    ids = member_selectors.identities_of([municipality])
    cooperation = selectors.cooperation()
    projects = selectors.municipality_projects(
        cooperation=cooperation, ids=ids, current_only=True
    ).only(
        "name",
        "slug",
        "phase",
        "start_date",
        "start_precision",
        "end_date",
        "end_precision",
        "open_ended",
        "host_municipality",
    )[:MAX_PROJECTS]
    rows = [
        {
            "name": p.name,
            "url": absolute(reverse("portal:project", args=[p.slug])),
            "phase": p.phase,
            "phase_label": p.get_phase_display(),
            "period": project_period(p),
            "start": p.start_date.isoformat() if p.start_date else None,
            "end": p.end_date.isoformat() if p.end_date else None,
        }
        for p in projects
    ]
    return WidgetData(
        asked=asked,
        municipality=municipality,
        projects=rows,
        hearings=open_hearings(municipality, today=today, absolute=absolute),
        portal_url=absolute(reverse("portal:municipality", args=[municipality.number])),
    )
