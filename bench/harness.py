"""The Newsroom benchmark: a 100,000-story archive served by gunicorn, measured with wrk.

Run it through bench/run; docs/benchmarks.md explains what it measures and how
to read the table. Steps:

1. Build the archive into its own SQLite file (migrate, generate_archive) and
   collect the static files, under --workdir; your own database is untouched.
2. Choose the pages from the archive and count each page's SQL queries with
   Django's test Client (bench/probe.py), uncached and cached.
3. Save the story page as a static file of the same size.
4. Start two gunicorn servers on free loopback ports, one with the page cache
   off (CACHE_MIDDLEWARE_SECONDS=0) and one with the site's default.
5. Time one request of every page on each server; put those that answer 200
   within --slow-page-seconds under load: warm up, then run wrk against them
   and the static file in interleaved rounds, keeping the median of each figure.
6. Print the table and write it to docs/benchmarks.md.

The servers are stopped at the end, also on failure or Ctrl-C.
"""

import argparse
import json
import os
import resource
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import report  # noqa: E402
from load import WORKER_TIMEOUT_SECONDS, Server, http_get, run_wrk  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PYTHON = Path(sys.executable)
# The story page saved as a file, served by WhiteNoise from STATIC_ROOT.
STATIC_COPY = "bench/story-page.html"
STATIC_PATH = f"/static/{STATIC_COPY}"
ENV_VARIABLES = ("BENCH_STORIES", "BENCH_SEED", "BENCH_DURATION", "BENCH_ROUNDS", "BENCH_DIR")


def parse_args(argv: list[str]):
    env = os.environ.get
    parser = argparse.ArgumentParser(
        prog="bench/run", description="Benchmark Newsroom's public pages against a static file."
    )
    parser.add_argument("--stories", type=int, default=int(env("BENCH_STORIES", 100_000)))
    parser.add_argument("--seed", type=int, default=int(env("BENCH_SEED", 1)))
    parser.add_argument(
        "--duration",
        type=int,
        default=int(env("BENCH_DURATION", 6)),
        help="Seconds of load per wrk run (default 6).",
    )
    parser.add_argument("--rounds", type=int, default=int(env("BENCH_ROUNDS", 3)))
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2).")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2).")
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path(env("BENCH_DIR", "/tmp/newsroom-bench")),
        help="Where the archive, static files and logs go (default /tmp/newsroom-bench).",
    )
    parser.add_argument(
        "--slow-page-seconds",
        type=float,
        default=2.0,
        help="A page whose single request takes longer is timed but not loaded with wrk: its "
        "queue would outlast the run (default 2).",
    )
    parser.add_argument(
        "--reuse-archive",
        action="store_true",
        help="Keep an archive built earlier with the same --stories and --seed.",
    )
    parser.add_argument(
        "--no-docs", action="store_true", help="Print the table only; leave docs/benchmarks.md."
    )
    return parser.parse_args(argv)


def say(message: str):
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def django_env(options, database: Path, **extra) -> dict:
    """The production-like environment every Django process of the run gets."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "CACHE_MIDDLEWARE_SECONDS", "REDIS_URL", "DEBUG"}
    }
    env.update(
        DATABASE_URL=f"sqlite:///{database}",
        DEBUG="0",
        SECRET_KEY="benchmark-only-secret-key-not-for-any-real-site",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        STATIC_ROOT=str(options.workdir / "static"),
        # The production page cache's files, shared by the server's workers.
        CACHE_DIR=str(options.workdir / "page-cache"),
        PYTHONPATH=str(ROOT),
        **extra,
    )
    return env


def manage(env, *args, capture=False) -> str:
    result = subprocess.run(
        [str(PYTHON), "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return result.stdout or ""


def build_archive(options, env, database: Path) -> str:
    """Generate the archive (or reuse a matching one); describe it for the report."""
    record = database.with_suffix(".json")
    if options.reuse_archive and database.exists() and record.exists():
        built = json.loads(record.read_text())
        say(f"Reusing the archive built {built['date']}.")
        manage(env, "migrate", "--noinput", "-v0")
        return f"{built['summary']} (built {built['date']}, reused)"
    for path in database.parent.glob(f"{database.name}*"):
        path.unlink()
    record.unlink(missing_ok=True)
    manage(env, "migrate", "--noinput", "-v0")
    say(f"Generating {options.stories:,} stories (seed {options.seed})...")
    started, cpu_before = time.monotonic(), children_cpu_seconds()
    summary = manage(
        env,
        "generate_archive",
        f"--stories={options.stories}",
        f"--seed={options.seed}",
        capture=True,
    ).strip()
    seconds, cpu = time.monotonic() - started, children_cpu_seconds() - cpu_before
    summary = (
        f"{summary} `generate_archive` took {seconds:.1f} s in all, {cpu:.1f} s of it on a CPU "
        "(the rest waiting for the disk or for other work on the machine)."
    )
    record.write_text(json.dumps({"date": f"{datetime.now():%Y-%m-%d %H:%M}", "summary": summary}))
    return summary


def children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def probe(env, *extra) -> dict:
    output = subprocess.run(
        [str(PYTHON), str(ROOT / "bench" / "probe.py"), *extra],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE,
    ).stdout
    return json.loads(output)


def measure_rounds(options, targets) -> dict:
    """wrk every target once per round, in a rotating order; return the runs per target."""
    runs = {key: [] for key, _, _ in targets}
    for _, server, path in targets:  # warm the page cache, connections and the OS file cache
        run_wrk(
            server.url(path), threads=options.threads, connections=options.connections, duration=2
        )
        wait_until_idle(server)
    for number in range(options.rounds):
        shift = number * len(targets) // max(options.rounds, 1)
        for key, server, path in targets[shift:] + targets[:shift]:
            result = run_wrk(
                server.url(path),
                threads=options.threads,
                connections=options.connections,
                duration=options.duration,
            )
            wait_until_idle(server)
            runs[key].append(result)
            p99 = f"{result.p99_ms:7.1f}" if result.p99_ms is not None else "    n/a"
            say(
                f"round {number + 1}/{options.rounds} {key[0]:<9} {key[1]:<8} "
                f"{result.requests_per_second:9,.0f} req/s  p99 {p99} ms  errors {result.errors}"
            )
    return runs


def wait_until_idle(server):
    """Wait for the requests still queued in the server, so they cannot spill into the next run.

    The server takes connections in turn, so a request sent now is answered
    once those before it are done.
    """
    try:
        http_get(server.port, STATIC_PATH, timeout=WORKER_TIMEOUT_SECONDS * 2)
    except OSError as error:
        raise RuntimeError(f"The {server.name} server is still busy: {error}") from error


def median_of(values):
    values = [value for value in values if value is not None]
    return statistics.median(values) if values else None


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def make_servers(options, envs: dict) -> dict:
    gunicorn = PYTHON.parent / "gunicorn"
    if not gunicorn.exists():
        raise SystemExit("gunicorn is not installed in the virtualenv: pip install gunicorn")
    return {
        mode: Server(
            mode,
            root=ROOT,
            gunicorn=gunicorn,
            env=env,
            workers=options.workers,
            log=options.workdir / f"gunicorn-{mode}.log",
        )
        for mode, env in envs.items()
    }


def probe_pages(options, envs: dict, host: str) -> dict:
    """Choose the pages and count their queries in each cache mode; save the static copy.

    The probes ask for the pages under the host and port the server will have,
    so the static copy has exactly the size of the story page as served.
    """
    say("Choosing pages and counting their queries...")
    probed = {"uncached": probe(envs["uncached"], "--host", host)}
    pages_file = options.workdir / "pages.json"
    chosen = [
        {key: page[key] for key in ("name", "label", "url")} for page in probed["uncached"]["pages"]
    ]
    pages_file.write_text(json.dumps(chosen))
    probed["cached"] = probe(envs["cached"], "--host", host, "--repeat", "--pages", str(pages_file))
    static_file = options.workdir / "static" / STATIC_COPY
    static_file.parent.mkdir(parents=True, exist_ok=True)
    static_file.write_text(probed["uncached"]["article_html"])
    return probed


def serve_and_measure(options, servers: dict, probed: dict, notes: list) -> tuple[list, dict]:
    """Start the servers, check every page answers, measure; always stop the servers."""
    rows, targets = [], [(("static", "none"), servers["cached"], STATIC_PATH)]
    try:
        for server in servers.values():
            server.start(ready_path=STATIC_PATH)
        for mode, server in servers.items():
            for page in probed[mode]["pages"]:
                row = check_page(options, server, page, notes)
                if not row.get("skipped"):
                    targets.append(((page["name"], mode), server, page["url"]))
                rows.append(row)
        say(f"Measuring {len(targets)} targets, {options.rounds} rounds of {options.duration} s...")
        runs = measure_rounds(options, targets)
    finally:
        for server in servers.values():
            server.stop()
    return rows, runs


def check_page(options, server, page: dict, notes: list) -> dict:
    """Request the page and time one request.

    Uncached, the first request is timed. Cached, the page is requested once
    more than there are workers, each keeping its own cache, and the fastest
    request is timed: a reader served from the cache. A page that fails, or is
    too slow to put under load within the run's time bounds, gets a row that
    says so instead of wrk figures.
    """
    requests = options.workers + 1 if server.name == "cached" else 1
    timeout = WORKER_TIMEOUT_SECONDS + 30
    answers = [http_get(server.port, page["url"], timeout=timeout) for _ in range(requests)]
    failures = [answer for answer in answers if answer[0] != 200]
    status, body, seconds = failures[0] if failures else min(answers, key=lambda a: a[2])
    row = {**page, "page": page["name"], "mode": server.name, "bytes": len(body)}
    row["single_ms"] = seconds * 1000
    if status != 200:
        row["skipped"] = f"not measured: HTTP {status}"
        notes.append(f"{page['label']} ({page['url']}) answered HTTP {status} ({server.name}).")
    elif seconds > options.slow_page_seconds:
        row["skipped"] = f"missed: too slow to load, one request takes {seconds:.1f} s"
    return row


def summarise(rows: list, runs: dict, page_order: list, static_bytes: int) -> tuple[list, float]:
    """Median figures per row, pages in the probe's order, uncached before cached."""
    rows = sorted(rows, key=lambda row: (page_order.index(row["page"]), row["mode"] != "uncached"))
    rows.append(
        {
            "page": "static",
            "label": "Static file, same size as the story page",
            "mode": "none",
            "queries": 0,
            "bytes": static_bytes,
        }
    )
    for row in rows:
        measured = runs.get((row["page"], row["mode"]))
        if measured and not row.get("skipped"):
            row.update(
                rps=median_of([run.requests_per_second for run in measured]),
                p50=median_of([run.p50_ms for run in measured]),
                p99=median_of([run.p99_ms for run in measured]),
                errors=sum(run.errors for run in measured),
                empty_rounds=sum(run.requests == 0 for run in measured),
            )
    return rows, rows[-1].get("rps") or 0.0


def main(argv: list[str]) -> int:
    options = parse_args(argv)
    options.workdir.mkdir(parents=True, exist_ok=True)
    # Every run starts with no stored page.
    shutil.rmtree(options.workdir / "page-cache", ignore_errors=True)
    database = options.workdir / f"archive-{options.stories}-seed{options.seed}.sqlite3"
    envs = {
        "uncached": django_env(options, database, CACHE_MIDDLEWARE_SECONDS="0"),
        "cached": django_env(options, database),
    }
    notes = [f"Load average before the run: {load_average()}."]
    command = shlex.join(["bench/run", *argv])
    for variable in reversed(ENV_VARIABLES):
        if variable in os.environ:
            command = f"{variable}={shlex.quote(os.environ[variable])} {command}"

    archive = build_archive(options, envs["uncached"], database)
    manage(envs["uncached"], "collectstatic", "--noinput", "--clear", "-v0")
    servers = make_servers(options, envs)
    probed = probe_pages(options, envs, host=f"127.0.0.1:{servers['cached'].port}")
    rows, runs = serve_and_measure(options, servers, probed, notes)
    notes.append(f"Load average after the run: {load_average()}.")

    page_order = [page["name"] for page in probed["uncached"]["pages"]]
    static_bytes = (options.workdir / "static" / STATIC_COPY).stat().st_size
    rows, static_rate = summarise(rows, runs, page_order, static_bytes)
    run = {
        "date": f"{datetime.now().astimezone():%Y-%m-%d %H:%M %Z}",
        "command": command,
        "django": probed["uncached"]["django"],
        "archive": archive,
        "threads": options.threads,
        "connections": options.connections,
        "duration": options.duration,
        "rounds": options.rounds,
        "workers": options.workers,
        "notes": notes,
    }
    section = report.results_section(
        rows=rows, static_rate=static_rate, machine_info=report.machine(), run=run
    )
    print(section.removeprefix(report.RESULTS_START).removesuffix(report.RESULTS_END).strip())
    (options.workdir / "results.json").write_text(json.dumps({"run": run, "rows": rows}, indent=2))
    if not options.no_docs:
        report.write_docs(ROOT / "docs" / "benchmarks.md", section)
        say("Wrote docs/benchmarks.md.")
    return 0


def _exit_on_signal(signum, frame):
    # Turn SIGTERM/SIGHUP into an exception so the servers are stopped on the way out.
    raise SystemExit(128 + signum)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _exit_on_signal)
    signal.signal(signal.SIGHUP, _exit_on_signal)
    try:
        sys.exit(main(sys.argv[1:]))
    except subprocess.CalledProcessError as error:
        sys.exit(f"bench/run: {shlex.join(map(str, error.cmd))} failed (exit {error.returncode}).")
    except (RuntimeError, subprocess.TimeoutExpired, OSError) as error:
        sys.exit(f"bench/run: {error}")
