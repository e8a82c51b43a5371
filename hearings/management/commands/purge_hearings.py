"""Remove the commenters' personal data from hearings processed longer ago than
HEARINGS_PURGE_AFTER_DAYS (docs/hearings.md, "Purge")."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from hearings import selectors, services


class Command(BaseCommand):
    help = (
        "Remove names, e-mail addresses and attachments of the comments on hearings processed "
        "more than HEARINGS_PURGE_AFTER_DAYS ago; the text, topic and response stay."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be purged; change nothing."
        )
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Override HEARINGS_PURGE_AFTER_DAYS for this run.",
        )

    def handle(self, *args, dry_run: bool = False, days: int | None = None, **options) -> None:
        now = timezone.now()
        period = services.purge_after() if days is None else dt.timedelta(days=days)
        due = list(selectors.hearings_due_for_purge(now - period))
        if not due:
            self.stdout.write("No processed hearings are due for purging.")
            return
        for hearing in due:
            processed = hearing.processed_at.date().isoformat() if hearing.processed_at else "?"
            if dry_run:
                count = hearing.comments.count()
                self.stdout.write(
                    f"Would purge hearing {hearing.pk} “{hearing}” (processed {processed}): "
                    f"{count} comments"
                )
                continue
            with transaction.atomic():
                counts = services.hearing_purge_personal_data(actor=None, hearing=hearing, now=now)
            self.stdout.write(
                f"Purged hearing {hearing.pk} “{hearing}” (processed {processed}): "
                f"{counts['comments']} comments anonymised, {counts['unconfirmed']} unconfirmed "
                f"deleted, {counts['attachments']} attachments deleted"
            )
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
