"""Quick in-process timing of the overview pages (bench/README-speed.md).

    DATABASE_URL=sqlite:////tmp/speed_2000.sqlite3 .venv/bin/python bench/speed_overview.py 2000

Builds (once per database file) the test portfolio of `tests/projects/test_overview_data`
with N projects (3 participations and 2 money entries each) and N/10 open referrals with
12 council decisions each, then requests every overview page with `django.test.Client`
as a signed-in user and prints the median time of 3 requests, the response size and the
number of SQL queries. Not the benchmark (bench/run.sh): a quick before/after gauge.
"""

import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samarbeid.settings")
os.environ.setdefault("SAMARBEID_ALLOW_DEV_SECRET", "1")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

URLS = [
    "/overview/timeline/",
    "/overview/matrix/",
    "/overview/matrix/?organisations=on",
    "/overview/money/",
    "/governance/",
    "/api/governance/referrals",
    "/municipalities/3905/",
    "/projects/",
]


def build(n: int) -> None:
    from projects.models import Project
    from tests.governance.test_views import _build
    from tests.projects.test_overview_data import bulk_portfolio, vestfold

    if Project.objects.exists():
        return
    v = vestfold()
    for start in range(0, n, 1000):
        bulk_portfolio(v, min(1000, n - start), start=start)
    _build(max(1, n // 10), 12, prefix="B")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    call_command("migrate", verbosity=0)
    build(n)
    user, _ = get_user_model().objects.get_or_create(
        username="speed", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "nb"
    print(f"{'page':<40} {'median ms':>10} {'KB':>8} {'queries':>8}")
    for url in URLS:
        client.get(url)
        times = []
        for _ in range(3):
            with CaptureQueriesContext(connection) as ctx:
                t = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - t) * 1000)
        status = "" if response.status_code == 200 else f" HTTP {response.status_code}"
        print(
            f"{url:<40} {statistics.median(times):>10.0f} {len(response.content) / 1024:>8.0f}"
            f" {len(ctx.captured_queries):>8}{status}"
        )


if __name__ == "__main__":
    main()
