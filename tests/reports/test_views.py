"""The reports page, the downloads and `manage.py report`: bad input names the valid
choices (HTTP 400, exit status 2); the list carries its filters to the download."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_reports_page_needs_a_signed_in_user(client):
    response = client.get(reverse("reports:index"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_reports_page_offers_every_format(demo, client, plain_user):
    client.force_login(plain_user)
    response = client.get(reverse("reports:index"), HTTP_ACCEPT_LANGUAGE="nb")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Prosjektoversikt" in html
    for fmt in ("PDF", "DOCX", "XLSX", "CSV", "HTML"):
        assert f'value="{fmt.lower()}">{fmt}</button>' in html


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("report=nope&format=pdf&lang=nb", "Prosjektoversikt, Rapport for en kommune"),
        ("report=overview&format=odt&lang=nb", "HTML, PDF, DOCX, XLSX, CSV"),
        ("report=overview&format=pdf&lang=de", "Norsk (bokmål), Engelsk"),
    ],
)
def test_unknown_report_format_or_language_is_400_naming_the_valid_ones(
    demo, client, plain_user, query, named
):
    client.force_login(plain_user)
    response = client.get(reverse("reports:download") + "?" + query, HTTP_ACCEPT_LANGUAGE="nb")
    assert response.status_code == 400
    assert named in response.content.decode()


def test_download_carries_the_filters_and_is_an_attachment(demo, client, plain_user):
    client.force_login(plain_user)
    url = reverse("reports:download") + "?report=overview&format=xlsx&lang=en&category=network"
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="project-overview')
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_html_report_is_a_page_in_its_language(demo, client, plain_user):
    client.force_login(plain_user)
    response = client.get(reverse("reports:download") + "?report=overview&format=html&lang=en")
    html = response.content.decode()
    assert response.status_code == 200 and '<html lang="en">' in html
    assert "<thead>" in html and "1) Operations projects" in html


def test_portfolio_list_links_to_the_overview_with_its_query(demo, client, plain_user):
    client.force_login(plain_user)
    response = client.get(reverse("projects:list") + "?category=planning&year_from=2001")
    html = response.content.decode()
    assert "report=overview&amp;format=pdf&amp;category=planning&amp;year_from=2001" in html


def test_command_writes_the_file_and_reports_progress(demo, tmp_path):
    target = tmp_path / "o.csv"
    err = io.StringIO()
    call_command(
        "report",
        "overview",
        "--format",
        "csv",
        "--lang",
        "nb",
        "--category",
        "network",
        "-o",
        str(target),
        stderr=err,
    )
    assert target.read_bytes().decode("utf-8-sig").startswith("Del,Prosjekt")
    assert "Leser" in err.getvalue() or "Reading" in err.getvalue()


@pytest.mark.parametrize(
    "args",
    [["nope"], ["overview", "--format", "odt"], ["overview", "--lang", "de"]],
)
def test_command_exits_2_on_unknown_choices(demo, args):
    with pytest.raises(CommandError) as info:
        call_command("report", *args)
    assert info.value.returncode == 2
