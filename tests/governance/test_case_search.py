"""The case search (governance.selectors.case_search, the new-hearing form's case picker):
folded substrings of the number and title, newest first, at most the limit, in one query
served by a trigram index on either database; the index follows every write."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from governance import services
from governance.selectors import case_search
from samarbeid.common.text import fold_for_search

from .factories import CaseFactory

pytestmark = pytest.mark.django_db


def _found(query: str, limit: int = 15) -> list[int]:
    return [pk for pk, _, _ in case_search(fold_for_search(query).split(), limit=limit)]


def test_the_index_and_its_triggers_are_there():
    """A migration that makes SQLite copy governance_case drops the triggers with the old
    table: it must create them again (see governance migration 0006)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE tbl_name = 'governance_case' "
                "AND type = 'trigger'"
            )
            assert {name for (name,) in cursor.fetchall()} == {
                "governance_case_search_insert",
                "governance_case_search_update",
                "governance_case_search_delete",
            }
        else:
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'governance_case' "
                "AND indexname = 'governance_case_search_trgm'"
            )
            assert cursor.fetchall()


def test_folded_substrings_newest_first_and_the_limit():
    harbour = CaseFactory(number="3/2026", title="Havneutvikling i Tønsberg")
    school = CaseFactory(number="4/2026", title="Ny skole i Tønsberg")
    CaseFactory(number="5/2026", title="Brannvesen i Horten")
    assert _found("havn") == [harbour.pk]
    assert _found("tonsberg") == _found("TØNSBERG") == _found("toensberg")
    assert _found("tonsberg") == [school.pk, harbour.pk]
    assert _found("3/2026 utvikl") == [harbour.pk]
    assert _found("i") == [*_found("i", limit=2), harbour.pk]
    assert _found("havn horten") == [] and _found("xyzzy") == []
    with CaptureQueriesContext(connection) as ctx:
        case_search(["i"], limit=2)
    assert len(ctx.captured_queries) == 1


def test_pattern_characters_are_plain_text():
    star = CaseFactory(number="6/2026", title="Plan [A*] 100% ferdig? ja_nei")
    CaseFactory(number="7/2026", title="Plan Ab 1009 ferdig! janei")
    for query in ("[a*]", "100%", "ferdig?", "ja_nei", "*", "?"):
        assert _found(query) == [star.pk], query


def test_the_index_follows_updates_the_trash_and_deletes(secretariat_user):
    case = services.case_create(
        actor=None, cooperation=CaseFactory().cooperation, number="8/2026", title="Vannverk"
    )
    assert _found("vannverk") == [case.pk]
    services.case_update(actor=None, case=case, number="8/2026", title="Avløpsrenseanlegg")
    assert _found("vannverk") == [] and _found("avlops") == [case.pk]
    services.case_delete(actor=secretariat_user, case=case)
    assert _found("avlops") == []
    services.case_restore_from_trash(actor=secretariat_user, instance=case)
    assert _found("avlops") == [case.pk]
    case.delete()
    assert _found("avlops") == []
