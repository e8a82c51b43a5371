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


# --- writes go through members.services


def _form_data(response) -> dict:
    """What the change page would post back unchanged: main form and every inline."""
    data: dict = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data.update({management.add_prefix(k): management[k].value() for k in management.fields})
        forms.extend(formset.forms)
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = "on" if value is True else value
    return data


def _edit(client, model, obj, **changes):
    url = reverse(f"admin:members_{model}_change", args=[obj.pk])
    data = _form_data(client.get(url))
    data.update(changes)
    return client.post(url, data)


def _sekretariat():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="sekretariat")


@pytest.mark.parametrize(
    ("model", "reason"),
    [
        ("membership", "membership changed"),
        ("position", "position changed"),
        ("keyfigure", "key figure changed"),
        ("person", "person changed"),
        ("organisation", "organisation changed"),
        ("cooperation", "cooperation changed"),
    ],
)
def test_admin_edit_goes_through_the_service(staff_client, model, reason):
    from django.apps import apps

    obj = apps.get_model("members", model).objects.order_by("pk").first()
    field = {"keyfigure": "source", "person": "notes"}.get(model, "note")
    if model in {"organisation", "cooperation"}:
        field = "description"
    response = _edit(staff_client, model, obj, **{field: "Endret i admin"})
    assert response.status_code == 302, response.context and response.context["errors"]
    obj.refresh_from_db()
    assert getattr(obj, field) == "Endret i admin"
    record = obj.history.first()
    assert record.history_change_reason == reason
    assert record.history_user == _sekretariat()


def test_admin_add_goes_through_the_service(staff_client):
    person = Person.objects.get(name="Torill Lønningdal")
    url = reverse("admin:members_position_add")
    response = staff_client.post(
        url, {"person": person.pk, "role": "mayor", "start": "2001-01-01", "note": "Ny"}
    )
    assert response.status_code == 302
    position = person.positions.get(role="mayor")
    assert position.history.get().history_change_reason == "position created"


def test_inline_edit_goes_through_the_service(staff_client):
    from members.models import Membership

    cooperation = Membership.objects.first().cooperation
    url = reverse("admin:members_cooperation_change", args=[cooperation.pk])
    data = _form_data(staff_client.get(url))
    data["memberships-0-note"] = "Endret i innebygd skjema"
    assert staff_client.post(url, data).status_code == 302
    membership = cooperation.memberships.order_by("joined", "municipality__name").first()
    assert membership.note == "Endret i innebygd skjema"
    assert membership.history.first().history_change_reason == "membership changed"


def test_invalid_membership_edit_is_a_form_error(staff_client):
    from members.models import Membership

    membership = Membership.objects.filter(left__isnull=True).first()
    response = _edit(staff_client, "membership", membership, joined="1900-01-01")
    assert response.status_code == 200
    assert "joined" in response.context["adminform"].form.errors
    membership.refresh_from_db()
    assert membership.joined != dt.date(1900, 1, 1)


def test_invalid_position_and_key_figure_edits_are_form_errors(staff_client):
    from members.models import KeyFigure, Position

    position = Position.objects.exclude(start=None).first() or Position.objects.first()
    response = _edit(staff_client, "position", position, start="2020-01-01", end="2019-01-01")
    assert response.status_code == 200
    assert "end" in response.context["adminform"].form.errors
    figure = KeyFigure.objects.first()
    response = _edit(staff_client, "keyfigure", figure, value="-5")
    assert response.status_code == 200
    assert "value" in response.context["adminform"].form.errors


def test_alias_taken_by_another_organisation_is_a_form_error_not_a_500(staff_client):
    """Only the service knows an alias is taken: its error comes back on the page."""
    org = Organisation.objects.get(name="TAU")
    url = reverse("admin:members_organisation_change", args=[org.pk])
    data = _form_data(staff_client.get(url))
    data["aliases-0-alias"] = "Fylkeskommunen"
    response = staff_client.post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert any("Vestfold fylkeskommune" in e for e in errors)
    assert not org.aliases.exists()
    org.refresh_from_db()
    assert org.history.count() == 1


def test_admin_delete_goes_through_the_service(staff_client):
    from members.models import KeyFigure

    figure = KeyFigure.objects.first()
    url = reverse("admin:members_keyfigure_delete", args=[figure.pk])
    assert staff_client.post(url, {"post": "yes"}).status_code == 302
    record = KeyFigure.history.filter(id=figure.pk).first()
    assert record.history_type == "-"
    assert record.history_change_reason == "key figure deleted"


def test_municipality_and_event_edits_go_through_the_registry(staff_client):
    from members.models import MunicipalityEvent

    stokke = municipality_on("Stokke", dt.date(2004, 6, 1))
    assert _edit(staff_client, "municipality", stokke, notes="Rettet").status_code == 302
    stokke.refresh_from_db()
    assert stokke.notes == "Rettet"
    assert stokke.history.first().history_change_reason == "municipality corrected by hand"
    event = MunicipalityEvent.objects.filter(kind="boundary").first()
    predecessors = set(event.predecessors.all())
    assert _edit(staff_client, "municipalityevent", event, note="Rettet").status_code == 302
    event.refresh_from_db()
    assert event.note == "Rettet" and set(event.predecessors.all()) == predecessors
    record = event.history.first()
    assert record.history_change_reason == "municipality event corrected by hand"
    assert record.history_user == _sekretariat()
