from pathlib import Path

import pytest
from django.utils import translation

from tests.hostile import corpus


@pytest.fixture(scope="session")
def hostile(request, tmp_path_factory) -> dict[str, Path]:
    """The generated corpus, kept in pytest's cache between runs (the bombs take seconds)."""
    cache = getattr(request.config, "cache", None)
    if cache is not None:
        directory = Path(cache.mkdir("hostile-corpus"))
    else:
        directory = tmp_path_factory.mktemp("hostile-corpus")
    return corpus.build(directory)


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
