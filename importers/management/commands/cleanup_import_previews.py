"""python manage.py cleanup_import_previews [--hours 24]: run daily (cron or a systemd
timer) so uploaded overview files are not kept after their preview."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from importers.services import import_previews_cleanup


class Command(BaseCommand):
    help = "Delete stored import previews older than a day (the file bytes of confirmed ones)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--hours", type=int, default=24, help="Keep uploads younger than this (default 24)."
        )

    def handle(self, *args, **options):
        hours = options["hours"]
        if hours < 0:
            raise CommandError(_("--hours must be 0 or more."))
        deleted, emptied = import_previews_cleanup(actor=None, older_than=dt.timedelta(hours=hours))
        self.stdout.write(
            _(
                "Deleted %(deleted)s unconfirmed import previews and the stored files of "
                "%(emptied)s confirmed imports."
            )
            % {"deleted": deleted, "emptied": emptied}
        )
