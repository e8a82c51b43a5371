"""Search as people type: æ/ø/å and their ASCII spellings find the same projects on SQLite
and PostgreSQL; on PostgreSQL a one-letter typo still finds a project (pg_trgm)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects import services
from projects.models import Project
from samarbeid.common.text import fold_for_search
from tests.projects.test_overview_data import vestfold

pytestmark = pytest.mark.django_db
URL = "/projects/"
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="trigram similarity (pg_trgm) exists only on PostgreSQL; SQLite searches by LIKE",
)


def _create(v, name, **fields):
    return services.project_create(
        actor=None,
        cooperation=v.cooperation,
        name=name,
        category=fields.pop("category", Project.Category.OPERATIONS),
        fields=fields,
    )


def _names(client, q) -> list[str]:
    response = client.get(URL, {"q": q})
    assert response.status_code == 200
    return sorted(p.name for p in response.context["page"].object_list)


@pytest.fixture
def portfolio():
    v = vestfold()
    _create(v, "Bredbånd i klasserommet")
    _create(v, "Etablering bredbåndsselskap")
    _create(v, "Kartlegging av næringsarealer", description="Ledige tomter i regionen")
    harbour = _create(v, "Havnevesen", description="Felles havn")
    services.participation_add(actor=None, project=harbour, municipality=v.tonsberg)
    _create(v, "Café-samarbeid", description="Felles kantine")
    return v


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("Bredband", "bredbånd"),
        ("bredbaand", "bredbånd"),
        ("BREDBAAND", "bredbånd"),
        ("naeringsarealer", "næringsarealer"),
        ("naringsarealer", "næringsarealer"),
        ("Tonsberg", "Tønsberg"),
        ("toensberg", "Tønsberg"),
    ],
)
def test_ascii_spellings_find_what_the_norwegian_letters_find(
    client, plain_user, portfolio, typed, written
):
    client.force_login(plain_user)
    expected = _names(client, written)
    assert expected, written
    assert _names(client, typed) == expected


def test_the_folding_works_both_ways(client, plain_user, portfolio):
    """A project written in ASCII is found by the Norwegian spelling, too."""
    _create(portfolio, "Bredbaand til skolene")
    client.force_login(plain_user)
    found = _names(client, "bredbånd")
    assert "Bredbaand til skolene" in found
    assert found == _names(client, "bredband")


def test_search_examples_from_the_issue(client, plain_user, portfolio):
    client.force_login(plain_user)
    assert _names(client, "bredband") == ["Bredbånd i klasserommet", "Etablering bredbåndsselskap"]
    assert _names(client, "naeringsarealer") == ["Kartlegging av næringsarealer"]
    assert _names(client, "Tonsberg") == ["Havnevesen"]
    assert _names(client, "bredband kantine") == []  # every word must still match


def test_folding_rule():
    assert fold_for_search("Bredbånd") == fold_for_search("bredbaand") == "bredband"
    assert fold_for_search("Næringsarealer") == fold_for_search("naeringsarealer")
    assert fold_for_search("Tønsberg") == fold_for_search("Toensberg") == "tonsberg"
    assert fold_for_search("Café  AÆØÅ") == "cafe aoa"
    for word in ("aaae", "Kåre", "bredbaaand", "Øyvind Åsen"):
        assert fold_for_search(fold_for_search(word)) == fold_for_search(word)


def test_migration_refolds_stored_text_like_the_services(portfolio):
    """The stored text is exactly what the services compute (the migration refolds it)."""
    for project in Project.objects.all():
        assert project.search_text == services.search_text_for(project)
        assert "å" not in project.search_text and "ø" not in project.search_text


@on_postgresql
@pytest.mark.parametrize(
    ("typo", "name"),
    [
        ("bredbnd", "Bredbånd i klasserommet"),
        ("Tønsbrg", "Havnevesen"),
        ("naeringsareler", "Kartlegging av næringsarealer"),
        ("klaserommet", "Bredbånd i klasserommet"),
    ],
)
def test_one_letter_typo_still_finds_the_project(client, plain_user, portfolio, typo, name):
    client.force_login(plain_user)
    assert name in _names(client, typo)


@on_postgresql
def test_typo_search_does_not_find_everything(client, plain_user, portfolio):
    client.force_login(plain_user)
    assert _names(client, "bredbnd") == ["Bredbånd i klasserommet", "Etablering bredbåndsselskap"]
    assert _names(client, "xyzzyq") == []


@on_postgresql
def test_trigram_index_exists():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'projects_project_search_trgm'"
        )
        row = cursor.fetchone()
    assert row is not None
    assert "gin_trgm_ops" in row[0]


def _bulk(v, start, count):
    Project.objects.bulk_create(
        [
            Project(
                cooperation=v.cooperation,
                name=f"Bredbånd {i:04d}",
                slug=f"bredband-{i:04d}",
                category="operations",
                search_text=fold_for_search(f"Bredbånd {i:04d} Tønsberg"),
            )
            for i in range(start, start + count)
        ]
    )


def _queries(client, q) -> int:
    client.get(URL, {"q": q})
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL, {"q": q})
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("q", ["bredbaand tonsberg", "Bredbnd"])
def test_search_query_count_does_not_grow_with_projects(client, plain_user, q):
    v = vestfold()
    client.force_login(plain_user)
    _bulk(v, 0, 5)
    small = _queries(client, q)
    _bulk(v, 5, 200)
    assert _queries(client, q) == small


@on_postgresql
def test_a_word_found_as_typed_is_not_also_matched_by_similarity(portfolio):
    """The similarity check is for typos only: with it OR-ed to every word, PostgreSQL
    scanned every project (0.4-0.8 s at 20,000)."""
    from projects.selectors import search_condition

    exact = str(Project.objects.filter(search_condition("bredband")).query)
    typo = str(Project.objects.filter(search_condition("bredbnd")).query)
    assert "<%" not in exact
    assert "<%" in typo
