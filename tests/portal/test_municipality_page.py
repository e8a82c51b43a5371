"""The portal's municipality page is bounded: current projects first, the current and the
ended projects and the council's decisions each a page at a time, totals counted in SQL, so
neither its queries nor its size grow with the rows; the history across mergers stays."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance import services as gov
from portal import selectors
from projects.models import Participation, Project
from tests.governance.factories import CaseFactory, ProjectFactory

pytestmark = pytest.mark.django_db

SIZE = 4  # projects or referrals per page in these tests


@pytest.fixture(autouse=True)
def _small_pages(monkeypatch):
    monkeypatch.setattr(selectors, "MUNICIPALITY_PAGE_SIZE", SIZE)
    monkeypatch.setattr(selectors, "COUNCIL_PAGE_SIZE", SIZE)


class _Rows:
    def __init__(self, world):
        self.world = world
        self.n = 0

    def add(self, current: int, ended: int, referrals: int) -> None:
        """Projects of Re (a predecessor of today's Tønsberg, hosted by the old Tønsberg),
        with names of one length, and referrals of public cases to Re and Tønsberg."""
        w = self.world
        for phase, count in ((Project.Phase.STUDY, current), (Project.Phase.CLOSED, ended)):
            for _ in range(count):
                self.n += 1
                p = ProjectFactory(
                    cooperation=w.cooperation,
                    name=f"Radprosjekt {self.n:03d} {phase}",
                    slug=f"rad-{self.n:03d}",
                    phase=phase,
                    start_date=dt.date(2010, 1, 1) + dt.timedelta(days=self.n),
                    host_municipality=w.tonsberg,
                )
                Participation.objects.create(project=p, municipality=w.re)
        for _ in range(referrals):
            self.n += 1
            case = CaseFactory(cooperation=w.cooperation, number=f"{self.n:03d}/1999")
            gov.referral_create(
                actor=None,
                case=case,
                referred_on=dt.date(2004, 1, 1) + dt.timedelta(days=self.n),
                municipalities=[w.re, w.tonsberg],
            )


def _get(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries), response.content.decode()


def _names(page: str, section: str) -> list[str]:
    start = page.index(f'id="{section}"')
    end = page.index("<h", start + 10)
    return re.findall(r"Radprosjekt \d{3} \w+", page[start:end])


def test_queries_and_size_do_not_grow_with_rows(client, world, today_municipality):
    url = reverse("portal:municipality", args=[today_municipality.number])
    rows = _Rows(world)
    rows.add(current=SIZE + 1, ended=SIZE + 1, referrals=SIZE + 1)  # every list has 2 pages
    queries, page = _get(client, url)
    rows.add(current=3 * SIZE, ended=3 * SIZE, referrals=3 * SIZE)
    queries_after, page_after = _get(client, url)
    assert queries_after == queries
    assert abs(len(page_after) - len(page)) < 100  # only the totals' digits differ
    assert len(_names(page_after, "current-h")) == SIZE
    assert len(_names(page_after, "ended-h")) == SIZE
    assert page_after.count("<tr>") - 1 == SIZE * 2  # Re's and Tønsberg's decision each


def test_totals_are_counted_over_every_row(client, world, today_municipality):
    _Rows(world).add(current=2 * SIZE, ended=SIZE + 2, referrals=0)
    page = client.get(reverse("portal:municipality", args=[today_municipality.number]))
    text = page.content.decode()
    # the world's two public projects are current (Felles innkjøp; Geodata, hosted)
    total, current, ended = 2 * SIZE + 2 + SIZE + 2, 2 * SIZE + 2, SIZE + 2
    hosted = 2 * SIZE + SIZE + 2 + 1
    assert (
        f"{total} offentlige prosjekter: {current} pågående, {ended} avsluttet; "
        f"vertskommune for {hosted}."
    ) in text


def test_current_projects_come_first_and_each_list_pages_on_its_own(
    client, world, today_municipality
):
    rows = _Rows(world)
    rows.add(current=2 * SIZE, ended=2 * SIZE + 1, referrals=SIZE + 1)
    url = reverse("portal:municipality", args=[today_municipality.number])
    _, first = _get(client, url)
    assert first.index('id="current-h"') < first.index('id="ended-h"')
    newest_current = _names(first, "current-h")
    assert newest_current == [f"Radprosjekt {n:03d} study" for n in (8, 7, 6, 5)]
    assert _names(first, "ended-h") == [f"Radprosjekt {n:03d} closed" for n in (17, 16, 15, 14)]
    assert "Side 1 av 3" in first  # the current list: 8 rows and the world's 2
    assert f'href="{url}?page=2#current-h"' in first
    assert f'href="{url}?ended=2#ended-h"' in first
    assert f'href="{url}?decisions=2#council-h"' in first

    _, second = _get(client, f"{url}?page=2&ended=3")
    assert _names(second, "current-h") == [f"Radprosjekt {n:03d} study" for n in (4, 3, 2, 1)]
    assert _names(second, "ended-h") == ["Radprosjekt 009 closed"]  # the last page
    # a link of one list keeps the other list's page
    assert f'href="{url}?page=3&amp;ended=3#current-h"' in second
    assert f'href="{url}?ended=3#current-h"' in second  # back to the first page
    assert f'href="{url}?page=2&amp;ended=2#ended-h"' in second

    _, beyond = _get(client, f"{url}?page=99&ended=abc")
    assert "Felles innkjøp" in beyond and "Geodata Vestfold" in beyond  # the last page
    assert _names(beyond, "ended-h") == _names(first, "ended-h")


def test_council_decisions_page_newest_referral_first(client, world, today_municipality):
    _Rows(world).add(current=0, ended=0, referrals=SIZE + 1)
    url = reverse("portal:municipality", args=[today_municipality.number])
    _, first = _get(client, url)
    assert "005/1999" in first and "001/1999" not in first
    _, second = _get(client, f"{url}?decisions=2")
    assert "001/1999" in second and "005/1999" not in second
    assert "7/2003" in second  # the world's referral of 2003 is the oldest
    assert "Bare om Tønsberg blir med." in second


def test_a_merged_municipality_keeps_its_own_history(client, world):
    """Re's own page (it merged into Tønsberg) lists Re's projects, paged the same way."""
    _Rows(world).add(current=SIZE + 1, ended=0, referrals=0)
    _, page = _get(client, reverse("portal:municipality", args=[world.re.number]))
    assert "Felles innkjøp" not in _names(page, "current-h")
    assert len(_names(page, "current-h")) == SIZE
    assert "Side 1 av 2" in page
