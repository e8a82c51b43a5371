"""Benchmark: the portfolio's pages at a given scale.

Builds a throwaway test database (SQLite by default, PostgreSQL through DATABASE_URL),
loads the municipality registry, writes N projects with participants and money across the
Vestfold municipalities, then requests each page several times and prints the median
time, the slowest time and the number of SQL queries.

    uv run python bench/portfolio.py --projects 2000 --runs 5
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test uv run python bench/portfolio.py

Speed is measured here, never asserted in tests; tests assert query counts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samarbeid.settings")
os.environ.setdefault("SAMARBEID_ALLOW_DEV_SECRET", "1")


def build(n_projects: int, seed: int) -> tuple[str, str]:
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from members.models import Cooperation, Membership
    from members.registry import load_snapshot
    from members.selectors import municipalities_on
    from projects.models import MoneyEntry, Participation, Project
    from projects.services import rebuild_search_text

    load_snapshot(directory=settings.SSB_KLASS_DIR, overrides=settings.MUNICIPALITY_OVERRIDES_FILE)
    rng = random.Random(seed)
    coop = Cooperation.objects.create(name="Benk", short_name="B", slug="benk")
    day = dt.date(2004, 6, 1)
    muns = list(municipalities_on(day, county_number="07"))
    Membership.objects.bulk_create(
        Membership(cooperation=coop, municipality=m, joined=dt.date(1997, 1, 1)) for m in muns
    )
    categories = [c for c, _ in Project.Category.choices]
    phases = [p for p, _ in Project.Phase.choices]
    projects = Project.objects.bulk_create(
        Project(
            cooperation=coop,
            name=f"Prosjekt {i} {rng.choice(['bredbånd', 'geodata', 'helse', 'plan'])}",
            slug=f"prosjekt-{i}",
            category=rng.choice(categories),
            phase=rng.choice(phases),
            start_date=dt.date(rng.randint(1997, 2010), 1, 1),
            host_municipality=rng.choice(muns),
        )
        for i in range(n_projects)
    )
    Participation.objects.bulk_create(
        Participation(project=p, municipality=m, role="participant")
        for p in projects
        for m in rng.sample(muns, rng.randint(2, 8))
    )
    MoneyEntry.objects.bulk_create(
        MoneyEntry(
            project=p,
            kind=rng.choice(["grant", "benefit", "cost"]),
            amount_nok=rng.randint(1, 50) * 100_000,
            year_from=p.start_date.year,
            municipality=rng.choice(muns),
        )
        for p in projects
        if rng.random() < 0.6
    )
    rebuild_search_text()
    user = get_user_model().objects.create_superuser("bench", "bench@example.org", "bench")
    return user.username, projects[n_projects // 2].slug


def measure(client, url: str, runs: int) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm caches and templates
    times = []
    queries = 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(ctx)
    return statistics.median(times), max(times), queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    import django

    warnings.filterwarnings("ignore", message="No directory at")  # whitenoise, no collectstatic
    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        started = time.perf_counter()
        username, slug = build(args.projects, args.seed)
        built = time.perf_counter() - started
        print(f"{connection.vendor}: {args.projects} projects built in {built:.1f} s")
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        pages = {
            "list": "/projects/",
            "list, search 'bredbånd'": "/projects/?q=bredb%C3%A5nd",
            "list, page 10": "/projects/?page=10",
            "project": f"/projects/{slug}/",
            "municipality Tønsberg": "/municipalities/3905/",
            "timeline": "/overview/timeline/",
            "money": "/overview/money/",
        }
        print(f"{'page':28} {'median ms':>10} {'max ms':>8} {'queries':>8}")
        for label, url in pages.items():
            median, worst, queries = measure(client, url, args.runs)
            print(f"{label:28} {median * 1000:10.0f} {worst * 1000:8.0f} {queries:8d}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
