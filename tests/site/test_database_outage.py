"""With PostgreSQL stopped, pages answer 503 with the friendly page; when it is back, the
same running server answers 200 again without a restart.

The machine's PostgreSQL is shared, so the test starts a throwaway cluster of its own
(initdb + pg_ctl on a free port, as the `postgres` OS user), migrates a database in it,
serves the site from it with gunicorn (persistent connections, CONN_MAX_AGE=600), stops
and starts the cluster. Skipped where the PostgreSQL server binaries or the `postgres`
user are missing.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _bin_dir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    return Path(found[-1]).parent


def _as_postgres() -> list[str]:
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        pytest.skip("no `postgres` OS user to run a throwaway cluster as")
    if os.geteuid() == 0:
        if not shutil.which("runuser"):
            pytest.skip("runuser is missing")
        return ["runuser", "-u", "postgres", "--"]
    if pwd.getpwuid(os.geteuid()).pw_name == "postgres":
        return []
    pytest.skip("needs root (to run initdb as `postgres`) or the `postgres` user")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    def __init__(self, bin_dir: Path, prefix: list[str]):
        self.bin, self.prefix = bin_dir, prefix
        self.dir = Path(tempfile.mkdtemp(prefix="samarbeid-outage-"))
        self.data = self.dir / "data"
        self.port = _free_port()
        user = pwd.getpwnam("postgres") if prefix else pwd.getpwuid(os.geteuid())
        os.chown(self.dir, user.pw_uid, user.pw_gid)
        os.chmod(self.dir, 0o700)
        self.run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")

    def run(self, tool: str, *args: str) -> None:
        subprocess.run(
            [*self.prefix, str(self.bin / tool), *args],
            check=True,
            capture_output=True,
            timeout=120,
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -F"
        self.run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.dir / "log"),
            "-w",
            "start",
        )

    def stop(self) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/samarbeid"

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture
def cluster():
    c = Cluster(_bin_dir(), _as_postgres())
    try:
        c.start()
        c.run("createdb", "-h", "127.0.0.1", "-p", str(c.port), "-U", "postgres", "samarbeid")
        yield c
    finally:
        c.remove()


def test_postgres_stopped_gives_503_and_the_site_recovers_without_restart(cluster, tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": cluster.url,
        "CONN_MAX_AGE": "600",
        "DEBUG": "0",
        "SECRET_KEY": "outage-test-" + "k" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SAMARBEID_VAR_DIR": str(tmp_path),
        "LANGUAGE_CODE": "nb",
    }
    env.pop("PYTEST_VERSION", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=600,
    )
    port = _free_port()
    log = open(tmp_path / "gunicorn.log", "wb")  # noqa: SIM115
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "samarbeid.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(100):
            try:
                status, _body = _get(base)
                break
            except OSError:
                time.sleep(0.3)
        assert status == 200

        cluster.stop()
        for _ in range(2):  # the kept connection is found dead, then no new one opens
            status, body = _get(base)
            assert status == 503
            assert "Midlertidig utilgjengelig" in body or "Temporarily unavailable" in body
            assert 'data-fault="database"' in body

        cluster.start()
        status, body = _get(base)
        assert status == 200, body[:500]
        assert server.poll() is None  # the same process all along
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
