"""Fixtures shared by every app's tests.

The municipality registry (all of Norway, 1972-2024, from the offline SSB snapshot) is
loaded once per test session into the test database, so every test can look up real
municipalities. Tests that flush the database (browser tests with live_server) must call
`load_registry()` themselves.
"""

import http.server
import os
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group

from samarbeid.common import permissions

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"


def load_registry() -> None:
    from members.registry import load_snapshot

    load_snapshot(directory=settings.SSB_KLASS_DIR, overrides=settings.MUNICIPALITY_OVERRIDES_FILE)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_registry()
    yield
    # A live-server thread still holding a keep-alive request from the last browser test
    # keeps a PostgreSQL session open, and the test database could not be dropped.
    from django.db import connection

    if connection.vendor == "postgresql":
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


@pytest.fixture
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def _user_with_role(django_user_model, username: str, role: str | None):
    user = django_user_model.objects.create_user(username=username, password="pw-" + username)
    if role:
        group, _ = Group.objects.get_or_create(name=role)
        user.groups.add(group)
    return user


@pytest.fixture
def secretariat_user(django_user_model):
    return _user_with_role(django_user_model, "sekretariat-test", permissions.SECRETARIAT)


@pytest.fixture
def board_user(django_user_model):
    return _user_with_role(django_user_model, "styre-test", permissions.BOARD)


@pytest.fixture
def plain_user(django_user_model):
    return _user_with_role(django_user_model, "vanlig-test", None)


@pytest.fixture
def secretariat_client(client, secretariat_user):
    client.force_login(secretariat_user)
    return client


CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture
def browser_page(artifacts_dir):
    """A Playwright page in Debian's Chromium. Skips (outside CI) when Chromium is missing."""
    import os

    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(
                "CI needs Debian's Chromium at /usr/bin/chromium (apt-get install chromium)"
            )
        pytest.skip("Debian's Chromium is not installed (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the
    # test itself are still synchronous and safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        # Norwegian browser controls ("Velg fil", dd.mm.åååå) need Debian's chromium-l10n.
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM),
            env={**os.environ, "LANGUAGE": "nb"},
            args=[
                "--lang=nb",
                "--no-sandbox",
                "--disable-background-networking",
                "--disable-gpu",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nb-NO")
        page = context.new_page()
        page.set_default_timeout(15000)
        try:
            yield page
        finally:
            context.close()
            browser.close()


@pytest.fixture
def municipality_site():
    """A stand-in for a member municipality's website, on another origin than the portal:
    it serves `state["html"]` (the test puts the widget's snippet in it). Yields
    `(state, url)`."""
    state = {"html": ""}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = state["html"].encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield state, f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def browser_login(page, live_server, username: str, password: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: test databases roll back and reuse ids, so a
    value cached by one test could match the data version of the next."""
    from django.core.cache import cache

    from members import request_cache

    cache.clear()
    # A response the test never closed leaves its request's memory open in this thread; the
    # registry reloaded by a live-server test has new ids, so start each test without it.
    request_cache.end()
    yield


def local_redis():
    """A connection to the Redis the real-worker tests enqueue to (`RQ_TEST_REDIS_URL`,
    database 3 by default); the test is skipped when it is not reachable."""
    import redis

    url = os.environ.get("RQ_TEST_REDIS_URL", "redis://127.0.0.1:6379/3")
    conn = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        conn.ping()
    except redis.exceptions.RedisError:
        pytest.skip(f"Redis is not reachable at {url}")
    return conn
