"""Library search on the database in use: PostgreSQL full-text search with the Norwegian
configuration (a stored tsvector column with a GIN index, both made by migration 0002 on
PostgreSQL only) and SQLite FTS5 (a virtual table made by the same migration on SQLite
only, kept in step by `index_document`, which networks.services calls on every write).

Stored text and query are folded the same way as the portfolio search
(`samarbeid.common.text.fold_for_search`: æ → a, ø → o, å → a, aa → a …), so “bredbånd”,
“bredband” and “bredbaand” find the same documents. Every word of the query must match (as
a word or the start of one); results are ranked (ts_rank / bm25). The matching passage is
cut from the newest version's text as written (`passage`), the same on both databases.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from networks.models import Document
from samarbeid.common.text import fold_for_search

FTS_TABLE = "networks_document_fts"
_WORD = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")
MAX_TERMS = 8
ROW_OPERATOR_COST = "0.25"  # PostgreSQL's default is 0.0025: see through_the_index


def terms_of(query: str) -> list[str]:
    """The folded words of a query (operators and punctuation dropped)."""
    seen: list[str] = []
    for word in _WORD.findall(fold_for_search(query)):
        if word not in seen:
            seen.append(word)
    return seen[:MAX_TERMS]


def index_document(document: Document) -> None:
    """Keep the SQLite FTS5 row in step with `document.search_text` (PostgreSQL computes
    its tsvector column itself)."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [document.pk])
        cursor.execute(
            f"INSERT INTO {FTS_TABLE} (rowid, search_text) VALUES (%s, %s)",
            [document.pk, document.search_text],
        )


def rebuild_index() -> int:
    """Fill the SQLite FTS5 table again from every document's `search_text` (after a bulk
    load or a restore); on PostgreSQL the column is computed and this does nothing."""
    if connection.vendor != "sqlite":
        return 0
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE}")
        cursor.execute(
            f"INSERT INTO {FTS_TABLE} (rowid, search_text) "
            "SELECT id, search_text FROM networks_document"
        )
        return cursor.rowcount


def unindex_document(pk: int) -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [pk])


@contextmanager
def through_the_index() -> Iterator[None]:
    """Run the search's statements so that PostgreSQL takes the GIN index (nothing on SQLite).

    The planner does not charge for detoasting: a document's tsvector (a few kB) lives in
    the TOAST table, the table's main part is small, and a sequential scan looks cheap
    (cost ~290 at 10,000 documents against ~1,850 for the index), though it reads and
    decompresses every tsvector (130-200 ms, where the index answers in about 10 ms). For
    this transaction only (`set_config(…, true)` is `SET LOCAL`) an operator on a row is
    priced at 100 times the default (`cpu_operator_cost` 0.25), which is about what a match
    against a detoasted tsvector costs; the previous value is put back afterwards.
    Switching sequential scans off is not enough: the planner then walks a b-tree index
    over every row instead.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('cpu_operator_cost'), "
            "set_config('cpu_operator_cost', %s, true)",
            [ROW_OPERATOR_COST],
        )
        previous = cursor.fetchone()[0]
        try:
            yield
        finally:
            cursor.execute("SELECT set_config('cpu_operator_cost', %s, true)", [previous])


def matching(documents: QuerySet[Document], terms: list[str]) -> QuerySet[Document]:
    """`documents` that match every term, annotated `rank` (higher is better), best first."""
    if not terms:
        return documents.none()
    if connection.vendor == "postgresql":
        tsquery = " & ".join(f"{term}:*" for term in terms)
        return documents.extra(
            where=["networks_document.search_vector @@ to_tsquery('norwegian', %s)"],
            params=[tsquery],
            select={
                "rank": "ts_rank(networks_document.search_vector, to_tsquery('norwegian', %s))"
            },
            select_params=[tsquery],
        ).order_by("-rank", "title", "pk")
    match = " AND ".join(f'"{term}"*' for term in terms)
    return documents.extra(
        tables=[FTS_TABLE],
        where=[f"{FTS_TABLE}.rowid = networks_document.id", f"{FTS_TABLE} MATCH %s"],
        params=[match],
        # bm25 is lower for a better match; negated so higher is better on both databases
        select={"rank": f"-bm25({FTS_TABLE})"},
    ).order_by("-rank", "title", "pk")


def explain(documents: QuerySet[Document], terms: list[str], *, analyze: bool = False) -> str:
    """PostgreSQL's plan for the first page of a search over `documents`, run as the
    library runs it (for bench/networks_search.py and the test that the index is used)."""
    sql, params = matching(documents, terms)[:20].query.sql_with_params()
    with through_the_index(), connection.cursor() as cursor:
        cursor.execute(("EXPLAIN ANALYZE " if analyze else "EXPLAIN ") + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def passage(text: str, terms: list[str], *, before: int = 12, after: int = 28) -> SafeString:
    """A short passage of `text` around the first word matching a term, the matching words
    marked; the start of the text when no word matches (the title or a tag did)."""
    words = list(_WORD.finditer(text[:200_000]))
    if not words:
        return mark_safe("")
    known: dict[str, bool] = {}  # each distinct word is folded once

    def hit(i: int) -> bool:
        word = words[i].group()
        if word not in known:
            known[word] = _matches(word, terms)
        return known[word]

    first = next((i for i in range(len(words)) if hit(i)), 0)
    start, end = max(0, first - before), min(len(words), first + after)
    marked = {i for i in range(start, end) if hit(i)}
    out: list[str] = ["… " if start else ""]
    previous = words[start].start()
    for i in range(start, end):
        m = words[i]
        between = text[previous : m.start()]
        if i > start and "\n" in between and not between.strip():
            between = " · "  # a line or paragraph break between two words
        out.append(escape(_SPACE.sub(" ", between)))
        word = escape(m.group())
        out.append(f"<mark>{word}</mark>" if i in marked else word)
        previous = m.end()
    if text[previous : previous + 1] in (".", ",", ";", ":", "!", "?", ")"):
        out.append(escape(text[previous]))
    if end < len(words):
        out.append(" …")
    return mark_safe("".join(out))


def _matches(word: str, terms: list[str]) -> bool:
    folded = fold_for_search(word)
    return any(folded.startswith(term) for term in terms)
