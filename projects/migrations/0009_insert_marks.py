"""PostgreSQL: an insert into the projects, participations or money entries is marked in
`projects_insertmark` by a statement trigger, so the data version's fingerprint reads the
highest id of one table instead of three (projects.analytics.cache). SQLite keeps reading
the three highest ids (in-process, microseconds)."""

from django.db import migrations

TABLES = ("projects_project", "projects_participation", "projects_moneyentry")
FUNCTION = """
CREATE FUNCTION projects_mark_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO projects_insertmark DEFAULT VALUES;
    RETURN NULL;
END $$
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE TABLE projects_insertmark (id bigserial PRIMARY KEY)")
    schema_editor.execute(FUNCTION)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_insert_mark AFTER INSERT ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION projects_mark_insert()"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_insert_mark ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS projects_mark_insert()")
    schema_editor.execute("DROP TABLE IF EXISTS projects_insertmark")


class Migration(migrations.Migration):
    dependencies = [("projects", "0008_trash_index")]

    operations = [migrations.RunPython(forwards, backwards)]
