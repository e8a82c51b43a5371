"""In-process timings of the signed-in desk pages (issue 16): ms per request over N
requests with Django's test client, signed in as the demo secretariat, DEBUG off (the
production template loader), on whatever database DATABASE_URL names (build it with
`migrate` + `load_demo`, and `generate_synthetic` for more projects).

    DATABASE_URL=sqlite:////abs/path.sqlite3 uv run python bench/signed_in.py --runs 50
    ... --profile /projects/      # cProfile of one page, the 30 most costly functions

Speed is measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samarbeid.settings")
os.environ.setdefault("SAMARBEID_ALLOW_DEV_SECRET", "1")
os.environ["DEBUG"] = "0"
os.environ.setdefault("SAMARBEID_BENCH", "1")  # mounts the bare view
# Connections kept between requests, as run.sh and production do (with 0 every request
# would open one, and the query count below would read a closed connection's log).
os.environ.setdefault("CONN_MAX_AGE", "60")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--profile", default="")
    parser.add_argument("--user", default="sekretariat")
    parser.add_argument(
        "--pages", nargs="*", default=[], help="signed-in addresses instead of the usual set"
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections, connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from projects.models import Project

    # As the test runner does: keep one connection so the queries can be counted.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)

    client = Client(HTTP_HOST="localhost")
    client.force_login(get_user_model().objects.get(username=args.user))
    slug = Project.objects.order_by("pk").values_list("slug", flat=True).first()
    pages = [
        ("/bench/bare/", False),
        ("/", False),
        ("/portal/projects/", False),
        ("/api/v1/projects?page_size=50", False),
        ("/projects/", True),
        (f"/projects/{slug}/", True),
        ("/municipalities/3905/", True),
    ]
    if args.pages:
        pages = [("/bench/bare/", False)] + [(url, True) for url in args.pages]
    anon = Client(HTTP_HOST="localhost")
    if args.profile:
        c = client if args.profile != "/" else anon
        c.get(args.profile)
        # CPU time, not wall time: on a shared machine the wall clock charges other
        # processes' time slices to whatever function happened to be running.
        prof = cProfile.Profile(time.process_time)
        prof.enable()
        for _ in range(args.runs):
            c.get(args.profile)
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(45)
        pstats.Stats(prof).sort_stats("tottime").print_stats(25)
        return
    print(f"{'page':32} {'ms/request':>10} {'median':>8} {'CPU ms':>8} {'queries':>8} {'bytes':>8}")
    for url, signed_in in pages:
        c = client if signed_in else anon
        response = c.get(url)  # warm: caches, template loader, imports
        assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            response = c.get(url)  # a cache hit: the queries every request still makes
        # Counted now: the next request's `request_started` empties the connection's log.
        count = len(queries)
        times = []
        cpu = time.process_time()
        for _ in range(args.runs):
            t = time.perf_counter()
            c.get(url)
            times.append((time.perf_counter() - t) * 1000)
        cpu_ms = (time.process_time() - cpu) * 1000 / args.runs
        label = "a project page" if slug in url else url
        print(
            f"{label:32} {sum(times) / len(times):10.1f} {statistics.median(times):8.1f} "
            f"{cpu_ms:8.1f} "
            f"{count:8d} {len(response.content):8d}"
        )


if __name__ == "__main__":
    main()
