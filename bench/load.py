"""Serving and loading: the gunicorn servers under test, and wrk runs against them."""

import http.client
import os
import re
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

WRK_TIMEOUT_SECONDS = 10
# Long enough for the slowest page to be timed rather than killed mid-request.
WORKER_TIMEOUT_SECONDS = 120
UNITS_IN_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def free_port() -> int:
    """A TCP port nobody listens on right now, on the loopback interface."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def http_get(port: int, path: str, timeout: float = 60) -> tuple[int, bytes, float]:
    """One GET on the loopback, redirects not followed: status, body and seconds taken."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read(), time.perf_counter() - started
    finally:
        connection.close()


class Server:
    """A gunicorn running the site on a free loopback port, in its own process group."""

    def __init__(
        self, name: str, *, root: Path, gunicorn: Path, env: dict, workers: int, log: Path
    ):
        self.name, self.root, self.env, self.log = name, root, env, log
        self.port = free_port()
        self.command = [
            str(gunicorn),
            "newsroom.wsgi",
            "-w",
            str(workers),
            "--no-control-socket",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--timeout",
            str(WORKER_TIMEOUT_SECONDS),
            "--log-level",
            "warning",
        ]
        self.process = None

    def start(self, ready_path: str, timeout: float = 60):
        """Start the server and wait until it answers `ready_path`."""
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                self.command,
                cwd=self.root,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # a group of its own, so stop() reaches every worker
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"The {self.name} server exited:\n{self.log_tail()}")
            try:
                status, _, _ = http_get(self.port, ready_path, timeout=5)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(
            f"The {self.name} server did not answer in {timeout} s:\n{self.log_tail()}"
        )

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self):
        """Stop the master and its workers: politely, then for good."""
        if self.process is None or self.process.poll() is not None:
            return
        group = os.getpgid(self.process.pid)
        os.killpg(group, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(group, signal.SIGKILL)
            self.process.wait(timeout=5)


@dataclass
class WrkResult:
    requests_per_second: float
    p50_ms: float | None
    p99_ms: float | None
    requests: int
    errors: int  # non-2xx/3xx responses and socket errors


def run_wrk(url: str, *, threads: int, connections: int, duration: int) -> WrkResult:
    """One wrk run; its length is bounded by `duration` plus wrk's request timeout."""
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        f"--timeout={WRK_TIMEOUT_SECONDS}s",
        "--latency",
        url,
    ]
    finished = subprocess.run(
        command, capture_output=True, text=True, timeout=duration + WRK_TIMEOUT_SECONDS + 20
    )
    if finished.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {finished.stderr or finished.stdout}")
    return parse_wrk(finished.stdout)


def parse_wrk(output: str) -> WrkResult:
    """Read requests/s, the 50th and 99th latency percentiles and errors from wrk's report."""
    latency = {
        percentile: float(value) * UNITS_IN_MS[unit]
        for percentile, value, unit in re.findall(
            r"^\s+(50|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE
        )
    }
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    total = re.search(r"(\d+) requests in", output)
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    requests = int(total.group(1)) if total else 0
    return WrkResult(
        requests_per_second=float(rate.group(1)) if rate else 0.0,
        # With no request completed wrk still prints a distribution, of zeros.
        p50_ms=latency.get("50") if requests else None,
        p99_ms=latency.get("99") if requests else None,
        requests=requests,
        errors=errors,
    )
