"""`manage.py restore PATH`: restore a backup into an empty, migrated database."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from samarbeid.site.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore a backup archive written by `backup` into an empty, migrated database."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the archive to read")

    def handle(self, *args, path, **options):
        try:
            manifest = restore_backup(Path(path))
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            _(
                "Restored %(rows)s rows in %(tables)s tables and %(files)s files "
                "from %(path)s (made %(created)s)."
            )
            % {
                "rows": rows,
                "tables": len(manifest["tables"]),
                "files": manifest["files"],
                "path": path,
                "created": manifest["created"],
            }
        )
