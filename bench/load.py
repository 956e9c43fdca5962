"""The API under concurrent load: gunicorn with a worker per core, 16 client threads per endpoint.

Each endpoint is driven for a fixed time by CLIENTS threads, each on its own keep-alive connection
and with its own users, and the bare ceiling view is driven the same way by the same server in
the same run. A small client of threads is used rather than locust: on a 2-core machine a second
event-loop process competes with the server just the same, while this one needs no further
dependency and sends exactly the requests below (tokens, multipart reports, fresh claims).
"""

import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings

from bench.urls import CEILING_PATH

CLIENTS = 16
P95_TARGET_MS = 100
LIST_SHARE_TARGET = 1 / 3


@dataclass
class Request:
    method: str
    path: str
    headers: dict
    body: bytes | None = None


@dataclass
class Endpoint:
    """What one client thread sends, request after request: `next_request(client, number)`."""

    name: str
    description: str
    next_request: Callable[[int, int], Request]
    is_list: bool = False
    expected: tuple = (200,)


@dataclass
class Tally:
    latencies: list = field(default_factory=list)
    failures: dict = field(default_factory=dict)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn on 127.0.0.1 and a free port, serving the platform with the benchmark's URLs."""

    def __init__(self, workers: int | None = None):
        self.workers = workers or os.cpu_count() or 1
        self.port = free_port()
        self.process = None

    def __enter__(self):
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--worker-class",
                "sync",
                "--keep-alive",
                "5",
                "--log-level",
                "warning",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self._wait_until_serving(self.process)
        return self

    def _wait_until_serving(self, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                stderr = process.stderr.read().decode() if process.stderr else ""
                raise RuntimeError(f"gunicorn exited: {stderr[-2000:]}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                connection.request("GET", "/" + CEILING_PATH)
                if connection.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer within a minute")

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _client(port: int, endpoint: Endpoint, client: int, stop_at: float, tally: Tally, lock: threading.Lock) -> None:
    connection, latencies, number = None, [], 0
    failures: dict[int | str, int] = {}
    while time.monotonic() < stop_at:
        request = endpoint.next_request(client, number)
        number += 1
        started = time.perf_counter()
        try:
            connection = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request(request.method, request.path, body=request.body, headers=request.headers)
            response = connection.getresponse()
            response.read()
            status: int | str = response.status
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
                connection = None
        except (OSError, http.client.HTTPException) as error:
            status = type(error).__name__
            connection = None
        elapsed = time.perf_counter() - started
        if status in endpoint.expected:
            latencies.append(elapsed)
        else:
            failures[status] = failures.get(status, 0) + 1
    with lock:
        tally.latencies += latencies
        for status, count in failures.items():
            tally.failures[str(status)] = tally.failures.get(str(status), 0) + count


def drive(port: int, endpoint: Endpoint, seconds: float, clients: int = CLIENTS) -> dict:
    tally, lock = Tally(), threading.Lock()
    stop_at = time.monotonic() + seconds
    threads = [
        threading.Thread(target=_client, args=(port, endpoint, client, stop_at, tally, lock))
        for client in range(clients)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return summarise(endpoint, tally, elapsed)


def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def summarise(endpoint: Endpoint, tally: Tally, elapsed: float) -> dict:
    latencies = tally.latencies
    as_ms = lambda value: None if value is None else round(value * 1000, 1)  # noqa: E731
    return {
        "description": endpoint.description,
        "requests": len(latencies),
        "failures": tally.failures,
        "requests_per_second": round(len(latencies) / elapsed, 1),
        "p50_ms": as_ms(percentile(latencies, 0.50)),
        "p95_ms": as_ms(percentile(latencies, 0.95)),
        "mean_ms": as_ms(statistics.fmean(latencies)) if latencies else None,
        "is_list": endpoint.is_list,
    }


def ceiling_endpoint() -> Endpoint:
    return Endpoint(
        "ceiling",
        "a bare Django JsonResponse view, no database",
        lambda client, number: Request("GET", "/" + CEILING_PATH, {}),
    )


def multipart(fields: dict) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields.items()
    ]
    return ("".join(parts) + f"--{boundary}--\r\n").encode(), f"multipart/form-data; boundary={boundary}"


def measure(endpoints: list[Endpoint], *, seconds: float, workers: int | None = None) -> dict:
    with Server(workers) as server:
        # A short warm-up, so that every worker has imported the views and opened its connection.
        drive(server.port, ceiling_endpoint(), min(2.0, seconds))
        results = {"ceiling": drive(server.port, ceiling_endpoint(), seconds)}
        for endpoint in endpoints:
            results[endpoint.name] = drive(server.port, endpoint, seconds)
        workers = server.workers
    ceiling_rps = results["ceiling"]["requests_per_second"] or 1
    for result in results.values():
        result["share_of_ceiling"] = round(result["requests_per_second"] / ceiling_rps, 3)
        result["meets_target"] = (
            result["p95_ms"] is not None
            and result["p95_ms"] < P95_TARGET_MS
            and (not result["is_list"] or result["share_of_ceiling"] >= LIST_SHARE_TARGET)
        )
    return {
        "server": f"gunicorn, {workers} sync workers",
        "clients": CLIENTS,
        "seconds_per_endpoint": seconds,
        "targets": {"p95_ms_below": P95_TARGET_MS, "list_share_of_ceiling_at_least": round(LIST_SHARE_TARGET, 3)},
        "endpoints": results,
    }
