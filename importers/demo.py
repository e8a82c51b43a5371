"""Demo data: import the legacy project overview 001 into the default cooperation.

Runs after the members demo (the cooperation, its memberships and the organisations must
exist). Idempotent: a second run finds every project unchanged and writes nothing.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from importers.services import ImportFailed, overview_import
from members.selectors import default_cooperation

SOURCE_NAME = "001_b9a3c9e30057edf0.txt"


def source_path() -> Path:
    return Path(settings.SOURCE_DOCUMENTS_DIR) / SOURCE_NAME


def load_demo(stdout=None) -> None:
    def say(message: str) -> None:
        if stdout is not None:
            stdout.write(message)

    path = source_path()
    if not path.is_file():
        say(f"importers: {path} is missing; the project overview was not imported.")
        return
    cooperation = default_cooperation()
    if cooperation is None:
        say("importers: no cooperation yet; the project overview was not imported.")
        return
    try:
        report = overview_import(
            actor=None, cooperation=cooperation, data=path.read_bytes(), filename=path.name
        )
    except ImportFailed as exc:
        say("importers: " + "; ".join(exc.errors))
        raise
    s = report.summary
    say(
        f"importers: {path.name}: {s['created']} created, {s['updated']} updated, "
        f"{s['unchanged']} unchanged, {len(report.warnings)} warnings."
    )
