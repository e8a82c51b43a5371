"""The trash page (/trash/) in pages of 50, newest deleted first, with a count and a filter
per kind (issue 16: no page sends everything); restore and purge go back to the page they
were started on."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance import services as gov_services
from governance.models import Case
from projects import services
from projects.models import Deliverable, MoneyEntry, Participation, Project
from samarbeid.common import trash
from tests.projects.test_overview_data import vestfold

pytestmark = pytest.mark.django_db

TRASH = reverse("trash")


@pytest.fixture
def v():
    return vestfold()


def trash_some(v, actor, n: int, start: int = 0) -> None:
    """n of every kind in the trash: projects, participations, money entries, deliverables
    (rows of projects that stay) and cases; half of them deleted by the system."""
    for i in range(start, start + n):
        who = actor if i % 2 else None
        gone = services.project_create(
            actor=actor, cooperation=v.cooperation, name=f"Borte {i}", category="other"
        )
        services.project_delete(actor=who, project=gone)
        kept = services.project_create(
            actor=actor, cooperation=v.cooperation, name=f"Blir {i}", category="other"
        )
        muni = v.horten if i % 2 else None
        rows = [
            services.participation_add(
                actor=actor,
                project=kept,
                municipality=muni,
                organisation=None if muni else v_org(i),
            ),
            services.money_entry_add(
                actor=actor, project=kept, kind="grant", amount_nok=Decimal(1000 + i)
            ),
            Deliverable.objects.create(project=kept, title=f"Rapport {i}"),
        ]
        for row in rows:
            services.project_row_delete(actor=who, row=row)
        case = gov_services.case_create(
            actor=actor, cooperation=v.cooperation, number=f"{i}/2003", title=f"Sak {i}"
        )
        gov_services.case_delete(actor=who, case=case)


def v_org(i: int):
    from tests.factories import OrganisationFactory

    return OrganisationFactory(name=f"Org {i}")


def page_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_the_trash(client, secretariat_user, v):
    """N and 3N of every kind: the same queries on the first page, a later page and one
    kind (the counts, the page's keys, its rows per kind), whatever is in the trash."""
    client.force_login(secretariat_user)
    urls = [TRASH, TRASH + "?page=2", TRASH + "?kind=projects.participation"]
    trash_some(v, secretariat_user, 4)
    few = [page_queries(client, url) for url in urls]
    trash_some(v, secretariat_user, 8, start=4)
    many = [page_queries(client, url) for url in urls]
    assert many == few
    assert Participation.all_objects.filter(deleted_at__isnull=False).count() == 12


def test_pages_of_50_newest_first_with_a_norwegian_pager(client, secretariat_user, v):
    trash_some(v, secretariat_user, 12)  # 60 items
    client.force_login(secretariat_user)
    first = client.get(TRASH, HTTP_ACCEPT_LANGUAGE="nb").content.decode()
    assert "60 elementer i papirkurven" in first
    assert "1–50 av 60" in first and "Side 1 av 2" in first and "Neste" in first
    assert first.count("/restore/") == 50
    # the newest deleted (the last case) first, the oldest (the first project) on page 2
    assert first.index("11/2003 Sak 11") < first.index("Rapport 11")
    assert "Borte 0" not in first
    second = client.get(TRASH + "?page=2", HTTP_ACCEPT_LANGUAGE="nb").content.decode()
    assert "51–60 av 60" in second and "Forrige" in second and "Side 2 av 2" in second
    assert "Borte 0" in second and second.count("/restore/") == 10


def test_the_page_order_is_the_deletion_order_across_kinds(secretariat_user, v):
    trash_some(v, secretariat_user, 3)
    # The first case deleted last of all, the last project first of all.
    Case.all_objects.filter(number="0/2003").update(deleted_at=timezone.now())
    Project.all_objects.filter(name="Borte 2").update(
        deleted_at=timezone.now() - dt.timedelta(days=10)
    )
    items = list(trash.trash_page(page=1).page.object_list)
    assert (items[0].entry.key, str(items[0].instance)) == ("governance.case", "0/2003 Sak 0")
    assert str(items[-1].instance) == "Borte 2"
    stamps = [item.instance.deleted_at for item in items]
    assert stamps == sorted(stamps, reverse=True)


def test_a_count_and_a_filter_per_kind(client, secretariat_user, v):
    trash_some(v, secretariat_user, 3)
    client.force_login(secretariat_user)
    page = client.get(TRASH, HTTP_ACCEPT_LANGUAGE="nb").content.decode()
    for label in ("Prosjekter (3)", "Deltakelser (3)", "Økonomiposter (3)", "Leveranser (3)"):
        assert label in page
    assert "Saker (3)" in page and "Alle typer (15)" in page
    cases = client.get(TRASH + "?kind=governance.case", HTTP_ACCEPT_LANGUAGE="nb")
    text = cases.content.decode()
    assert '<option value="governance.case" selected>' in text
    assert "1–3 av 3" in text and "Sak 2" in text and "Borte" not in text
    assert "15 elementer i papirkurven" in text  # the heading counts the whole trash
    # An unknown kind shows everything.
    assert "1–15 av 15" in client.get(TRASH + "?kind=auth.user").content.decode()


def test_an_empty_kind_and_an_empty_trash_say_so(client, secretariat_user, v):
    client.force_login(secretariat_user)
    page = client.get(TRASH, HTTP_ACCEPT_LANGUAGE="nb").content.decode()
    assert "Papirkurven er tom." in page and 'name="kind"' not in page
    case = gov_services.case_create(
        actor=secretariat_user, cooperation=v.cooperation, number="1/2003", title="Sak"
    )
    gov_services.case_delete(actor=secretariat_user, case=case)
    page = client.get(TRASH + "?kind=projects.project", HTTP_ACCEPT_LANGUAGE="nb")
    assert "Ingenting av denne typen" in page.content.decode()


def test_restore_and_purge_go_back_to_the_page_they_came_from(client, secretariat_user, v):
    trash_some(v, secretariat_user, 2)
    client.force_login(secretariat_user)
    query = "?kind=projects.moneyentry&page=1"
    listed = client.get(TRASH + query).content.decode()
    row = MoneyEntry.all_objects.filter(deleted_at__isnull=False).order_by("pk").first()
    restore = reverse("trash_restore", args=["projects.moneyentry", row.pk])
    purge = reverse("trash_purge", args=["projects.moneyentry", row.pk])
    assert f'action="{restore}?kind=projects.moneyentry&amp;page=1"' in listed
    assert f'href="{purge}?kind=projects.moneyentry&amp;page=1"' in listed
    response = client.post(restore + query)
    assert response.status_code == 302 and response.url == TRASH + query
    assert MoneyEntry.objects.filter(pk=row.pk).exists()

    other = MoneyEntry.all_objects.filter(deleted_at__isnull=False).get()
    purge = reverse("trash_purge", args=["projects.moneyentry", other.pk])
    confirm = client.get(purge + query, HTTP_ACCEPT_LANGUAGE="nb").content.decode()
    assert re.search(r'href="/trash/\?kind=projects.moneyentry&amp;page=1">Avbryt', confirm)
    response = client.post(purge + query)
    assert response.status_code == 302 and response.url == TRASH + query
    assert not MoneyEntry.all_objects.filter(pk=other.pk).exists()
    # Only the kind and the page go along, nothing else from the address.
    response = client.post(
        reverse("trash_restore", args=["governance.case", Case.all_objects.first().pk])
        + "?next=https://example.org/&page=2"
    )
    assert response.url == TRASH + "?page=2"
