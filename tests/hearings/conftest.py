import pytest


@pytest.fixture(autouse=True)
def _mail_at_once(monkeypatch):
    """The test's transaction never commits: send the queued e-mails at once (the queue
    runs jobs in the calling process in the test suite)."""
    monkeypatch.setattr("hearings.mail.transaction.on_commit", lambda func, **kw: func())
