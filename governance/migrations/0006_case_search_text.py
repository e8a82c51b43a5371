"""The case search runs in the database (issue 16): `Case.search_text` holds the number and
title folded as every search on the site folds (`samarbeid.common.text.fold_for_search`),
kept by `governance.services.case_create`/`case_update`.

- Every case (in the trash too) gets its folded text.
- PostgreSQL: a GIN trigram index on it, which serves `LIKE '%word%'` (the `pg_trgm`
  extension is the one projects migration 0004 made).
- SQLite: an FTS5 trigram table `governance_case_search` (rowid = the case's id) that
  serves `GLOB '*word*'`, kept in step with `governance_case` by three triggers. A later
  migration that makes SQLite copy the table (most AlterField/RemoveField on Case) drops
  the triggers with the old table and must create them again:
  `tests/governance/test_case_search.py` fails until it does.

On the other database each index step does nothing.
"""

from django.db import migrations, models

from samarbeid.common.text import fold_for_search

INDEX = "governance_case_search_trgm"
BATCH = 2000


def fill(apps, schema_editor):
    Case = apps.get_model("governance", "Case")
    db = schema_editor.connection.alias
    rows = Case._base_manager.using(db).only("pk", "number", "title").order_by("pk")
    batch = []
    for case in rows.iterator(chunk_size=BATCH):
        case.search_text = fold_for_search(f"{case.number} {case.title}")
        batch.append(case)
        if len(batch) == BATCH:
            Case._base_manager.using(db).bulk_update(batch, ["search_text"])
            batch = []
    Case._base_manager.using(db).bulk_update(batch, ["search_text"])


def add_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON governance_case "
        "USING gin (search_text gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


SQLITE_TABLE = "governance_case_search"
SQLITE_FORWARD = [
    f"CREATE VIRTUAL TABLE {SQLITE_TABLE} USING fts5("
    "search_text, tokenize = 'trigram case_sensitive 1', detail = 'none')",
    f"INSERT INTO {SQLITE_TABLE} (rowid, search_text) SELECT id, search_text FROM governance_case",
    f"CREATE TRIGGER governance_case_search_insert AFTER INSERT ON governance_case BEGIN "
    f"INSERT INTO {SQLITE_TABLE} (rowid, search_text) VALUES (new.id, new.search_text); END",
    f"CREATE TRIGGER governance_case_search_update AFTER UPDATE OF search_text "
    f"ON governance_case BEGIN DELETE FROM {SQLITE_TABLE} WHERE rowid = old.id; "
    f"INSERT INTO {SQLITE_TABLE} (rowid, search_text) VALUES (new.id, new.search_text); END",
    f"CREATE TRIGGER governance_case_search_delete AFTER DELETE ON governance_case BEGIN "
    f"DELETE FROM {SQLITE_TABLE} WHERE rowid = old.id; END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS governance_case_search_insert",
    "DROP TRIGGER IF EXISTS governance_case_search_update",
    "DROP TRIGGER IF EXISTS governance_case_search_delete",
    f"DROP TABLE IF EXISTS {SQLITE_TABLE}",
]


def _sqlite(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0005_trash"),
        ("projects", "0004_search_trigram"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(add_trigram_index, drop_trigram_index),
        migrations.RunPython(_sqlite(SQLITE_FORWARD), _sqlite(SQLITE_BACKWARD)),
    ]
