"""Registry reads that one page asks many times are answered from memory for the rest of
that request: the succession graph and number look-ups are built at most once, a write to
the registry within the request is seen at once, and nothing outlives the request."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members import selectors
from members.models import Municipality
from members.request_cache import request_scope
from tests.projects.test_overview_data import vestfold

TODAY = dt.date(2026, 11, 23)


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_the_succession_graph_is_built_once_per_request():
    v = vestfold(TODAY)
    with request_scope():
        first = _queries(lambda: selectors.predecessors(v.tonsberg))
        again = _queries(
            lambda: (
                selectors.predecessors(v.tonsberg),
                selectors.successors(v.re, TODAY),
                selectors.identities_of([v.tonsberg, v.horten]),
            )
        )
    assert first == 4
    assert again == 0
    # Outside a request nothing is kept: each question reads the registry again.
    assert _queries(lambda: selectors.predecessors(v.tonsberg)) == 4
    assert _queries(lambda: selectors.predecessors(v.tonsberg)) == 4


@pytest.mark.django_db
def test_registry_lookups_are_kept_and_a_write_is_seen_at_once():
    v = vestfold(TODAY)
    with request_scope():
        assert selectors.municipality_for_number("3905", TODAY) == v.tonsberg
        assert _queries(lambda: selectors.municipality_for_number("3905", TODAY)) == 0
        assert _queries(lambda: selectors.default_cooperation()) <= 1
        assert _queries(lambda: selectors.default_cooperation()) == 0
        # A write within the request forgets what was kept.
        v.tonsberg.name = "Tønsberg (ny)"
        v.tonsberg.save()
        assert _queries(lambda: selectors.municipality_for_number("3905", TODAY)) >= 1
        assert selectors.municipality_for_number("3905", TODAY).name == "Tønsberg (ny)"
        before = len(selectors.predecessors(v.tonsberg))
        Municipality.objects.create(number="9999", name="Ny", valid_from=dt.date(2030, 1, 1))
        assert len(selectors.predecessors(v.tonsberg)) == before
