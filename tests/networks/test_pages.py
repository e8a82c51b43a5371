import datetime as dt

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse

from networks import services
from networks.models import Document, DocumentVersion, Network
from tests.common.test_language import ENGLISH, Recorder, _visible_text
from tests.factories import PersonFactory
from tests.networks.factories import make_document
from tests.projects.factories import MunicipalityFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def _nb(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"


# --- who sees which document -------------------------------------------------------------------


@pytest.fixture
def documents(network, other_network):
    return {
        "own": make_document(network, title="Verjemaal sjekkliste", text="hemmelig ord alfa"),
        "shared": make_document(
            network, title="Delt rutine", text="felles ord alfa", visibility="members"
        ),
        "public": make_document(
            network, title="Offentlig veileder", text="offentlig ord alfa", visibility="public"
        ),
        "theirs": make_document(other_network, title="IKT-strategi", text="deres ord alfa"),
    }


def _search(client, query):
    response = client.get(reverse("networks:library"), {"q": query})
    assert response.status_code == 200
    return {hit.document.title for hit in response.context["result"].hits}


def test_a_member_of_another_network_cannot_see_network_only_documents(
    client, outsider_user, documents, network
):
    client.force_login(outsider_user)
    assert _search(client, "alfa") == {"Delt rutine", "Offentlig veileder", "IKT-strategi"}
    page = client.get(reverse("networks:detail", args=[network.slug])).content.decode()
    assert "Verjemaal sjekkliste" not in page and "Delt rutine" in page
    own = documents["own"]
    assert client.get(reverse("networks:document", args=[own.pk])).status_code == 404
    version = own.versions.get()
    assert client.get(reverse("networks:version_file", args=[version.pk])).status_code == 404
    listing = client.get(reverse("networks:library")).content.decode()
    assert "Verjemaal sjekkliste" not in listing and "IKT-strategi" in listing


def test_a_member_sees_its_own_network_documents(client, member_user, documents):
    client.force_login(member_user)
    assert _search(client, "alfa") == {
        "Verjemaal sjekkliste",
        "Delt rutine",
        "Offentlig veileder",
    }
    version = documents["own"].versions.get()
    response = client.get(reverse("networks:version_file", args=[version.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"hemmelig ord alfa"


def test_the_secretariat_and_the_board_read_everything(client, board_user, documents):
    client.force_login(board_user)
    assert len(_search(client, "alfa")) == 4


def test_search_shows_the_passage_and_folds_letters(client, member_user, network):
    make_document(network, title="Mal", text="Vi bygget bredbånd til alle skoler i kommunen.")
    client.force_login(member_user)
    _nb(client)
    response = client.get(reverse("networks:library"), {"q": "bredbaand"})
    assert "<mark>bredbånd</mark> til alle skoler" in response.content.decode()


def test_any_version_can_be_downloaded(client, member_user, network):
    document = make_document(network, title="Mal", text="første")
    services.document_version_add(
        actor=None, document=document, upload=ContentFile(b"andre", name="x.txt")
    )
    client.force_login(member_user)
    first, second = document.versions.order_by("number")
    body = client.get(reverse("networks:version_file", args=[first.pk]))
    assert b"".join(body.streaming_content) == "første".encode()
    page = client.get(reverse("networks:document", args=[document.pk])).content.decode()
    assert reverse("networks:version_file", args=[first.pk]) in page
    assert reverse("networks:version_file", args=[second.pk]) in page


def test_an_unreadable_file_is_kept_and_marked_on_the_page(client, member_user, network):
    client.force_login(member_user)
    _nb(client)
    response = client.post(
        reverse("networks:document_new", args=[network.slug]),
        {
            "title": "Skannet skjema",
            "kind": "template",
            "visibility": "network",
            "file": ContentFile(b"\x89PNG\r\n\x1a\n" + b"\0" * 50, name="skjema.png"),
        },
    )
    assert response.status_code == 302
    version = DocumentVersion.objects.get()
    assert version.text_status == "unreadable"
    page = client.get(response["Location"]).content.decode()
    assert "teksten kunne ikke leses" in page


def test_a_refused_upload_is_a_400_naming_the_file(client, member_user, network):
    client.force_login(member_user)
    response = client.post(
        reverse("networks:document_new", args=[network.slug]),
        {
            "title": "Farlig",
            "kind": "template",
            "visibility": "network",
            "file": ContentFile(b"<svg onload=alert(1)>", name="a.pdf"),
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["file"]
    assert not Document.objects.exists()


# --- experience on the project and municipality pages, proposals on the network page ----------


def test_experience_shows_on_network_project_and_municipality_pages(client, secretariat_user):
    from members.selectors import default_cooperation

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    network = Network.objects.get(name="Overformynderi")
    project = ProjectFactory(cooperation=default_cooperation(), name="Verjemålsprosjektet")
    municipality = MunicipalityFactory(number="3803", valid_from=dt.date(2020, 1, 1))
    services.experience_add(
        actor=None,
        network=network,
        date=dt.date(2024, 5, 1),
        title="Felles mal for regnskap",
        text="Alle kommunene bruker nå samme mal.",
        municipalities=[municipality],
        projects=[project],
    )
    client.force_login(secretariat_user)
    for url in (
        reverse("networks:detail", args=[network.slug]),
        reverse("projects:detail", args=[project.slug]),
        reverse("overview:municipality", args=["3803"]),
    ):
        assert "Felles mal for regnskap" in client.get(url).content.decode(), url


def test_the_network_page_shows_what_became_of_a_proposal(client, coordinator_user, network):
    proposal = services.proposal_create(
        actor=coordinator_user,
        network=network,
        name="Felles verjemålsportal",
        description="x",
        proposed_on=dt.date(2024, 3, 1),
    )
    from governance.models import Case

    case = Case.objects.create(
        cooperation=network.cooperation, number="7/2024", title="Verjemålsportal"
    )
    case.projects.add(proposal.project)
    client.force_login(coordinator_user)
    _nb(client)
    page = client.get(reverse("networks:detail", args=[network.slug])).content.decode()
    assert "Felles verjemålsportal" in page and "Fase nå" in page and "7/2024" in page


# --- flat query counts -------------------------------------------------------------------------


def _grow(network, n):
    from tests.factories import PersonFactory
    from tests.networks.factories import NetworkFactory, NetworkMemberFactory

    for i in range(n):
        make_document(network, title=f"Dokument {i}", text=f"rutine nummer {i}")
        member = NetworkMemberFactory(network=network, person=PersonFactory())
        meeting = services.meeting_create(
            actor=None, network=network, date=dt.date(2024, 1, 1 + i), attendees=[member]
        )
        assert meeting
        services.experience_add(
            actor=None,
            network=network,
            date=dt.date(2024, 2, 1 + i),
            title=f"Erfaring {i}",
            text="x",
            municipalities=[MunicipalityFactory()],
        )
        NetworkFactory(cooperation=network.cooperation)


CACHED = {
    "list",
    "detail",
    "library",
    "search",
    "network-search",
    "api",
    "api-search",
    "api-network",
}


def _counts(client, url, params) -> tuple[int, int]:
    """The queries of a miss (the data version moved: everything computed again) and of the
    hit after it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from projects.analytics.cache import bump_data_version

    bump_data_version()
    with CaptureQueriesContext(connection) as miss:
        assert client.get(url, params).status_code == 200
    with CaptureQueriesContext(connection) as hit:
        assert client.get(url, params).status_code == 200
    return len(miss.captured_queries), len(hit.captured_queries)


@pytest.mark.parametrize(
    "page",
    [
        "list",
        "detail",
        "library",
        "search",
        "network-search",
        "training",
        "api",
        "api-search",
        "api-network",
    ],
)
def test_query_counts_do_not_grow_with_rows(client, member_user, network, page):
    """A miss and a hit run as many queries with N rows as with 3N; a hit of a kept page or
    API list (networks.page_cache) is the one query of the signed-in request (its session,
    user and data version, samarbeid.common.signin)."""
    urls = {
        "list": (reverse("networks:list"), {}),
        "detail": (reverse("networks:detail", args=[network.slug]), {}),
        "library": (reverse("networks:library"), {}),
        "search": (reverse("networks:library"), {"q": "rutine"}),
        "network-search": (reverse("networks:library"), {"q": "rutine", "network": network.slug}),
        "training": (reverse("networks:training"), {}),
        "api": ("/api/networks/documents", {}),
        "api-search": ("/api/networks/documents", {"q": "rutine", "page": 1}),
        "api-network": ("/api/networks/documents", {"network": network.slug, "page": 2}),
    }
    url, params = urls[page]
    client.force_login(member_user)
    client.get(url, params)
    _grow(network, 2)
    few = _counts(client, url, params)
    _grow(network, 4)
    many = _counts(client, url, params)
    assert many == few
    if page in CACHED:
        assert many[1] == 1


# --- every networks page in both languages ---------------------------------------------------


def test_every_networks_page_in_norwegian_and_english(client, secretariat_user, monkeypatch):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    network = Network.objects.get(name="Overformynderi")
    meeting = services.meeting_create(
        actor=None, network=network, date=dt.date(2024, 1, 10), agenda="Maler", minutes="Vedtatt"
    )
    document = network.documents.first()
    version = document.versions.first()
    programme = network.cooperation.programmes.get(name="12k Trainee")
    urls = [
        reverse("networks:list"),
        reverse("networks:library"),
        reverse("networks:library") + "?q=fylkesmannen",
        reverse("networks:library") + "?q=ordsomikkefinnes",
        reverse("networks:training"),
        reverse("networks:programme", args=[programme.slug]),
        reverse("networks:programme_new"),
        reverse("networks:course_new", args=[programme.slug]),
        reverse("networks:session_new", args=[programme.courses.first().pk]),
        reverse("networks:document", args=[document.pk]),
        reverse("networks:document_edit", args=[document.pk]),
        reverse("networks:meeting", args=[meeting.pk]),
        reverse("networks:meeting_edit", args=[meeting.pk]),
        reverse("networks:membership_edit", args=[network.memberships.first().pk]),
    ]
    person = services.member_add(
        actor=None, network=network, person=PersonFactory(), start=dt.date(2020, 1, 1)
    )
    urls.append(reverse("networks:member_edit", args=[person.pk]))
    for name in (
        "detail",
        "edit",
        "membership_new",
        "member_new",
        "meeting_new",
        "document_new",
        "experience_new",
        "proposal_new",
    ):
        urls.append(reverse(f"networks:{name}", args=[network.slug]))
    client.force_login(secretariat_user)
    _nb(client)
    recorder = Recorder(monkeypatch)
    english = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = _visible_text(response.content.decode())
        english += [
            f"{url}: {m.group()} in …{text[max(0, m.start() - 40) : m.end() + 40]}…"
            for m in ENGLISH.finditer(text)
        ]
    assert not recorder.missing(), recorder.missing()
    assert not english, "\n".join(english)
    assert client.get(reverse("networks:version_file", args=[version.pk])).status_code == 200
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("networks:detail", args=[network.slug])).content.decode()
    assert "Member municipalities and organisations" in page


# --- the API -----------------------------------------------------------------------------------


def test_api_lists_and_searches_only_what_the_user_may_see(client, outsider_user, documents):
    client.force_login(outsider_user)
    listed = client.get("/api/networks/documents").json()
    assert {d["title"] for d in listed["results"]} == {
        "Delt rutine",
        "Offentlig veileder",
        "IKT-strategi",
    }
    found = client.get("/api/networks/documents", {"q": "alfa"}).json()
    assert found["count"] == 3
    assert "Verjemaal sjekkliste" not in {d["title"] for d in found["results"]}
    hit = next(d for d in found["results"] if d["title"] == "Delt rutine")
    assert "<mark>alfa</mark>" in hit["passage"]
    assert hit["versions"][0]["download"].startswith("/networks/versions/")
    client.logout()
    assert client.get("/api/networks/documents").status_code == 401


def test_api_query_count_does_not_grow(client, member_user, network):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(member_user)
    _grow(network, 2)
    counts = []
    for n in (0, 6):
        _grow(network, n)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/networks/documents", {"q": "rutine"}).status_code == 200
            assert client.get("/api/networks/documents").status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]
