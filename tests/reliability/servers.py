"""Private servers for the fault tests: Redis and PostgreSQL in a temp dir, on a free loopback port.

The tests stop and restart these, never the shared servers the rest of the suite uses. Every
wait has a time limit, and every server is stopped by the fixture that started it.
"""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

WAIT = 30  # seconds: the longest any server may take to start or stop


def free_port() -> int:
    """A TCP port nobody listens on right now, on the loopback interface."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition: Callable[[], bool], *, what: str, timeout: float = WAIT) -> None:
    """Poll `condition` until it holds; fail the test with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out after {timeout:g}s waiting for {what}")
        time.sleep(0.1)


def process_stop(process: subprocess.Popen | None) -> None:
    """Stop a child process politely, then by force; a process already gone is left alone."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


class RedisServer:
    """A redis-server of the test's own, without persistence, that the test can stop and start again."""

    def __init__(self, binary: str, directory: Path):
        self.binary, self.directory = binary, directory
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        # No retries: redis-py's default retries a refused connection for seconds.
        return redis.Redis(
            host="127.0.0.1", port=self.port, socket_connect_timeout=1, socket_timeout=2, retry=Retry(NoBackoff(), 0)
        )

    def answers(self) -> bool:
        try:
            return self.client().ping()
        except redis.RedisError:
            return False

    def start(self) -> None:
        log = (self.directory / "redis.log").open("a")
        self.process = subprocess.Popen(
            [
                self.binary,
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--dir",
                str(self.directory),
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        wait_until(self.answers, what=f"redis-server on port {self.port} to answer")

    def stop(self) -> None:
        process_stop(self.process)
        wait_until(lambda: not self.answers(), what=f"redis-server on port {self.port} to stop")


def _postgresql_bin_dir() -> Path | None:
    """PG_BIN, else Debian's newest /usr/lib/postgresql/<version>/bin, else wherever initdb is on PATH."""
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda path: int(path.parts[-3]))
    if versions:
        return versions[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class PostgresCluster:
    """A PostgreSQL cluster of the test's own: trust authentication, loopback only, socket in its folder.

    PostgreSQL refuses to run as root, so under root every server command runs as the
    `postgres` system user, which then owns the folder.
    """

    SUPERUSER = "postgres"

    def __init__(self, bin_dir: Path):
        self.bin_dir = bin_dir
        self.port = free_port()
        # Not under pytest's tmp_path: its parents are private to the user running the tests.
        self.directory = Path(tempfile.mkdtemp(prefix="reliability-pg-"))
        if os.geteuid() == 0:
            shutil.chown(self.directory, user="postgres", group="postgres")
        self.data = self.directory / "data"

    @classmethod
    def missing_requirement(cls) -> str | None:
        """Why a cluster cannot be made here, or None."""
        bin_dir = _postgresql_bin_dir()
        if bin_dir is None or not all((bin_dir / program).exists() for program in ("initdb", "pg_ctl", "createdb")):
            return "the PostgreSQL server programs (initdb, pg_ctl, createdb) were not found; set PG_BIN"
        if os.geteuid() == 0 and not shutil.which("runuser"):
            return "running as root needs runuser to start PostgreSQL as the postgres user"
        return None

    @classmethod
    def found(cls) -> "PostgresCluster":
        return cls(_postgresql_bin_dir())

    def url(self, database: str) -> str:
        return f"postgres://{self.SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bin_dir / program), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=WAIT, cwd=self.directory)

    def _pg_ctl(self, action: str, *args: str) -> None:
        self._run(
            "pg_ctl",
            action,
            "-D",
            str(self.data),
            "-l",
            str(self.directory / "server.log"),
            "-w",
            "-t",
            str(WAIT),
            *args,
        )

    def start(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", self.SUPERUSER, "-A", "trust", "-E", "UTF8", "--no-sync")
        self.start_again()

    def start_again(self) -> None:
        """Start the server on its data folder and port (after start() made them, or after stop())."""
        # fsync off: the data is thrown away with the folder.
        self._pg_ctl("start", "-o", f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off")

    def restart(self) -> None:
        """A fast restart: every open connection is cut, as in a failover or an upgrade."""
        self._pg_ctl("restart", "-m", "fast")

    def stop(self) -> None:
        """A fast shutdown: connections are cut and new ones refused, as in an outage, until start_again()."""
        self._pg_ctl("stop", "-m", "fast")

    def create_database(self, name: str) -> None:
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", self.SUPERUSER, name)

    def remove(self) -> None:
        """Stop the server at once if it runs, and delete its folder."""
        if (self.data / "postmaster.pid").exists():
            self._pg_ctl("stop", "-m", "immediate")
        shutil.rmtree(self.directory, ignore_errors=True)
