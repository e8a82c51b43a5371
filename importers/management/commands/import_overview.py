"""python manage.py import_overview PATH [--dry-run] [--json] [--cooperation SLUG]"""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from importers.management.commands._common import cooperation_from_option
from importers.readers import human_size
from importers.services import CHECKING, ImportFailed, max_import_bytes, overview_import


class Command(BaseCommand):
    help = "Import a project overview (tab-separated text, CSV, XLSX, DOCX or JSON export)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The file to import.")
        parser.add_argument("--dry-run", action="store_true", help="Show what would change.")
        parser.add_argument("--json", action="store_true", help="Print one JSON document.")
        parser.add_argument("--cooperation", help="Slug of the cooperation (default: the first).")
        parser.add_argument(
            "--progress", action="store_true", help="Show a progress bar even when not a TTY."
        )
        parser.add_argument(
            "--max-mb", type=float, help="Refuse files larger than this (default 20 MB)."
        )

    def handle(self, *args, **options):
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(_("%(file)s does not exist or is not a file.") % {"file": path})
        limit = int(options["max_mb"] * 1024 * 1024) if options["max_mb"] else max_import_bytes()
        size = path.stat().st_size
        if size > limit:
            raise CommandError(
                _("%(file)s is %(size)s; the limit is %(limit)s.")
                % {"file": path, "size": human_size(size), "limit": human_size(limit)}
            )
        cooperation = cooperation_from_option(options["cooperation"])
        as_json = options["json"]
        show_progress = options["progress"] or (
            not as_json and hasattr(sys.stderr, "isatty") and sys.stderr.isatty()
        )

        def progress(items, stage):
            from tqdm import tqdm

            return tqdm(
                items,
                desc=_("Checking") if stage == CHECKING else _("Importing"),
                unit=_("rows"),
                file=sys.stderr,
                disable=not show_progress,
            )

        try:
            report = overview_import(
                actor=None,
                cooperation=cooperation,
                data=path.read_bytes(),
                filename=str(path),
                dry_run=options["dry_run"],
                progress=progress,
                max_bytes=limit,
            )
        except ImportFailed as exc:
            if as_json:
                document = (
                    exc.report.as_document()
                    if exc.report
                    else {
                        "projects": [],
                        "warnings": [],
                        "errors": exc.errors,
                        "summary": {"created": 0, "updated": 0, "unchanged": 0},
                    }
                )
                document["errors"] = exc.errors
                self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
            raise CommandError("\n".join(exc.errors)) from exc
        if as_json:
            self.stdout.write(json.dumps(report.as_document(), ensure_ascii=False, indent=2))
            return
        for warning in report.warnings:
            self.stderr.write(_("Warning: %(warning)s") % {"warning": warning})
        summary = report.summary
        line = _("%(created)s created, %(updated)s updated, %(unchanged)s unchanged") % summary
        if report.dry_run:
            line += " " + _("(dry run: nothing was written)")
        self.stdout.write(line)
