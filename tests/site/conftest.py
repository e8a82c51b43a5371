"""The portal's small world (a cooperation, a public project) for the site's tests."""

from tests.portal.conftest import world  # noqa: F401 (the fixture)
