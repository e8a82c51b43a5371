"""Send due referral notices and deadline reminders to municipality contacts. Idempotent."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from governance.notifications import referral_reminders_send


class Command(BaseCommand):
    help = (
        "E-mail municipality contacts about cases referred to them and remind them a week "
        "before the deadline. Running it twice sends nothing the second time."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Pretend today is this date (YYYY-MM-DD).")
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be sent; send nothing."
        )

    def handle(self, *args, **options):
        today = timezone.localdate()
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError(f"--today must be YYYY-MM-DD, not {options['today']!r}") from exc
        lines = referral_reminders_send(actor=None, today=today, dry_run=options["dry_run"])
        for line in lines:
            self.stdout.write(line)
        verb = "would send" if options["dry_run"] else "sent"
        self.stdout.write(self.style.SUCCESS(f"{len(lines)} notification(s) {verb}."))
