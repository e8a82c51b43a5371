import shutil

import pytest
from django.conf import settings


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Demo users are created in many tests; the production hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def snapshot_copy(tmp_path):
    """A writable copy of the SSB snapshot, for tests that break or refresh it."""
    target = tmp_path / "ssb"
    shutil.copytree(settings.SSB_KLASS_DIR, target)
    for path in target.iterdir():
        path.chmod(0o644)
    return target
