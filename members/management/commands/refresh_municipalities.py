import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from members import klass
from members.registry import SnapshotError


class Command(BaseCommand):
    help = (
        "Fetch SSB classification 131 from the Klass API, show how it differs from the "
        "offline snapshot, and with --write replace the snapshot's files."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--write", action="store_true", help="Write the fetched files (after the diff)."
        )
        parser.add_argument(
            "--into",
            type=Path,
            default=None,
            help="Snapshot directory to compare with and write to (default: SSB_KLASS_DIR).",
        )
        parser.add_argument(
            "--timeout", type=float, default=klass.DEFAULT_TIMEOUT, help="Seconds per request."
        )

    def handle(self, *args, write=False, into=None, timeout=klass.DEFAULT_TIMEOUT, **options):
        target = into or Path(settings.SSB_KLASS_DIR)
        fetch = klass.urllib_fetcher(timeout)
        workdir = Path(tempfile.mkdtemp(prefix="klass-131-"))
        try:
            try:
                klass.fetch_snapshot(workdir, fetch=fetch)
            except klass.KlassUnreachable as exc:
                raise CommandError(
                    _(
                        "SSB's Klass API could not be reached (%(reason)s); the offline "
                        "snapshot in %(dir)s is unchanged."
                    )
                    % {"reason": exc, "dir": target}
                ) from exc
            try:
                diff = klass.diff_snapshots(target, workdir)
            except SnapshotError as exc:
                raise CommandError(
                    _("Cannot compare with the snapshot: %(error)s") % {"error": exc}
                ) from exc
            self._show(diff)
            if not write:
                self.stdout.write(
                    _("Nothing written. Run again with --write to update %(dir)s.")
                    % {"dir": target}
                )
                return
            if diff.empty:
                self.stdout.write(_("The snapshot in %(dir)s is up to date.") % {"dir": target})
                return
            written = klass.install_snapshot(workdir, target)
            self.stdout.write(
                self.style.SUCCESS(
                    _("%(count)d files written to %(dir)s. Run load_municipalities to load them.")
                    % {"count": len(written), "dir": target}
                )
            )
        finally:
            shutil.rmtree(workdir, ignore_errors=True)

    def _show(self, diff: klass.SnapshotDiff) -> None:
        if diff.empty:
            self.stdout.write(_("No differences from the offline snapshot."))
            return
        sections = [
            (_("Versions added"), diff.versions_added),
            (_("Versions removed"), diff.versions_removed),
            (_("Versions changed"), diff.versions_changed),
            (_("Codes added"), diff.codes_added),
            (_("Codes removed"), diff.codes_removed),
            (_("Names changed"), diff.names_changed),
            (_("Change rows added"), diff.change_rows_added),
            (_("Change rows removed"), diff.change_rows_removed),
        ]
        for title, lines in sections:
            self.stdout.write(f"{title}: {len(lines)}")
            for line in lines:
                self.stdout.write(f"  {line}")
