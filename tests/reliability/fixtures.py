"""Fixtures of the concurrency and fault tests: the services they need, private servers, a worker, HTTP calls.

These tests need PostgreSQL (DATABASE_URL=postgres://...), and some the redis-server and
PostgreSQL server binaries to run private servers they can stop. Without them a test is
skipped, saying what is missing; with REQUIRE_SERVICES=1 (CI's PostgreSQL and Redis run) it
fails instead, so that CI never passes by skipping them.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from rest_framework.authtoken.models import Token

from config.celery import app as celery_app
from tests.needs import missing
from tests.reliability.servers import PostgresCluster, RedisServer, process_stop, wait_until

ROOT = Path(settings.BASE_DIR)
HTTP_TIMEOUT = 60


@pytest.fixture
def on_postgresql():
    if connection.vendor != "postgresql":
        missing("this test needs PostgreSQL: run with DATABASE_URL=postgres://...")


@pytest.fixture
def redis_server(on_postgresql, tmp_path):
    """A private redis-server, running; the test may stop and start it. Always stopped at the end."""
    binary = os.environ.get("REDIS_SERVER") or shutil.which("redis-server")
    if not binary:
        missing("redis-server is not installed (apt-get install redis-server) nor named by REDIS_SERVER")
    server = RedisServer(binary, tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def postgres_cluster(on_postgresql):
    """A private PostgreSQL cluster, running; removed with its folder at the end."""
    reason = PostgresCluster.missing_requirement()
    if reason:
        missing(reason)
    cluster = PostgresCluster.found()
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.remove()


@pytest.fixture
def broker_and_cache_on(settings):
    """Point Django's cache and the Celery app's broker at a Redis server; put both back afterwards."""
    saved = celery_app.conf.broker_url, celery_app.conf.broker_transport_options, celery_app.conf.broker_transport

    def point(server: RedisServer) -> None:
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": server.url,
                "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
            }
        }
        celery_app.conf.broker_url, celery_app.conf.broker_transport = server.url, None
        celery_app.conf.broker_transport_options = {"socket_connect_timeout": 1, "socket_timeout": 2}
        celery_app._pool, celery_app.amqp._producer_pool = None, None

    yield point
    celery_app.conf.broker_url, celery_app.conf.broker_transport_options, celery_app.conf.broker_transport = saved
    celery_app._pool, celery_app.amqp._producer_pool = None, None


# --- A Celery worker process --------------------------------------------------------------


def database_url_of_test_database() -> str:
    """The URL of the PostgreSQL database this test run created, for a worker process to connect to."""
    db = connection.settings_dict
    credentials = f"{quote(db['USER'] or '', safe='')}:{quote(db['PASSWORD'] or '', safe='')}"
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    """A Celery worker process on a given Redis: by default the solo pool (the job runs in the process itself),
    or `pool="prefork"`, one child process running the jobs, as in production."""

    def __init__(self, redis_url: str, log: Path, pool: str = "solo", **environment: str):
        self.log = log
        env = {key: value for key, value in os.environ.items() if not key.startswith("CELERY_")}
        # English, as the tests speak it; the broker, results and cache on the given Redis.
        env.update(DATABASE_URL=database_url_of_test_database(), REDIS_URL=redis_url, LANGUAGE_CODE="en", **environment)
        with log.open("a") as output:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "config",
                    "worker",
                    f"--pool={pool}",
                    "--concurrency=1",
                    "--loglevel=INFO",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                    "--hostname",
                    f"reliability-{os.getpid()}-{log.stem}@%h",
                ],
                cwd=ROOT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for(self, condition: Callable[[], bool], *, what: str, timeout: float = 60) -> None:
        """Wait until `condition` holds; on timeout, the failure shows the worker's log."""
        try:
            wait_until(condition, what=what, timeout=timeout)
        except AssertionError as error:
            raise AssertionError(f"{error}\n--- the worker's log ---\n{self.output()}") from None

    def wait_until_ready(self) -> None:
        self.wait_for(lambda: " ready." in self.output() or self.process.poll() is not None, what="the worker to start")
        assert self.process.poll() is None, f"the worker died on start:\n{self.output()}"

    def kill(self) -> None:
        """SIGKILL: the worker gets no chance to clean up, as when the machine or the OOM killer stops it."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def pool_children(self) -> list[int]:
        """The process ids of the prefork pool's children (Linux's /proc)."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return [int(pid) for pid in children]

    def stop(self) -> None:
        process_stop(self.process)


@pytest.fixture
def start_worker(transactional_db, tmp_path):
    """Start worker processes on a Redis server; each is stopped at the end of the test."""
    started: list[Worker] = []

    def start(server: RedisServer, pool: str = "solo", **environment: str) -> Worker:
        worker = Worker(server.url, tmp_path / f"worker-{len(started) + 1}.log", pool, **environment)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


# --- HTTP calls from many threads at once -------------------------------------------------


def token_for(user) -> str:
    return Token.objects.create(user=user).key


def http(method: str, url: str, *, token: str, body: bytes = b"", content_type: str = "application/json"):
    """One API call over real HTTP; returns the status and the decoded JSON body."""
    request = urllib.request.Request(
        url,
        data=body or None,
        method=method,
        headers={
            "Authorization": f"Token {token}",
            "Content-Type": content_type,
            "Accept": "application/json",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def post_json(url: str, body: dict, *, token: str):
    return http("POST", url, token=token, body=json.dumps(body).encode())


def all_at_once(calls: list[Callable[[], object]]) -> list:
    """Run each call in a thread of its own, all released together; return what each returned.

    A call that raised fails the test. Each thread closes its database connection at the end,
    as a request's thread would.
    """
    start = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            start.wait(timeout=HTTP_TIMEOUT)
            outcomes[index] = call()
        except Exception as error:  # every outcome is inspected by the test
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=2 * HTTP_TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a call did not finish in time"
    failures = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    assert not failures, f"{len(failures)} of {len(calls)} calls raised: {failures[:3]}"
    return outcomes
