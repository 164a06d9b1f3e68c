"""The real services of the fault suite, as processes it owns: a PostgreSQL cluster and
a redis-server of their own (free ports, a temporary directory), and the product's
gunicorn, Celery worker and beat pointed at them. Each can be stopped, killed and
started again; none of the suite's shared servers (55432, 56379) is touched.

PostgreSQL runs with fsync off (the machine does not lose power in a test) but with
synchronous_commit on, the durable default: a crash of the server (`crash()`, an
immediate shutdown that throws away its shared memory) then loses no acknowledged
commit, which is what the PostgreSQL fault is about.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg
import requests

from tests.worker import wait_until  # noqa: F401 (the suite's tests import it from here)

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = Path("/usr/lib/postgresql/15/bin")
DATABASE = "hotline"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def scratch_dir() -> Path:
    """A directory the postgres user can enter (pytest's own temporary base is private
    to root)."""
    path = Path(tempfile.mkdtemp(prefix="hotline-faults-"))
    path.chmod(0o755)
    return path


class Postgres:
    """A PostgreSQL 15 cluster in `root`, owned by the postgres user when run as root."""

    def __init__(self, root: Path):
        self.port = free_port()
        self.home = root / "postgres"
        self.data = self.home / "data"
        self.log = self.home / "postgres.log"
        self.home.mkdir()
        if os.getuid() == 0:
            shutil.chown(self.home, "postgres", "postgres")
        self._as_pg(
            [PG_BIN / "initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8",
             "--locale=C.UTF-8", "--no-sync"],
        )  # fmt: skip

    def _as_pg(self, argv, **kwargs):
        argv = [str(arg) for arg in argv]
        if os.getuid() == 0:
            argv = ["runuser", "-u", "postgres", "--", *argv]
        return subprocess.run(argv, check=True, capture_output=True, **kwargs)

    def url(self, database: str = DATABASE) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.home} -c listen_addresses=127.0.0.1"
            " -c fsync=off -c full_page_writes=off -c max_connections=100"
        )
        self._as_pg([PG_BIN / "pg_ctl", "start", "-D", self.data, "-l", self.log, "-w",
                     "-t", "60", "-o", options])  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        self._as_pg([PG_BIN / "pg_ctl", "stop", "-D", self.data, "-m", mode, "-w", "-t", "60"])

    def crash(self) -> None:
        """The server dies at once (an immediate shutdown: no checkpoint, shared memory
        discarded); the next start recovers from the write-ahead log."""
        self.stop("immediate")

    def running(self) -> bool:
        try:
            self._as_pg([PG_BIN / "pg_ctl", "status", "-D", self.data])
            return True
        except subprocess.CalledProcessError:
            return False

    def connect(self, database: str = DATABASE):
        return psycopg.connect(self.url(database), autocommit=True, connect_timeout=5)

    def query(self, sql: str, params=(), database: str = DATABASE) -> list[tuple]:
        with self.connect(database) as conn:
            cursor = conn.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    def create_database(self) -> None:
        extensions = (
            "CREATE EXTENSION IF NOT EXISTS unaccent; CREATE EXTENSION IF NOT EXISTS pg_trgm"
        )
        self.query(extensions, database="template1")
        self.query(f"CREATE DATABASE {DATABASE}", database="postgres")

    def tool(self, name: str, *args, **kwargs):
        """Run one of PostgreSQL's client programs (pg_dump, pg_restore, …)."""
        return subprocess.run([str(PG_BIN / name), *map(str, args)], check=True, **kwargs)


class Redis:
    """A redis-server without persistence on a port of its own; restarted on the same
    port, it comes back empty, as a Redis whose data was lost does."""

    def __init__(self, root: Path):
        self.port = free_port()
        self.dir = root / "redis"
        self.dir.mkdir()
        self.process = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.dir)],
            stdout=open(self.dir / "redis.log", "ab"),  # noqa: SIM115 - the child keeps it
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        wait_until(self.answers, timeout=10, what=f"redis-server on {self.port}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        wait_until(lambda: not self.answers(), timeout=10, what="redis-server to stop")


class Process:
    """One of the product's processes (argv run from the project folder), its output in
    a log file; `kill()` is SIGKILL, the fault a process cannot clean up after."""

    def __init__(self, name: str, argv: list[str], env: dict, logs: Path):
        self.name, self.argv, self.env = name, argv, env
        self.log_path = logs / f"{name}.log"
        self.process = None

    def start(self) -> None:
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                self.argv, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log(self, since: int = 0) -> str:
        return self.log_path.read_bytes()[since:].decode("utf-8", "replace")

    def mark(self) -> int:
        return self.log_path.stat().st_size if self.log_path.exists() else 0

    def kill(self) -> None:
        """SIGKILL to the process and whatever it started (gunicorn's workers)."""
        if self.alive():
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.alive():
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


def product_env(*, database_url: str, redis_url: str, scratch: Path) -> dict:
    """Production settings (DEBUG off) on plain HTTP over loopback; the statement timeout
    only where a test sets it (importing callcenter.wsgi in this process sets one)."""
    inherited = {k: v for k, v in os.environ.items() if k != "DB_STATEMENT_TIMEOUT"}
    return {
        **inherited,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "DEBUG": "false",
        "SECRET_KEY": "fault-suite-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_COOKIES": "false",
        "SECURE_SSL_REDIRECT": "false",
        "REQUIRE_2FA": "false",
        "LOG_FORMAT": "plain",
        # A killed worker's task is handed out again after this long (production: 1 h).
        "CELERY_VISIBILITY_TIMEOUT": "8",
        "SMS_RETRY_SECONDS": "3",
        "SMS_BACKEND": "tests.faults.gateway.FileGateway",
        "SMS_GATEWAY_DIR": str(scratch / "gateway"),
        "PYTHONUNBUFFERED": "1",
    }


def manage(env: dict, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


# The web's statement timeout here (production: 25 s, callcenter.wsgi and compose).
STATEMENT_TIMEOUT = 3


class Gunicorn(Process):
    def __init__(self, env: dict, logs: Path):
        self.port = free_port()
        argv = [str(Path(sys.executable).parent / "gunicorn"), "callcenter.wsgi",
                "--bind", f"127.0.0.1:{self.port}", "--workers", "4", "--timeout", "30",
                "--graceful-timeout", "5"]  # fmt: skip
        env = {**env, "DB_STATEMENT_TIMEOUT": str(STATEMENT_TIMEOUT)}
        super().__init__("gunicorn", argv, env, logs)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        super().start()
        wait_until(self._answers, timeout=30, what=lambda: "gunicorn:\n" + self.log()[-2000:])

    def _answers(self) -> bool:
        assert self.alive(), "gunicorn exited:\n" + self.log()[-3000:]
        try:
            return requests.get(self.url + "/healthz", timeout=2).status_code in (200, 503)
        except requests.RequestException:
            return False


def celery(*args: str) -> list[str]:
    return [sys.executable, "-m", "celery", "-A", "callcenter", *args]


class Worker(Process):
    def __init__(self, env: dict, logs: Path):
        argv = celery("worker", "--pool=solo", "--loglevel=INFO", "--hostname=faults@localhost",
                      "--without-mingle", "--without-gossip")  # fmt: skip
        super().__init__("worker", argv, env, logs)

    def start(self) -> None:
        since = self.mark()
        super().start()
        wait_until(
            lambda: "ready." in self.log(since) or not self.alive(),
            timeout=30,
            what=lambda: "the worker:\n" + self.log(since)[-2000:],
        )
        assert self.alive(), "the worker exited:\n" + self.log(since)[-3000:]


class Beat(Process):
    def __init__(self, env: dict, logs: Path, scratch: Path):
        argv = celery("beat", "--loglevel=INFO", "-s", str(scratch / "beat-schedule"))
        super().__init__("beat", argv, env, logs)
