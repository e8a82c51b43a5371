import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hearings import services
from hearings.models import Comment
from tests.governance.factories import contact_user
from tests.hearings.factories import municipality, open_hearing, submit, token_from_mail

pytestmark = pytest.mark.django_db


def _published(hearing, *, show_name: bool, email: str, name: str = "Kari Nordmann"):
    c = submit(
        hearing, show_name=show_name, email=email, name=name, text="<b>fet</b> <script>x()</script>"
    )
    confirmed = services.comment_confirm(token=token_from_mail())
    assert confirmed is not None and confirmed.pk == c.pk
    return services.comment_publish(actor=None, comment=confirmed)


def test_comment_through_the_page_then_confirm_by_link(client):
    h = open_hearing()
    url = reverse("hearings:detail", args=[h.pk])
    response = client.post(
        url,
        {"text": "Husk sykkelveien", "name": "Ola", "email": "ola@example.org", "show_name": "on"},
    )
    assert response.status_code == 200
    assert "e-post" in response.content.decode() or "e-mail" in response.content.decode()
    token = token_from_mail()
    response = client.get(reverse("hearings:confirm", args=[token]))
    assert response.status_code == 200
    assert Comment.objects.get().confirmed_at is not None
    assert client.get(reverse("hearings:confirm", args=["forged"])).status_code == 404


def test_refused_comment_keeps_the_text_and_says_why(client):
    h = open_hearing()
    url = reverse("hearings:detail", args=[h.pk])
    response = client.post(url, {"text": "Min tekst", "name": "Ola", "email": "ikke-en-adresse"})
    assert response.status_code == 422
    assert "Min tekst" in response.content.decode()
    response = client.post(
        url, {"text": "Spam", "name": "Bot", "email": "bot@example.org", "website": "x"}
    )
    assert response.status_code == 422
    assert not Comment.objects.exists()
    assert not mail.outbox


def test_privacy_no_email_or_withheld_name_on_public_surfaces(client):
    h = open_hearing()
    _published(h, show_name=False, email="hemmelig@example.org", name="Skjult Navnesen")
    _published(h, show_name=True, email="synlig@example.org", name="Åpen Person")
    pages = [
        reverse("hearings:list"),
        reverse("hearings:detail", args=[h.pk]),
        reverse("hearings:embed", args=[h.pk]),
        reverse("portal:embed", args=["3905"]),
        reverse("portal:embed_json", args=["3905"]),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert "@example.org" not in html, url
        assert "Skjult Navnesen" not in html, url
    detail = client.get(reverse("hearings:detail", args=[h.pk])).content.decode()
    assert "Åpen Person" in detail
    assert "&lt;script&gt;" in detail and "<script>x()" not in detail


def test_widget_lists_open_hearings_with_the_form(client):
    h = open_hearing(title="Reguleringsplan Kaldnes")
    data = client.get(reverse("portal:embed_json", args=["3905"])).json()
    assert [x["title"] for x in data["hearings"]] == ["Reguleringsplan Kaldnes"]
    assert data["hearings"][0]["url"].endswith(reverse("hearings:embed", args=[h.pk]))
    html = client.get(reverse("portal:embed", args=["3905"])).content.decode()
    assert "Reguleringsplan Kaldnes" in html
    other = client.get(reverse("portal:embed_json", args=["3907"])).json()
    assert other["hearings"] == []
    form = client.get(reverse("hearings:embed", args=[h.pk]))
    assert "frame-ancestors *" in form["Content-Security-Policy"]


def test_officer_actions_403_for_others_and_nothing_changes(client, django_user_model):
    h = open_hearing()
    c = submit(h)
    services.comment_confirm(token=token_from_mail())
    outsider = contact_user(django_user_model, "sandefjord", municipality("3907"))
    client.force_login(outsider)
    for action in ("publish", "hold", "process"):
        response = client.post(
            reverse("hearings:comment_action", args=[c.pk, action]),
            {"reason": "x", "topic": "t", "response": "r"},
        )
        assert response.status_code == 403
    assert client.get(reverse("hearings:desk_hearing", args=[h.pk])).status_code == 403
    c.refresh_from_db()
    assert (c.state, c.topic, c.held_back_reason) == (Comment.State.RECEIVED, "", "")


def test_contact_publishes_and_tags_from_the_desk(client, django_user_model):
    h = open_hearing()
    c = submit(h)
    services.comment_confirm(token=token_from_mail())
    client.force_login(contact_user(django_user_model, "tonsberg", municipality("3905")))
    page = client.get(reverse("hearings:desk_hearing", args=[h.pk]))
    assert c.reference in page.content.decode()
    client.post(reverse("hearings:comment_action", args=[c.pk, "publish"]))
    client.post(
        reverse("hearings:comment_action", args=[c.pk, "process"]),
        {"topic": "Trafikk", "response": "Vurderes."},
    )
    c.refresh_from_db()
    assert (c.state, c.topic) == (Comment.State.PUBLISHED, "Trafikk")
    assert "Vurderes." in client.get(reverse("hearings:detail", args=[h.pk])).content.decode()


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_public_pages_query_counts_do_not_grow(client):
    h = open_hearing()
    _published(h, show_name=True, email="a@example.org")
    detail = reverse("hearings:detail", args=[h.pk])
    few_list, few_detail = _count(client, reverse("hearings:list")), _count(client, detail)
    for i in range(4):
        open_hearing(title=f"Høring {i}")
        _published(h, show_name=bool(i % 2), email=f"p{i}@example.org")
    assert _count(client, reverse("hearings:list")) <= few_list
    assert _count(client, detail) <= few_detail


def test_new_hearing_from_the_desk_warns_below_six_weeks(client, django_user_model):
    client.force_login(contact_user(django_user_model, "tonsberg", municipality("3905")))
    mun = municipality("3905")
    data = {
        "title": "Reguleringsplan Kaldnes",
        "summary": "Nye boliger.",
        "plan_municipality": mun.pk,
        "plan_identifier": "2026007",
        "municipalities": [mun.pk],
        "start_date": "2026-03-02",
        "deadline": "2026-03-20",
    }
    response = client.post(reverse("hearings:new"), data)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "seks uker" in page
    other = municipality("3907")
    response = client.post(
        reverse("hearings:new"),
        {**data, "plan_municipality": other.pk, "municipalities": [other.pk]},
    )
    assert response.status_code == 403


def test_per_address_limit_on_the_network(client, monkeypatch):
    monkeypatch.setattr("hearings.views.MAX_COMMENTS_PER_IP_PER_HOUR", 2)
    h = open_hearing()
    url = reverse("hearings:detail", args=[h.pk])
    for i in range(2):
        data = {"text": "Hei", "name": "Ola", "email": f"ola{i}@example.org"}
        assert client.post(url, data).status_code == 200
    response = client.post(url, {"text": "Min tekst", "name": "Ola", "email": "x@example.org"})
    assert response.status_code == 422
    assert "Min tekst" in response.content.decode()
    assert Comment.objects.count() == 2
