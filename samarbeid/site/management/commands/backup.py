"""`manage.py backup PATH`: one consistent archive of the database and the uploads."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from samarbeid.site.backup import BackupError, create_backup, default_name


class Command(BaseCommand):
    help = "Write a backup archive (database rows, history and uploaded files) to PATH."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="the archive to write (.tar)")

    def handle(self, *args, path=None, **options):
        target = Path(path or default_name())
        if target.is_dir():
            target = target / default_name()
        try:
            manifest = create_backup(target)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            _("Backup written to %(path)s: %(rows)s rows in %(tables)s tables, %(files)s files.")
            % {
                "path": target,
                "rows": rows,
                "tables": len(manifest["tables"]),
                "files": manifest["files"],
            }
        )
