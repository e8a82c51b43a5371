"""The networks' admin writes through the services (history, checks), checks uploads by
content, and shows what no service writes from there read-only."""

import datetime as dt

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from networks import services
from networks.models import Document, DocumentVersion, Network, NetworkMembership
from tests.factories import OrganisationFactory
from tests.networks.factories import make_document

pytestmark = pytest.mark.django_db

WRITTEN = {"network", "networkmembership", "networkmember", "document"}


def _inlines(*prefixes: str, initial: int = 0) -> dict[str, str]:
    """The management forms of the read-only inlines."""
    data = {}
    for prefix in prefixes:
        data |= {f"{prefix}-TOTAL_FORMS": str(initial), f"{prefix}-INITIAL_FORMS": str(initial)}
        data |= {f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}
    return data


@pytest.mark.parametrize(
    "model",
    [
        m._meta.model_name
        for m in apps.get_app_config("networks").get_models()
        if not m._meta.model_name.startswith("historical")
    ],
)
def test_every_model_is_in_the_admin(admin_client, network, model):
    assert admin_client.get(reverse(f"admin:networks_{model}_changelist")).status_code == 200
    add = admin_client.get(reverse(f"admin:networks_{model}_add"))
    assert add.status_code == (200 if model in WRITTEN else 403)


def test_network_created_and_edited_through_the_services(admin_client, network):
    url = reverse("admin:networks_network_add")
    data = {"cooperation": network.cooperation.pk, "name": "Helse og sosial", "status": "active"}
    response = admin_client.post(url, data | _inlines("memberships", "members"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    created = Network.objects.get(name="Helse og sosial")
    assert created.slug == "helse-og-sosial"
    assert created.history.first().history_change_reason == "network created"
    url = reverse("admin:networks_network_change", args=[created.pk])
    data = {"name": "Helse- og sosialnettverket", "field": "Helse", "status": "resting"}
    assert admin_client.post(url, data | _inlines("memberships", "members")).status_code == 302
    created.refresh_from_db()
    assert (created.name, created.status) == ("Helse- og sosialnettverket", "resting")
    assert created.history.first().history_change_reason == "network edited"


def test_membership_ended_in_the_admin_keeps_history(admin_client, network):
    org = OrganisationFactory(name="Fylkesmannen i Vestfold")
    membership = services.membership_add(
        actor=None, network=network, organisation=org, start=dt.date(2002, 1, 1)
    )
    url = reverse("admin:networks_networkmembership_change", args=[membership.pk])
    response = admin_client.post(url, {"start": "2002-01-01", "end": "2009-12-31", "note": ""})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.end == dt.date(2009, 12, 31)
    assert membership.history.first().history_change_reason == "left the network"
    response = admin_client.post(url, {"start": "2010-01-01", "end": "2009-12-31", "note": ""})
    assert response.status_code == 200 and response.context["adminform"].form.errors
    assert NetworkMembership.objects.get().start == dt.date(2002, 1, 1)


def test_document_upload_in_the_admin_is_checked_by_content(admin_client, network):
    url = reverse("admin:networks_document_add")
    data = {"network": network.pk, "title": "Mal", "kind": "template", "visibility": "network"}
    html = SimpleUploadedFile("mal.txt", b"<!DOCTYPE html><html><script>x</script></html>")
    data |= _inlines("versions")
    response = admin_client.post(url, {**data, "upload": html, "tag_names": ""})
    assert response.status_code == 200 and response.context["adminform"].form.errors
    assert not Document.objects.exists()
    text = SimpleUploadedFile("mal.pdf", b"Mal for vedtak om verjemaal")
    response = admin_client.post(url, {**data, "upload": text, "tag_names": "verje, mal"})
    assert response.status_code == 302
    document = Document.objects.get()
    assert sorted(t.name for t in document.tags.all()) == ["mal", "verje"]
    assert document.versions.get().text_status == "ok"
    assert "verjemal" in document.search_text


def test_a_new_file_in_the_admin_is_a_new_version(admin_client, network):
    document = make_document(network, title="Mal", text="Første utgave")
    url = reverse("admin:networks_document_change", args=[document.pk])
    new = SimpleUploadedFile("mal.txt", b"Andre utgave")
    data = {"title": "Mal", "kind": "template", "visibility": "members", "tag_names": ""}
    data |= {"upload": new, "change_note": "Rettet"} | _inlines("versions", initial=1)
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    versions = sorted(DocumentVersion.objects.values_list("number", "change_note"))
    assert versions == [(1, ""), (2, "Rettet")]
    document.refresh_from_db()
    assert document.visibility == "members"
    assert "andre" in document.search_text
