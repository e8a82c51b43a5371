"""Full-text search for the library, on each database its own way (networks/search.py):

- PostgreSQL: a stored, generated tsvector column with the Norwegian configuration over the
  folded `search_text`, and a GIN index on it. The ORM does not know the column; only the
  search reads it.
- SQLite: an FTS5 virtual table whose rowid is the document's id, filled by the services.

On the other database each step does nothing.
"""

from django.db import migrations

PG_FORWARD = [
    "ALTER TABLE networks_document ADD COLUMN search_vector tsvector GENERATED ALWAYS AS "
    "(to_tsvector('norwegian', search_text)) STORED",
    "CREATE INDEX networks_document_search_gin ON networks_document USING gin (search_vector)",
]
PG_BACKWARD = [
    "DROP INDEX IF EXISTS networks_document_search_gin",
    "ALTER TABLE networks_document DROP COLUMN IF EXISTS search_vector",
]
SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE networks_document_fts USING fts5("
    "search_text, tokenize = 'unicode61 remove_diacritics 2')",
    "INSERT INTO networks_document_fts (rowid, search_text) "
    "SELECT id, search_text FROM networks_document",
]
SQLITE_BACKWARD = ["DROP TABLE IF EXISTS networks_document_fts"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("networks", "0001_networks_library_training")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        )
    ]
