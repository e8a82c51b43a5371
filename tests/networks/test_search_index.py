"""On PostgreSQL the library search goes through the GIN index, also when the planner's
estimate (which ignores detoasting the tsvectors) would rather scan the table."""

import pytest
from django.db import connection

from networks import search
from networks.models import Document
from networks.permissions import visible_documents_q
from tests.networks.factories import make_document

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the GIN index exists only on PostgreSQL"
    ),
]


def test_the_search_uses_the_gin_index_and_leaves_the_setting_as_it_was(network, member_user):
    words = " ".join(["verjemål regnskap rutine mal"] * 300)
    for i in range(30):
        make_document(network, title=f"Mal {i}", text=f"{words} {'sjeldenord' if i == 7 else ''}")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE networks_document")
    documents = Document.objects.filter(visible_documents_q(member_user))
    for query in ("sjeldenord", "verjemal", "regnskap rutine"):
        plan = search.explain(documents, search.terms_of(query))
        assert "networks_document_search_gin" in plan, plan
    with connection.cursor() as cursor:
        cursor.execute("SHOW cpu_operator_cost")
        assert cursor.fetchone()[0] == "0.0025"
