"""Ctrl-C on `make run` stops the Celery worker cleanly: honcho, started from Procfile.dev as the Makefile
does, gets SIGINT as a terminal sends it, and the worker exits with 0 within honcho's wait, without errors.
The embedded broker's transport, which makes that possible, stops waiting for messages once the worker stops.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from celery.worker import state as worker_state
from honcho.manager import KILL_WAIT
from kombu import Connection, Queue

from config.broker import Transport
from tests.platform.test_celery_worker import ROOT, database_url_of_test_database

READY_WITHIN = 90


def honcho_running_the_worker(tmp_path: Path) -> tuple[subprocess.Popen, Path]:
    """`honcho -f Procfile.dev start worker` in a session of its own, on the embedded default, as `make run`."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND")
    }
    environment.update(
        DEBUG="1",
        VAR_DIR=str(tmp_path / "var"),
        DATABASE_URL=database_url_of_test_database(),
        PATH=f"{Path(sys.executable).parent}:{environment.get('PATH', '')}",
    )
    log = tmp_path / "honcho.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "honcho", "-f", "Procfile.dev", "start", "worker"],
        cwd=ROOT,
        env=environment,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    return process, log


def wait_for(log: Path, text: str, process: subprocess.Popen, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while text not in log.read_text():
        assert process.poll() is None, f"honcho exited before {text!r}:\n{log.read_text()[-3000:]}"
        assert time.monotonic() < deadline, f"no {text!r} within {seconds} s:\n{log.read_text()[-3000:]}"
        time.sleep(0.2)


@pytest.mark.worker
def test_ctrl_c_stops_the_worker_of_make_run_cleanly_before_honcho_would_kill_it(transactional_db, tmp_path):
    process, log = honcho_running_the_worker(tmp_path)
    try:
        wait_for(log, " ready.", process, READY_WITHIN)

        asked = time.monotonic()
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C sends to the terminal's foreground group
        process.wait(timeout=KILL_WAIT + 10)
        took = time.monotonic() - asked
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    output = log.read_text()
    assert "worker.1 stopped (rc=0)" in output, output[-3000:]
    assert "SIGKILL" not in output and took < KILL_WAIT, f"{took:.1f} s:\n{output[-3000:]}"
    errors = [line for line in output.splitlines() if any(word in line for word in ("ERROR", "CRITICAL", "Traceback"))]
    assert not errors, "\n".join(errors)


@contextmanager
def consuming_an_empty_queue(folder: Path):
    """A connection of the embedded broker's transport, consuming from an empty queue in `folder`."""
    folders = {name: str(folder) for name in ("data_folder_in", "data_folder_out", "control_folder")}
    with (
        Connection("filesystem://", transport=Transport, transport_options=folders) as connection,
        connection.Consumer(Queue("celery"), callbacks=[lambda body, message: None]),
    ):
        yield connection


@pytest.mark.parametrize("flag", ["should_stop", "should_terminate"])
def test_a_stopping_worker_stops_waiting_on_the_file_system_broker_at_once(monkeypatch, tmp_path, flag):
    monkeypatch.setattr(worker_state, flag, 0)  # the exit code of a successful stop: 0, which is not "unset"
    with consuming_an_empty_queue(tmp_path) as connection:
        started = time.monotonic()

        with pytest.raises(socket.timeout):
            connection.drain_events(timeout=30)

    assert time.monotonic() - started < 2


def test_a_running_worker_waits_on_the_file_system_broker_until_the_timeout(tmp_path):
    with consuming_an_empty_queue(tmp_path) as connection:
        started = time.monotonic()

        with pytest.raises(socket.timeout):
            connection.drain_events(timeout=0.5)

    assert time.monotonic() - started >= 0.5
