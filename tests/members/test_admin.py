"""The registry's admin: lists, search, filters, inlines, computed history."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from members.demo import load_demo
from members.models import Municipality, Organisation, Person
from members.selectors import municipality_on

pytestmark = pytest.mark.django_db

MODELS = [
    "municipality",
    "municipalityevent",
    "cooperation",
    "membership",
    "keyfigure",
    "organisation",
    "person",
    "position",
]


@pytest.fixture
def staff_client(client):
    load_demo()
    assert client.login(username="sekretariat", password="samarbeid-demo")
    return client


@pytest.mark.parametrize("model", MODELS)
def test_changelists_and_add_pages_open(staff_client, model):
    assert staff_client.get(reverse(f"admin:members_{model}_changelist")).status_code == 200
    assert staff_client.get(reverse(f"admin:members_{model}_add")).status_code == 200


def test_municipality_search_finds_name_variants(staff_client):
    url = reverse("admin:members_municipality_changelist")
    response = staff_client.get(url, {"q": "Sande (Vestfold)"})
    assert "0713" in response.content.decode()


def test_municipality_filters_by_county_and_validity(staff_client):
    url = reverse("admin:members_municipality_changelist")
    response = staff_client.get(url, {"county": "39", "validity": "current"})
    assert response.context["cl"].result_count == 6
    response = staff_client.get(url, {"county": "07", "valid_in": "2004"})
    assert response.context["cl"].result_count == 14


def test_stokke_page_shows_successor_today_and_vear_note(staff_client):
    stokke = municipality_on("Stokke", dt.date(2004, 6, 1))
    with translation.override("en"):
        url = reverse("admin:members_municipality_change", args=[stokke.pk])
        html = staff_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Sandefjord (3907)" in html
    assert "Vear" in html


def test_pages_are_in_norwegian_by_default(staff_client):
    html = staff_client.get(reverse("admin:members_municipality_changelist")).content.decode()
    assert "kommuner" in html.lower()
    assert "Gyldig i dag" in html or "gyldig i dag" in html


def test_admin_offers_english_and_fills_gaps_in_djangos_norwegian(staff_client):
    url = reverse("admin:members_municipality_changelist")
    html = staff_client.get(url).content.decode()
    assert 'id="admin-lang-select"' in html and 'value="en"' in html
    assert "Vis antall" in html and "Show counts" not in html
    staff_client.post(reverse("set_language"), {"language": "en", "next": url})
    html = staff_client.get(url).content.decode()
    assert "Select municipality to change" in html and "Show counts" in html


def test_organisation_page_has_alias_inline(staff_client):
    org = Organisation.objects.get(name="Vestfold fylkeskommune")
    html = staff_client.get(
        reverse("admin:members_organisation_change", args=[org.pk])
    ).content.decode()
    assert "fylkes- kommunen" in html


def test_person_page_has_positions_and_history(staff_client):
    person = Person.objects.get(name="Torill Lønningdal")
    html = staff_client.get(reverse("admin:members_person_change", args=[person.pk])).content
    assert b"Saksbehandler" in html
    history = staff_client.get(reverse("admin:members_person_history", args=[person.pk]))
    assert history.status_code == 200


def _queries(client, url, params):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx.captured_queries)


def test_municipality_list_query_count_does_not_grow(staff_client):
    url = reverse("admin:members_municipality_changelist")
    few = _queries(staff_client, url, {"county": "39", "validity": "current"})
    many = _queries(staff_client, url, {})
    assert Municipality.objects.count() > 900
    assert many == few


def test_event_list_query_count_does_not_grow(staff_client):
    url = reverse("admin:members_municipalityevent_changelist")
    few = _queries(staff_client, url, {"kind": "boundary"})
    many = _queries(staff_client, url, {})
    assert many == few
