"""The benchmark's table, the machine it ran on, and docs/benchmarks.md."""

import os
import platform
import re
import sqlite3
import subprocess
from importlib import metadata
from pathlib import Path

RESULTS_START = "<!-- results:start -->"
RESULTS_END = "<!-- results:end -->"

# The targets, as shares of the static file's requests per second on the same run.
CACHED_SHARE_TARGET = 0.80
UNCACHED_SHARE_TARGET = 0.25
UNCACHED_SHARE_PAGES = {"list", "deep", "filtered", "article"}
P99_TARGET_MS = 50.0


def machine() -> dict:
    """Cores, CPU model, memory and the versions of everything in the measurement."""
    cpu_model = (
        _first_match(Path("/proc/cpuinfo"), r"^model name\s*:\s*(.+)$") or platform.processor()
    )
    memory_kb = _first_match(Path("/proc/meminfo"), r"^MemTotal:\s*(\d+) kB")
    wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout
    return {
        "cores": len(os.sched_getaffinity(0)),
        "cpu": cpu_model,
        "memory": f"{int(memory_kb) / 1024**2:.1f} GiB" if memory_kb else "unknown",
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "gunicorn": _version("gunicorn"),
        "whitenoise": _version("whitenoise"),
        "wrk": (wrk.split() or ["wrk", "unknown"])[1],
    }


def _first_match(path: Path, pattern: str) -> str | None:
    try:
        found = re.search(pattern, path.read_text(), re.MULTILINE)
    except OSError:
        return None
    return found.group(1).strip() if found else None


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def verdict(row: dict, static_rate: float) -> str:
    """Which of the issue's targets this row meets, in words."""
    if row.get("skipped"):
        return row["skipped"]
    misses = []
    share = row["rps"] / static_rate if static_rate else 0
    if row["mode"] == "cached" and share < CACHED_SHARE_TARGET:
        misses.append(f"{share:.0%} < {CACHED_SHARE_TARGET:.0%}")
    held_to_share = row["mode"] == "uncached" and row["page"] in UNCACHED_SHARE_PAGES
    if held_to_share and share < UNCACHED_SHARE_TARGET:
        misses.append(f"{share:.0%} < {UNCACHED_SHARE_TARGET:.0%}")
    if row["p99"] is None or row["p99"] >= P99_TARGET_MS:
        misses.append(f"p99 ≥ {P99_TARGET_MS:.0f} ms")
    if row["errors"]:
        misses.append(f"{row['errors']:,} errors")
    if row.get("empty_rounds"):
        misses.append(f"no request completed in {row['empty_rounds']} of the rounds")
    return "missed: " + "; ".join(misses) if misses else "met"


def _queries(row: dict) -> str:
    """The page's queries; for a page rendered again, "first, then again" when they differ."""
    if row.get("queries") is None:
        return ""
    again = row.get("queries_again")
    if again is None or again == row["queries"]:
        return str(row["queries"])
    return f"{row['queries']}, then {again}"


def table(rows: list[dict], static_rate: float) -> str:
    """A Markdown table, one row per page and cache mode, the static file last."""
    lines = [
        "| Page | Cache | SQL queries | Bytes | First render ms | One request ms | Requests/s "
        "| Share of static | p50 ms | p99 ms | Targets |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in rows:
        measured = not row.get("skipped") and row.get("rps") is not None
        cells = [
            row["label"],
            row["mode"],
            _queries(row),
            f"{row['bytes']:,}",
            _ms(row["seconds"] * 1000) if row["mode"] == "uncached" and "seconds" in row else "",
            _ms(row.get("single_ms")),
            f"{row['rps']:,.0f}" if measured else "",
            f"{row['rps'] / static_rate:.0%}" if measured and static_rate else "",
            _ms(row.get("p50")) if measured else "",
            _ms(row.get("p99")) if measured else "",
            "reference" if row["page"] == "static" else verdict(row, static_rate),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _ms(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def results_section(*, rows, static_rate, machine_info, run) -> str:
    """Everything a reader needs to trust or rerun the figures."""
    m = machine_info
    notes = "".join(f"\n- {note}" for note in run["notes"])
    return f"""{RESULTS_START}
## Latest results

Measured {run["date"]} with `{run["command"]}`.

- Machine: {m["cores"]} cores ({m["cpu"]}), {m["memory"]} of memory, {m["system"]}.
- Software: Python {m["python"]}, Django {run["django"]}, SQLite {m["sqlite"]}, gunicorn \
{m["gunicorn"]}, WhiteNoise {m["whitenoise"]}, wrk {m["wrk"]}.
- Archive: {run["archive"]}
- Load: `wrk -t{run["threads"]} -c{run["connections"]} -d{run["duration"]}s --latency`, \
{run["rounds"]} interleaved rounds, the median of each figure; two gunicorn servers \
(`-w {run["workers"]}`, `DEBUG=0`), one with `CACHE_MIDDLEWARE_SECONDS=0` (uncached), one \
with the default (cached), measured in turn.
- Static reference: the story page saved as a file and served by WhiteNoise through the \
cached server: {static_rate:,.0f} requests/s.{notes}

{table(rows, static_rate)}
{RESULTS_END}"""


def write_docs(path: Path, section: str):
    """Replace the results section of docs/benchmarks.md, keeping the prose around it."""
    text = path.read_text() if path.exists() else ""
    if RESULTS_START in text and RESULTS_END in text:
        before, rest = text.split(RESULTS_START, 1)
        after = rest.split(RESULTS_END, 1)[1]
        text = f"{before}{section}{after}"
    else:
        text = f"{text.rstrip()}\n\n{section}\n" if text else f"# Benchmarks\n\n{section}\n"
    path.write_text(text)
