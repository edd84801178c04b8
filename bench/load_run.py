"""Mixed traffic against the production server: readers on every kind of page and editors
saving stories through the admin, then a count of every save in the database and in its
revision history. Run it through bench/load; docs/reliability.md has the results."""

import argparse
import http.client
import json
import os
import random
import statistics
import sys
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load_editor import EditorSession, edited, get_field  # noqa: E402
from load_server import (  # noqa: E402
    DEFAULT_PG_URL,
    PASSWORD,
    Server,
    Site,
    postgres_reachable,
    request,
)


@dataclass
class Tally:
    """What every thread saw, gathered under one lock."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    statuses: Counter = field(default_factory=Counter)
    latencies: defaultdict = field(default_factory=lambda: defaultdict(list))
    connection_errors: Counter = field(default_factory=Counter)
    server_errors: list = field(default_factory=list)
    refused_saves: list = field(default_factory=list)
    acknowledged: defaultdict = field(default_factory=lambda: defaultdict(list))
    # Reads of a story's public page right after its save was acknowledged.
    reads_after_save: int = 0
    stale_reads: list = field(default_factory=list)

    def record(self, kind: str, path: str, status: int, seconds: float) -> None:
        with self.lock:
            self.statuses[status] += 1
            self.latencies[kind].append(seconds)
            if status >= 500:
                self.server_errors.append(f"{status} {path}")


def read_pages(port: int, pages: list[dict], deadline: float, tally: Tally, seed: int) -> None:
    """One reader: page after page on one keep-alive connection until the deadline."""
    rng = random.Random(seed)
    connection = None
    while time.monotonic() < deadline:
        page = rng.choice(pages)
        if connection is None:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        started = time.perf_counter()
        try:
            connection.request("GET", page["path"], headers={"Accept-Encoding": "gzip"})
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException) as error:
            with tally.lock:
                tally.connection_errors[type(error).__name__] += 1
            connection.close()
            connection = None
            continue
        tally.record(page["kind"], page["path"], response.status, time.perf_counter() - started)
        if response.getheader("Connection", "").lower() == "close":
            connection.close()
            connection = None
    if connection is not None:
        connection.close()


def edit_story(
    port, editor: dict, deadline: float, tally: Tally, engine: str, think: float, seed: int
) -> None:
    """One editor: open the story, change it, save it, again and again until the deadline."""
    rng = random.Random(seed)
    session = EditorSession(port, editor["username"], PASSWORD)
    story = editor["story"]
    round_number = 0
    try:
        session.log_in()
        while time.monotonic() < deadline:
            round_number += 1
            started = time.perf_counter()
            try:
                fields = session.open_story(story)
            except (OSError, http.client.HTTPException, RuntimeError) as error:
                with tally.lock:
                    tally.connection_errors[f"editor form: {error}"[:120]] += 1
                session.close()
                continue
            tally.record("admin form", "change form", 200, time.perf_counter() - started)
            marker = f"{engine.lower()}-{editor['username']}-{round_number}"
            try:
                result = session.save_story(story, edited(fields, marker, round_number))
            except (OSError, http.client.HTTPException) as error:
                with tally.lock:
                    tally.connection_errors[f"editor save: {type(error).__name__}"] += 1
                session.close()
                continue
            tally.record("admin save", "save", result.status, result.seconds)
            with tally.lock:
                if result.saved:
                    tally.acknowledged[str(story)].append(marker)
                else:
                    tally.refused_saves.append((marker, result.status, result.detail[:300]))
            if result.saved:
                read_after_save(port, get_field(fields, "slug"), marker, tally)
            time.sleep(rng.uniform(0, 2 * think))
    except Exception as error:  # the run must report an editor that stopped, not hide it
        with tally.lock:
            tally.connection_errors[f"{editor['username']} stopped: {error}"[:160]] += 1
    finally:
        session.close()


def read_after_save(port, slug: str, marker: str, tally: Tally) -> None:
    """Read the story as a reader would, at once: the save must show, whichever worker answers.

    The page cache (and each worker's copies of pages) must have let go of the
    story's old text the moment the admin acknowledged the save.
    """
    try:
        status, _, body = request(port, "GET", f"/articles/{slug}/")
    except (OSError, http.client.HTTPException) as error:
        with tally.lock:
            tally.connection_errors[f"read after save: {type(error).__name__}"] += 1
        return
    with tally.lock:
        tally.reads_after_save += 1
        if status != 200 or f"Saved as {marker}.".encode() not in body:
            tally.stale_reads.append(f"{marker}: HTTP {status}")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def run(site: Site, args) -> dict:
    print(f"\n== {site.engine}: building the site ({args.stories} generated stories) …", flush=True)
    prepared = site.build(args.stories, args.editors)
    editors, pages = prepared["editors"], prepared["pages"]
    server = Server(site, workers=args.workers, threads=args.threads, name="load-server")
    server.start()
    readers = args.connections - len(editors)
    print(
        f"   gunicorn {args.workers} workers × {args.threads} threads, DEBUG=0; "
        f"{readers} readers on {len(pages)} pages, {len(editors)} editors; {args.duration} s",
        flush=True,
    )
    tally = Tally()
    threads = []
    try:
        # Warm each worker's code paths briefly, so the run measures steady state.
        for page in pages[:20]:
            request(server.port, "GET", page["path"])
        deadline = time.monotonic() + args.duration
        started = time.monotonic()
        for number in range(readers):
            threads.append(
                threading.Thread(
                    target=read_pages, args=(server.port, pages, deadline, tally, number)
                )
            )
        for number, editor in enumerate(editors):
            threads.append(
                threading.Thread(
                    target=edit_story,
                    args=(server.port, editor, deadline, tally, site.engine, args.think, number),
                )
            )
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    finally:
        server.stop()
    kept = site.state("saves", given=tally.acknowledged)
    integrity = site.state("integrity")
    return summarise(site, args, tally, kept, integrity, elapsed, len(pages), server)


def summarise(site, args, tally, kept, integrity, elapsed, page_count, server) -> dict:
    requests = sum(tally.statuses.values())
    saves = sum(len(markers) for markers in tally.acknowledged.values())
    result = {
        "engine": site.engine,
        "seconds": round(elapsed, 1),
        "connections": args.connections,
        "editors": args.editors,
        "pages": page_count,
        "requests": requests,
        "requests_per_second": round(requests / elapsed, 1),
        "statuses": dict(sorted(tally.statuses.items())),
        "server_errors": len(tally.server_errors),
        "connection_errors": dict(tally.connection_errors),
        "saves_acknowledged": saves,
        "saves_refused": len(tally.refused_saves),
        "saves_in_story": sum(1 for story in kept.values() if story["last_in_story"]),
        "stories_edited": len(kept),
        "saves_in_history": sum(story["in_history"] for story in kept.values()),
        "missing_from_history": [
            m for story in kept.values() for m in story["missing_from_history"]
        ],
        "revisions": sum(story["revisions"] for story in kept.values()),
        "reads_after_save": tally.reads_after_save,
        "stale_reads_after_save": len(tally.stale_reads),
        "first_stale_reads": tally.stale_reads[:5],
        "integrity": integrity,
        "server_log_errors": server.log_errors()[:10],
        "latency_ms": {
            kind: {
                "n": len(values),
                "p50": round(1000 * statistics.median(values), 1),
                "p95": round(1000 * percentile(values, 0.95), 1),
                "p99": round(1000 * percentile(values, 0.99), 1),
            }
            for kind, values in sorted(tally.latencies.items())
        },
    }
    print(json.dumps(result, indent=2))
    if tally.refused_saves:
        print("First refused save:", tally.refused_saves[0], file=sys.stderr)
    return result


def main(argv=None) -> int:
    env = os.environ.get
    parser = argparse.ArgumentParser(
        prog="bench/load",
        description="60 s of mixed traffic (readers and admin editors) against gunicorn, DEBUG=0, "
        "on SQLite and PostgreSQL; then every acknowledged save is looked for in its story and "
        "its revision history.",
    )
    parser.add_argument("--duration", type=int, default=int(env("LOAD_DURATION", 60)))
    parser.add_argument("--connections", type=int, default=64, help="readers + editors (64)")
    parser.add_argument("--editors", type=int, default=8, help="editors among them (8)")
    parser.add_argument("--think", type=float, default=0.5, help="editors' mean pause, s (0.5)")
    parser.add_argument("--stories", type=int, default=3000, help="generated stories (3000)")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--pg-url", default=env("LOAD_PG_URL", DEFAULT_PG_URL))
    parser.add_argument("--workdir", type=Path, default=Path(env("LOAD_DIR", "/tmp/newsroom-load")))
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args(argv)

    sites = []
    if args.database in {"sqlite", "both"}:
        sites.append(Site(args.workdir / "sqlite"))
    if args.database in {"postgres", "both"}:
        problem = postgres_reachable(args.pg_url)
        if problem:
            print(f"PostgreSQL skipped: nothing answers at {args.pg_url} ({problem}).")
            print("Start one with `make postgres-test-server`, or pass --pg-url.")
        else:
            sites.append(Site(args.workdir / "postgres", args.pg_url))
    results = [run(site, args) for site in sites]
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    failed = [
        r["engine"]
        for r in results
        if r["server_errors"]
        or r["connection_errors"]
        or r["saves_in_history"] != r["saves_acknowledged"]
        or r["saves_in_story"] != r["stories_edited"]
        or r["stale_reads_after_save"]
    ]
    print(
        "\nFAILED on " + ", ".join(failed)
        if failed
        else "\nOK: no 5xx, every save kept and shown to readers at once."
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
