import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse

from projects import analytics, charts
from projects.models import Participation
from tests.projects.test_overview_data import money, project, take_part, vestfold

PAGES = [
    ("overview:municipalities", {}),
    ("overview:municipality", {"number": "3905"}),
    ("overview:timeline", {}),
    ("overview:matrix", {}),
    ("overview:money", {}),
]


@pytest.fixture
def v(db):
    v = vestfold()
    re_project = project(v.cooperation, "Sensitiv driftsentral", 2003, 2004)
    take_part(re_project, v.re, role=Participation.Role.HOST)
    vale_project = project(v.cooperation, "Geodata", 1999, 2004, host_municipality=v.tonsberg_0704)
    take_part(vale_project, v.vale, v.horten, v.svelvik)
    broadband = project(v.cooperation, "Offentlig eid bredbånd", 2001, open_ended=True)
    take_part(broadband, v.tonsberg_0704, v.horten)
    money(broadband, "grant", 5_000_000, 2001, 2003)
    money(re_project, "benefit", 500_000, 2004, municipality=v.re)
    money(vale_project, "benefit", 30_000, 1999, 2000, municipality=v.vale)
    return v


def _get(client, url, lang, **kwargs):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    return client.get(url, **kwargs)


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_pages_need_login(client, v, name, kwargs):
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_pages_render_for_any_signed_in_user(client, plain_user, v, name, kwargs, lang):
    client.force_login(plain_user)
    response = _get(client, reverse(name, kwargs=kwargs), lang)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html


def test_tonsberg_page_shows_re_and_vale_projects_marked(client, plain_user, v):
    client.force_login(plain_user)
    url = reverse("overview:municipality", kwargs={"number": "3905"})

    html = _get(client, url, "en").content.decode()
    assert "Sensitiv driftsentral" in html and "as Re" in html
    assert "Geodata" in html and "as Våle" in html
    assert 'role="img"' in html  # the chart

    html = _get(client, url, "nb").content.decode()
    assert "som Re" in html and "som Våle" in html
    assert "Prosjekter den har deltatt i" in html


def test_former_number_falls_back_to_latest_identity(client, plain_user, v):
    client.force_login(plain_user)
    response = _get(client, reverse("overview:municipality", kwargs={"number": "0716"}), "en")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Re " in html
    assert "Today part of" in html and "Tønsberg (3905)" in html
    older = _get(
        client,
        reverse("overview:municipality", kwargs={"number": "0716"}),
        "en",
        data={"on": "1999-06-01"},
    )
    assert "<h1>Våle " in older.content.decode()
    garbled = _get(
        client,
        reverse("overview:municipality", kwargs={"number": "0716"}),
        "en",
        data={"on": "not-a-date"},
    )
    assert garbled.status_code == 200 and "<h1>Re " in garbled.content.decode()


def test_unknown_number_is_a_clear_404(client, plain_user, v):
    client.force_login(plain_user)
    response = _get(client, reverse("overview:municipality", kwargs={"number": "2222"}), "en")
    assert response.status_code == 404
    assert "No municipality has ever had the number “2222”" in response.content.decode()
    response = _get(client, reverse("overview:municipality", kwargs={"number": "2222"}), "nb")
    assert "Ingen kommune har hatt nummeret «2222»" in response.content.decode()


def test_municipality_list_current_former_and_lookup(client, plain_user, v):
    client.force_login(plain_user)
    url = reverse("overview:municipalities")
    html = _get(client, url, "en").content.decode()
    assert reverse("overview:municipality", kwargs={"number": "3905"}) in html
    assert "Våle" in html and "1997–2001" in html  # former member with its period
    assert "Svelvik" in html  # took part without being a member
    response = _get(client, url, "en", data={"number": "716"})
    assert response["Location"] == reverse("overview:municipality", kwargs={"number": "0716"})
    response = _get(client, url, "en", data={"number": "abc"})
    assert response.status_code == 200 and "digits only" in response.content.decode()


def test_timeline_chart_gives_way_to_a_hint_above_the_limit(client, plain_user, v, monkeypatch):
    from projects import views_overview

    client.force_login(plain_user)
    url = reverse("overview:timeline")
    assert "<svg" in _get(client, url, "en").content.decode()
    monkeypatch.setattr(views_overview, "TIMELINE_CHART_LIMIT", 1)
    html = _get(client, url, "en").content.decode()
    assert "<svg" not in html and "The chart is drawn for at most 1 projects" in html
    assert "Offentlig eid bredbånd" in html  # the table still lists them all
    assert "Diagrammet tegnes for høyst 1 prosjekter" in _get(client, url, "nb").content.decode()


def test_timeline_filters_and_htmx_partial(client, plain_user, v):
    client.force_login(plain_user)
    url = reverse("overview:timeline")
    response = _get(client, url, "en", data={"year_from": "2003"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and 'id="results"' in html
    assert "Offentlig eid bredbånd" in html and "Sensitiv driftsentral" in html
    # The view tabs are swapped out-of-band so they keep the filter.
    assert 'hx-swap-oob="true"' in html and "/overview/matrix/?year_from=2003" in html
    response = _get(client, url, "en", data={"category": "planning"})
    assert "No projects match the filter." in response.content.decode()


def test_bad_filter_input_is_explained_not_a_500(client, plain_user, v):
    client.force_login(plain_user)
    for name in ("overview:timeline", "overview:matrix", "overview:money"):
        response = _get(client, reverse(name), "en", data={"year_from": "2005", "year_to": "2001"})
        assert response.status_code == 200
        assert "“To year” cannot be before “From year”." in response.content.decode()
        response = _get(client, reverse(name), "en", data={"year_from": "nineteen"})
        assert response.status_code == 200
        assert "Enter a whole number." in response.content.decode()


def test_matrix_marks_roles_accessibly(client, plain_user, v):
    client.force_login(plain_user)
    html = _get(client, reverse("overview:matrix"), "en", data={"organisations": "on"}).content
    html = html.decode()
    assert '<span class="mark mark-host">host</span>' in html
    assert '<span class="visually-hidden">participant</span>' in html


def test_money_page_explains_spreading_and_totals(client, plain_user, v):
    client.force_login(plain_user)
    html = _get(client, reverse("overview:money"), "en").content.decode()
    assert "spread evenly across those years" in html
    assert "1,666,667" in html  # 5 000 000 over 2001-2003
    # Each chart twice: drawn for a desk and for a phone (the CSS shows the one that fits).
    assert html.count('role="img"') == 4
    assert html.count('<div class="chart-phone">') == 2
    html = _get(client, reverse("overview:money"), "nb").content.decode()
    assert "fordeles jevnt" in html


# ---------------------------------------------------------------- charts


def test_chart_functions_give_svg_and_png(v):
    data = analytics.money_totals_by_year(v.cooperation)
    svg = charts.money_by_year_svg(data, title="Grants & <benefits>")
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert 'role="img"' in svg and "<title" in svg and "Grants &amp; &lt;benefits&gt;" in svg
    assert "<?xml" not in svg and "DOCTYPE" not in svg
    png = charts.money_by_year_png(data, title="Grants")
    assert png.startswith(charts.PNG_SIGNATURE)

    tl = analytics.timeline_rows(v.cooperation, today=dt.date(2026, 1, 1))
    assert charts.timeline_svg(tl, title="Timeline").startswith("<svg")
    assert charts.timeline_png(tl, title="Timeline").startswith(charts.PNG_SIGNATURE)


def test_two_charts_on_a_page_have_distinct_ids(v):
    data = analytics.money_totals_by_year(v.cooperation)
    a = charts.money_by_year_svg(data, title="A", prefix="a")
    b = charts.money_by_year_svg(data, title="B", prefix="b")
    import re

    ids_a = set(re.findall(r'id="([^"]+)"', a))
    ids_b = set(re.findall(r'id="([^"]+)"', b))
    assert ids_a and not ids_a & ids_b


def _view_box(svg: str) -> tuple[float, float]:
    import re

    width, height = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg).groups()
    return float(width), float(height)


def test_every_chart_comes_drawn_for_a_phone_too(v):
    """A phone gets its own rendering (narrow, names above the bars), not the desk's chart
    scaled down to unreadable text or clipped; both copies keep their ids apart."""
    import re

    tl = analytics.timeline_rows(v.cooperation, today=dt.date(2026, 1, 1))
    both = str(charts.for_screens(charts.timeline_svg, timeline=tl, title="T", prefix="tl"))
    desk, phone = re.findall(r"<svg.*?</svg>", both, flags=re.S)
    assert both.startswith('<div class="chart-desk"><svg') and '<div class="chart-phone">' in both
    assert _view_box(phone)[0] <= charts.PHONE_WIDTH * 72 + 1 < _view_box(desk)[0] / 2
    ids = re.findall(r'id="([^"]+)"', both)
    assert len(ids) == len(set(ids))
    for project_name in ("Geodata", "Offentlig eid bredbånd"):
        assert project_name in phone  # the names are text in the phone's chart too
    data = analytics.money_totals_by_year(v.cooperation)
    both = str(charts.for_screens(charts.money_by_year_svg, data=data, title="M", prefix="m"))
    desk, phone = re.findall(r"<svg.*?</svg>", both, flags=re.S)
    assert _view_box(phone)[0] <= charts.PHONE_WIDTH * 72 + 1 < _view_box(desk)[0] / 2


def test_empty_charts_still_render(db):
    empty = analytics.MoneyByYear(series=[], rows=[], totals={}, entry_count=0, without_amount=0)
    assert charts.money_by_year_png(empty, title="x").startswith(charts.PNG_SIGNATURE)
    tl = analytics.Timeline(rows=[], undated=[], today=dt.date(2026, 1, 1))
    assert "<svg" in charts.timeline_svg(tl, title="x")
