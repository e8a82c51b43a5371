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

from django.db import connection
from django.db.models import QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from networks.models import Document
from samarbeid.common.text import fold_for_search

FTS_TABLE = "networks_document_fts"
_WORD = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")
MAX_TERMS = 8


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
