"""In-process timings of the desk's overview pages (issue 16, session 5): for each page the
first request after the overview cache is cleared (miss), then the median wall ms and the
mean CPU ms of N more (hits), the queries of a hit and the response size. Signed in as the
demo secretariat, DEBUG off. Build the data with `migrate` + `load_demo` (+
`generate_synthetic`, see bench/README.md).

    DATABASE_URL=sqlite:////abs/b2000.sqlite3 .venv/bin/python bench/overview_inprocess.py
    RUNS=50 ... bench/overview_inprocess.py /overview/matrix/   # one page
    PROFILE=/overview/matrix/ ...                               # cProfile of its hits

Speed is measured here, never asserted in tests.
"""

from __future__ import annotations

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

PAGES = [
    "/bench/bare/",
    "/overview/timeline/",
    "/overview/matrix/",
    "/overview/money/",
    "/overview/timeline/?page=7",
    "/overview/matrix/?organisations=on&page=2",
    "/overview/money/?year_from=2000&year_to=2004",
]


def main() -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    runs = int(os.environ.get("RUNS", "30"))
    profile = os.environ.get("PROFILE", "")
    client = Client(HTTP_HOST="localhost")
    client.force_login(get_user_model().objects.get(username="sekretariat"))
    print(f"{'page':46} {'miss ms':>8} {'hit ms':>7} {'CPU ms':>7} {'queries':>7} {'bytes':>8}")
    for url in sys.argv[1:] or PAGES:
        client.get(url)  # imports, template loader
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)  # a hit
        # Counted now: the capture reads the connection's log, which the next request resets.
        query_count = len(queries)
        assert response.status_code == 200, (url, response.status_code)
        cache.clear()
        start = time.perf_counter()
        client.get(url)
        miss = (time.perf_counter() - start) * 1000
        prof = cProfile.Profile(time.process_time) if url == profile else None
        if prof:
            prof.enable()
        times = []
        cpu = time.process_time()
        for _ in range(runs):
            start = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        cpu_ms = (time.process_time() - cpu) * 1000 / runs
        if prof:
            prof.disable()
            pstats.Stats(prof).sort_stats("cumulative").print_stats(40)
        print(
            f"{url:46} {miss:8.0f} {statistics.median(times):7.1f} {cpu_ms:7.1f} "
            f"{query_count:7d} {len(response.content):8d}",
            flush=True,
        )


if __name__ == "__main__":
    main()
