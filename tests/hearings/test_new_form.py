"""The new-hearing form (issue 16): the cooperation's members as ticks, any other
municipality, case or project by search (htmx, folded as the rest of the site searches),
what the page reads stays the same however many municipalities, cases and projects there
are, and only who runs hearings may open it (cases and projects only the secretariat)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hearings.models import Hearing
from hearings.selectors import PICK_LIMIT, case_matches
from members.models import Membership
from projects.services import refresh_search_text
from tests.factories import CooperationFactory
from tests.governance.factories import CaseFactory, contact_user
from tests.hearings.factories import municipality
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db

VESTFOLD = ("3901", "3903", "3905", "3907")  # Horten, Holmestrand, Tønsberg, Sandefjord
NEW = reverse("hearings:new")


def _pick(what: str) -> str:
    return reverse("hearings:pick", args=[what])


@pytest.fixture
def cooperation():
    """The desk's cooperation (the first one) with four current Vestfold members."""
    coop = CooperationFactory(name="Vestfoldsamarbeidet")
    for number in VESTFOLD:
        Membership.objects.create(
            cooperation=coop, municipality=municipality(number), joined=dt.date(2020, 1, 1)
        )
    return coop


def _count(client, url: str, data=None) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, data or {})
    assert response.status_code == 200, response.status_code
    return len(ctx.captured_queries), response.content.decode()


def _data(**extra):
    data = {"title": "Høring om felles renovasjon", "summary": "Kort om saken."}
    data.update(start_date="2026-03-02", **extra)
    return data


def test_members_first_and_no_list_of_all_norway(secretariat_client, cooperation):
    _, page = _count(secretariat_client, NEW)
    assert "Medlemmene i Vestfoldsamarbeidet" in page
    assert 'name="municipalities" value="{}"'.format(municipality("3905").pk) in page
    assert "Bodø" not in page and "Bærum" not in page  # found by search, not listed
    assert 'for="pick-municipalities-q">En annen kommune</label>' in page
    assert "Søk etter styresak" in page and "Søk etter prosjekt" in page


def test_a_hearing_with_a_member_and_a_searched_municipality(secretariat_client, cooperation):
    project = ProjectFactory(name="Bredbånd til alle")
    tonsberg, bodo = municipality("3905"), municipality("1804")
    _, found = _count(secretariat_client, _pick("municipalities"), {"q": "bodo"})
    assert f'value="{bodo.pk}"' in found and "Bodø" in found
    # The searched one stays ticked at the top of the next search.
    _, again = _count(
        secretariat_client, _pick("municipalities"), {"q": "baerum", "municipalities": bodo.pk}
    )
    assert again.index("Bodø") < again.index("Bærum")
    assert f'value="{bodo.pk}" id="pick-municipalities-{bodo.pk}" checked' in again
    response = secretariat_client.post(
        NEW,
        _data(owner="project", project=project.pk, municipalities=[tonsberg.pk, bodo.pk]),
    )
    assert response.status_code == 302, response.content.decode()
    hearing = Hearing.objects.get()
    assert hearing.project == project
    assert set(hearing.municipalities.all()) == {tonsberg, bodo}


def test_a_plan_of_a_searched_municipality_and_leftovers_of_other_kinds(
    secretariat_client, cooperation
):
    bodo = municipality("1804")
    case = CaseFactory()
    response = secretariat_client.post(
        NEW,
        _data(
            owner="plan",
            case=case.pk,  # ticked before the officer changed the kind: does not count
            plan_municipality=bodo.pk,
            plan_identifier="2026007",
            municipalities=[bodo.pk],
        ),
    )
    assert response.status_code == 302
    hearing = Hearing.objects.get()
    assert (hearing.plan_municipality, hearing.case) == (bodo, None)


def test_bad_input_names_the_field_and_keeps_the_choices(secretariat_client, cooperation):
    bodo = municipality("1804")
    no_case = secretariat_client.post(NEW, _data(owner="case", municipalities=[bodo.pk]))
    assert no_case.status_code == 422
    page = no_case.content.decode()
    assert "Velg styresaken som sendes på høring." in page
    assert f'value="{bodo.pk}" id="pick-municipalities-{bodo.pk}" checked' in page
    assert "Høring om felles renovasjon" in page
    no_id = secretariat_client.post(NEW, _data(owner="plan", plan_municipality=bodo.pk))
    assert "Planidentifikasjon" in no_id.content.decode()
    assert "En kommunal plan må ha planidentifikasjon." in no_id.content.decode()
    bad = secretariat_client.post(NEW, _data(owner="project", project="999999"))
    assert bad.status_code == 422 and not Hearing.objects.exists()


def test_preselected_from_the_case_page(secretariat_client, cooperation):
    old = CaseFactory(title="Felles renovasjon")
    for i in range(8):
        CaseFactory(title=f"Nyere sak {i}")
    page = secretariat_client.get(NEW, {"case": old.pk}).content.decode()
    assert 'name="owner" value="case" id="id_owner_0" checked' in page
    assert f'name="case" value="{old.pk}" id="pick-case-{old.pk}" checked' in page


def test_search_folds_as_the_rest_of_the_site(secretariat_client, cooperation):
    CaseFactory(number="7/2026", title="Felles høring om næringsareal")
    project = ProjectFactory(name="Bredbånd i Vestfold")
    refresh_search_text(project)
    for query in ("naeringsareal", "HORING", "7/2026"):
        _, found = _count(secretariat_client, _pick("case"), {"q": query})
        assert "Felles høring om næringsareal" in found, query
    CaseFactory(number="8/2026", title="Ny høring om vannverk")  # the kept index moves on
    assert "Ny høring om vannverk" in _count(secretariat_client, _pick("case"), {"q": "horing"})[1]
    for query in ("bredbaand", "BREDBAND"):
        _, found = _count(secretariat_client, _pick("project"), {"q": query})
        assert "Bredbånd i Vestfold" in found, query
    for query, name in (("aasnes", "Åsnes"), ("Toensberg", "Tønsberg"), ("1804", "Bodø")):
        _, found = _count(secretariat_client, _pick("plan_municipality"), {"q": query})
        assert name in found, query
    _, member = _count(secretariat_client, _pick("municipalities"), {"q": "tonsberg"})
    assert "Medlemmer, står i lista over: Tønsberg." in member
    _, none = _count(secretariat_client, _pick("municipalities"), {"q": "xyzzy"})
    assert "Ingen treff på «xyzzy»." in none


def test_case_search_runs_folded_in_the_database_and_stops_at_the_limit(
    secretariat_client, cooperation
):
    """“havn” finds Havneutvikling, “tonsberg” finds Tønsberg (and “Tonsberg”, “toensberg”
    alike); more matches than the picker shows give the newest PICK_LIMIT of them."""
    harbour = CaseFactory(number="3/2026", title="Havneutvikling i Tønsberg")
    CaseFactory(number="4/2026", title="Ny barnehage i Horten")
    _, found = _count(secretariat_client, _pick("case"), {"q": "havn"})
    assert "3/2026 Havneutvikling i Tønsberg" in found and "Horten" not in found
    for query in ("tonsberg", "Tønsberg", "TOENSBERG", "havn tons", "3/2026 utvikl"):
        _, found = _count(secretariat_client, _pick("case"), {"q": query})
        assert f'value="{harbour.pk}"' in found, query
    _, none = _count(secretariat_client, _pick("case"), {"q": "havn horten"})
    assert "Ingen treff på «havn horten»." in none
    many = [CaseFactory(title=f"Havnesak {i}") for i in range(PICK_LIMIT + 3)]
    with CaptureQueriesContext(connection) as ctx:
        shown = case_matches("havn")
    assert [c.pk for c in shown] == [c.pk for c in reversed(many)][:PICK_LIMIT]
    assert len(ctx.captured_queries) == 1
    assert f"LIMIT {PICK_LIMIT}" in ctx.captured_queries[0]["sql"]
    _, page = _count(secretariat_client, _pick("case"), {"q": "havn"})
    assert page.count('name="case"') == PICK_LIMIT
    assert f"De første {PICK_LIMIT} treffene" in page


def test_municipality_search_folds_names(secretariat_client, cooperation):
    """“tonsberg” and “tøns” find Tønsberg (a member: named as in the list above), “bodo”
    finds Bodø (any other municipality in the register)."""
    for query in ("tonsberg", "tøns", "TOENS"):
        _, found = _count(secretariat_client, _pick("plan_municipality"), {"q": query})
        assert "Medlemmer, står i lista over: Tønsberg." in found, query
    bodo = municipality("1804")
    for query in ("bodo", "Bodø", "1804"):
        _, found = _count(secretariat_client, _pick("plan_municipality"), {"q": query})
        assert f'value="{bodo.pk}"' in found and "Bodø" in found, query


def test_queries_do_not_grow_with_members_cases_and_projects(secretariat_client, cooperation):
    bodo = municipality("1804")
    old_case = CaseFactory()  # past the five recent ones: read by its key
    CaseFactory.create_batch(5)  # N = 6 cases and projects, then 3N
    for i in range(6):
        refresh_search_text(ProjectFactory(name=f"Første prosjekt {i}"))
    urls = [
        (NEW, {}),
        (NEW, {"case": old_case.pk}),
        (_pick("municipalities"), {"q": "sand", "municipalities": bodo.pk}),
        (_pick("plan_municipality"), {"q": "b"}),
        (_pick("case"), {"q": "sak"}),
        (_pick("project"), {"q": "prosjekt"}),
        (_pick("project"), {}),
    ]
    before = [_count(secretariat_client, url, data)[0] for url, data in urls]
    post_before = _post_count(secretariat_client, bodo)
    for number in ("3909", "3911"):  # Larvik, Færder
        Membership.objects.create(
            cooperation=cooperation, municipality=municipality(number), joined=dt.date(2020, 1, 1)
        )
    for i in range(12):
        CaseFactory(title=f"Sak om prosjekt {i}")
        refresh_search_text(ProjectFactory(name=f"Prosjekt {i}"))
    after = [_count(secretariat_client, url, data)[0] for url, data in urls]
    assert after == before
    assert _post_count(secretariat_client, bodo) == post_before


def _post_count(client, bodo) -> int:
    """An invalid post re-draws the page with what was chosen."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(NEW, _data(owner="case", municipalities=[bodo.pk]))
    assert response.status_code == 422
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["plain_user", "board_user"])
def test_only_who_runs_hearings(client, cooperation, request, who):
    client.force_login(request.getfixturevalue(who))
    for url in (NEW, _pick("municipalities"), _pick("case"), _pick("project")):
        assert client.get(url, {"q": "a"}).status_code == 403, url
    assert client.post(NEW, _data(owner="plan")).status_code == 403
    assert not Hearing.objects.exists()


def test_signed_out_goes_to_sign_in(client):
    for url in (NEW, _pick("case")):
        assert client.get(url).status_code == 302


def test_a_municipality_contact_runs_plans_only(client, django_user_model, cooperation):
    client.force_login(contact_user(django_user_model, "tonsberg", municipality("3905")))
    page = client.get(NEW).content.decode()
    assert 'value="plan" id="id_owner_0" checked' in page
    assert "Søk etter styresak" not in page
    assert client.get(_pick("municipalities"), {"q": "bodo"}).status_code == 200
    assert client.get(_pick("case"), {"q": "a"}).status_code == 403
    assert client.get(_pick("project"), {"q": "a"}).status_code == 403
    assert client.get(_pick("elsewhere")).status_code == 404
