"""The production server under test: a site of its own (database, static and media files) and
gunicorn serving it with DEBUG=0, started, killed and restarted on demand.

Used by bench/load and bench/kill_during_save; your own database is never touched.
"""

import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
STATE_SCRIPT = Path(__file__).resolve().parent / "load_state.py"
PASSWORD = "a-long-load-test-passphrase"
DEFAULT_PG_URL = "postgres://newsroom:newsroom@127.0.0.1:5432/newsroom_load"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def postgres_reachable(url: str) -> str | None:
    """None when a PostgreSQL server answers at `url`'s host, else why not."""
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed"
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    try:
        psycopg.connect(admin_url, connect_timeout=3).close()
    except psycopg.Error as error:
        return str(error).strip().splitlines()[0]
    return None


def recreate_postgres_database(url: str) -> None:
    """Drop and create the database named in `url` (its role needs CREATEDB)."""
    import psycopg
    from psycopg import sql

    name = urlsplit(url).path.lstrip("/")
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


class Site:
    """A newsroom of its own under `workdir`, on SQLite or on the PostgreSQL at `database_url`."""

    def __init__(self, workdir: Path, database_url: str | None = None):
        self.workdir = workdir
        workdir.mkdir(parents=True, exist_ok=True)
        self.database_url = database_url or f"sqlite:///{workdir / 'newsroom.sqlite3'}"
        self.env = {
            **{name: value for name, value in os.environ.items() if not name.startswith("DJANGO")},
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": self.database_url,
            "STATIC_ROOT": str(workdir / "static"),
            "MEDIA_ROOT": str(workdir / "media"),
            # The production page cache: files shared by the server's workers.
            "CACHE_DIR": str(workdir / "page-cache"),
            # Plain HTTP on the loopback interface, as `make serve` runs it.
            "SECURE_SSL_REDIRECT": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "PYTHONPATH": str(ROOT),
        }
        self.env.pop("REDIS_URL", None)

    @property
    def engine(self) -> str:
        return "PostgreSQL" if self.database_url.startswith("postgres") else "SQLite"

    def write_transaction_open(self) -> bool:
        """Whether some connection holds a write transaction open on the database right now.

        SQLite: another writer cannot take the write lock at once. PostgreSQL: a
        client backend has a transaction open. Asked from outside the server, just
        before it is killed, to tell a kill mid-save from one before or after it.
        """
        if self.engine == "SQLite":
            import sqlite3

            probe = sqlite3.connect(self.workdir / "newsroom.sqlite3", timeout=0)
            probe.isolation_level = None
            try:
                probe.execute("BEGIN IMMEDIATE")
                probe.execute("ROLLBACK")
                return False
            except sqlite3.OperationalError:
                return True
            finally:
                probe.close()
        import psycopg

        with psycopg.connect(self.database_url, autocommit=True) as probe:
            row = probe.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND backend_type = 'client backend' AND pid <> pg_backend_pid() "
                "AND xact_start IS NOT NULL"
            ).fetchone()
        return row[0] > 0

    def manage(self, *arguments: str) -> str:
        finished = subprocess.run(
            [str(PYTHON), str(ROOT / "manage.py"), *arguments],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
        )
        if finished.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(arguments)} failed:\n{finished.stderr}")
        return finished.stdout

    def state(self, *arguments: str, given=None):
        """Ask bench/load_state.py, running on this site's database, a question; its JSON answer.

        `given` is sent to it as JSON on stdin.
        """
        finished = subprocess.run(
            [str(PYTHON), str(STATE_SCRIPT), *arguments],
            cwd=ROOT,
            env=self.env,
            input=None if given is None else json.dumps(given),
            capture_output=True,
            text=True,
        )
        if finished.returncode != 0:
            raise RuntimeError(f"load_state.py {' '.join(arguments)} failed:\n{finished.stderr}")
        return json.loads(finished.stdout)

    def build(self, stories: int, editors: int) -> dict:
        """A fresh database with the seed stories, `stories` generated ones and `editors` logins.

        Returns the state script's description: the editors and the story each one edits.
        """
        if self.engine == "PostgreSQL":
            recreate_postgres_database(self.database_url)
        else:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.workdir / 'newsroom.sqlite3'}{suffix}").unlink(missing_ok=True)
        self.manage("migrate", "--noinput", "-v", "0")
        self.manage("collectstatic", "--noinput", "-v", "0")
        self.manage("loaddata", "stories", "-v", "0")
        if stories:
            self.manage("generate_archive", "--stories", str(stories), "--append", "-v", "0")
        return self.state("prepare-editors", str(editors), PASSWORD)


class Server:
    """gunicorn serving a Site on a free loopback port, in a process group of its own."""

    def __init__(self, site: Site, *, workers: int, threads: int, name: str = "server"):
        self.site, self.workers, self.threads = site, workers, threads
        self.port = free_port()
        self.log = site.workdir / f"{name}.log"
        self.log.unlink(missing_ok=True)  # restarts of this server append to it
        self.process: subprocess.Popen | None = None

    @property
    def command(self) -> list[str]:
        return [
            str(GUNICORN),
            "newsroom.wsgi",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--threads",
            str(self.threads),
            "--no-control-socket",
            "--timeout",
            "120",
        ]

    def start(self, timeout: float = 60) -> None:
        with self.log.open("a") as log:
            self.process = subprocess.Popen(
                self.command,
                cwd=ROOT,
                env=self.site.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.log_tail()}")
            try:
                if request(self.port, "GET", "/healthz", timeout=5)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer in {timeout} s:\n{self.log_tail()}")

    def worker_pids(self) -> list[int]:
        """The worker processes the master has running now."""
        children = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                children.append(int(entry.name))
        return children

    def kill_hard(self) -> None:
        """SIGKILL the master and every worker at once: a crash, nothing cleaned up."""
        if self.process and self.process.poll() is None:
            os.killpg(os.getpgid(self.process.pid), signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        group = os.getpgid(self.process.pid)
        os.killpg(group, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(group, signal.SIGKILL)
            self.process.wait(timeout=5)

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def log_errors(self) -> list[str]:
        """Lines of the server log that report an error (tracebacks' first lines included)."""
        try:
            text = self.log.read_text(errors="replace")
        except OSError:
            return []
        return [line for line in text.splitlines() if " ERROR " in line or "Traceback" in line]


def request(port, method, path, *, body=None, headers=None, timeout=30):
    """One request on a fresh connection: status, headers, body."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()
