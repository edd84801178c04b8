"""The offline checkers: the W3C Nu HTML Checker (vnu.jar) and axe-core, from node_modules.

Both come from npm (`make node-test-deps`, pinned by package-lock.json); the Nu
checker runs on the machine's Java runtime (`make system-test-deps`).
"""

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page

NODE_MODULES = Path(settings.BASE_DIR) / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_SCRIPT = NODE_MODULES / "axe-core" / "axe.min.js"
# WCAG 2.2 AA includes every A and AA rule of the earlier versions.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def _require(path: Path, install_hint: str) -> Path:
    if not path.exists():
        pytest.fail(f"{path} is missing: run `{install_hint}`.", pytrace=False)
    return path


def nu_html_errors(documents: dict[str, str]) -> dict[str, list[str]]:
    """Check HTML documents, named by the keys, in one run of the Nu HTML Checker.

    Returns each document's errors as readable lines (line number, message and
    the offending markup); a valid document maps to an empty list. Warnings,
    which the checker also emits, are not errors and are left out.
    """
    java = shutil.which("java")
    if java is None:
        pytest.fail("`java` is missing: run `make system-test-deps`.", pytrace=False)
    jar = _require(VNU_JAR, "make node-test-deps")
    errors: dict[str, list[str]] = {name: [] for name in documents}
    with tempfile.TemporaryDirectory() as folder:
        files = {}
        for number, (name, html) in enumerate(documents.items()):
            path = Path(folder) / f"{number:03d}.html"
            path.write_text(html, encoding="utf-8")
            files[path.name] = name
        # One JVM for all documents: starting Java dominates the time of a check.
        completed = subprocess.run(
            [java, "-jar", str(jar), "--errors-only", "--format", "json", "--stdout"]
            + [str(Path(folder) / file_name) for file_name in files],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    try:
        messages = json.loads(completed.stdout)["messages"]
    except (json.JSONDecodeError, KeyError):
        pytest.fail(f"The Nu HTML Checker failed:\n{completed.stdout}\n{completed.stderr}")
    for message in messages:
        if message.get("type") not in {"error", "non-document-error"}:
            continue
        file_name = message.get("url", "").rsplit("/", 1)[-1]
        name = files.get(file_name, file_name or "(checker)")
        extract = re.sub(r"\s+", " ", message.get("extract", "")).strip()
        errors.setdefault(name, []).append(
            f"line {message.get('lastLine', '?')}: {message.get('message')}"
            + (f"\n      at: {extract}" if extract else "")
        )
    return errors


def axe_violations(page: Page) -> list[dict]:
    """Run axe-core's WCAG 2.2 A and AA rules on the page as the browser shows it now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=_require(AXE_SCRIPT, "make node-test-deps"))
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return results["violations"]


def describe_violations(violations: list[dict]) -> str:
    """axe-core's violations as a developer needs them: the rule, why, and each element."""
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact')}): {violation['help']}"
            f" <{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    at {target}: {node['html']}")
            summary = (node.get("failureSummary") or "").strip()
            if summary:
                lines.extend(f"      {line}" for line in summary.splitlines())
    return "\n".join(lines)
