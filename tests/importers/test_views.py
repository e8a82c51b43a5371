"""The upload page: preview, confirm, permissions, bad files, query counts."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from importers.models import ImportBatch
from projects.models import Project

pytestmark = pytest.mark.django_db

URL = "/import/"


@pytest.fixture(autouse=True)
def english_pages(client, settings):
    """Pages follow the language cookie; assertions below are on the English texts."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def upload(client, coop, name, data):
    return client.post(
        reverse("importers:upload"),
        {"file": SimpleUploadedFile(name, data), "cooperation": coop.pk},
    )


def test_url_name():
    assert reverse("importers:upload") == URL


def test_anonymous_is_sent_to_login_and_others_get_403(client, plain_user, board_user, coop):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    for user in (plain_user, board_user):
        client.force_login(user)
        assert client.get(URL).status_code == 403
        assert client.post(reverse("importers:confirm"), {"token": "x"}).status_code == 403


def test_preview_then_confirm(secretariat_client, coop, source_bytes):
    page = secretariat_client.get(URL)
    assert page.status_code == 200
    assert 'type="file"' in page.content.decode()
    response = upload(secretariat_client, coop, "oversikt.txt", source_bytes)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Preview of the import" in html
    assert "Fiberkommunene" in html  # a warning on its row
    assert response.context["report"].summary == {"created": 58, "updated": 0, "unchanged": 0}
    assert not Project.objects.filter(cooperation=coop).exists()
    batch = ImportBatch.objects.get()
    assert bytes(batch.data) == source_bytes

    done = secretariat_client.post(reverse("importers:confirm"), {"token": batch.token})
    assert done.status_code == 200
    assert Project.objects.filter(cooperation=coop).count() == 58
    batch.refresh_from_db()
    assert batch.confirmed_at is not None
    assert Project.history.filter(history_user__username="sekretariat-test").count() == 58

    again = secretariat_client.post(reverse("importers:confirm"), {"token": batch.token})
    assert again.status_code == 400
    assert "already imported" in again.content.decode()

    preview = upload(secretariat_client, coop, "oversikt.txt", source_bytes)
    assert preview.context["report"].summary["unchanged"] == 58


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("tom.txt", b"", "empty"),
        ("bilde.png", bytes(range(256)) * 10, "binary file"),
        ("tekst.txt", b"Bare tekst\n", "no recognisable header"),
    ],
)
def test_bad_files_give_a_message_not_an_error(secretariat_client, coop, name, data, message):
    response = upload(secretariat_client, coop, name, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_upload_over_the_limit(secretariat_client, coop, settings):
    settings.IMPORT_MAX_BYTES = 2 * 1024 * 1024
    response = upload(secretariat_client, coop, "stor.csv", b"x" * (3 * 1024 * 1024))
    assert response.status_code == 400
    assert "the limit is 2 MB" in response.content.decode()


def overview(rows: int) -> bytes:
    lines = [
        "1) Driftsprosjekter",
        "Prosjekt\tPeriode\tDeltagere\tArbeidsform\t9k resultat\tStatus\tKommentar",
    ]
    for n in range(rows):
        lines.append(
            f"Prosjekt {n}\t2004\tAlle, + fylkeskommunen\tArbeidsgruppe\tGjennomført"
            "\tAvsluttet\tSpart 100 000 kr"
        )
    return "\n".join(lines).encode()


def test_preview_query_count_does_not_grow_with_rows(secretariat_client, coop):
    counts = []
    for rows in (10, 100):
        with CaptureQueriesContext(connection) as ctx:
            response = upload(secretariat_client, coop, "x.txt", overview(rows))
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_norwegian_page(client, secretariat_user, settings, coop):
    client.force_login(secretariat_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    html = client.get(URL).content.decode()
    assert "Importer prosjektoversikt" in html
    assert "Vis forhåndsvisning" in html


def test_preview_lists_new_and_changed_rows_with_what_changes(
    secretariat_client, shared_coop, source_bytes
):
    coop = shared_coop  # 001 is imported into it
    changed = source_bytes.replace(
        b"Harmo9\t2005\tAlle\t", b"Harmo9\t2005\tAlle (minus Stokke)\t"
    ).replace(
        b"FM med 700 000 kr.\n",
        "FM med 800 000 kr.\nNytt prosjekt\t2005\tRe\tArbeidsgruppe\tPågår\t\t\n".encode(),
    )
    response = upload(secretariat_client, coop, "endret.txt", changed)
    assert response.status_code == 200
    assert response.context["report"].summary == {"created": 1, "updated": 1, "unchanged": 57}
    (update,) = [r for r in response.context["changed_rows"] if r["action"] == "update"]
    assert update["name"] == "Harmo9"
    assert update["changes"] == ["participants", "comment", "money"]
    html = response.content.decode()
    assert "2 new or changed projects" in html
    assert 'href="#row-61"' in html and 'id="row-61"' in html
    assert "Changes: participants, comment, money" in html
