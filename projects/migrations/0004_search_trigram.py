"""Search as people type: æ/ø/å and their ASCII spellings fold alike, and on PostgreSQL a
one-letter typo still matches through trigram similarity.

- Every project's `search_text` is folded again with the new rule
  (`samarbeid.common.text.fold_for_search`; folding the old folded text gives the same as
  folding the original, so only `search_text` is read).
- On PostgreSQL: the `pg_trgm` extension and a GIN trigram index on `search_text`, which
  serves both `LIKE '%word%'` and the `<%` word-similarity operator. On SQLite nothing
  more happens (search there is the plain `LIKE`).
"""

from django.db import migrations

from samarbeid.common.text import fold_for_search

INDEX = "projects_project_search_trgm"


def refold(apps, schema_editor):
    Project = apps.get_model("projects", "Project")
    db = schema_editor.connection.alias
    for pk, text in Project.objects.using(db).values_list("pk", "search_text").iterator():
        folded = fold_for_search(text)
        if folded != text:
            Project.objects.using(db).filter(pk=pk).update(search_text=folded)


def add_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON projects_project "
        "USING gin (search_text gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("projects", "0003_deliverable_file_generated_name")]

    operations = [
        migrations.RunPython(refold, migrations.RunPython.noop),
        migrations.RunPython(add_trigram_index, drop_trigram_index),
    ]
