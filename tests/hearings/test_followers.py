"""Following a municipality's hearings: confirmed by a link, told when a hearing opens and
when its outcome is published, one-click unsubscribe in every mail; forged or expired links
change nothing; rate-limited and honeypotted like comments."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from hearings import services
from hearings.models import Follower
from tests.hearings.factories import municipality

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def _link(kind: str, message_index: int = -1) -> str:
    found = re.search(rf"/portal/hearings/{kind}/([^/\s]+)/", mail.outbox[message_index].body)
    assert found, mail.outbox[message_index].body
    return found.group(0)


def _follow(client, number="3905", email="per@example.org", url_name="hearings:municipality"):
    return client.post(reverse(url_name, args=[number]), {"email": email})


def _draft(title="Reguleringsplan Kaldnes", number="3905"):
    mun = municipality(number)
    today = timezone.localdate()
    return services.hearing_create(
        actor=None,
        title=title,
        summary="Nye boliger.",
        start_date=today,
        municipalities=[mun],
        plan_municipality=mun,
        plan_identifier="2026007",
    )


def test_follow_confirm_then_told_on_open_and_outcome_then_unsubscribe(client):
    response = _follow(client)
    assert response.status_code == 200
    assert not Follower.objects.filter(confirmed_at__isnull=False).exists()
    hearing = _draft()
    services.hearing_open(actor=None, hearing=hearing)
    assert len(mail.outbox) == 1  # only the confirmation: not confirmed, not told
    confirm = _link("follow", 0)
    assert client.get(confirm).status_code == 200
    assert Follower.objects.get().confirmed_at is not None

    mail.outbox.clear()
    opened = services.hearing_open(actor=None, hearing=_draft(title="Kommuneplan"))
    assert [m.to for m in mail.outbox] == [["per@example.org"]]
    news = mail.outbox[0]
    assert "Kommuneplan" in news.subject and opened.deadline.strftime("%d.%m.%Y") in news.body
    stop = _link("unsubscribe", 0)
    assert news.extra_headers["List-Unsubscribe"] == f"<{stop}>"
    assert news.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    mail.outbox.clear()
    services.hearing_close(actor=None, hearing=opened)
    assert not mail.outbox
    services.hearing_mark_processed(actor=None, hearing=opened)
    assert len(mail.outbox) == 1 and "Kommuneplan" in mail.outbox[0].subject
    assert _link("unsubscribe", 0) == stop

    assert client.get(stop).status_code == 200  # asks; a mail scanner changes nothing
    assert Follower.objects.exists()
    response = client.post(stop, {"List-Unsubscribe": "One-Click"})  # the mail client's post
    assert response.status_code == 200
    assert not Follower.objects.exists()
    mail.outbox.clear()
    services.hearing_open(actor=None, hearing=_draft(title="Tredje"))
    assert not mail.outbox


def test_other_municipalities_followers_are_not_told(client):
    _follow(client, number="3907", email="sandefjord@example.org")
    client.get(_link("follow"))
    mail.outbox.clear()
    services.hearing_open(actor=None, hearing=_draft())
    assert not mail.outbox


def test_forged_or_expired_links_change_nothing(client):
    _follow(client)
    confirm = _link("follow")
    follower = Follower.objects.get()
    assert client.get(reverse("hearings:follow_confirm", args=["forged"])).status_code == 404
    assert client.post(reverse("hearings:unsubscribe", args=["forged"])).status_code == 404
    Follower.objects.update(requested_at=timezone.now() - dt.timedelta(days=4))
    assert client.get(confirm).status_code == 404
    follower.refresh_from_db()
    assert follower.confirmed_at is None


def test_follow_again_tells_no_one_who_follows_and_the_address_is_not_in_history(client):
    _follow(client)
    client.get(_link("follow"))
    mail.outbox.clear()
    response = _follow(client, email="PER@example.org")
    assert response.status_code == 200
    assert not mail.outbox  # already following: nothing new sent, the page says the same
    assert Follower.objects.count() == 1
    assert "per@example.org" not in str(list(Follower.history.values()))


def test_follow_in_the_widget_honeypot_and_rate_limits(client, monkeypatch):
    url = reverse("hearings:embed_follow", args=["3905"])
    page = client.get(url)
    assert page.status_code == 200 and "frame-ancestors *" in page["Content-Security-Policy"]
    bot = client.post(url, {"email": "bot@example.org", "website": "x"})
    assert bot.status_code == 422 and not Follower.objects.exists() and not mail.outbox
    for _ in range(services.MAX_FOLLOW_REQUESTS_PER_ADDRESS_PER_HOUR):
        assert _follow(client, url_name="hearings:embed_follow").status_code == 200
    assert _follow(client, url_name="hearings:embed_follow").status_code == 422
    assert len(mail.outbox) == services.MAX_FOLLOW_REQUESTS_PER_ADDRESS_PER_HOUR
    cache.clear()
    monkeypatch.setattr("hearings.views.MAX_FOLLOWS_PER_IP_PER_HOUR", 1)
    assert _follow(client, email="a@example.org").status_code == 200
    assert _follow(client, email="b@example.org").status_code == 422
    assert not Follower.objects.filter(email="b@example.org").exists()


def test_municipality_page_lists_its_hearings_with_the_form(client):
    hearing = services.hearing_open(actor=None, hearing=_draft())
    services.hearing_open(actor=None, hearing=_draft(title="Annen kommune", number="3907"))
    page = client.get(reverse("hearings:municipality", args=["3905"])).content.decode()
    assert hearing.title in page and "Annen kommune" not in page
    assert 'name="email"' in page
    for number in ("0001", "Tønsberg", "39050"):
        url = reverse("hearings:municipality", args=[number])
        assert client.get(url).status_code == 404, number
