"""With a read replica (DATABASE_REPLICA_URL), reads of the portal and the API go to the
`replica` alias and every write to `default`; the desk reads its own writes from default."""

import pytest
from django.db import router, transaction
from django.test import RequestFactory, override_settings

from members.models import Municipality
from projects.models import Project
from samarbeid.common.dbrouters import ReplicaReadsMiddleware, replica_reads

ROUTED = override_settings(DATABASE_ROUTERS=["samarbeid.common.dbrouters.ReplicaRouter"])


@ROUTED
def test_reads_go_to_the_replica_and_writes_to_default():
    with replica_reads():
        assert router.db_for_read(Project) == "replica"
        assert router.db_for_read(Municipality) == "replica"
        assert Project.objects.all().db == "replica"
        assert router.db_for_write(Project) == "default"
        # Sign-in and sessions always read the latest write.
        from django.contrib.auth.models import User
        from django.contrib.sessions.models import Session

        assert router.db_for_read(User) == "default"
        assert router.db_for_read(Session) == "default"
    # Outside a replica-eligible request everything is on default.
    assert router.db_for_read(Project) == "default"
    assert router.allow_migrate("replica", "projects") is False
    assert router.allow_migrate("default", "projects") is True


@ROUTED
@pytest.mark.django_db(transaction=True)
def test_reads_inside_a_transaction_stay_on_default():
    with replica_reads(), transaction.atomic():
        assert router.db_for_read(Project) == "default"


@ROUTED
def test_only_get_requests_to_portal_widget_and_api_read_from_the_replica():
    seen = {}

    def view(request):
        seen[(request.method, request.path)] = router.db_for_read(Project)
        return None

    middleware = ReplicaReadsMiddleware(view)
    factory = RequestFactory()
    middleware(factory.get("/api/governance/referrals"))
    middleware(factory.get("/portal/"))
    middleware(factory.post("/api/governance/referrals"))
    middleware(factory.get("/projects/"))
    assert seen == {
        ("GET", "/api/governance/referrals"): "replica",
        ("GET", "/portal/"): "replica",
        ("POST", "/api/governance/referrals"): "default",
        ("GET", "/projects/"): "default",
    }


def test_the_deployment_switches_in_settings():
    """DATABASE_REPLICA_URL adds the replica and the router, REDIS_URL puts the cache and
    the sessions in Redis, SAMARBEID_S3_BUCKET stores uploads with django-storages."""
    import json
    import os
    import subprocess
    import sys

    code = (
        "import json, django; from django.conf import settings as s; django.setup(); "
        "print(json.dumps([sorted(s.DATABASES), s.DATABASE_ROUTERS, s.CACHES['default']"
        "['BACKEND'], s.SESSION_ENGINE, s.STORAGES['default']['BACKEND'], "
        "'samarbeid.common.dbrouters.ReplicaReadsMiddleware' in s.MIDDLEWARE]))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "samarbeid.settings",
        "SAMARBEID_ALLOW_DEV_SECRET": "1",
        "DATABASE_URL": "postgres://u@db.internal:5432/samarbeid",
        "DATABASE_REPLICA_URL": "postgres://u@replica.internal:5432/samarbeid",
        "REDIS_URL": "redis://cache.internal:6379/0",
        "SAMARBEID_S3_BUCKET": "samarbeid-uploads",
    }
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    databases, routers, cache, sessions, storage, middleware = json.loads(out)
    assert databases == ["default", "replica"]
    assert routers == ["samarbeid.common.dbrouters.ReplicaRouter"]
    assert cache == "django.core.cache.backends.redis.RedisCache"
    assert sessions == "django.contrib.sessions.backends.cached_db"
    assert storage == "storages.backends.s3.S3Storage"
    assert middleware
