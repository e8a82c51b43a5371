"""Load the demo data of every app, in dependency order. Safe to run again."""

from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

# Each app that has demo data exposes `<app>.demo.load_demo(stdout)`; order matters.
DEMO_MODULES = (
    "members.demo",
    "importers.demo",
    "projects.demo",
    "governance.demo",
    "networks.demo",
    "hearings.demo",
)


class Command(BaseCommand):
    help = "Load the Vestfold demo data (registry, members, projects, governance). Idempotent."

    def handle(self, *args, **options):
        for dotted in DEMO_MODULES:
            try:
                module = import_module(dotted)
            except ModuleNotFoundError as exc:
                if exc.name == dotted:
                    continue
                raise
            with transaction.atomic():
                module.load_demo(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
