"""The public portal: anonymous access, only public things, 404 for internal ones."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_pages_answer_without_login(client, world, today_municipality):
    for url in [
        reverse("portal:home"),
        reverse("portal:projects"),
        reverse("portal:project", args=[world.public.slug]),
        reverse("portal:municipalities"),
        reverse("portal:municipality", args=[today_municipality.number]),
        reverse("portal:municipality", args=[world.re.number]),
        reverse("portal:cases"),
        reverse("portal:case", args=[world.case.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"/accounts/login/?next" not in response.content


def test_project_list_shows_public_projects_with_desk_filters(client, world):
    page = client.get(reverse("portal:projects")).content.decode()
    assert "Felles innkjøp" in page and "Geodata Vestfold" in page
    assert world.internal.name not in page
    found = client.get(reverse("portal:projects"), {"q": "geodata"}).content.decode()
    assert "Geodata Vestfold" in found and "Felles innkjøp" not in found
    phase = client.get(reverse("portal:projects"), {"phase": "study"}).content.decode()
    assert "Geodata Vestfold" in phase and "Felles innkjøp" not in phase


def test_project_list_page_size_25_or_50(client, world):
    response = client.get(reverse("portal:projects"), {"per_page": "50"})
    assert response.context["page"].paginator.per_page == 50
    response = client.get(reverse("portal:projects"), {"per_page": "5000"})
    assert response.context["page"].paginator.per_page == 25


def test_bad_filter_is_400_naming_the_field(client, world):
    response = client.get(reverse("portal:projects"), {"year_from": "abc"})
    assert response.status_code == 400
    assert "year_from" in response.content.decode() or "tall" in response.content.decode()


def test_project_page_shows_facts_money_participants_and_milestones(client, world):
    page = client.get(reverse("portal:project", args=[world.public.slug])).content.decode()
    assert "Felles innkjøp" in page
    assert "Kommunene kjøper inn sammen." in page
    assert "250" in page  # the grant
    assert "Re" in page and "Tønsberg" in page
    assert "Sluttrapport innkjøp" in page  # a deliverable on the timeline
    assert reverse("portal:case", args=[world.case.pk]) in page


def test_internal_project_is_404(client, world):
    response = client.get(reverse("portal:project", args=[world.internal.slug]))
    assert response.status_code == 404


def test_internal_case_is_404_and_internal_documents_are_not_served(client, world):
    assert client.get(reverse("portal:case", args=[world.internal_case.pk])).status_code == 404
    assert client.get(reverse("portal:document", args=[world.internal_doc.pk])).status_code == 404
    url = reverse("portal:document", args=[world.doc_of_internal_case.pk])
    assert client.get(url).status_code == 404


def test_public_document_is_a_download_with_nosniff(client, world):
    response = client.get(reverse("portal:document", args=[world.public_doc.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_case_page_shows_board_and_council_decisions_and_who_waits(client, world):
    page = client.get(reverse("portal:case", args=[world.case.pk])).content.decode()
    assert "Styret anbefaler ordningen." in page
    assert "Bare om Tønsberg blir med." in page
    assert "Re" in page and "Tønsberg" in page
    # Re waits for Tønsberg: Tønsberg's row says Re waits for its decision.
    assert "Re venter på dette vedtaket" in page or "Re wait for this decision" in page
    assert "Saksframlegg innkjøp" in page
    assert world.internal.name not in page  # the case's internal project is left out


def test_municipality_page_history_projects_and_council(client, world, today_municipality):
    page = client.get(
        reverse("portal:municipality", args=[today_municipality.number])
    ).content.decode()
    assert "Felles innkjøp" in page  # through its predecessors Re and Tønsberg
    assert "Geodata Vestfold" in page
    assert "Bare om Tønsberg blir med." in page
    assert reverse("portal:embed", args=[today_municipality.number]) in page  # the snippet
    assert "embed.js" in page


def test_merged_municipality_page_points_to_successor(client, world, today_municipality):
    page = client.get(reverse("portal:municipality", args=[world.re.number])).content.decode()
    assert reverse("portal:municipality", args=[today_municipality.number]) in page


def test_unknown_municipality_is_404(client, world):
    assert client.get(reverse("portal:municipality", args=["0000"])).status_code == 404
    assert client.get("/portal/municipalities/abc/").status_code == 404


def test_portal_in_english(client, world):
    client.cookies["django_language"] = "en"
    page = client.get(reverse("portal:projects")).content.decode()
    assert 'lang="en"' in page and "Projects" in page


def test_front_page_links_anonymous_visitors_to_the_portal(client, world):
    assert reverse("portal:home") in client.get("/").content.decode()


def test_desk_case_form_sets_public(secretariat_client, world):
    url = reverse("governance:case_edit", args=[world.case.pk])
    form = secretariat_client.get(url).content.decode()
    assert 'name="is_public"' in form


def test_language_link_sets_the_cookie_and_returns(client, world):
    url = reverse("portal:project", args=[world.public.slug])
    response = client.get(reverse("portal:language"), {"language": "en", "next": url})
    assert response.status_code == 302 and response["Location"] == url
    assert response.cookies["django_language"].value == "en"
    assert 'lang="en"' in client.get(url).content.decode()
    evil = client.get(
        reverse("portal:language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert evil["Location"] == reverse("portal:home")
    odd = client.get(reverse("portal:language"), {"language": "xx", "next": url})
    assert "django_language" not in odd.cookies


def test_portal_pages_carry_no_csrf_token_and_are_served_from_the_cache(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("portal:project", args=[world.public.slug])
    first = client.get(url)
    assert b"csrfmiddlewaretoken" not in first.content
    with CaptureQueriesContext(connection) as ctx:
        again = client.get(url)
    assert again.content == first.content
    assert len(ctx) <= 1  # the data version's fingerprint


def test_secretariat_attaches_a_public_document_and_it_shows_on_the_portal(
    secretariat_client, client, world
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("vedlegg.pdf", b"%PDF-1.4\n% vedlegg\n", "application/pdf")
    response = secretariat_client.post(
        reverse("governance:case_document_add", args=[world.case.pk]),
        {"title": "Offentlig vedlegg", "file": upload, "is_public": "on"},
    )
    assert response.status_code == 302
    hidden = SimpleUploadedFile("intern.pdf", b"%PDF-1.4\n% intern\n", "application/pdf")
    secretariat_client.post(
        reverse("governance:case_document_add", args=[world.case.pk]),
        {"title": "Internt vedlegg", "file": hidden},
    )
    page = client.get(reverse("portal:case", args=[world.case.pk])).content.decode()
    assert "Offentlig vedlegg" in page and "Internt vedlegg" not in page
