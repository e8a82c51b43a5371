"""On PostgreSQL the library search goes through the GIN index, also when the planner's
estimate (which ignores detoasting the tsvectors) would rather scan the table."""

import pytest
from django.db import connection

from networks import search
from networks.models import Document
from networks.permissions import visible_documents_q

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the GIN index exists only on PostgreSQL"
    ),
]


def test_the_search_uses_the_gin_index_and_leaves_the_setting_as_it_was(network, member_user):
    """3,000 documents of ~1,000 words each (written in SQL: the services would take
    minutes), as in bench/networks_search.py: their tsvectors are TOASTed."""
    words = "verjemal regnskap rutine mal kommune vedtak saksbehandling opplaring"
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO networks_document (title, kind, visibility, search_text, created_at, "
            "updated_at, network_id) SELECT 'Mal ' || g, 'template', 'network', "
            "repeat(%s || ' ' || g || ' ', 120) || CASE WHEN g = 7 THEN 'sjeldenord' "
            "ELSE '' END, now(), now(), %s FROM generate_series(1, 3000) g",
            [words, network.pk],
        )
        cursor.execute("ANALYZE networks_document")
    documents = Document.objects.filter(visible_documents_q(member_user))
    for query in ("sjeldenord", "verjemal", "regnskap rutine"):
        plan = search.explain(documents, search.terms_of(query))
        assert "networks_document_search_gin" in plan, plan
    with connection.cursor() as cursor:
        cursor.execute("SHOW cpu_operator_cost")
        assert cursor.fetchone()[0] == "0.0025"
