"""Demo data: one example hearing on the "Digital dialog" project record, so the public
hearing pages, the widget and the desk have something to show.

The sources name no real hearing (000 only says the solution exists), so the hearing is
marked as an example in its title and summary and has no comments. Idempotent.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from hearings import services
from hearings.models import Hearing
from members import selectors as member_selectors
from members.models import Municipality
from projects.models import Project

TITLE = "Eksempelhøring: Digital dialog på kommunenes nettsider"


def load_demo(stdout: Any) -> None:
    if Hearing.objects.filter(title=TITLE).exists():
        return
    project = Project.objects.filter(name="Digital dialog").order_by("pk").first()
    if project is None:
        return
    today = timezone.localdate()
    concerned: list[Municipality] = []
    for number in ("3905", "3907", "3909"):
        try:
            concerned.append(member_selectors.municipality_for_number(number, today))
        except member_selectors.UnknownMunicipality:
            continue
    hearing = services.hearing_create(
        actor=None,
        title=TITLE,
        summary=(
            "Dette er en eksempelhøring i demodataene, ikke en virkelig høring. Den viser "
            "hvordan en plan eller sak legges ut til offentlig ettersyn på medlemmenes "
            "nettsider, og hvordan innbyggere kan sende merknader."
        ),
        start_date=today - dt.timedelta(days=7),
        municipalities=concerned,
        project=project,
        location="Vestfold",
    )
    services.hearing_open(actor=None, hearing=hearing)
    stdout.write(f"hearings: 1 example hearing ({hearing.pk})\n")
