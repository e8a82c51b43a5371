"""Benchmark: every report in every format at 70, 1,000 and 5,000 projects.

For each size it builds a throwaway test database (SQLite by default, PostgreSQL through
DATABASE_URL), loads the registry and the demo (001's ~70 projects, members, governance)
and adds synthetic projects to the demo's cooperation (samarbeid.site.synthetic) up to the
size. Each report and format is then made in a forked child process, so the time is the
report's alone and the child's peak resident memory (ru_maxrss) is its peak.

    uv run python bench/reports.py                       # 70, 1000, 5000
    uv run python bench/reports.py --sizes 70 1000 --reports overview --formats pdf docx

Speed is measured here, never asserted in tests; results: bench/README-reports.md.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samarbeid.settings")
os.environ.setdefault("SAMARBEID_ALLOW_DEV_SECRET", "1")

REPORTS = {
    "overview": "",
    "municipality": "number=3905",
    "annual": "year=2004",
    "presentation": "on=2010-11-30",
}
FORMATS = ("html", "pdf", "docx", "xlsx", "csv")


def build(size: int) -> int:
    from django.core.management import call_command

    from members.selectors import default_cooperation
    from projects.models import Project
    from samarbeid.site import synthetic

    call_command("load_demo", stdout=io.StringIO())
    coop = default_cooperation()
    have = Project.objects.filter(cooperation=coop).count()
    extra = max(size - have, 0)
    if extra:
        synthetic.generate(
            cooperations=1, projects=extra, desk_projects=extra, seed=1, progress=False
        )
    return Project.objects.filter(cooperation=coop).count()


def run_one(name: str, fmt: str, query: str) -> tuple[float, float, int, int]:
    """(wall seconds, CPU seconds, bytes, peak RSS in KiB) of one report made in a forked
    child. The CPU time is the child's user + system time with that of the processes it
    waited for (the parts of a long PDF, reports.render.pdf); the peak is the largest
    single process's."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: make the report, send the time and size, exit at once
        os.close(read_end)
        from django.http import QueryDict

        from reports import registry

        started = time.perf_counter()
        out = registry.generate(name, fmt=fmt, lang="nb", params=QueryDict(query))
        seconds = time.perf_counter() - started
        os.write(write_end, json.dumps([seconds, len(out.data)]).encode())
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        payload = pipe.read()
    _pid, status, usage = os.wait4(pid, 0)
    cpu = usage.ru_utime + usage.ru_stime
    if status != 0 or not payload:
        return float("nan"), cpu, 0, usage.ru_maxrss
    seconds, size = json.loads(payload)
    return seconds, cpu, size, usage.ru_maxrss


def warm_up() -> None:
    """Import the renderers and load the fonts once, as a running web process has them, so
    a child's time is the report's own and not Python's imports or fontconfig's start."""
    from django.http import QueryDict

    from reports import registry

    doc = registry.build("presentation", lang="nb", params=QueryDict())
    for fmt in FORMATS:
        registry.render(doc, fmt)


def measure(size: int, reports: list[str], formats: list[str], parts: int | None = None) -> None:
    """One size in this process: a fresh test database, then every report and format."""
    import django

    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    import resource

    from django.db import connection
    from django.test.utils import setup_test_environment

    from tests.conftest import load_registry

    setup_test_environment()
    if parts is not None:  # at most this many processes lay out a long PDF (1: one)
        from reports.render import pdf

        pdf.MAX_PARTS = parts
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        load_registry()
        count = build(size)
        warm_up()
        connection.close()  # each child opens its own connection (PostgreSQL)
        base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        for name in reports:
            for fmt in formats:
                seconds, cpu, nbytes, peak = run_one(name, fmt, REPORTS[name])
                print(
                    f"{count:8d} {name:13} {fmt:6} {seconds:8.2f} {cpu:8.2f} "
                    f"{1000 * seconds / count:10.2f} {max(peak, base) / 1024:9.0f} "
                    f"{nbytes:10d}",
                    flush=True,
                )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[70, 1000, 5000])
    parser.add_argument("--reports", nargs="+", default=list(REPORTS))
    parser.add_argument("--formats", nargs="+", default=list(FORMATS))
    parser.add_argument(
        "--parts", type=int, help="most processes that lay out a long PDF (1: one process)"
    )
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one is not None:
        measure(args.one, args.reports, args.formats, args.parts)
        return
    print(
        f"{'projects':>8} {'report':13} {'format':6} {'s':>8} {'CPU s':>8} {'ms/project':>10} "
        f"{'peak MiB':>9} {'bytes':>10}",
        flush=True,
    )
    for size in args.sizes:  # a fresh process (and database) per size
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--one",
                str(size),
                "--reports",
                *args.reports,
                "--formats",
                *args.formats,
                *(["--parts", str(args.parts)] if args.parts else []),
            ],
            check=True,
        )


if __name__ == "__main__":
    main()
