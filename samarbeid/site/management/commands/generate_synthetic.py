"""Write a synthetic national data set on the loaded municipality registry (for bench/)."""

import time

from django.core.management.base import BaseCommand, CommandError

from samarbeid.site import synthetic


class Command(BaseCommand):
    help = (
        "Write N cooperations of neighbouring municipalities with M projects, money, "
        "deliverables, spin-offs, board meetings, cases, referrals and council decisions. "
        "Needs the municipality registry (load_municipalities or load_demo) and a database "
        "without earlier synthetic data. Deterministic for a seed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cooperations", type=int, default=200)
        parser.add_argument("--projects", type=int, default=20000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--desk-projects",
            type=int,
            default=0,
            help="How many of the projects go to the cooperation the desk shows (the first).",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, **options):
        started = time.perf_counter()
        try:
            result = synthetic.generate(
                cooperations=options["cooperations"],
                projects=options["projects"],
                seed=options["seed"],
                desk_projects=options["desk_projects"],
                progress=not options["no_progress"],
                out=self.stdout.write,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        seconds = time.perf_counter() - started
        total = sum(result.counts.values())
        self.stdout.write(self.style.SUCCESS(f"{total} rows written in {seconds:.1f} s."))
