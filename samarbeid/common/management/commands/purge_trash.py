"""Delete for good what has been in the trash longer than --older-than days (logged)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from samarbeid.common import trash


class Command(BaseCommand):
    help = "Delete for good what has been in the trash longer than --older-than days."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--older-than", type=int, required=True, metavar="DAYS")
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be deleted; delete nothing."
        )

    def handle(self, *args: Any, older_than: int, dry_run: bool, **options: Any) -> None:
        if older_than < 0:
            raise CommandError("--older-than must be 0 or more days.")
        cutoff = timezone.now() - dt.timedelta(days=older_than)
        items = trash.trashed(older_than=cutoff)
        done = 0
        # Rows first (registry order), so a project's rows are not purged twice.
        order = {key: i for i, key in enumerate(trash.REGISTRY)}
        for item in sorted(items, key=lambda i: order[i.entry.key]):
            label = f"{item.entry.key} {item.instance.pk} {item.instance}"
            if dry_run:
                self.stdout.write(f"would delete {label}")
                continue
            with transaction.atomic():
                row = item.entry.model._base_manager.filter(pk=item.instance.pk).first()
                if row is None:  # went with a row purged before it
                    continue
                item.entry.purge(actor=None, instance=row)
            self.stdout.write(f"deleted {label}")
            done += 1
        verb = "would delete" if dry_run else "deleted"
        count = len(items) if dry_run else done
        self.stdout.write(f"{verb} {count} item(s) in the trash since before {cutoff:%Y-%m-%d}")
