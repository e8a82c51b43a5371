"""The timeline tells the truth: a project whose last record (an overview dated 2005)
says "Pågår" is drawn as running until that record and as unknown after it, with the
date of the record, not as running to today."""

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from projects import analytics, charts
from projects import services as projects
from projects.models import Project
from tests.projects.test_overview_data import project, vestfold

TODAY = dt.date(2026, 11, 27)


@pytest.fixture
def v(db):
    v = vestfold()
    ongoing = project(v.cooperation, "Vei samarbeid, kommunale veier", 2002, open_ended=True)
    projects.project_last_recorded_set(
        actor=None, project=ongoing, on=dt.date(2005, 12, 31), precision="year"
    )
    project(v.cooperation, "Uten registrering", 2004, open_ended=True)
    project(v.cooperation, "Avsluttet", 2001, 2003)
    return v


def test_an_open_project_runs_until_its_last_record_then_is_unknown(v):
    rows = {r.project.name: r for r in analytics.timeline_rows(v.cooperation, today=TODAY).rows}
    ongoing = rows["Vei samarbeid, kommunale veier"]
    assert ongoing.unknown_after == dt.date(2005, 12, 31)
    assert ongoing.last_recorded_label == "2005"
    # with no record date the project still runs to today; a closed one is as it was
    assert rows["Uten registrering"].unknown_after is None
    assert rows["Uten registrering"].end == TODAY
    assert rows["Avsluttet"].unknown_after is None


def test_the_chart_and_the_table_show_the_unknown_part(client, plain_user, v):
    timeline = analytics.timeline_rows(v.cooperation, today=TODAY)
    with translation.override("en"):
        svg = str(charts.timeline_svg(timeline, title="Timeline"))
    assert "unknown after the last record" in svg
    client.force_login(plain_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    html = client.get(reverse("overview:timeline")).content.decode()
    assert "sist registrert 2005" in html
    assert "ukjent etter siste registrering" in html


def test_an_older_record_does_not_move_the_last_record_back(v):
    ongoing = Project.objects.get(name="Vei samarbeid, kommunale veier")
    history = ongoing.history.count()
    projects.project_last_recorded_set(
        actor=None, project=ongoing, on=dt.date(2003, 12, 31), precision="year"
    )
    ongoing.refresh_from_db()
    assert ongoing.last_recorded_on == dt.date(2005, 12, 31)
    assert ongoing.history.count() == history
