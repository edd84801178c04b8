"""Kill the server in the middle of an admin save, restart it, and look at the story: it must
be wholly saved or wholly as before, bylines, quotes and tags included. Run it through
bench/kill_during_save; docs/reliability.md has the results.

Each round: open the story's form, change its headline, dek, body, first byline's title,
first quote and tags, submit it, and after a random delay within the time a save takes,
SIGKILL the gunicorn worker handling it and then the master (a crash: nothing cleaned up).
A new server is started on the same database and the story compared, field by field,
with its state before the save and with the save as submitted.
"""

import argparse
import json
import os
import random
import signal
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load_editor import EditorSession, edited, get_field  # noqa: E402
from load_server import (  # noqa: E402
    DEFAULT_PG_URL,
    PASSWORD,
    Server,
    Site,
    postgres_reachable,
)

EDIT_MARKS = {"edited-even", "edited-odd"}


def as_stored(text: str) -> str:
    """Form text as the story stores it: trimmed, with the browser's CRLF breaks as LF."""
    return text.replace("\r\n", "\n").strip()


def expected_after_save(before: dict, submitted: list[list[str]]) -> dict:
    """The story as the submitted form would leave it (the parts the edit changes)."""
    tags = {t.strip().strip('"') for t in get_field(submitted, "tags").split(",") if t.strip()}
    bylines = [list(row) for row in before["bylines"]]
    if bylines:
        bylines[0][2] = get_field(submitted, "bylines-0-title")
    quotes = [list(row) for row in before["quotes"]]
    if quotes:
        quotes[0][1] = as_stored(get_field(submitted, "quotes-0-text"))
    return {
        "headline": as_stored(get_field(submitted, "headline")),
        "subheadline": as_stored(get_field(submitted, "subheadline")),
        "body": as_stored(get_field(submitted, "body")),
        "bylines": bylines,
        "quotes": quotes,
        "tags": sorted(tags),
    }


def classify(before: dict, after: dict, intended: dict) -> str:
    """ "before", "saved", or a description of what is inconsistent."""
    if after == before:
        return "before"
    differences = [key for key, value in intended.items() if after[key] != value]
    unchanged = ("excerpt", "status", "slug", "related")
    differences += [f"{key} changed" for key in unchanged if after[key] != before[key]]
    if after["edit_version"] != before["edit_version"] + 1:
        differences.append(f"edit_version {before['edit_version']} → {after['edit_version']}")
    if after["revisions"] <= before["revisions"]:
        differences.append("no new revision")
    return "saved" if not differences else "MIXED: " + ", ".join(differences)


def save_and_kill(server: Server, session: EditorSession, story: int, fields, delay: float):
    """Submit the form, SIGKILL the worker after `delay` s, then the master.

    Returns whether a write transaction was open just before the kill, and whether the
    response had arrived."""
    answered = threading.Event()

    def submit():
        try:
            result = session.save_story(story, fields)
            if result.status:
                answered.set()
        except OSError:
            pass  # the connection dies with the worker

    workers = server.worker_pids()
    thread = threading.Thread(target=submit)
    thread.start()
    time.sleep(delay)
    in_transaction = server.site.write_transaction_open()
    for pid in workers:
        os.kill(pid, signal.SIGKILL)
    server.kill_hard()
    thread.join(timeout=30)
    session.close()
    return in_transaction, answered.is_set()


def measure_save(session: EditorSession, story: int, rounds: int = 3) -> float:
    durations = []
    for number in range(rounds):
        fields = session.open_story(story)
        result = session.save_story(story, edited(fields, f"warm-up-{number}", number))
        if not result.saved:
            raise RuntimeError(f"a save was refused ({result.status}): {result.detail[:500]}")
        durations.append(result.seconds)
    return statistics.median(durations)


def run(site: Site, rounds: int, seed: int) -> dict:
    print(f"\n== {site.engine}: building the site …", flush=True)
    editor = site.build(stories=0, editors=1)["editors"][0]
    story = editor["story"]
    server = Server(site, workers=1, threads=2, name="kill-server")
    server.start()
    session = EditorSession(server.port, editor["username"], PASSWORD)
    session.log_in()
    save_seconds = measure_save(session, story)
    print(f"   a save takes {1000 * save_seconds:.0f} ms; {rounds} rounds", flush=True)
    rng = random.Random(seed)
    outcomes, answered_before_kill, problems = [], 0, []
    inside_transaction = []  # outcomes of the kills that landed in an open transaction
    try:
        for number in range(1, rounds + 1):
            before = site.state("snapshot", str(story))
            fields = session.open_story(story)
            submitted = edited(fields, f"{site.engine.lower()}-kill-{number}", number)
            delay = rng.uniform(0.05, 1.2) * save_seconds
            in_transaction, answered = save_and_kill(server, session, story, submitted, delay)
            answered_before_kill += answered
            server.start()
            after = site.state("snapshot", str(story))
            outcome = classify(before, after, expected_after_save(before, submitted))
            outcomes.append(outcome)
            if in_transaction:
                inside_transaction.append(outcome)
            moment = "inside the save's transaction" if in_transaction else "outside a transaction"
            print(
                f"   round {number:2}: killed after {1000 * delay:4.0f} ms, {moment} → {outcome}",
                flush=True,
            )
            if outcome.startswith("MIXED"):
                problems.append((number, outcome))
    finally:
        server.stop()
    integrity = site.state("integrity")
    result = {
        "engine": site.engine,
        "rounds": rounds,
        "save_ms": round(1000 * save_seconds),
        "as_before": outcomes.count("before"),
        "wholly_saved": outcomes.count("saved"),
        "mixed": len(problems),
        "answered_before_kill": answered_before_kill,
        "killed_inside_transaction": len(inside_transaction),
        "inside_transaction_as_before": inside_transaction.count("before"),
        "inside_transaction_saved": inside_transaction.count("saved"),
        "integrity": integrity,
    }
    print(json.dumps(result, indent=2), flush=True)
    return result


def main(argv=None) -> int:
    env = os.environ.get
    parser = argparse.ArgumentParser(
        prog="bench/kill_during_save",
        description="SIGKILL gunicorn in the middle of admin saves; every story must be wholly "
        "saved or wholly as before.",
    )
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--pg-url", default=env("LOAD_PG_URL", DEFAULT_PG_URL))
    parser.add_argument("--workdir", type=Path, default=Path(env("LOAD_DIR", "/tmp/newsroom-kill")))
    args = parser.parse_args(argv)

    sites = []
    if args.database in {"sqlite", "both"}:
        sites.append(Site(args.workdir / "sqlite"))
    if args.database in {"postgres", "both"}:
        problem = postgres_reachable(args.pg_url)
        if problem:
            print(f"PostgreSQL skipped: nothing answers at {args.pg_url} ({problem}).")
        else:
            sites.append(Site(args.workdir / "postgres", args.pg_url))
    results = [run(site, args.rounds, args.seed) for site in sites]
    failed = [
        r["engine"]
        for r in results
        if r["mixed"] or r["integrity"].get("integrity_check") not in (["ok"], "n/a")
    ]
    print(
        "\nFAILED on " + ", ".join(failed)
        if failed
        else "\nOK: every story wholly saved or as before."
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
