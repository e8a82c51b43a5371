from __future__ import annotations

import datetime as dt
import re

from django.core import mail
from django.utils import timezone

from hearings import services
from hearings.models import Comment, Hearing
from members import selectors as member_selectors
from members.models import Municipality


def municipality(number: str) -> Municipality:
    return member_selectors.municipality_for_number(number, timezone.localdate())


def open_hearing(
    *, title: str = "Kommuneplan for Tønsberg", number: str = "3905", days_left: int = 20
) -> Hearing:
    today = timezone.localdate()
    mun = municipality(number)
    hearing = services.hearing_create(
        actor=None,
        title=title,
        summary="Forslag til ny arealdel.",
        start_date=today - dt.timedelta(days=5),
        deadline=today + dt.timedelta(days=days_left),
        municipalities=[mun],
        plan_municipality=mun,
        plan_identifier="2026001",
    )
    return services.hearing_open(actor=None, hearing=hearing)


def submit(hearing: Hearing, **kwargs) -> Comment:
    data = {
        "text": "Jeg er imot veien.",
        "name": "Kari Nordmann",
        "email": "kari@example.org",
        "show_name": True,
    }
    data.update(kwargs)
    return services.comment_submit(hearing=hearing, **data)


def token_from_mail(message_index: int = -1) -> str:
    body = mail.outbox[message_index].body
    found = re.search(r"/portal/hearings/(?:confirm|withdraw)/([^/\s]+)/", body)
    assert found, body
    return found.group(1)
