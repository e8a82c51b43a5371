"""Benchmark: the networks' library search over many documents.

Builds a throwaway test database (SQLite by default, PostgreSQL through DATABASE_URL),
writes N documents of about two pages each (900 words of Norwegian-looking text, with æ, ø
and å) spread over nine networks and the three visibilities, indexes them (FTS5 on SQLite,
the generated tsvector with its GIN index on PostgreSQL), then runs each search several
times through the library page as a member of one network and as the secretariat, and prints
the median and slowest time and the number of SQL queries (which must not depend on N). On
PostgreSQL it then prints EXPLAIN ANALYZE of the rare-word search, to show the GIN index
(`networks_document_search_gin`) at work.

    uv run python bench/networks_search.py --documents 10000 --runs 5
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_networks \\
        uv run python bench/networks_search.py --documents 10000

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
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samarbeid.settings")
os.environ.setdefault("SAMARBEID_ALLOW_DEV_SECRET", "1")

_VOCABULARY = (
    "kommune samarbeid nettverk mal rutine vedtak saksbehandling opplæring kompetanse "
    "verjemål regnskap helse omsorg sykepleier barnehage skole bredbånd fiber geodata plan "
    "byggesak innkjøp avtale anskaffelse tjeneste bruker pårørende hjemmetjeneste legevakt "
    "økonomi budsjett rapport evaluering prosjekt styre rådmann ordfører fylkesmann høring "
    "lønn personal rekruttering trainee ingeniør vann avløp renovasjon miljø klima energi "
    "næring etablerer veiledning sjekkliste prosedyre forskrift lov praksis erfaring læring "
    "dokument arkiv journal personvern sikkerhet beredskap kriseledelse øvelse tilsyn kvalitet"
)
WORDS = _VOCABULARY.split()
RARE = "kvantesprangsløsning"


def build(n_documents: int, seed: int):
    from django.contrib.auth import get_user_model

    from members.models import Cooperation, Person
    from networks import search
    from networks.models import Document, DocumentVersion, Network, NetworkMember
    from samarbeid.common.text import fold_for_search

    rng = random.Random(seed)
    coop = Cooperation.objects.create(name="Benk", short_name="B", slug="benk")
    networks = Network.objects.bulk_create(
        Network(cooperation=coop, name=f"Nettverk {i}", slug=f"nettverk-{i}") for i in range(9)
    )
    visibilities = [v for v, _ in Document.Visibility.choices]
    kinds = [k for k, _ in Document.Kind.choices]
    batch = 1000
    for offset in range(0, n_documents, batch):
        docs, texts = [], []
        for i in range(offset, min(offset + batch, n_documents)):
            words = rng.choices(WORDS, k=900)
            if i % 1000 == 7:
                words[rng.randrange(900)] = RARE
            text = " ".join(words)
            title = f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} {i}"
            texts.append(text)
            docs.append(
                Document(
                    network=rng.choice(networks),
                    title=title,
                    kind=rng.choice(kinds),
                    visibility=rng.choice(visibilities),
                    search_text=fold_for_search(f"{title} {text}"),
                )
            )
        docs = Document.objects.bulk_create(docs)
        DocumentVersion.objects.bulk_create(
            DocumentVersion(document=d, number=1, file=f"bench/{d.pk}.txt", file_kind="txt", text=t)
            for d, t in zip(docs, texts, strict=True)
        )
    search.rebuild_index()
    from django.db import connection

    with connection.cursor() as cursor:  # statistics, as autovacuum would gather after a load
        cursor.execute(
            "ANALYZE networks_document" if connection.vendor == "postgresql" else "ANALYZE"
        )
    user_model = get_user_model()
    member = user_model.objects.create_user("medlem", password="x")
    NetworkMember.objects.create(
        network=networks[0],
        person=Person.objects.create(name="Medlem", user=member),
        start=dt.date(2000, 1, 1),
    )
    secretariat = user_model.objects.create_superuser("bench", "bench@example.org", "bench")
    return member, secretariat


def measure(client, url: str, runs: int) -> tuple[float, float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from projects.analytics.cache import bump_data_version

    response = client.get(url)  # warm caches and templates
    times = []
    queries = 0
    for _ in range(runs):
        # The library page is kept per data version (networks.page_cache): the search is
        # timed as a miss, computed again, not as the cache read that a repeat is.
        bump_data_version()
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(ctx)
    page = response.context["result"].page
    found = page.paginator.count if page else 0
    return statistics.median(times), max(times), queries, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    import django

    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        started = time.perf_counter()
        member, secretariat = build(args.documents, args.seed)
        built = time.perf_counter() - started
        print(f"{connection.vendor}: {args.documents} documents built in {built:.1f} s")
        searches = {
            "one common word": "verjemål",
            "folded spelling": "verjemal",
            "two words": "regnskap rutine",
            "rare word": RARE,
            "prefix": "oppl",
            "no match": "xylofonorkester",
        }
        print(
            f"{'search':22} {'as':12} {'found':>7} {'median ms':>10} {'max ms':>8} {'queries':>8}"
        )
        for who, user in (("member", member), ("secretariat", secretariat)):
            client = Client()
            client.force_login(user)
            for label, query in searches.items():
                url = f"/networks/library/?q={quote(query)}"
                median, worst, queries, found = measure(client, url, args.runs)
                print(
                    f"{label:22} {who:12} {found:7d} {median * 1000:10.0f} "
                    f"{worst * 1000:8.0f} {queries:8d}"
                )
        if connection.vendor == "postgresql":
            from networks import search
            from networks.models import Document
            from networks.permissions import visible_documents_q

            documents = Document.objects.filter(visible_documents_q(member))
            print(f"\nEXPLAIN ANALYZE, {RARE!r} as a member:")
            print(search.explain(documents, search.terms_of(RARE), analyze=True))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
