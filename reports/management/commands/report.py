"""python manage.py report NAME --format pdf --lang nb [--output PATH] [filters]

Filters are the portfolio list's (`--filter "category=operations&year_from=2000"` takes the
list's query string as it stands) plus short forms for the common ones. Bad input exits
with status 2 and names the valid reports, formats and languages."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict
from django.utils.translation import gettext as _

from reports import registry
from reports.common import LANGUAGES, ReportError

SHORT_FILTERS = (
    "category",
    "phase",
    "status",
    "q",
    "year_from",
    "year_to",
    "number",
    "year",
    "hearing",
)


class Command(BaseCommand):
    help = (
        "Make a report (overview, municipality, annual, presentation, hearing-summary) as a "
        "document."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="Report: " + ", ".join(registry.REPORTS))
        parser.add_argument(
            "--format", default="pdf", help="Format: " + ", ".join(registry.FORMATS)
        )
        parser.add_argument("--lang", default="nb", help="Language: " + ", ".join(LANGUAGES))
        parser.add_argument(
            "--output",
            "-o",
            help="File to write (default: a name in this directory; '-': standard output).",
        )
        parser.add_argument(
            "--filter",
            default="",
            help="The portfolio list's query string, e.g. 'category=operations&year_from=2000'.",
        )
        for name in SHORT_FILTERS:
            parser.add_argument(f"--{name.replace('_', '-')}", dest=name)

    def _params(self, options) -> QueryDict:
        params = QueryDict(options["filter"] or "", mutable=True)
        for name in SHORT_FILTERS:
            if options.get(name) not in (None, ""):
                params[name] = str(options[name])
        return params

    def handle(self, *args, **options):
        name, fmt, lang = options["name"], options["format"], options["lang"]
        try:
            registry.check(name, fmt, lang)
        except ReportError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        started = time.monotonic()
        self.stderr.write(_("Reading the data for %(name)s …") % {"name": name})
        try:
            doc = registry.build(name, lang=lang, params=self._params(options))
        except ReportError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        rows = sum(len(t.rows) for t in doc.tables())
        self.stderr.write(
            _("%(rows)s rows read in %(seconds).1f s; writing %(format)s …")
            % {"rows": rows, "seconds": time.monotonic() - started, "format": fmt.upper()}
        )
        spec = registry.FORMATS[fmt]
        data = registry.render(doc, fmt)
        target = options["output"] or f"{doc.filename}.{spec.extension}"
        if target == "-":
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        else:
            try:
                Path(target).write_bytes(data)
            except OSError as exc:
                raise CommandError(
                    _("Cannot write %(file)s: %(error)s") % {"file": target, "error": exc}
                ) from exc
        self.stderr.write(
            _("Wrote %(file)s (%(size)s bytes) in %(seconds).1f s.")
            % {"file": target, "size": len(data), "seconds": time.monotonic() - started}
        )
