"""PostgreSQL restarted or stopped under a running web server: 503s while it is down, and no restart needed after.

A web server process (gunicorn, one sync worker, so that its connection is kept between requests
for CONN_MAX_AGE) serves a private PostgreSQL cluster, which the tests restart or stop and start
again. Without CONN_HEALTH_CHECKS the first request after the cluster comes back would use the
dead connection and answer 500; without the outage answers (common.database_outage) a request
while it is down would answer a 500 in HTML.
"""

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import NamedTuple

import psycopg2
import pytest

from tests.reliability.fixtures import HTTP_TIMEOUT, ROOT, on_postgresql, postgres_cluster
from tests.reliability.servers import free_port, process_stop, wait_until

pytestmark = pytest.mark.usefixtures("on_postgresql")

DATABASE = "coproduction"
# Run in the server's own database: an administrator and the token the test calls the API with.
MAKE_ADMINISTRATOR = """
from rest_framework.authtoken.models import Token
from partners.models import User
user = User.objects.create_superuser("restart-admin", password=None)
print(Token.objects.create(user=user).key)
"""


class WebServer(NamedTuple):
    base: str
    token: str
    process: subprocess.Popen


class Answer(NamedTuple):
    status: int
    headers: dict
    body: str

    def json(self):
        return json.loads(self.body)


def server_environment(database_url: str, var_dir) -> dict:
    """The server's settings: the private cluster; no Redis (a local cache and broker) so nothing is shared."""
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL" and not key.startswith("CELERY_")}
    env.update(DATABASE_URL=database_url, VAR_DIR=str(var_dir), DEBUG="1", CONN_MAX_AGE="600")
    return env


def manage(env: dict, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def get(url: str, token: str | None = None) -> Answer:
    headers = {"Accept-Language": "en", **({"Authorization": f"Token {token}"} if token else {})}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=HTTP_TIMEOUT) as response:
            return Answer(response.status, dict(response.headers), response.read().decode())
    except urllib.error.HTTPError as error:
        return Answer(error.code, dict(error.headers), error.read().decode())


def status_of(url: str, token: str | None = None) -> int:
    return get(url, token).status


@pytest.fixture
def web_server(postgres_cluster, tmp_path):
    """A migrated database on the private cluster and a gunicorn serving it."""
    postgres_cluster.create_database(DATABASE)
    env = server_environment(postgres_cluster.url(DATABASE), tmp_path / "var")
    manage(env, "migrate", "--noinput")
    token = manage(env, "shell", "--no-imports", "-c", MAKE_ADMINISTRATOR).strip()
    port = free_port()
    with (tmp_path / "gunicorn.log").open("w") as log:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
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
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: server.poll() is not None or _answers(base), what="gunicorn to answer")
        assert server.poll() is None, (tmp_path / "gunicorn.log").read_text()
        yield WebServer(base, token, server)
    finally:
        process_stop(server)


def _answers(base: str) -> bool:
    try:
        return status_of(f"{base}/healthz") == 200
    except OSError:
        return False


def sessions_of_the_server(cluster) -> int:
    """The web server's open database sessions (the test's own query is not one)."""
    with psycopg2.connect(cluster.url(DATABASE)) as db, db.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND backend_type = 'client backend'"
            " AND pid <> pg_backend_pid()",
            [DATABASE],
        )
        count = cursor.fetchone()[0]
    db.close()
    return count


def workers_of(server: subprocess.Popen) -> list[int]:
    """The process ids of gunicorn's workers: a worker that died and was replaced shows as a new id."""
    return sorted(int(pid) for pid in Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split())


def test_after_postgresql_restarts_the_next_requests_succeed(postgres_cluster, web_server):
    base, token, _ = web_server
    pages = [f"{base}/healthz", f"{base}/api/v1/projects/", f"{base}/public/"]
    assert [status_of(url, token) for url in pages] == [200, 200, 200]
    # The server keeps its connection between requests: the one the restart is about to cut.
    assert sessions_of_the_server(postgres_cluster) == 1

    postgres_cluster.restart()

    assert [status_of(url, token) for url in pages * 2] == [200] * 6


def test_while_postgresql_is_down_every_answer_is_a_503_and_all_recover_when_it_is_back(postgres_cluster, web_server):
    base, token, server = web_server
    pages = [f"{base}/healthz", f"{base}/api/v1/projects/", f"{base}/public/"]
    assert [status_of(url, token) for url in pages] == [200, 200, 200]
    workers = workers_of(server)

    postgres_cluster.stop()

    api = get(f"{base}/api/v1/projects/", token)
    assert api.status == 503
    assert api.json() == {
        "message": "The platform is temporarily unavailable. Please try again in a minute.",
        "code": "service_unavailable",
        "errors": {},
    }
    assert api.headers["Retry-After"] == "30"
    page = get(f"{base}/public/")
    assert (page.status, page.headers["Retry-After"]) == (503, "30")
    assert page.headers["Content-Type"].startswith("text/html")
    assert "Temporarily unavailable" in page.body
    health = get(f"{base}/healthz")
    assert (health.status, health.json()) == (503, {"status": "unavailable", "down": ["database"]})

    postgres_cluster.start_again()

    assert [status_of(url, token) for url in pages * 2] == [200] * 6
    assert get(f"{base}/healthz").json() == {"status": "ok", "down": []}
    # Served by the same worker process throughout: none died or was restarted.
    assert workers_of(server) == workers
