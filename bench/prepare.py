"""Helper of bench/run.sh, run with the bench's DATABASE_URL set.

Prints `COOKIE SLUG CASE_ID COOPERATION PROJECT_ID`: a session of the demo secretariat user
(signed in without a password round trip), the slug of a project, the id of a case, the
slug of the cooperation the desk shows and the id of the first public project. With
--export FILE it also copies that cooperation's projects table into an SQLite file for
Datasette (the same rows the API would list).
"""

import argparse
import os
import sqlite3
import sys
from importlib import import_module
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samarbeid.settings")


def session_for(username: str) -> str:
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )

    user = get_user_model().objects.get(username=username)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def export(path: Path, cooperation) -> None:
    from projects.models import Project

    fields = [f for f in Project._meta.concrete_fields]
    columns = [f.column for f in fields]
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    db.execute(f"CREATE TABLE projects ({', '.join(columns)}, PRIMARY KEY (id))")
    rows = (
        Project.objects.filter(cooperation=cooperation)
        .order_by("pk")
        .values_list(*[f.attname for f in fields])
    )
    db.executemany(
        f"INSERT INTO projects VALUES ({', '.join('?' * len(columns))})",
        (
            [v if isinstance(v, int | float | str | type(None)) else str(v) for v in row]
            for row in rows
        ),
    )
    db.commit()
    db.close()


# The status page of a background import (/import/status/<token>/) is measured for a
# finished 5,000-row import under this fixed token (run.sh).
IMPORT_STATUS_TOKEN = "bench-import-status"


def import_status(cooperation) -> None:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from importers.models import ImportBatch

    ImportBatch.objects.get_or_create(
        token=IMPORT_STATUS_TOKEN,
        defaults={
            "cooperation": cooperation,
            "filename": "bench-5000.txt",
            "data": b"",
            "status": ImportBatch.Status.DONE,
            "summary": {"created": 5000, "updated": 0, "unchanged": 0},
            "confirmed_at": timezone.now(),
            "created_by": get_user_model().objects.filter(username="sekretariat").first(),
        },
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--export")
    args = parser.parse_args()
    import django

    django.setup()
    from governance.models import Case
    from members.selectors import default_cooperation
    from projects.models import Project

    cooperation = default_cooperation()
    projects = Project.objects.filter(cooperation=cooperation).order_by("pk")
    project = projects[projects.count() // 2]
    case = Case.objects.filter(cooperation=cooperation).order_by("pk").first()
    if args.export:
        export(Path(args.export), cooperation)
    import_status(cooperation)
    public = projects.filter(is_public=True).first() or project
    print(
        session_for("sekretariat"),
        project.slug,
        case.pk if case else 0,
        cooperation.slug,
        public.pk,
    )


if __name__ == "__main__":
    main()
