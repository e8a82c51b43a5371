"""The portfolio list: filters, search, sort, paging, permissions and query counts."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects import selectors, services
from projects.models import Participation, Project, Tag
from tests.projects.test_overview_data import vestfold

pytestmark = pytest.mark.django_db
URL = "/projects/"


def _create(v, name, **fields):
    tags = fields.pop("tags", None)
    return services.project_create(
        actor=None,
        cooperation=v.cooperation,
        name=name,
        category=fields.pop("category", Project.Category.OPERATIONS),
        fields=fields,
        tags=tags,
    )


def _names(response) -> list[str]:
    return [p.name for p in response.context["page"].object_list]


@pytest.fixture
def portfolio():
    v = vestfold()
    d = dt.date
    school = _create(
        v,
        "Bredbånd i klasserommet",
        start_date=d(2001, 1, 1),
        end_date=d(2002, 12, 31),
        end_precision="year",
        tags=["IKT"],
    )
    company = _create(
        v,
        "Etablering bredbåndsselskap",
        start_date=d(2003, 1, 1),
        end_date=d(2003, 12, 31),
        phase=Project.Phase.IN_OPERATION,
        status=Project.Status.IN_OPERATION,
    )
    cafe = _create(
        v, "Café-samarbeid", description="Felles kantine", category=Project.Category.OTHER
    )
    harbour = _create(
        v,
        "Havnevesen",
        start_date=d(2001, 1, 1),
        end_date=None,
        open_ended=True,
        category=Project.Category.PLANNING,
        host_municipality=v.re,
    )
    services.participation_add(actor=None, project=school, municipality=v.vale)
    services.participation_add(actor=None, project=company, municipality=v.horten)
    return v, {"school": school, "company": company, "cafe": cafe, "harbour": harbour}


def test_list_requires_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_list_named_url():
    assert reverse("projects:list") == URL


def test_search_finds_word_inside_compounds_ignoring_case(client, plain_user, portfolio):
    client.force_login(plain_user)
    response = client.get(URL, {"q": "BREDBÅND"})
    assert sorted(_names(response)) == ["Bredbånd i klasserommet", "Etablering bredbåndsselskap"]


def test_search_folds_accents_and_norwegian_letters(client, plain_user, portfolio):
    client.force_login(plain_user)
    assert _names(client.get(URL, {"q": "cafe"})) == ["Café-samarbeid"]
    # æ/ø/å fold to a/o/a (tests/projects/test_search.py has the rest).
    assert len(_names(client.get(URL, {"q": "bredband"}))) == 2


def test_search_finds_participants_and_tags(client, plain_user, portfolio):
    client.force_login(plain_user)
    assert _names(client.get(URL, {"q": "våle"})) == ["Bredbånd i klasserommet"]
    assert _names(client.get(URL, {"q": "ikt"})) == ["Bredbånd i klasserommet"]


def test_filter_on_todays_tonsberg_includes_predecessors(client, plain_user, portfolio):
    v, _projects = portfolio
    client.force_login(plain_user)
    response = client.get(URL, {"municipality": v.tonsberg.pk})
    # Våle (→ Re → Tønsberg) took part in the school project; Re hosts the harbour project.
    assert sorted(_names(response)) == ["Bredbånd i klasserommet", "Havnevesen"]


def test_municipality_options_are_participants_and_their_successors_today(portfolio):
    v, _ = portfolio
    choices = selectors.filter_choices(cooperation=v.cooperation)
    offered = set(choices["municipalities"])
    # Våle and Horten took part, Re hosts; today's Tønsberg carries Våle and Re on.
    assert {v.vale, v.horten, v.re, v.tonsberg} <= offered
    assert choices["hosts"] == [v.re]


def test_filters_by_category_phase_status_host(client, plain_user, portfolio):
    v, _projects = portfolio
    client.force_login(plain_user)
    assert _names(client.get(URL, {"category": "planning"})) == ["Havnevesen"]
    assert _names(client.get(URL, {"phase": "in_operation"})) == ["Etablering bredbåndsselskap"]
    assert _names(client.get(URL, {"status": "in_operation"})) == ["Etablering bredbåndsselskap"]
    assert _names(client.get(URL, {"host": v.re.pk})) == ["Havnevesen"]
    assert _names(client.get(URL, {"tag": "ikt"})) == ["Bredbånd i klasserommet"]


def test_year_range_overlaps_period(client, plain_user, portfolio):
    client.force_login(plain_user)
    names = _names(client.get(URL, {"year_from": 2003, "year_to": 2003}))
    # The company was 2003; the harbour project ("2001 –") is still running; the school
    # project ended 2002; the café project has no known period.
    assert sorted(names) == ["Etablering bredbåndsselskap", "Havnevesen"]


def test_bad_year_range_is_told_at_the_field(client, plain_user, portfolio):
    client.force_login(plain_user)
    client.cookies["django_language"] = "en"
    response = client.get(URL, {"year_from": 2005, "year_to": 2001})
    assert response.status_code == 200
    assert "The end year cannot be before the start year." in str(response.context["form"].errors)


def test_sort_by_start_and_phase(client, plain_user, portfolio):
    client.force_login(plain_user)
    names = _names(client.get(URL, {"sort": "-start"}))
    assert names[0] == "Etablering bredbåndsselskap"
    names = _names(client.get(URL, {"sort": "phase"}))
    assert names[-1] == "Etablering bredbåndsselskap"


def test_htmx_request_gets_only_the_results(client, plain_user, portfolio):
    client.force_login(plain_user)
    response = client.get(URL, {"q": "havn"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert 'id="results"' in body
    assert "<html" not in body
    assert "Havnevesen" in body
    full = client.get(URL, {"q": "havn"}).content.decode()
    assert "<html" in full and 'value="havn"' in full


def test_pagination_keeps_filters_in_links(client, plain_user):
    v = vestfold()
    Project.objects.bulk_create(
        [
            Project(
                cooperation=v.cooperation,
                name=f"Nett {i:02d}",
                slug=f"nett-{i}",
                category="network",
                search_text=f"nett {i:02d}",
            )
            for i in range(30)
        ]
    )
    client.force_login(plain_user)
    response = client.get(URL, {"q": "nett", "sort": "name"})
    assert len(_names(response)) == 25
    assert "?q=nett&amp;sort=name&amp;page=2" in response.content.decode()
    assert _names(client.get(URL, {"q": "nett", "sort": "name", "page": 2}))[0] == "Nett 25"


def test_secretariat_sees_new_project_button_others_do_not(client, plain_user, secretariat_user):
    client.force_login(plain_user)
    assert reverse("projects:create") not in client.get(URL).content.decode()
    client.force_login(secretariat_user)
    assert reverse("projects:create") in client.get(URL).content.decode()


def _bulk(v, start, count):
    projects = Project.objects.bulk_create(
        [
            Project(
                cooperation=v.cooperation,
                name=f"Bulk {i:04d}",
                slug=f"bulk-{i:04d}",
                category="operations",
                start_date=dt.date(1998 + i % 8, 1, 1),
                host_municipality=v.re if i % 3 else None,
                search_text=f"bulk {i}",
            )
            for i in range(start, start + count)
        ]
    )
    tag, _ = Tag.objects.get_or_create(slug="bulk", defaults={"name": "Bulk"})
    Participation.objects.bulk_create(
        [Participation(project=p, municipality=m) for p in projects for m in (v.vale, v.horten)]
    )
    Tag.projects.through.objects.bulk_create(
        [Tag.projects.through(project_id=p.pk, tag_id=tag.pk) for p in projects]
    )


def _queries(client, params) -> int:
    client.get(URL, params)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "bulk", "sort": "phase"},
        {"municipality": "TONSBERG"},
        {"year_from": 2000, "tag": "bulk"},
    ],
)
def test_query_count_does_not_grow_with_projects(client, plain_user, params):
    v = vestfold()
    if params.get("municipality") == "TONSBERG":
        params = {"municipality": v.tonsberg.pk}
    client.force_login(plain_user)
    _bulk(v, 0, 10)
    small = _queries(client, params)
    _bulk(v, 10, 490)
    assert Project.objects.count() == 500
    large = _queries(client, params)
    assert small == large


def test_selector_money_totals_per_project(portfolio):
    _v, projects = portfolio
    school = projects["school"]
    services.money_entry_add(actor=None, project=school, kind="grant", amount_nok=1000000)
    services.money_entry_add(actor=None, project=school, kind="cost", amount_nok=250000)
    services.money_entry_add(
        actor=None,
        project=school,
        kind="benefit",
        amount_nok=100000,
        benefit_category="budget_saving",
        certainty="realised",
    )
    services.money_entry_add(
        actor=None, project=school, kind="benefit", amount_nok=None, benefit_category="non_monetary"
    )
    totals = selectors.money_totals_for_project(
        selectors.project_detail(cooperation=None, slug=school.slug)
    )
    assert totals.grants == 1000000
    assert totals.costs == 250000
    assert totals.benefits_realised == 100000
    assert totals.unpriced == 1


def test_search_the_issue_example_bredband(client, plain_user, portfolio):
    """ "bredbånd" finds "Bredbånd i klasserommet" and "Bredbåndsselskap": any case, inside
    compounds, however the å was typed (composed or decomposed)."""
    v, _projects = portfolio
    _create(v, "Bredbåndsselskap")
    client.force_login(plain_user)
    expected = ["Bredbånd i klasserommet", "Bredbåndsselskap", "Etablering bredbåndsselskap"]
    for q in ("bredbånd", "BREDBÅND", "Bredba\u030and", "  bredbånd  "):
        assert sorted(_names(client.get(URL, {"q": q}))) == expected, q
    assert _names(client.get(URL, {"q": "CAFÉ"})) == ["Café-samarbeid"]
    assert _names(client.get(URL, {"q": "kafe"})) == []  # no guessing beyond accents
    assert _names(client.get(URL, {"q": "bredbånd kantine"})) == []  # every word must match


def test_filter_by_organisation_as_participant_owner_or_consultant(client, plain_user, portfolio):
    from tests.factories import OrganisationFactory

    _v, projects = portfolio
    uni = OrganisationFactory(name="Uninett ABC")
    governor = OrganisationFactory(name="Fylkesmannen i Vestfold")
    services.participation_add(actor=None, project=projects["school"], organisation=uni)
    Project.objects.filter(pk=projects["harbour"].pk).update(owner_organisation=governor)
    client.force_login(plain_user)
    assert _names(client.get(URL, {"organisation": uni.pk})) == ["Bredbånd i klasserommet"]
    assert _names(client.get(URL, {"organisation": governor.pk})) == ["Havnevesen"]


def test_unknown_filter_values_show_everything_and_say_so(client, plain_user, portfolio):
    client.force_login(plain_user)
    response = client.get(URL, {"category": "nonsense", "municipality": "abc", "page": "99"})
    assert response.status_code == 200
    assert len(_names(response)) == 4
    assert "category" in response.context["form"].errors


def test_combined_filters_and_sort_live_in_the_url(client, plain_user, portfolio):
    client.force_login(plain_user)
    params = {"q": "bredbånd", "category": "operations", "year_from": 2001, "sort": "-start"}
    response = client.get(URL, params)
    assert _names(response) == ["Etablering bredbåndsselskap", "Bredbånd i klasserommet"]
    body = response.content.decode()
    assert 'hx-push-url="true"' in body and 'method="get"' in body
    assert 'value="bredbånd"' in body and '<option value="-start" selected>' in body


def test_filter_options_are_cached_and_a_new_participant_shows_at_once(client, plain_user):
    """The filter's options are computed once per data version; a municipality that takes
    part through the services is an option on the very next request."""
    v = vestfold()
    project = _create(v, "Felles innkjøp")
    services.participation_add(actor=None, project=project, municipality=v.vale)
    client.force_login(plain_user)

    def options() -> set[str]:
        # Read from the page (the rendered form is itself cached per data version).
        html = client.get(URL).content.decode()
        select = re.search(r'<select name="municipality".*?</select>', html, re.S)
        assert select is not None
        return set(re.findall(r'<option value="([^"]*)"', select.group(0)))

    assert str(v.vale.pk) in options()
    assert str(v.horten.pk) not in options()
    services.participation_add(actor=None, project=project, municipality=v.horten)
    assert str(v.horten.pk) in options()


def test_a_renamed_project_shows_on_the_next_request_to_the_cached_list(client, plain_user):
    """The list's form and results are rendered once per data version: an edit through the
    services shows on the very next request, in the list and in a filtered list."""
    v = vestfold()
    project = _create(v, "Felles innkjøp")
    client.force_login(plain_user)
    assert "Felles innkjøp" in client.get(URL).content.decode()
    assert "Felles innkjøp" in client.get(URL, {"q": "innkjøp"}).content.decode()
    services.project_update(
        actor=None,
        project=project,
        expected_version=project.version,
        changes={"name": "Felles lønn"},
    )
    page = client.get(URL).content.decode()
    assert "Felles lønn" in page and "Felles innkjøp" not in page
    assert "Felles innkjøp" not in client.get(URL, {"q": "innkjøp"}).content.decode()
