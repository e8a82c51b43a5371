import pytest
from django.utils import translation


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
