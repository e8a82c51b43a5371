from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from members.registry import SnapshotError, load_snapshot


class Command(BaseCommand):
    help = "Load Norway's municipalities over time from the offline SSB Klass 131 snapshot."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir",
            type=Path,
            default=None,
            help="Snapshot directory (default: settings.SSB_KLASS_DIR).",
        )
        parser.add_argument(
            "--overrides",
            type=Path,
            default=None,
            help="Overrides file (default: settings.MUNICIPALITY_OVERRIDES_FILE).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would change; write nothing."
        )

    def handle(self, *args, dir=None, overrides=None, dry_run=False, **options):
        directory = dir or Path(settings.SSB_KLASS_DIR)
        overrides = overrides or Path(settings.MUNICIPALITY_OVERRIDES_FILE)
        try:
            report = load_snapshot(directory=directory, overrides=overrides, dry_run=dry_run)
        except SnapshotError as exc:
            raise CommandError(str(exc)) from exc
        if dry_run:
            self.stdout.write(_("Dry run: nothing was written."))
        self.stdout.write(
            _("%(versions)d versions read from %(dir)s.")
            % {"versions": report.versions, "dir": directory}
        )
        for label, counts in (
            (_("Municipalities"), report.municipalities),
            (_("Name variants"), report.name_variants),
            (_("Events"), report.events),
        ):
            self.stdout.write(
                _(
                    "%(label)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged, "
                    "%(deleted)d deleted"
                )
                % {
                    "label": label,
                    "created": counts.created,
                    "updated": counts.updated,
                    "unchanged": counts.unchanged,
                    "deleted": counts.deleted,
                }
            )
        if report.stale_municipalities:
            self.stdout.write(
                self.style.WARNING(
                    _("Not in the snapshot any more (kept): %(list)s")
                    % {"list": ", ".join(report.stale_municipalities)}
                )
            )
        self.stdout.write(
            self.style.SUCCESS(
                _("Total: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
                % {
                    "created": report.created,
                    "updated": report.updated,
                    "unchanged": report.unchanged,
                }
            )
        )
