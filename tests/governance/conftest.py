import pytest
from django.utils import translation

from governance.demo import load_demo
from governance.models import Case

from .factories import cooperation_with_members, nine


@pytest.fixture(autouse=True)
def english():
    """Assertions on reasons and messages are written in English; nb is tested separately."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _notifications_at_once(monkeypatch):
    """The test's transaction never commits: queue the notification e-mails at once (the
    queue runs jobs in the calling process in the test suite). Only the notifications' own
    hook, so other on_commit callbacks (referral_create's) still wait for a capture."""
    monkeypatch.setattr("governance.notifications._after_commit", lambda func: func())


@pytest.fixture
def muns():
    """The nine municipalities of the cooperation's first years."""
    return nine()


@pytest.fixture
def demo(muns):
    """The demo's governance (its board case "Havnevesen") on those nine."""
    cooperation_with_members(muns)
    load_demo()
    return Case.objects.get(title="Havnevesen")


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client
