"""python manage.py export_overview --format tsv|csv|xlsx|docx|json [--output PATH]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from importers.exporters import FORMATS, overview_export
from importers.management.commands._common import cooperation_from_option


class Command(BaseCommand):
    help = "Export the project overview in the legacy sections and columns."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=FORMATS, default="tsv")
        parser.add_argument("--output", help="Write to this file (default: standard output).")
        parser.add_argument("--cooperation", help="Slug of the cooperation (default: the first).")

    def handle(self, *args, **options):
        cooperation = cooperation_from_option(options["cooperation"])
        data = overview_export(cooperation=cooperation, fmt=options["format"])
        if options["output"]:
            path = Path(options["output"])
            try:
                path.write_bytes(data)
            except OSError as exc:
                raise CommandError(
                    _("Cannot write %(file)s: %(error)s") % {"file": path, "error": exc}
                ) from exc
            self.stderr.write(_("Wrote %(file)s.") % {"file": path})
            return
        if options["format"] in ("xlsx", "docx"):
            raise CommandError(_("Give --output for the binary formats xlsx and docx."))
        self.stdout.write(data.decode("utf-8"), ending="")
