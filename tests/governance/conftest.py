import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    """Assertions on reasons and messages are written in English; nb is tested separately."""
    with translation.override("en"):
        yield
